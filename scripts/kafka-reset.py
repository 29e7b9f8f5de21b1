#!/usr/bin/env python3
"""Deletes a pipeline's Kafka state: every topic named <prefix>.* and, if given, the consumer group. The demo runs
it so a re-run starts clean; the benchmarks run it on exit (the local broker keeps every topic in memory).

    scripts/kafka-reset.py --brokers HOST:PORT --prefix loanapp [--group loanapp-apply]
"""
import argparse
import sys
import time

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient


def topics_under(admin, prefix):
    return sorted(name for name in admin.list_topics(timeout=10).topics if name.startswith(prefix + "."))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--group")
    args = parser.parse_args()
    admin = AdminClient({"bootstrap.servers": args.brokers})

    topics = topics_under(admin, args.prefix)
    if topics:
        for topic, future in admin.delete_topics(topics, operation_timeout=30).items():
            future.result()
        # Deletion is asynchronous on real Kafka: wait until the names are gone before capture recreates them.
        deadline = time.monotonic() + 30
        while topics_under(admin, args.prefix) and time.monotonic() < deadline:
            time.sleep(0.5)
    if not args.group:
        return
    try:
        for _, future in admin.delete_consumer_groups([args.group], request_timeout=30).items():
            future.result()
    except KafkaException as error:
        # A group that never existed (first run) is what we want anyway.
        if "GROUP_ID_NOT_FOUND" not in str(error) and "not found" not in str(error).lower():
            raise
    print(f"kafka-reset: deleted {len(topics)} topic(s) under '{args.prefix}.' and group '{args.group}'")


if __name__ == "__main__":
    sys.exit(main())

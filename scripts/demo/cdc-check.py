#!/usr/bin/env python3
"""The guide's CDC test, measured: inserts a TEST/CDCTest line into dbo."IntegrationLogs", polls DynamoDB until
its item is readable and prints the latency (commit → item readable), then finds it through a GSI, as an
application would (GSI3-ErrorStatus-LogTimestamp: this minute's CDC_TEST errors).

    scripts/demo/cdc-check.py --source URL [--table LoanApp-IntegrationLogs-dev] [--timeout 60]
"""
import argparse
import datetime
import subprocess
import sys
import time

from dynamodb_client import dynamodb_client

# The guide's statement with the column names quoted (the table's are CamelCase), plus the columns the GSIs key on.
INSERT = """
INSERT INTO dbo."IntegrationLogs" ("LogType", "ServiceName", "LogTimestamp", "ApplicationId", "CorrelationId",
                                   "ErrorStatus", "Message")
VALUES ('TEST', 'CDCTest', NOW(), 999999, gen_random_uuid(), 'CDC_TEST', 'ferry demo: CDC check')
RETURNING "LogId"
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--table", default="LoanApp-IntegrationLogs-dev")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    dynamodb = dynamodb_client()

    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    print("  psql: " + " ".join(INSERT.split()))
    log_id = subprocess.run(["psql", args.source, "-X", "-At", "-q", "-v", "ON_ERROR_STOP=1", "-c", INSERT],
                            check=True, capture_output=True, text=True).stdout.strip()
    committed = time.monotonic()  # psql returns once the transaction has committed
    key = {"PK": {"S": f"LOG#{log_id}"}, "SK": {"S": f"LOG#{log_id}"}}
    polls = 0
    while True:
        polls += 1
        item = dynamodb.get_item(TableName=args.table, Key=key, ConsistentRead=True).get("Item")
        if item:
            break
        if time.monotonic() - committed > args.timeout:
            print(f"cdc-check: LogId {log_id} not in {args.table} after {args.timeout:.0f}s", file=sys.stderr)
            return 1
        time.sleep(0.01)
    latency_ms = (time.monotonic() - committed) * 1000
    print(f"  LogId {log_id} committed in PostgreSQL → item {key['PK']['S']} readable in {args.table} "
          f"after {latency_ms:.0f} ms ({polls} GetItem polls)")
    print(f"  item: " + ", ".join(f"{name}={next(iter(value.values()))}" for name, value in sorted(item.items())))

    index = "GSI3-ErrorStatus-LogTimestamp"
    answer = dynamodb.query(
        TableName=args.table, IndexName=index,
        KeyConditionExpression="ErrorStatus = :status AND LogTimestamp >= :since",
        ExpressionAttributeValues={":status": {"S": "CDC_TEST"}, ":since": {"S": since}})
    found = [entry for entry in answer["Items"] if entry["PK"]["S"] == key["PK"]["S"]]
    print(f"  Query {index}: ErrorStatus = 'CDC_TEST' AND LogTimestamp >= '{since}' → {answer['Count']} item(s)"
          f"{', including LogId ' + log_id if found else ' — LogId ' + log_id + ' MISSING'}")
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())

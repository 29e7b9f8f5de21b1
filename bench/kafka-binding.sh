#!/usr/bin/env bash
# Kafka binding micro-benchmark: Ferry's producer and consumer (release build) next to kcat (librdkafka's own
# C client) on the same broker, same 1 KB records, same producer settings, in the same run. Prints rates and ratios.
#
#   bench/kafka-binding.sh [records]        (default 200000; uses the running stack or starts one)
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-200000}

source bench/lib.sh
bench_stack
BENCH=$(bench_build FerryBench)

work=$(mktemp -d)
trap bench_cleanup EXIT
# Random 1 KB payloads (base64, so compression does not flatter anyone).
python3 -c "
import base64, os, sys
out = sys.stdout.buffer
for _ in range($RECORDS): out.write(base64.b64encode(os.urandom(768)) + b'\n')
" > "$work/payloads"

PRODUCER_SETTINGS=(-X enable.idempotence=true -X acks=all -X compression.type=lz4 -X linger.ms=5 -X batch.size=1000000
  -X queue.buffering.max.messages=500000 -X queue.buffering.max.kbytes=1048576)

run=bench_$RANDOM$RANDOM
topic_ref=$run.kcat
topic_ours=$run.ferry

# Produce: kcat -P (waits for all delivery reports before exiting) vs ferry-bench kafka-produce.
start=$(now); kcat -P -q -b "$FERRY_TEST_BROKERS" -t "$topic_ref" "${PRODUCER_SETTINGS[@]}" -l "$work/payloads"; end=$(now)
kcat_produce=$(rate "$RECORDS" "$start" "$end")
ours_produce=$("$BENCH" kafka-produce --brokers "$FERRY_TEST_BROKERS" --topic "$topic_ours" --payloads "$work/payloads" | awk '{print $4}')

# Consume: both read their topic from the beginning, without a group, until they have every record.
start=$(now); kcat -C -q -b "$FERRY_TEST_BROKERS" -t "$topic_ref" -o beginning -c "$RECORDS" > /dev/null; end=$(now)
kcat_consume=$(rate "$RECORDS" "$start" "$end")
ours_consume=$("$BENCH" kafka-consume --brokers "$FERRY_TEST_BROKERS" --topic "$topic_ours" --count "$RECORDS" | awk '{print $4}')

printf '\nKafka binding, %d records of 1 KB, broker %s, librdkafka %s at run time\n' "$RECORDS" "$FERRY_TEST_BROKERS" \
  "$(python3 -c 'import confluent_kafka; print(confluent_kafka.libversion()[0])')"
printf '%-10s %14s %14s %8s\n' "" "ferry msg/s" "kcat msg/s" "ratio"
printf '%-10s %14s %14s %8s\n' produce "$ours_produce" "$kcat_produce" "$(ratio "$ours_produce" "$kcat_produce")"
printf '%-10s %14s %14s %8s\n' consume "$ours_consume" "$kcat_consume" "$(ratio "$ours_consume" "$kcat_consume")"

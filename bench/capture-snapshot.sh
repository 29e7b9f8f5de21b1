#!/usr/bin/env bash
# Snapshot benchmark: `ferry capture` (release build) reading a table of ROWS rows (~150 bytes each) into Kafka,
# next to two references measured in the same run on the same machine and stack:
#   - COPY (SELECT ...) TO STDOUT into /dev/null, in text and in binary format (how fast PostgreSQL hands the
#     rows out; capture reads this table in binary, every column type having a binary conversion),
#   - kcat -P (librdkafka's C producer) replaying ferry's records — same keys, values, count and partitions — to
#     the same broker, twice: bare (librdkafka's defaults: no compression, not idempotent; the issue's reference,
#     ≈ 360k msg/s here) and with ferry's producer settings (lz4, idempotent: the same work capture asks of
#     librdkafka); and, as earlier runs measured it, one random line of the records' average size repeated ROWS
#     times with ferry's settings (LZ4 compresses that to almost nothing: a flattering ceiling).
#
#   bench/capture-snapshot.sh [rows]          (default 1000000; uses the running stack or starts one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}

source bench/lib.sh
bench_stack
FERRY=$(bench_build ferry)

run=bench_$RANDOM$RANDOM
work=$(mktemp -d)
admin_url=$FERRY_TEST_PG_URL
db_url=${FERRY_TEST_PG_URL%/*}/$run
cleanup() {
  [ -n "${capture_pid:-}" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
  bench_drop_database
  bench_cleanup
}
trap cleanup EXIT

psql -q "$admin_url" -c "CREATE DATABASE $run"
bench_orders_table "$ROWS"

# Reference 1: COPY TO STDOUT into /dev/null, text and binary.
start=$(now); psql -q "$db_url" -c "COPY (SELECT id, customer_id, amount, created_at, status, note FROM orders) TO STDOUT" > /dev/null; end=$(now)
copy_rate=$(rate "$ROWS" "$start" "$end")
start=$(now); psql -q "$db_url" -c "COPY (SELECT id, customer_id, amount, created_at, status, note FROM orders) TO STDOUT (FORMAT binary)" > /dev/null; end=$(now)
binary_copy_rate=$(rate "$ROWS" "$start" "$end")

# Ferry: from process start until the table's snapshot is durable in Kafka (the log says so).
start=$(now)
"$FERRY" capture --source "$db_url" --brokers "$FERRY_TEST_BROKERS" --prefix "$run" --tables public.orders \
  --partitions 3 > "$work/capture.log" 2>&1 &
capture_pid=$!
until grep -q "snapshot of table completed" "$work/capture.log"; do
  kill -0 "$capture_pid" 2>/dev/null || { cat "$work/capture.log"; echo "capture exited early" >&2; exit 1; }
  sleep 0.05
done
end=$(now)
ferry_rate=$(rate "$ROWS" "$start" "$end")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$capture_pid/status")
kill -TERM "$capture_pid"; wait "$capture_pid" || true; capture_pid=

# Reference 2: kcat replaying ferry's own records (the same keys and values, so the same sizes and the same
# compressibility) into a topic of as many partitions. JSON holds no raw tab or newline, so both delimit safely.
kcat -C -q -b "$FERRY_TEST_BROKERS" -t "$run.public.orders" -o beginning -e -K $'\t' -f '%k\t%s\n' > "$work/records"
size=$(awk -F'\t' '{s += length($2)} END {printf "%d", s / NR}' "$work/records")
replayed=$(wc -l < "$work/records")
python3 - "$FERRY_TEST_BROKERS" "$run.kcat-bare" "$run.kcat" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})
for future in admin.create_topics([NewTopic(name, 3, 1) for name in sys.argv[2:]]).values():
    future.result()
PY
# Bare: librdkafka's defaults (acks=all, linger 5 ms, no compression, not idempotent) — the reference the issue set.
start=$(now); kcat -P -q -b "$FERRY_TEST_BROKERS" -t "$run.kcat-bare" -K $'\t' -l "$work/records"; end=$(now)
bare_rate=$(rate "$replayed" "$start" "$end")
# Ferry's producer settings (KafkaProducer.defaults), except a deeper queue: the best such a producer does here.
kcat_producer=(kcat -P -q -b "$FERRY_TEST_BROKERS" -X enable.idempotence=true -X acks=all -X compression.type=lz4
  -X linger.ms=5 -X batch.size=1000000 -X queue.buffering.max.messages=500000 -X enable.sparse.connections=false)
start=$(now); "${kcat_producer[@]}" -t "$run.kcat" -K $'\t' -l "$work/records"; end=$(now)
kcat_rate=$(rate "$replayed" "$start" "$end")

# The reference earlier benches printed: one random line of the same size, repeated. LZ4 compresses the repeats
# to almost nothing, so the broker has next to no bytes to take in; shown for comparison with older figures.
python3 -c "
import os, sys, base64
line = base64.b64encode(os.urandom($size))[:$size] + b'\n'
sys.stdout.buffer.write(line * $ROWS)" > "$work/payloads"
start=$(now); "${kcat_producer[@]}" -t "$run.kcat-repeated" -l "$work/payloads"; end=$(now)
repeated_rate=$(rate "$ROWS" "$start" "$end")

printf '\nSnapshot of %d rows (~150 B each, records ~%d B), 2 cores, stack on loopback\n' "$ROWS" "$size"
printf '%-44s %12s %10s\n' "" "rows/s" "ferry is"
printf '%-44s %12s %10s\n' "ferry capture (snapshot into Kafka)" "$ferry_rate" ""
printf '%-44s %12s %9sx\n' "COPY TO STDOUT > /dev/null" "$copy_rate" "$(ratio "$ferry_rate" "$copy_rate")"
printf '%-44s %12s %9sx\n' "COPY TO STDOUT (FORMAT binary) > /dev/null" "$binary_copy_rate" "$(ratio "$ferry_rate" "$binary_copy_rate")"
printf '%-44s %12s %9sx\n' "kcat -P bare, ferry's records replayed" "$bare_rate" "$(ratio "$ferry_rate" "$bare_rate")"
printf '%-44s %12s %9sx\n' "kcat -P ferry's settings, same records" "$kcat_rate" "$(ratio "$ferry_rate" "$kcat_rate")"
printf '%-44s %12s %9sx\n' "kcat -P ferry's settings, one line repeated" "$repeated_rate" "$(ratio "$ferry_rate" "$repeated_rate")"
printf 'ferry peak RSS during the snapshot: %d MB\n' "$((rss_kb / 1024))"

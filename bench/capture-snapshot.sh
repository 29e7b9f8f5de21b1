#!/usr/bin/env bash
# Snapshot benchmark: `ferry capture` (release build) reading a table of ROWS rows (~150 bytes each) into Kafka,
# next to two references measured in the same run on the same machine and stack:
#   - COPY (SELECT ...) TO STDOUT into /dev/null (how fast PostgreSQL hands the rows out),
#   - kcat -P (librdkafka's C producer) sending ROWS records of our records' average size to the same broker.
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
psql -q "$db_url" <<SQL
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL, status text NOT NULL, note text);
INSERT INTO orders SELECT g, g % 50000, (g % 100000) / 100.0, TIMESTAMPTZ '2024-01-01' + g * INTERVAL '1 second',
  CASE g % 3 WHEN 0 THEN 'paid' WHEN 1 THEN 'open' ELSE 'refunded' END, md5(g::text) || md5((g * 7)::text) || ' note'
FROM generate_series(1, $ROWS) g;
ANALYZE orders;
SQL

# Reference 1: COPY TO STDOUT into /dev/null.
start=$(now); psql -q "$db_url" -c "COPY (SELECT id, customer_id, amount, created_at, status, note FROM orders) TO STDOUT" > /dev/null; end=$(now)
copy_rate=$(rate "$ROWS" "$start" "$end")

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

# Reference 2: kcat producing ROWS records of the same average size as ferry's records.
size=$(kcat -C -q -b "$FERRY_TEST_BROKERS" -t "$run.public.orders" -o beginning -c 2000 -f '%S\n' | awk '{s+=$1} END {printf "%d", s/NR}')
python3 -c "
import os, sys, base64
line = base64.b64encode(os.urandom($size))[:$size] + b'\n'
sys.stdout.buffer.write(line * $ROWS)" > "$work/payloads"
start=$(now); kcat -P -q -b "$FERRY_TEST_BROKERS" -t "$run.kcat" -X enable.idempotence=true -X acks=all \
  -X compression.type=lz4 -X linger.ms=5 -X batch.size=1000000 -X queue.buffering.max.messages=500000 -l "$work/payloads"; end=$(now)
kcat_rate=$(rate "$ROWS" "$start" "$end")

printf '\nSnapshot of %d rows (~150 B each, records ~%d B), 2 cores, stack on loopback\n' "$ROWS" "$size"
printf '%-40s %12s %10s\n' "" "rows/s" "ferry is"
printf '%-40s %12s %10s\n' "ferry capture (snapshot into Kafka)" "$ferry_rate" ""
printf '%-40s %12s %9sx\n' "COPY TO STDOUT > /dev/null" "$copy_rate" "$(ratio "$ferry_rate" "$copy_rate")"
printf '%-40s %12s %9sx\n' "kcat -P, same count and size" "$kcat_rate" "$(ratio "$ferry_rate" "$kcat_rate")"
printf 'ferry peak RSS during the snapshot: %d MB\n' "$((rss_kb / 1024))"

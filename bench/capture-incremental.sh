#!/usr/bin/env bash
# Incremental snapshot benchmark (issue 17), same-run ratios on the same table of ROWS rows (~150 bytes each):
#   1. `ferry capture --snapshot initial` (one exported snapshot) vs `--snapshot incremental` (key-ordered chunks
#      between WAL watermarks, beside the stream): rows/s from process start until the log says the table is
#      complete; the issue asks incremental ≥ 0.7× the exported snapshot's rate.
#   2. While a second incremental load of the table runs, pgbench commits 1,000 single-row inserts/s into a captured
#      table; a consumer reading the topic as records arrive (so they are durable: acks=all, read below the high
#      watermark) prints the percentiles of arrival − commit time (`source.ts_ms`); the issue asks p99 < 1 s.
#
#   bench/capture-incremental.sh [rows] [chunk-rows]   (defaults 1000000, 50000; uses the running stack or starts one)
# Chunks of 50,000 rows: per chunk the loader pays a lock, two watermarks, a wait for the stream and a flush, which
# at 10,000-row chunks cost a third of the rate (a debug build on 200k rows: 0.65x at 10k, 0.74x at 50k).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
CHUNK_ROWS=${2:-50000}

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
CREATE TABLE pings (id bigserial PRIMARY KEY, note text);
SQL

# load MODE PREFIX DONE-LINE: starts capture, waits for DONE-LINE in its log; leaves it running as $capture_pid.
load() {
  "$FERRY" capture --source "$db_url" --brokers "$FERRY_TEST_BROKERS" --prefix "$2" --tables public.orders,public.pings \
    --partitions 3 --snapshot "$1" --snapshot-chunk-rows "$CHUNK_ROWS" > "$work/$2.log" 2>&1 &
  capture_pid=$!
  until grep -q "$3" "$work/$2.log"; do
    kill -0 "$capture_pid" 2>/dev/null || { cat "$work/$2.log"; echo "capture exited early" >&2; exit 1; }
    sleep 0.05
  done
}
stop() { kill -TERM "$capture_pid"; wait "$capture_pid" || true; capture_pid=; }

start=$(now); load initial "${run}e" "snapshot of table completed.*orders\|table=public.orders.*snapshot of table completed"; end=$(now)
exported_rate=$(rate "$ROWS" "$start" "$end"); stop
start=$(now); load incremental "${run}i" "rows=$ROWS table=public.orders .*incremental snapshot of table completed"; end=$(now)
incremental_rate=$(rate "$ROWS" "$start" "$end"); stop

# 2. Latency under a concurrent writer during an incremental load.
python3 - "$FERRY_TEST_BROKERS" "${run}l.public.pings" "$work/latencies" <<'PY' &
import json, sys, time
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
# Assigned, not subscribed: a group join takes seconds on the local broker, and reading late would count as latency.
consumer = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "lat", "enable.auto.commit": False})
while True:
    topic = consumer.list_topics(sys.argv[2], timeout=5).topics.get(sys.argv[2])
    if topic is not None and topic.error is None and topic.partitions: break
    time.sleep(0.05)
consumer.assign([TopicPartition(sys.argv[2], p, OFFSET_BEGINNING) for p in topic.partitions])
with open(sys.argv[3], "w") as out:
    idle_since = None
    while True:
        message = consumer.poll(0.2)
        if message is None or message.error() or message.value() is None:
            if idle_since and time.time() - idle_since > 5: break
            continue
        idle_since = time.time()
        record = json.loads(message.value())
        out.write(f"{time.time() * 1000 - record['source']['ts_ms']:.1f}\n"); out.flush()
PY
consumer_pid=$!
echo 'INSERT INTO pings (note) VALUES (md5(random()::text));' > "$work/ping.sql"
"$FERRY" capture --source "$db_url" --brokers "$FERRY_TEST_BROKERS" --prefix "${run}l" --tables public.orders,public.pings \
  --partitions 3 --snapshot incremental --snapshot-chunk-rows "$CHUNK_ROWS" > "$work/latency.log" 2>&1 &
capture_pid=$!
until grep -q "incremental snapshot of table.*orders\|table=public.orders.*incremental snapshot of table" "$work/latency.log"; do sleep 0.05; done
pgbench -n -c 2 -R 1000 -T 20 -f "$work/ping.sql" "$db_url" > "$work/pgbench.log" 2>&1
loading=$(grep -c "rows=$ROWS table=public.orders .*incremental snapshot of table completed" "$work/latency.log" || true)
stop
wait "$consumer_pid" || true

printf '\nIncremental snapshot of %d rows (~150 B each), 2 cores, stack on loopback\n' "$ROWS"
printf '%-48s %12s\n' "ferry capture --snapshot initial (exported)" "$exported_rate rows/s"
printf '%-48s %12s   %sx the exported snapshot\n' "ferry capture --snapshot incremental" "$incremental_rate rows/s" "$(ratio "$incremental_rate" "$exported_rate")"
python3 - "$work/latencies" "$loading" <<'PY'
import sys
values = sorted(float(line) for line in open(sys.argv[1]) if line.strip())
if not values: sys.exit("no latencies measured")
pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
print(f"pgbench 1,000 inserts/s for 20 s during an incremental load ({'load still running at the end' if sys.argv[2] == '0' else 'load ended during the writes'}):")
print(f"  {len(values)} changes, commit -> durable in Kafka (read by a consumer): p50 {pick(0.5):.0f} ms, p90 {pick(0.9):.0f} ms, p99 {pick(0.99):.0f} ms, max {values[-1]:.0f} ms")
PY

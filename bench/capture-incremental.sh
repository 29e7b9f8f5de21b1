#!/usr/bin/env bash
# Incremental snapshot benchmark (issue 17), same-run ratios on the same table of ROWS rows (~150 bytes each):
#   1. `ferry capture --snapshot initial` (one exported snapshot) vs `--snapshot incremental` (key-ordered chunks
#      between WAL watermarks, beside the stream): rows/s from process start until the log says the table is
#      complete; the issue asks incremental ≥ 0.7× the exported snapshot's rate. With each rate, the CPU-seconds per
#      row of capture and of the PostgreSQL processes serving the run's database (pg_cpu_start and pg_cpu_stop in bench/lib.sh).
#   2. A second incremental load of the table; once it has begun, pgbench commits 1,000 single-row inserts/s into a
#      captured table until it ends; a consumer reading the topic as records arrive (so they are durable: acks=all,
#      read below the high watermark) prints the percentiles of arrival − commit time (`source.ts_ms`) of the
#      changes committed while the load ran, and how many there were; the issue asks p99 < 1 s.
#
#   bench/capture-incremental.sh [rows] [chunk-rows]   (defaults 1000000, 10000 — capture's default; uses the running
#                                                       stack or starts one)
# Larger chunks hold the stream back: a 50,000-row chunk's records fill the producer queue ahead of the writer's
# changes (p99 1.4 s there against 0.4 s at 10,000, for a lower rate).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
CHUNK_ROWS=${2:-10000}

source bench/lib.sh
bench_stack
FERRY=$(bench_build ferry)

run=bench_$RANDOM$RANDOM
work=$(mktemp -d)
admin_url=$FERRY_TEST_PG_URL
db_url=${FERRY_TEST_PG_URL%/*}/$run
cleanup() {
  [ -n "${capture_pid:-}" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
  [ -n "${pgbench_pid:-}" ] && kill "$pgbench_pid" 2>/dev/null
  bench_drop_database
  bench_cleanup
}
trap cleanup EXIT

psql -q "$admin_url" -c "CREATE DATABASE $run"
bench_orders_table "$ROWS"
psql -q "$db_url" -c "CREATE TABLE pings (id bigserial PRIMARY KEY, note text)"

# start_capture MODE PREFIX: capture of both tables with --snapshot MODE into PREFIX, running as $capture_pid, its log
# in $work/PREFIX.log.
start_capture() {
  "$FERRY" capture --source "$db_url" --brokers "$FERRY_TEST_BROKERS" --prefix "$2" --tables public.orders,public.pings \
    --partitions 3 --snapshot "$1" --snapshot-chunk-rows "$CHUNK_ROWS" > "$work/$2.log" 2>&1 &
  capture_pid=$!
}
# await_log PREFIX LINE: waits until the running capture's log has LINE (a grep pattern).
await_log() {
  until grep -q "$2" "$work/$1.log"; do
    kill -0 "$capture_pid" 2>/dev/null || { cat "$work/$1.log"; echo "capture exited early" >&2; exit 1; }
    sleep 0.05
  done
}
# load MODE PREFIX DONE-LINE: starts capture, waits for DONE-LINE in its log; leaves it running as $capture_pid, its
# CPU-seconds so far in $capture_cpu.
load() {
  start_capture "$1" "$2"
  await_log "$2" "$3"
  capture_cpu=$(cpu_seconds "$capture_pid")
}
stop() { kill -TERM "$capture_pid"; wait "$capture_pid" || true; capture_pid=; }
exported_done="snapshot of table completed.*orders\|table=public.orders.*snapshot of table completed"
incremental_done="rows=$ROWS table=public.orders .*incremental snapshot of table completed"

pg_cpu_start exported
start=$(now); load initial "${run}e" "$exported_done"; end=$(now)
exported_rate=$(rate "$ROWS" "$start" "$end"); exported_cpu=$capture_cpu; exported_pg_cpu=$(pg_cpu_stop exported); stop
pg_cpu_start incremental
start=$(now); load incremental "${run}i" "$incremental_done"; end=$(now)
incremental_rate=$(rate "$ROWS" "$start" "$end"); incremental_cpu=$capture_cpu; incremental_pg_cpu=$(pg_cpu_stop incremental); stop

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
        committed = record['source']['ts_ms']
        out.write(f"{committed} {time.time() * 1000 - committed:.1f}\n"); out.flush()
PY
consumer_pid=$!
echo 'INSERT INTO pings (note) VALUES (md5(random()::text));' > "$work/ping.sql"
start_capture incremental "${run}l"
await_log "${run}l" "incremental snapshot of table.*orders\|table=public.orders.*incremental snapshot of table"
# The writer starts once the load has begun and runs until it has ended; only changes committed in between count.
load_start_ms=$(date +%s%3N)
pgbench -n -c 2 -R 1000 -T 600 -f "$work/ping.sql" "$db_url" > "$work/pgbench.log" 2>&1 &
pgbench_pid=$!
await_log "${run}l" "$incremental_done"
load_end_ms=$(date +%s%3N)
kill -TERM "$pgbench_pid"; wait "$pgbench_pid" || true; pgbench_pid=
sleep 2
stop
wait "$consumer_pid" || true

printf '\nIncremental snapshot of %d rows (~150 B each), chunks of %d rows, 2 cores, stack on loopback\n' "$ROWS" "$CHUNK_ROWS"
printf '%-44s %14s %10s %22s %22s\n' "" "rows/s" "" "capture CPU µs/row" "PostgreSQL CPU µs/row"
printf '%-44s %14s %10s %22s %22s\n' "ferry capture --snapshot initial (exported)" "$exported_rate" "" \
  "$(per_row "$exported_cpu" "$ROWS")" "$(per_row "$exported_pg_cpu" "$ROWS")"
printf '%-44s %14s %9sx %22s %22s\n' "ferry capture --snapshot incremental" "$incremental_rate" \
  "$(ratio "$incremental_rate" "$exported_rate")" "$(per_row "$incremental_cpu" "$ROWS")" "$(per_row "$incremental_pg_cpu" "$ROWS")"
python3 - "$work/latencies" "$load_start_ms" "$load_end_ms" <<'PY'
import sys
start, end = int(sys.argv[2]), int(sys.argv[3])
values = sorted(float(latency) for committed, latency in (line.split() for line in open(sys.argv[1]) if line.strip())
                if start <= int(committed) <= end)
if not values: sys.exit("no change committed during the load was measured")
pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
print(f"pgbench 1,000 inserts/s while an incremental load of the table ran ({(end - start) / 1000:.1f} s):")
print(f"  {len(values)} changes committed during the load, commit -> durable in Kafka (read by a consumer): "
      f"p50 {pick(0.5):.0f} ms, p90 {pick(0.9):.0f} ms, p99 {pick(0.99):.0f} ms, max {values[-1]:.0f} ms")
PY

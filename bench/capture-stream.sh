#!/usr/bin/env bash
# Streaming benchmark: `ferry capture` (release build) turning CHANGES row changes, committed in transactions of
# TX_ROWS rows, into Kafka records, next to pg_recvlogical (pgoutput) reading the same WAL into /dev/null, in the
# same run. Ferry's time runs from process start until the slot is acknowledged past the last commit (every record
# durable in Kafka). Also prints ferry's peak RSS.
#
#   bench/capture-stream.sh [changes] [rows per transaction]     (defaults 1000000 and 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
CHANGES=${1:-1000000}
TX_ROWS=${2:-1000}

source bench/lib.sh
bench_stack
FERRY=$(bench_build ferry)
PG_BIN=$FERRY_TEST_PG_BIN

run=stream_$RANDOM$RANDOM
work=$(mktemp -d)
admin_url=$FERRY_TEST_PG_URL
db_url=${FERRY_TEST_PG_URL%/*}/$run
port=$(free_port)
cleanup() {
  [ -n "${capture_pid:-}" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
  bench_drop_database
  bench_cleanup
}
trap cleanup EXIT
capture() {
  "$FERRY" capture --source "$db_url" --brokers "$FERRY_TEST_BROKERS" --prefix "$run" --tables public.events \
    --snapshot never --http "127.0.0.1:$port" >> "$work/capture.log" 2>&1 &
  capture_pid=$!
}
# curl, grep and shell arithmetic, not python: a Python start every poll took CPU from the process being measured.
acknowledged() {
  local lsn
  lsn=$(curl -s "http://127.0.0.1:$port/status" | grep -oE '"acknowledged_lsn":"[0-9A-Fa-f]+/[0-9A-Fa-f]+"' | cut -d'"' -f4)
  echo "${lsn:-0/0}"
}
lsn_value() { echo $(( (16#${1%/*} << 32) + 16#${1#*/} )); }
lsn_ge() { [ "$(lsn_value "$1")" -ge "$(lsn_value "$2")" ]; }

psql -q "$admin_url" -c "CREATE DATABASE $run"
psql -q "$db_url" -c "CREATE TABLE events (id bigint PRIMARY KEY, account int NOT NULL, amount numeric(12,2), note text)"
# Both slots exist before the changes: ferry's (created by a first, stopped run) and pg_recvlogical's.
capture
until [ "$(acknowledged)" != "0/0" ]; do kill -0 "$capture_pid" || { cat "$work/capture.log"; exit 1; }; sleep 0.1; done
kill -TERM "$capture_pid"; wait "$capture_pid" || true; capture_pid=
"$PG_BIN/pg_recvlogical" -d "$db_url" --slot "ref_$run" --create-slot -P pgoutput

psql -q "$db_url" <<SQL
DO \$\$ BEGIN
  FOR t IN 0..($CHANGES / $TX_ROWS - 1) LOOP
    INSERT INTO events SELECT g, g % 1000, g / 100.0, 'event ' || g FROM generate_series(t * $TX_ROWS + 1, (t + 1) * $TX_ROWS) g;
    COMMIT;
  END LOOP;
END \$\$;
SQL
end_lsn=$(psql -Atq "$db_url" -c "SELECT pg_current_wal_lsn()")

# Reference: pg_recvlogical decoding the same WAL with pgoutput into /dev/null.
start=$(now)
"$PG_BIN/pg_recvlogical" -d "$db_url" --slot "ref_$run" --start -o proto_version=1 -o "publication_names=ferry_$run" \
  --endpos "$end_lsn" -f /dev/null --no-loop
end=$(now)
recv_rate=$(rate "$CHANGES" "$start" "$end")

# Ferry: from start until the slot is acknowledged past the last commit.
start=$(now)
capture
until lsn_ge "$(acknowledged)" "$end_lsn"; do kill -0 "$capture_pid" || { cat "$work/capture.log"; exit 1; }; sleep 0.05; done
end=$(now)
ferry_rate=$(rate "$CHANGES" "$start" "$end")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$capture_pid/status")

printf '\nStreaming %d changes in transactions of %d rows, 2 cores, stack on loopback\n' "$CHANGES" "$TX_ROWS"
printf '%-52s %12s %10s\n' "" "changes/s" "ferry is"
printf '%-52s %12s %10s\n' "ferry capture (WAL -> Kafka, durable + acknowledged)" "$ferry_rate" ""
printf '%-52s %12s %9sx\n' "pg_recvlogical pgoutput -> /dev/null" "$recv_rate" "$(ratio "$ferry_rate" "$recv_rate")"
printf 'ferry peak RSS: %d MB\n' "$((rss_kb / 1024))"

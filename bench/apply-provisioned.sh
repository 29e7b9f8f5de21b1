#!/usr/bin/env bash
# Provisioned-throughput benchmark. `ferry apply` (release build) applies change records (~300-byte rows, 1 write
# capacity unit each) to a table provisioned with N write capacity units per second — scripts/fault-proxy.py
# --capacity N in front of moto, which counts units as DynamoDB does and throttles above them — once with
# `--write-capacity adaptive` (apply finds the rate from the throttling answers) and once with `--max-write-capacity N`.
# Prints, for the time after the first SETTLE seconds of writing (the last, partial second left out): the units per
# second the table admitted, the reference N, their ratio and the share of requests throttled. The goal: ≥ 0.9 × N
# with ≤ 5% of requests throttled.
#
#   bench/apply-provisioned.sh [N] [records] [settle seconds]   (defaults 100 6000 20; moto takes ~200 writes/s)
set -euo pipefail
cd "$(dirname "$0")/.."
CAPACITY=${1:-100}
RECORDS=${2:-6000}
SETTLE=${3:-20}

source bench/lib.sh
bench_stack
FERRY=$(bench_build ferry)

run=provbench_$RANDOM$RANDOM
work=$(mktemp -d)
http_port=$(free_port)
cleanup() {
  [ -n "${apply_pid:-}" ] && kill "$apply_pid" 2>/dev/null && wait "$apply_pid" 2>/dev/null
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null
  for table in "$run"_adaptive "$run"_fixed; do
    python3 -c 'import sys, boto3; boto3.client("dynamodb", endpoint_url=sys.argv[1]).delete_table(TableName=sys.argv[2])' \
      "$AWS_ENDPOINT_URL_DYNAMODB" "$table" >/dev/null 2>&1 || true
  done
  bench_cleanup
}
trap cleanup EXIT

python3 scripts/fault-proxy.py --upstream "$AWS_ENDPOINT_URL_DYNAMODB" --capacity "$CAPACITY" > "$work/proxy.log" 2>&1 &
proxy_pid=$!
until grep -qs "listening on" "$work/proxy.log"; do kill -0 "$proxy_pid"; sleep 0.1; done
proxy_port=$(grep -oE '[0-9]+$' "$work/proxy.log" | head -1)


# provisioned LIMIT...: applies the records to table "$run_<name>" with the given limit options until all are in;
# prints "units/s throttled-share" for the settled seconds, from the proxy's per-second counts.
provisioned() {
  local name=$1; shift
  local table="${run}_$name"
  bench_mappings "$work/mappings-$name.json" "$table"
  AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$proxy_port" "$FERRY" apply --brokers "$FERRY_TEST_BROKERS" --prefix "$run" \
    --group "$run.$name" --table-mappings "$work/mappings-$name.json" --http "127.0.0.1:$http_port" --concurrency 16 \
    --target-table-prep CREATE_IF_MISSING "$@" > "$work/apply-$name.log" 2>&1 &
  apply_pid=$!
  until [ "$(bench_applied "$http_port")" -ge "$RECORDS" ]; do kill -0 "$apply_pid" || { tail -20 "$work/apply-$name.log" >&2; exit 1; }; sleep 0.5; done
  kill -TERM "$apply_pid"; wait "$apply_pid" || true; apply_pid=
  # The adaptive rate's cuts (one log line each, with the rate cut to), on stderr.
  grep 'write rate lowered' "$work/apply-$name.log" | grep -oE 'write_capacity_per_second=[0-9]+' | cut -d= -f2 |
    tr '\n' ' ' | sed 's/^/  '"$name"': rate cut to (WCU\/s): /' >&2 || true
  echo >&2
  curl -s "http://127.0.0.1:$proxy_port/__faults" | python3 -c '
import json, sys
table, settle = sys.argv[1], int(sys.argv[2])
seconds = json.load(sys.stdin)["tables"][table]["seconds"]
first = next(second for second, units, requests, throttled in seconds if units > 0)
window = [row for row in seconds if first + settle <= row[0] < seconds[-1][0]]
if not window:
    sys.exit(f"the run lasted {seconds[-1][0] - first} s: nothing after {settle} s to measure; give more records")
span = window[-1][0] - window[0][0] + 1
units = sum(row[1] for row in window)
requests = sum(row[2] for row in window)
throttled = sum(row[3] for row in window)
print(f"{units / span:.1f} {throttled / max(requests, 1):.4f} {span}")' "$table" "$SETTLE"
}

bench_produce "$run" "$RECORDS"
read -r adaptive_rate adaptive_throttled adaptive_span <<<"$(provisioned adaptive --write-capacity adaptive)"
read -r fixed_rate fixed_throttled fixed_span <<<"$(provisioned fixed --max-write-capacity "$CAPACITY")"

printf '\nApply into a table provisioned with %s WCU/s (fault-proxy.py --capacity in front of moto), %d records of ~300 bytes,\n' "$CAPACITY" "$RECORDS"
printf 'measured after the first %d s of writing\n' "$SETTLE"
printf '%-40s %10s %10s %8s %10s %8s\n' "" "WCU/s" "reference" "ratio" "throttled" "seconds"
printf '%-40s %10s %10s %8s %9.1f%% %8s\n' "ferry apply --write-capacity adaptive" "$adaptive_rate" "$CAPACITY" \
  "$(ratio "$adaptive_rate" "$CAPACITY")" "$(python3 -c "print($adaptive_throttled * 100)")" "$adaptive_span"
printf '%-40s %10s %10s %8s %9.1f%% %8s\n' "ferry apply --max-write-capacity $CAPACITY" "$fixed_rate" "$CAPACITY" \
  "$(ratio "$fixed_rate" "$CAPACITY")" "$(python3 -c "print($fixed_throttled * 100)")" "$fixed_span"

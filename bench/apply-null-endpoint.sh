#!/usr/bin/env bash
# Apply benchmark. `ferry apply` (release build) applies change records (~300-byte rows) from a topic in both write
# modes — version-conditioned PutItem and bulk BatchWriteItem — next to boto3 with 8 threads writing the same items
# the same way, in the same run:
#   - against a null DynamoDB endpoint (nginx answering every call with a fixed success body), so the figures
#     measure the client, not the server: items/s, client CPU seconds per 100k items, peak RSS;
#   - against moto (the local stack's DynamoDB), a correctness target that is itself the bottleneck.
#
#   bench/apply-null-endpoint.sh [records] [boto3 conditional items] [moto records]   (defaults 200000 20000 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-200000}
BOTO_ITEMS=${2:-20000}
MOTO_RECORDS=${3:-3000}

source bench/lib.sh
bench_stack
FERRY=$(bench_build ferry)

run=applybench_$RANDOM$RANDOM
work=$(mktemp -d)
null_port=$(free_port)
http_port=$(free_port)
cleanup() {
  [ -n "${apply_pid:-}" ] && kill "$apply_pid" 2>/dev/null && wait "$apply_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  python3 "$work/boto.py" drop "$AWS_ENDPOINT_URL_DYNAMODB" "$run" >/dev/null 2>&1 || true
  bench_cleanup
}
trap cleanup EXIT

# The null endpoint: DescribeTable gets a table description, every other call an empty success.
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_buffer_size 1m;
  map \$http_x_amz_target \$reply {
    DynamoDB_20120810.DescribeTable '{"Table":{"TableName":"$run","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}]}}';
    default '{"UnprocessedItems":{}}';
  }
  server {
    listen 127.0.0.1:$null_port;
    keepalive_requests 1000000;
    location / { default_type application/x-amz-json-1.0; return 200 \$reply; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" -e "$work/logs/error.log"

# Both prefixes' table topics map to the DynamoDB table named like the run.
bench_mappings "$work/mappings.json" "$run"

# ferry apply MODE ENDPOINT PREFIX COUNT: prints "items/s CPU-s-per-100k peak-RSS-MB". Rate and CPU are measured
# from the first applied item (joining the consumer group takes seconds and is not throughput) until COUNT items are
# applied (or found applied).
ferry_apply() {
  local mode=$1 endpoint=$2 prefix=$3 count=$4
  AWS_ENDPOINT_URL_DYNAMODB="$endpoint" "$FERRY" apply --brokers "$FERRY_TEST_BROKERS" --prefix "$prefix" \
    --group "$prefix.$mode.$RANDOM" --table-mappings "$work/mappings.json" --http "127.0.0.1:$http_port" --concurrency 32 \
    --write-mode "$mode" > "$work/apply-$mode.log" 2>&1 &
  apply_pid=$!
  local first=0 start start_cpu end end_cpu
  until [ "$first" -gt 0 ]; do kill -0 "$apply_pid" || { tail -20 "$work/apply-$mode.log" >&2; exit 1; }; sleep 0.02; first=$(bench_applied "$http_port"); done
  start=$(date +%s.%N); start_cpu=$(cpu_seconds "$apply_pid")
  until [ "$(bench_applied "$http_port")" -ge "$count" ]; do kill -0 "$apply_pid" || { tail -20 "$work/apply-$mode.log" >&2; exit 1; }; sleep 0.1; done
  end=$(date +%s.%N); end_cpu=$(cpu_seconds "$apply_pid")
  local rss
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$apply_pid/status")
  kill -TERM "$apply_pid"; wait "$apply_pid" || true; apply_pid=
  # A run so short that the first look already found everything applied has no rate to give.
  python3 -c "n = $count - $first; print(f'{n / ($end - $start):.0f} {($end_cpu - $start_cpu) * 100000 / n:.2f} $rss' if n > 0 else 'n/a n/a $rss')"
}

# boto3, 8 threads, the same items: `boto.py conditional|batch ENDPOINT TABLE COUNT` prints "items/s CPU-s-per-100k".
cat > "$work/boto.py" <<'PY'
import resource, sys, time, threading, boto3
from botocore.config import Config
action, endpoint, table = sys.argv[1], sys.argv[2], sys.argv[3]
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                      aws_secret_access_key="testing", config=Config(max_pool_connections=16, retries={"max_attempts": 10}))
if action == "create":
    client.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}], BillingMode="PAY_PER_REQUEST")
    sys.exit(0)
if action == "drop":
    client.delete_table(TableName=table)
    sys.exit(0)
count = int(sys.argv[4])
def item(i):
    return {"id": {"N": str(i)}, "account": {"N": str(i % 5000)}, "amount": {"N": f"{i % 100000}.25"},
            "created_at": {"S": "2024-01-01T10:00:00.123456Z"}, "status": {"S": "paid"}, "note": {"S": ("note %d " % i) + "x" * 180},
            "_ferry_version": {"N": str(1000000000 + i)}}
def conditional(ids):
    for i in ids:
        client.put_item(TableName=table, Item=item(i), ConditionExpression="attribute_not_exists(#v) OR #v < :v",
                        ExpressionAttributeNames={"#v": "_ferry_version"}, ExpressionAttributeValues={":v": {"N": str(1000000000 + i)}})
def batch(ids):
    ids = list(ids)
    for start in range(0, len(ids), 25):
        requests = {table: [{"PutRequest": {"Item": item(i)}} for i in ids[start:start + 25]]}
        while requests:
            requests = client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or None
worker = conditional if action == "conditional" else batch
# Batches of consecutive ids per thread, as a writer splitting a load would.
threads = [threading.Thread(target=worker, args=(range(1 + t * count // 8, 1 + (t + 1) * count // 8),)) for t in range(8)]
before = resource.getrusage(resource.RUSAGE_SELF); start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start; after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{count / elapsed:.0f} {cpu * 100000 / count:.2f}")
PY

null="http://127.0.0.1:$null_port"
bench_produce "$run" "$RECORDS"
read -r fc_rate fc_cpu fc_rss <<<"$(ferry_apply conditional "$null" "$run" "$RECORDS")"
read -r fb_rate fb_cpu fb_rss <<<"$(ferry_apply bulk "$null" "$run" "$RECORDS")"
read -r bc_rate bc_cpu <<<"$(python3 "$work/boto.py" conditional "$null" "$run" "$BOTO_ITEMS")"
read -r bb_rate bb_cpu <<<"$(python3 "$work/boto.py" batch "$null" "$run" "$RECORDS")"

# moto: a real table; each run writes a fresh set of ids (the conditional run would otherwise find them applied).
moto=$AWS_ENDPOINT_URL_DYNAMODB
python3 "$work/boto.py" create "$moto" "$run"
bench_produce "$run.moto" "$MOTO_RECORDS"
read -r mc_rate mc_cpu _ <<<"$(ferry_apply conditional "$moto" "$run.moto" "$MOTO_RECORDS")"
python3 "$work/boto.py" drop "$moto" "$run"; python3 "$work/boto.py" create "$moto" "$run"
read -r mb_rate mb_cpu _ <<<"$(ferry_apply bulk "$moto" "$run.moto" "$MOTO_RECORDS")"
python3 "$work/boto.py" drop "$moto" "$run"; python3 "$work/boto.py" create "$moto" "$run"
read -r mbc_rate mbc_cpu <<<"$(python3 "$work/boto.py" conditional "$moto" "$run" "$MOTO_RECORDS")"
python3 "$work/boto.py" drop "$moto" "$run"; python3 "$work/boto.py" create "$moto" "$run"
read -r mbb_rate mbb_cpu <<<"$(python3 "$work/boto.py" batch "$moto" "$run" "$MOTO_RECORDS")"

printf '\nApply, 2 cores, ~300-byte rows; ferry: %d records from Kafka, --concurrency 32; boto3: 8 threads\n' "$RECORDS"
printf '%-46s %10s %16s %9s\n' "null endpoint (nginx)" "items/s" "CPU s/100k items" "peak RSS"
printf '%-46s %10s %16s %8sM\n' "ferry apply, conditional PutItem" "$fc_rate" "$fc_cpu" "$fc_rss"
printf '%-46s %10s %16s\n' "boto3 conditional PutItem ($BOTO_ITEMS items)" "$bc_rate" "$bc_cpu"
printf '%-46s %10s %16s\n' "  ferry/boto3" "$(ratio "$fc_rate" "$bc_rate")x" "$(ratio "$fc_cpu" "$bc_cpu")x"
printf '%-46s %10s %16s %8sM\n' "ferry apply --write-mode bulk (BatchWriteItem)" "$fb_rate" "$fb_cpu" "$fb_rss"
printf '%-46s %10s %16s\n' "boto3 BatchWriteItem ($RECORDS items)" "$bb_rate" "$bb_cpu"
printf '%-46s %10s %16s\n' "  ferry/boto3" "$(ratio "$fb_rate" "$bb_rate")x" "$(ratio "$fb_cpu" "$bb_cpu")x"
printf '%-46s %10s %16s\n' "moto ($MOTO_RECORDS items; moto is the bottleneck)" "items/s" "CPU s/100k items"
printf '%-46s %10s %16s\n' "ferry apply, conditional PutItem" "$mc_rate" "$mc_cpu"
printf '%-46s %10s %16s\n' "boto3 conditional PutItem" "$mbc_rate" "$mbc_cpu"
printf '%-46s %10s %16s\n' "ferry apply --write-mode bulk" "$mb_rate" "$mb_cpu"
printf '%-46s %10s %16s\n' "boto3 BatchWriteItem" "$mbb_rate" "$mbb_cpu"

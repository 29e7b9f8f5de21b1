#!/usr/bin/env bash
# Apply benchmark against a null DynamoDB endpoint (nginx answering every call with a fixed success body), so the
# figures measure the client, not the server: `ferry apply` (release build) applying RECORDS change records (~300-byte
# rows) from a topic with version-conditioned PutItem, next to boto3 with 8 threads writing the same kind of items
# with conditional PutItem, in the same run. Prints items/s, client CPU seconds per 100k items, peak RSS.
#
#   bench/apply-null-endpoint.sh [records] [boto3 items]      (defaults 200000 and 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-200000}
BOTO_ITEMS=${2:-20000}

scripts/bootstrap.sh >/dev/null
export FERRY_STACK_DIR=${FERRY_STACK_DIR:-/tmp/ferry-stack-$(id -un)}
stop_stack=
if ! grep -q "kafka: up" <<<"$(scripts/stack.sh status)"; then scripts/stack.sh start; stop_stack=1; fi
source "$FERRY_STACK_DIR/env"
swift build -c release --product ferry >/dev/null
FERRY=$(swift build -c release --show-bin-path)/ferry

run=applybench_$RANDOM$RANDOM
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
null_port=$(free_port)
http_port=$(free_port)
cleanup() {
  [ -n "${apply_pid:-}" ] && kill "$apply_pid" 2>/dev/null && wait "$apply_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
  if [ -n "$stop_stack" ]; then scripts/stack.sh stop; fi
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
    DynamoDB_20120810.DescribeTable '{"Table":{"TableName":"bench","TableStatus":"ACTIVE","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}]}}';
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

cat > "$work/mappings.json" <<'JSON'
{"rules": [
  {"rule-type": "selection", "rule-id": "1", "rule-name": "bench", "object-locator": {"schema-name": "public", "table-name": "bench"}, "rule-action": "include"},
  {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "bench", "rule-target": "table", "object-locator": {"schema-name": "public", "table-name": "bench"},
   "target-table-name": "bench", "mapping-parameters": {"partition-key-name": "id"}}
]}
JSON

# RECORDS change records (~300-byte rows) on the topic, written by confluent-kafka.
python3 - "$FERRY_TEST_BROKERS" "$run" "$RECORDS" <<'PY'
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

applied() { curl -s "http://127.0.0.1:$http_port/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(t.get("inserts",0)+t.get("noops",0) for t in d["tables"].values()))' 2>/dev/null || echo 0; }
start=$(date +%s.%N)
AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$null_port" "$FERRY" apply --brokers "$FERRY_TEST_BROKERS" --prefix "$run" \
  --group "$run" --table-mappings "$work/mappings.json" --http "127.0.0.1:$http_port" --concurrency 32 > "$work/apply.log" 2>&1 &
apply_pid=$!
until [ "$(applied)" -ge "$RECORDS" ]; do kill -0 "$apply_pid" || { tail -20 "$work/apply.log"; exit 1; }; sleep 0.1; done
end=$(date +%s.%N)
ferry_cpu=$(awk '{print ($14 + $15) / 100}' "/proc/$apply_pid/stat")
ferry_rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$apply_pid/status")
ferry_rate=$(python3 -c "print(f'{$RECORDS / ($end - $start):.0f}')")
ferry_cpu_100k=$(python3 -c "print(f'{$ferry_cpu * 100000 / $RECORDS:.2f}')")

# boto3, 8 threads, conditional PutItem of the same kind of items (fewer of them: it is slow).
read -r boto_rate boto_cpu_100k <<<"$(python3 - "http://127.0.0.1:$null_port" "$BOTO_ITEMS" <<'PY'
import resource, sys, time, threading, boto3
from botocore.config import Config
endpoint, count = sys.argv[1], int(sys.argv[2])
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
                      config=Config(max_pool_connections=16, retries={"max_attempts": 3}))
def item(i):
    return {"id": {"N": str(i)}, "account": {"N": str(i % 5000)}, "amount": {"N": f"{i % 100000}.25"},
            "created_at": {"S": "2024-01-01T10:00:00.123456Z"}, "status": {"S": "paid"}, "note": {"S": ("note %d " % i) + "x" * 180},
            "_ferry_version": {"N": str(1000000000 + i)}}
def worker(ids):
    for i in ids:
        client.put_item(TableName="bench", Item=item(i), ConditionExpression="attribute_not_exists(#v) OR #v < :v",
                        ExpressionAttributeNames={"#v": "_ferry_version"}, ExpressionAttributeValues={":v": {"N": str(1000000000 + i)}})
threads = [threading.Thread(target=worker, args=(range(t + 1, count + 1, 8),)) for t in range(8)]
before = resource.getrusage(resource.RUSAGE_SELF); start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start; after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{count / elapsed:.0f} {cpu * 100000 / count:.2f}")
PY
)"

printf '\nApply to a null DynamoDB endpoint (nginx), conditional PutItem, 2 cores\n'
printf '%-44s %10s %16s %10s\n' "" "items/s" "CPU s/100k items" "peak RSS"
printf '%-44s %10s %16s %9sM\n' "ferry apply ($RECORDS records from Kafka)" "$ferry_rate" "$ferry_cpu_100k" "$ferry_rss"
printf '%-44s %10s %16s %10s\n' "boto3, 8 threads ($BOTO_ITEMS items)" "$boto_rate" "$boto_cpu_100k" ""
printf 'ferry/boto3: %sx items/s, %sx CPU per item\n' "$(python3 -c "print(f'{$ferry_rate/$boto_rate:.1f}')")" \
  "$(python3 -c "print(f'{$ferry_cpu_100k/$boto_cpu_100k:.2f}')")"

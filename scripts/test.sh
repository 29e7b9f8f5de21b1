#!/usr/bin/env bash
# The test command: installs what is missing, starts the local stack, runs every test (unit + integration),
# stops the stack — whatever happens — and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
export FERRY_STACK_DIR=${FERRY_STACK_DIR:-$(mktemp -d /tmp/ferry-test-stack.XXXXXX)}
# Ports of our own, picked free as each service starts (and picked again if another socket takes one first), so
# neither a demo stack on the default ports nor a client socket that happens to hold a port gets in the way.
export FERRY_PG_PORT=${FERRY_PG_PORT:-auto} FERRY_KAFKA_PORT=${FERRY_KAFKA_PORT:-auto} \
  FERRY_DYNAMODB_PORT=${FERRY_DYNAMODB_PORT:-auto}
chmod 755 "$FERRY_STACK_DIR"
# A test process that dies (a crash) takes no ChildProcess deinit with it: its `ferry` children would go on retrying
# against a stopped stack, so they go too.
trap 'pkill -KILL -f "^$PWD/\.build/[^ ]*/ferry " || true; scripts/stack.sh stop || true' EXIT
scripts/stack.sh start
# shellcheck disable=SC1091
source "$FERRY_STACK_DIR/env"

set +e
swift build --build-tests > "$FERRY_STACK_DIR/build.log" 2>&1
build_status=$?
grep -E "(error|warning):" "$FERRY_STACK_DIR/build.log" | grep -v "^\[" | sort -u
if [ "$build_status" -ne 0 ]; then tail -n 40 "$FERRY_STACK_DIR/build.log"; echo "test.sh: build failed"; exit "$build_status"; fi
# At most 16 tests at once: started all together, the integration tests' processes, databases and captures
# starved each other on 2 cores (in-process captures took over 30 s to export a snapshot); 16 finishes in the
# same ~110 s as unbounded.
swift test --skip-build --experimental-maximum-parallelization-width "${FERRY_TEST_PARALLELISM:-16}" 2>&1 \
  | tee "$FERRY_STACK_DIR/test.log"
status=${PIPESTATUS[0]}
echo "test.sh: swift test exited $status (logs and stack state in $FERRY_STACK_DIR)"
exit "$status"

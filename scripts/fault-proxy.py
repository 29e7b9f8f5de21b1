#!/usr/bin/env python3
"""A fault-injecting HTTP proxy in front of a DynamoDB endpoint, for tests of `ferry apply`'s retries.

Write calls (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) go through a fixed cycle of
outcomes: forwarded, throttled (400 ProvisionedThroughputExceededException), 500, connection dropped before
forwarding, slow (delayed, then forwarded), connection dropped after forwarding (the write happened, the answer
is lost), and — for BatchWriteItem — half the items forwarded and the rest returned as UnprocessedItems.
Other calls are forwarded untouched. STS calls (form-encoded Query-protocol POSTs, for AWS_ENDPOINT_URL_STS) are
forwarded too, except that the first --sts-faults of them alternately have their connection dropped and get a 503,
and with --sts-deny every one gets a 403 AccessDenied. GET /__faults answers with the count of each outcome so far,
as JSON.

With --outage the proxy starts in an outage instead — every DynamoDB call answers 503 ServiceUnavailable until
GET /__outage/end — and with --deny OPERATION (repeatable) every call of that operation answers 400
AccessDeniedException; with --expire-first-token the first session token (X-Amz-Security-Token) a DynamoDB call
carries is expired from then on — every call signed with it answers 400 ExpiredTokenException, calls with other
credentials are forwarded. With any of these, nothing else is injected: the other calls are forwarded untouched.

With --capacity N the proxy is a provisioned table instead: each table admits N write capacity units per second
(holding at most one second's worth), counted as DynamoDB counts them — 1 unit per started KB of the larger of the
stored and the written item (a delete: the stored item), 2 per KB in a transaction, each BatchWriteItem item on its
own, a failed condition as much as the write; the proxy remembers the size of every item written through it.
Above that rate it answers 400 ProvisionedThroughputExceededException (a BatchWriteItem: the items over it come back
as UnprocessedItems, all of them as that error). GET /__faults then answers, per table, the units admitted, the
requests, the requests throttled (wholly or partly), and the same per second since the proxy started.

    fault-proxy.py --upstream http://127.0.0.1:58000 [--port PORT] [--slow-seconds 0.5] [--capacity N]
                   [--sts-faults N] [--sts-deny] [--outage] [--deny OPERATION ...] [--expire-first-token]

It prints "listening on 127.0.0.1:PORT" once it accepts connections (port 0, the default, picks a free one).
"""
import argparse
import base64
import http.client
import http.server
import json
import math
import socket
import threading
import time
import urllib.parse

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
CYCLE = ["forward", "throttle", "forward", "server_error", "forward", "drop_before", "forward", "slow",
         "forward", "drop_after", "forward", "unprocessed"]
AMZ_JSON = "application/x-amz-json-1.0"


class Faults:
    def __init__(self, sts_faults=0, sts_deny=False, outage=False, denied=(), expire_first_token=False):
        self.lock = threading.Lock()
        self.outage = outage
        self.denied = set(denied)
        self.expire_first_token = expire_first_token
        self.expired_token = None
        # An outage, a denial or an expired token is the test's only fault: the write cycle stays off.
        self.cycle = not outage and not denied and not expire_first_token
        self.calls = 0
        self.counts = {}
        self.sts_calls = 0
        self.sts_faults = sts_faults
        self.sts_deny = sts_deny

    def next_sts_outcome(self):
        with self.lock:
            if self.sts_deny:
                outcome = "sts_denied"
            elif self.sts_calls < self.sts_faults:
                outcome = "sts_drop" if self.sts_calls % 2 == 0 else "sts_unavailable"
            else:
                outcome = "sts_forward"
            self.sts_calls += 1
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            return outcome

    def is_expired(self, token):
        """With --expire-first-token: whether `token` is the first session token seen (counted when it is)."""
        with self.lock:
            if not self.expire_first_token or token is None:
                return False
            if self.expired_token is None:
                self.expired_token = token
            if token != self.expired_token:
                return False
            self.counts["expired_token"] = self.counts.get("expired_token", 0) + 1
            return True

    def next_outcome(self, operation):
        with self.lock:
            if self.outage or operation in self.denied or not self.cycle:
                outcome = "outage" if self.outage else "denied" if operation in self.denied else "forward"
                self.counts[outcome] = self.counts.get(outcome, 0) + 1
                return outcome
            outcome = CYCLE[self.calls % len(CYCLE)]
            self.calls += 1
            if outcome == "unprocessed" and operation != "BatchWriteItem":
                outcome = "throttle"
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            return outcome

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


def value_size(value):
    """DynamoDB's size of an attribute value ("Item sizes and formats" in the Developer Guide)."""
    (kind, content), = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return number_size(content)
    if kind == "B":
        return len(base64.b64decode(content))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_size(element) for name, element in content.items())
    if kind == "L":
        return 3 + sum(1 + value_size(element) for element in content)
    if kind == "SS":
        return sum(len(element.encode()) for element in content)
    if kind == "NS":
        return sum(number_size(element) for element in content)
    return sum(len(base64.b64decode(element)) for element in content)  # BS


def number_size(text):
    mantissa = text.lower().lstrip("+-").split("e")[0].replace(".", "")
    digits = len(mantissa.strip("0")) or 1
    return (digits + 1) // 2 + 1


def item_size(item):
    return sum(len(name.encode()) + value_size(value) for name, value in (item or {}).items())


def units(size):
    return max(1, math.ceil(size / 1024))


class Capacity:
    """Per-table token buckets of write capacity units, and the stored size of every item written through."""

    def __init__(self, units_per_second):
        self.rate = units_per_second
        self.lock = threading.Lock()
        self.buckets = {}
        self.keys = {}
        self.sizes = {}
        self.stats = {}
        self.start = time.monotonic()

    def key_of(self, table, item, describe):
        with self.lock:
            names = self.keys.get(table)
        if names is None:
            names = describe(table)
            with self.lock:
                self.keys[table] = names
        return json.dumps([item.get(name) for name in names], sort_keys=True)

    def cost(self, table, write, describe):
        """(units, key, size after) of one write: ("put", item) / ("update", key, values) / ("delete", key).
        `describe` gives a table's key attribute names."""
        kind = write[0]
        key = self.key_of(table, write[1], describe)
        with self.lock:
            stored = self.sizes.get((table, key), 0)
        if kind == "put":
            after = item_size(write[1])
        elif kind == "update":
            after = max(stored, item_size(write[1]) + item_size(write[2]))
        else:
            after = None
        return units(max(stored, after or 0)), key, after

    def take(self, table, amount):
        with self.lock:
            now = time.monotonic()
            balance, last = self.buckets.get(table, (self.rate, now))
            balance = min(self.rate, balance + (now - last) * self.rate)
            admitted = amount <= balance
            self.buckets[table] = (balance - amount if admitted else balance, now)
            return admitted

    def count(self, table, admitted_units, throttled):
        with self.lock:
            total = self.stats.setdefault(table, {"units": 0, "requests": 0, "throttled": 0, "seconds": {}})
            row = total["seconds"].setdefault(int(time.monotonic() - self.start), [0, 0, 0])
            total["units"] += admitted_units
            total["requests"] += 1
            total["throttled"] += int(throttled)
            row[0] += admitted_units
            row[1] += 1
            row[2] += int(throttled)

    def stored(self, table, key, size):
        with self.lock:
            if size is None:
                self.sizes.pop((table, key), None)
            else:
                self.sizes[(table, key)] = size

    def snapshot(self):
        with self.lock:
            return {"capacity": self.rate, "tables": {
                table: {"units": total["units"], "requests": total["requests"], "throttled": total["throttled"],
                        "seconds": [[second] + values for second, values in sorted(total["seconds"].items())]}
                for table, total in self.stats.items()}}


def single_write(operation, request):
    if operation == "PutItem":
        return ("put", request["Item"])
    if operation == "UpdateItem":
        return ("update", request["Key"], request.get("ExpressionAttributeValues", {}))
    return ("delete", request["Key"])


def transaction_write(action):
    (kind, request), = action.items()
    if kind == "Put":
        return request["TableName"], ("put", request["Item"])
    if kind == "Update":
        return request["TableName"], ("update", request["Key"], request.get("ExpressionAttributeValues", {}))
    return request["TableName"], ("delete" if kind == "Delete" else "check", request["Key"])


def make_handler(upstream, slow_seconds, faults, capacity=None):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/__outage/end":
                with faults.lock:
                    faults.outage = False
            snapshot = capacity.snapshot() if capacity else faults.snapshot()
            self.reply(200, json.dumps(snapshot).encode(), "application/json")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                return self.sts(body)
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            if capacity:
                if operation not in WRITES:
                    return self.relay(*self.forward(body))
                return self.provisioned(operation, json.loads(body))
            if faults.is_expired(self.headers.get("X-Amz-Security-Token")):
                return self.error(400, "ExpiredTokenException", "The security token included in the request is expired")
            if operation not in WRITES and faults.cycle:
                return self.relay(*self.forward(body))
            outcome = faults.next_outcome(operation)
            if outcome == "outage":
                return self.error(503, "ServiceUnavailable", "injected outage")
            if outcome == "denied":
                return self.error(400, "AccessDeniedException",
                                  f"injected: not authorized to perform dynamodb:{operation}")
            if outcome == "throttle":
                return self.error(400, "ProvisionedThroughputExceededException", "injected throttling")
            if outcome == "server_error":
                return self.error(500, "InternalServerError", "injected server error")
            if outcome == "drop_before":
                return self.drop()
            if outcome == "slow":
                time.sleep(slow_seconds)
            if outcome == "unprocessed":
                return self.partially_process(body)
            status, reply, content_type = self.forward(body)
            if outcome == "drop_after":
                return self.drop()
            self.relay(status, reply, content_type)

        def sts(self, body):
            outcome = faults.next_sts_outcome()
            if outcome == "sts_drop":
                return self.drop()
            if outcome in ("sts_unavailable", "sts_denied"):
                status, code = (503, "ServiceUnavailable") if outcome == "sts_unavailable" else (403, "AccessDenied")
                document = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                            f"<Message>injected {code}</Message></Error></ErrorResponse>")
                return self.reply(status, document.encode(), "text/xml")
            self.relay(*self.forward(body))

        def partially_process(self, body):
            request = json.loads(body)
            forwarded, unprocessed = {}, {}
            for table, writes in request["RequestItems"].items():
                half = (len(writes) + 1) // 2
                forwarded[table] = writes[:half]
                if writes[half:]:
                    unprocessed[table] = writes[half:]
            request["RequestItems"] = forwarded
            status, reply, content_type = self.forward(json.dumps(request).encode())
            if status == 200:
                document = json.loads(reply)
                for table, writes in unprocessed.items():
                    document.setdefault("UnprocessedItems", {}).setdefault(table, []).extend(writes)
                reply = json.dumps(document).encode()
            self.relay(status, reply, content_type)

        def provisioned(self, operation, request):
            """Admits the write against its table's capacity, or throttles it (see --capacity)."""
            if operation == "BatchWriteItem":
                return self.provisioned_batch(request)
            if operation == "TransactWriteItems":
                writes = [transaction_write(action) for action in request["TransactItems"]]
            else:
                writes = [(request["TableName"], single_write(operation, request))]
            costs = [(table, write) + capacity.cost(table, write, self.key_names) for table, write in writes]
            factor = 2 if operation == "TransactWriteItems" else 1
            per_table = {}
            for table, _, amount, _, _ in costs:
                per_table[table] = per_table.get(table, 0) + amount * factor
            # All-or-nothing, as the tables' partitions would refuse the request as a whole.
            taken = []
            for table, amount in per_table.items():
                if not capacity.take(table, amount):
                    for back_table, back_amount in taken:
                        capacity.take(back_table, -back_amount)
                    for throttled_table in per_table:
                        capacity.count(throttled_table, 0, True)
                    return self.error(400, "ProvisionedThroughputExceededException", f"table {table} is over its capacity")
                taken.append((table, amount))
            status, reply, content_type = self.forward(json.dumps(request).encode())
            for table, amount in per_table.items():
                capacity.count(table, amount, False)
            if status == 200:
                for table, write, _, key, after in costs:
                    if write[0] != "check":
                        capacity.stored(table, key, after)
            self.relay(status, reply, content_type)

        def provisioned_batch(self, request):
            admitted, unprocessed, applied = {}, {}, []
            for table, writes in request["RequestItems"].items():
                used = 0
                for write in writes:
                    if "PutRequest" in write:
                        amount, key, after = capacity.cost(table, ("put", write["PutRequest"]["Item"]), self.key_names)
                    else:
                        amount, key, after = capacity.cost(table, ("delete", write["DeleteRequest"]["Key"]), self.key_names)
                    if capacity.take(table, amount):
                        admitted.setdefault(table, []).append(write)
                        applied.append((table, key, after))
                        used += amount
                    else:
                        unprocessed.setdefault(table, []).append(write)
                capacity.count(table, used, table in unprocessed)
            if not admitted:
                return self.error(400, "ProvisionedThroughputExceededException", "every table is over its capacity")
            status, reply, content_type = self.forward(json.dumps({"RequestItems": admitted}).encode())
            if status == 200:
                for table, key, after in applied:
                    capacity.stored(table, key, after)
                document = json.loads(reply)
                for table, writes in unprocessed.items():
                    document.setdefault("UnprocessedItems", {}).setdefault(table, []).extend(writes)
                reply = json.dumps(document).encode()
            self.relay(status, reply, content_type)

        def key_names(self, table):
            """The table's key attribute names, from DescribeTable upstream (sent with this request's headers:
            moto does not check signatures)."""
            status, reply, _ = self.forward(
                json.dumps({"TableName": table}).encode(), target="DynamoDB_20120810.DescribeTable")
            return [element["AttributeName"] for element in json.loads(reply)["Table"]["KeySchema"]]

        def forward(self, body, target=None):
            target_url = urllib.parse.urlsplit(upstream)
            connection = http.client.HTTPConnection(target_url.hostname, target_url.port, timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
                if target:
                    headers["X-Amz-Target"] = target
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read(), response.getheader("Content-Type", AMZ_JSON)
            finally:
                connection.close()

        def error(self, status, code, message):
            document = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
            self.reply(status, json.dumps(document).encode(), AMZ_JSON)

        def relay(self, status, body, content_type):
            self.reply(status, body, content_type)

        def reply(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def drop(self):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--slow-seconds", type=float, default=0.5)
    parser.add_argument("--capacity", type=float, help="write capacity units per second per table (see above)")
    parser.add_argument("--sts-faults", type=int, default=0)
    parser.add_argument("--sts-deny", action="store_true")
    parser.add_argument("--outage", action="store_true")
    parser.add_argument("--deny", action="append", default=[], metavar="OPERATION")
    parser.add_argument("--expire-first-token", action="store_true")
    arguments = parser.parse_args()
    capacity = Capacity(arguments.capacity) if arguments.capacity else None
    faults = Faults(arguments.sts_faults, arguments.sts_deny, arguments.outage, arguments.deny,
                    arguments.expire_first_token)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", arguments.port), make_handler(arguments.upstream, arguments.slow_seconds, faults, capacity))
    server.daemon_threads = True
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

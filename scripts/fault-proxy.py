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

    fault-proxy.py --upstream http://127.0.0.1:58000 [--port PORT] [--slow-seconds 0.5] [--sts-faults N] [--sts-deny]

It prints "listening on 127.0.0.1:PORT" once it accepts connections (port 0, the default, picks a free one).
"""
import argparse
import http.client
import http.server
import json
import socket
import threading
import time
import urllib.parse

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
CYCLE = ["forward", "throttle", "forward", "server_error", "forward", "drop_before", "forward", "slow",
         "forward", "drop_after", "forward", "unprocessed"]
AMZ_JSON = "application/x-amz-json-1.0"


class Faults:
    def __init__(self, sts_faults=0, sts_deny=False):
        self.lock = threading.Lock()
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

    def next_outcome(self, operation):
        with self.lock:
            outcome = CYCLE[self.calls % len(CYCLE)]
            self.calls += 1
            if outcome == "unprocessed" and operation != "BatchWriteItem":
                outcome = "throttle"
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            return outcome

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


def make_handler(upstream, slow_seconds, faults):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.reply(200, json.dumps(faults.snapshot()).encode(), "application/json")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                return self.sts(body)
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            if operation not in WRITES:
                return self.relay(*self.forward(body))
            outcome = faults.next_outcome(operation)
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

        def forward(self, body):
            target = urllib.parse.urlsplit(upstream)
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
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
    parser.add_argument("--sts-faults", type=int, default=0)
    parser.add_argument("--sts-deny", action="store_true")
    arguments = parser.parse_args()
    faults = Faults(arguments.sts_faults, arguments.sts_deny)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", arguments.port), make_handler(arguments.upstream, arguments.slow_seconds, faults))
    server.daemon_threads = True
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Shows the full load as it happens, from the /status endpoints of `ferry capture` and `ferry apply`, until
capture has loaded every table and apply has written every row (the source counts given), or the timeout.

    scripts/demo/full-load.py --capture http://127.0.0.1:58081 --apply http://127.0.0.1:58082 \
        --expect dbo.IntegrationLogs=100000 --expect dbo.Payments=20000 [--timeout 900]
"""
import argparse
import json
import sys
import time
import urllib.request


def status(base):
    """The /status document, or None while the service is not listening yet."""
    try:
        with urllib.request.urlopen(base + "/status", timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def applied(apply_status, table):
    counts = (apply_status or {}).get("tables", {}).get(table, {})
    return counts.get("inserts", 0) + counts.get("updates", 0) + counts.get("noops", 0)


def line(elapsed, capture, apply_status, expected):
    percent = (capture or {}).get("full_load_progress_percent")
    parts = [f"{elapsed:6.1f}s  capture full load {percent if percent is not None else '-':>5} %"]
    by_name = {table["table"]: table for table in (capture or {}).get("tables", [])}
    for name, rows in expected.items():
        state = by_name.get(name, {}).get("state", "-")
        parts.append(f"{name} {state} {by_name.get(name, {}).get('rows', 0)}/{rows} read, "
                     f"{applied(apply_status, name)} applied")
    return "  |  ".join(parts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--capture", required=True)
    parser.add_argument("--apply", required=True)
    parser.add_argument("--expect", action="append", default=[], metavar="schema.table=ROWS")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--every", type=float, default=2)
    args = parser.parse_args()
    expected = {name: int(rows) for name, rows in (item.split("=", 1) for item in args.expect)}

    started = time.monotonic()
    last_print = -args.every
    while True:
        elapsed = time.monotonic() - started
        capture, apply_status = status(args.capture), status(args.apply)
        loaded = capture is not None and capture.get("tables_loaded") == len(expected) \
            and capture.get("full_load_progress_percent") == 100
        done = loaded and all(applied(apply_status, name) >= rows for name, rows in expected.items())
        if done or elapsed - last_print >= args.every:
            print(line(elapsed, capture, apply_status, expected), flush=True)
            last_print = elapsed
        if done:
            print(f"full load: 100 % — {capture['tables_loaded']} tables loaded "
                  f"({', '.join(expected)}), every row applied, in {elapsed:.1f}s", flush=True)
            return 0
        for service, document in (("capture", capture), ("apply", apply_status)):
            if document and document.get("problem"):
                print(f"  {service} reports a problem: {document['problem']}", flush=True)
        if elapsed > args.timeout:
            print(f"full-load: not done after {args.timeout:.0f}s; see the capture and apply logs", file=sys.stderr)
            return 1
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())

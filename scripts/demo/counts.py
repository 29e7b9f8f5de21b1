#!/usr/bin/env python3
"""Source vs target row counts: `count(*)` in PostgreSQL beside a DynamoDB Scan with Select=COUNT (the guide's
check), per table. Exits 1 when a pair differs. (`ferry validate` will do this properly; this is a stopgap.)

    scripts/demo/counts.py --source URL --pair 'dbo."IntegrationLogs"=LoanApp-IntegrationLogs-dev' ... [--item-count]

--item-count reads DescribeTable's ItemCount instead: exact and instant on moto and DynamoDB Local, whose Scan
restarts from the table's first item on every page (100k items take minutes), but only refreshed every ~6 hours on
AWS, where Scan COUNT is the check to run.
"""
import argparse
import subprocess
import sys

from dynamodb_client import dynamodb_client


def source_count(url, table):
    output = subprocess.run(["psql", url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", f"SELECT count(*) FROM {table}"],
                            check=True, capture_output=True, text=True).stdout
    return int(output.strip())


def target_count(dynamodb, table):
    total, start = 0, None
    while True:
        page = dynamodb.scan(TableName=table, Select="COUNT", **({"ExclusiveStartKey": start} if start else {}))
        total += page["Count"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return total


def item_count(dynamodb, table):
    return dynamodb.describe_table(TableName=table)["Table"]["ItemCount"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--pair", action="append", required=True, metavar="SOURCE_TABLE=TARGET_TABLE")
    parser.add_argument("--item-count", action="store_true", help="DescribeTable ItemCount instead of Scan COUNT")
    args = parser.parse_args()
    dynamodb = dynamodb_client()
    same = True
    count_target, method = (item_count, "DescribeTable ItemCount") if args.item_count else (target_count, "Scan COUNT")
    print(f"  {'source (PostgreSQL count(*))':<32} {'rows':>8}   {'target (DynamoDB ' + method + ')':<42} {'items':>8}")
    for pair in args.pair:
        source, target = pair.split("=", 1)
        rows, items = source_count(args.source, source), count_target(dynamodb, target)
        same &= rows == items
        print(f"  {source:<32} {rows:>8}   {target:<42} {items:>8}   {'same' if rows == items else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

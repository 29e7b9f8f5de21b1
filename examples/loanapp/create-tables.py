#!/usr/bin/env python3
"""Creates the LoanApp DynamoDB tables described in dynamodb-tables.json (CreateTable requests in the AWS CLI /
boto3 shape), idempotently: an existing table with the same key schema is kept, unless --recreate.

    examples/loanapp/create-tables.py [--recreate] [--wait-for-endpoint SECONDS] [--file dynamodb-tables.json]

The endpoint and credentials come the standard way (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL, AWS_REGION,
the credentials chain), so the same script serves the local stack, DynamoDB Local and real AWS.
"""
import argparse
import json
import os
import sys
import time

import boto3
import botocore.exceptions


def client():
    # boto3 reads AWS_DEFAULT_REGION but not AWS_REGION (which ferry reads), and only newer versions read
    # AWS_ENDPOINT_URL_DYNAMODB: pass both explicitly.
    return boto3.client(
        "dynamodb",
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL"))


def wait_for_endpoint(dynamodb, seconds):
    """DynamoDB Local takes a few seconds to listen after its container starts."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            dynamodb.list_tables(Limit=1)
            return
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def describe(dynamodb, name):
    try:
        return dynamodb.describe_table(TableName=name)["Table"]
    except dynamodb.exceptions.ResourceNotFoundException:
        return None


def ensure(dynamodb, spec, recreate):
    name = spec["TableName"]
    existing = describe(dynamodb, name)
    if existing is not None and not recreate:
        if existing["KeySchema"] != spec["KeySchema"]:
            sys.exit(f"create-tables: {name} exists with another key schema {existing['KeySchema']}; "
                     "use --recreate to replace it")
        print(f"create-tables: {name} exists, kept ({existing.get('ItemCount', 0)} items)")
        return
    if existing is not None:
        dynamodb.delete_table(TableName=name)
        dynamodb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    dynamodb.create_table(**spec)
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    indexes = ", ".join(index["IndexName"] for index in spec.get("GlobalSecondaryIndexes", [])) or "no GSIs"
    print(f"create-tables: {name} {'recreated' if existing else 'created'} ({indexes})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "dynamodb-tables.json"))
    parser.add_argument("--recreate", action="store_true", help="delete existing tables and create them afresh")
    parser.add_argument("--wait-for-endpoint", type=float, default=0, metavar="SECONDS",
                        help="retry until the endpoint answers, up to SECONDS")
    args = parser.parse_args()
    with open(args.file) as file:
        specs = json.load(file)
    dynamodb = client()
    wait_for_endpoint(dynamodb, args.wait_for_endpoint)
    for spec in specs:
        ensure(dynamodb, spec, args.recreate)


if __name__ == "__main__":
    main()

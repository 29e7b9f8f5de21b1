"""The boto3 DynamoDB client the demo's helpers share, configured from the environment scripts/stack.sh writes."""
import os

import boto3


def dynamodb_client():
    # boto3 reads AWS_DEFAULT_REGION, not AWS_REGION (what ferry and the stack's env file use), and only newer
    # versions read AWS_ENDPOINT_URL_DYNAMODB: pass both explicitly.
    return boto3.client(
        "dynamodb",
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL"))

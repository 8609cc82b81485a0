"""SQS: dead-letter queue depth."""

from __future__ import annotations

from .session import Aws, call


def queue_url_from_arn(aws: Aws, arn: str) -> str:
    parts = arn.split(":")
    sqs = aws.client("sqs")
    return call(f"get queue URL of {arn}", sqs.get_queue_url, QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]


def depth(aws: Aws, url: str) -> int:
    """Messages waiting in the queue (ApproximateNumberOfMessages)."""
    sqs = aws.client("sqs")
    attrs = call(f"get attributes of queue {url}", sqs.get_queue_attributes, QueueUrl=url,
                 AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs.get("Attributes", {}).get("ApproximateNumberOfMessages", 0))

"""CloudFormation: change sets, stack events, stack resources, the deployed template, template upload."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from ..errors import AwsError
from .session import Aws, call, paginate

# How CloudFormation says there is nothing to change: an empty change set fails with "The submitted information
# didn't contain changes" (the words the AWS CLI's `cloudformation deploy` looks for, in wait_for_changeset of
# https://github.com/aws/aws-cli/blob/develop/awscli/customizations/cloudformation/deployer.py); "No updates are
# to be performed" is UpdateStack's wording of the same, also accepted
NO_CHANGES_REASONS = ("didn't contain changes", "No updates are to be performed")
# A stack at rest ends in _COMPLETE or _FAILED; every other status is an operation under way
# (stack status codes: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html)
TERMINAL_SUFFIXES = ("_COMPLETE", "_FAILED")


def describe_stack(aws: Aws, name: str) -> dict[str, Any] | None:
    """The stack, or None if it does not exist."""
    cf = aws.client("cloudformation")
    try:
        return call(f"describe stack {name}", cf.describe_stacks, StackName=name)["Stacks"][0]
    except AwsError as err:
        if "ValidationError" in str(err) and "does not exist" in str(err):
            return None
        raise


def stack_resources(aws: Aws, name: str) -> dict[str, dict[str, Any]]:
    """Logical ID -> resource summary (PhysicalResourceId, ResourceType, ResourceStatus).

    Uses ListStackResources and filters locally: moto's server answers DescribeStackResources with a
    LogicalResourceId filter with a 500, and lists resources it skipped with empty fields.
    """
    cf = aws.client("cloudformation")
    try:
        summaries = paginate(f"list resources of stack {name}", cf, "list_stack_resources", "StackResourceSummaries", StackName=name)
    except AwsError as err:
        if "does not exist" in str(err):
            raise AwsError(f"stack {name} not found: deploy it first (batchjobs deploy) or pass --stack-name") from None
        raise
    return {s["LogicalResourceId"]: s for s in summaries if s.get("LogicalResourceId")}


def original_template(aws: Aws, name: str) -> str | dict[str, Any]:
    """The template the stack was last deployed from, as it was sent (TemplateStage Original): YAML text,
    or a dict (botocore decodes a JSON template)."""
    cf = aws.client("cloudformation")
    return call(f"get template of stack {name}", cf.get_template, StackName=name, TemplateStage="Original")["TemplateBody"]


def stack_events(aws: Aws, name: str, after_event_id: str | None) -> list[dict[str, Any]]:
    """Events newer than ``after_event_id`` (all if None), oldest first."""
    cf = aws.client("cloudformation")
    events: list[dict[str, Any]] = []

    def collect():
        for page in cf.get_paginator("describe_stack_events").paginate(StackName=name):
            for event in page.get("StackEvents", []):
                if after_event_id is not None and event["EventId"] == after_event_id:
                    return
                events.append(event)

    call(f"describe events of stack {name}", collect)
    return list(reversed(events))


def latest_event_id(aws: Aws, name: str) -> str | None:
    cf = aws.client("cloudformation")
    page = call(f"describe events of stack {name}", cf.describe_stack_events, StackName=name)
    events = page.get("StackEvents", [])
    return events[0]["EventId"] if events else None


def upload_template(aws: Aws, bucket: str, stack: str, body: str) -> str:
    """Put the template in S3 (key: <stack>/<sha256>.template) and return the URL CloudFormation reads."""
    s3 = aws.client("s3")
    key = f"{stack}/{hashlib.sha256(body.encode()).hexdigest()}.template"
    call(f"upload template to s3://{bucket}/{key}", s3.put_object, Bucket=bucket, Key=key, Body=body.encode())
    # The URL CloudFormation fetches is always the real S3 one (as the AWS CLI builds it), even with
    # --endpoint-url: moto's and LocalStack's CloudFormation resolve it against their own S3.
    host = "s3.amazonaws.com" if aws.region == "us-east-1" else f"s3.{aws.region}.amazonaws.com"
    return f"https://{host}/{bucket}/{key}"


def create_change_set(aws: Aws, **kwargs: Any) -> dict[str, Any] | None:
    """The new change set's Id and StackId; None when CloudFormation refuses it for having no changes
    (moto says so at creation; AWS creates the change set and fails it, see ``is_no_changes``)."""
    cf = aws.client("cloudformation")
    try:
        return call(f"create change set for stack {kwargs['StackName']}", cf.create_change_set, **kwargs)
    except AwsError as err:
        if "ValidationError" in str(err) and any(text in str(err) for text in NO_CHANGES_REASONS):
            return None
        raise


def wait_change_set(aws: Aws, stack: str, change_set_id: str, *, delay: float = 1.0, timeout: float = 600) -> dict[str, Any]:
    """Poll until the change set is CREATE_COMPLETE or FAILED; return it with every change."""
    cf = aws.client("cloudformation")
    deadline = time.monotonic() + timeout
    while True:
        described = call(f"describe change set of stack {stack}", cf.describe_change_set, ChangeSetName=change_set_id, StackName=stack)
        if described["Status"] in ("CREATE_COMPLETE", "FAILED", "DELETE_COMPLETE", "DELETE_FAILED"):
            break
        if time.monotonic() > deadline:
            raise AwsError(f"change set of stack {stack}: still {described['Status']} after {timeout:.0f}s")
        time.sleep(delay)
    if described.get("NextToken"):  # a large change set comes in pages
        described["Changes"] = paginate(f"describe change set of stack {stack}", cf, "describe_change_set", "Changes",
                                        ChangeSetName=change_set_id, StackName=stack)
    return described


def list_change_sets(aws: Aws, stack: str) -> list[dict[str, Any]]:
    """Summaries of the stack's change sets (name, id, status, execution status, description)."""
    cf = aws.client("cloudformation")
    return paginate(f"list change sets of stack {stack}", cf, "list_change_sets", "Summaries", StackName=stack)


def is_no_changes(change_set: dict[str, Any]) -> bool:
    reason = change_set.get("StatusReason") or ""
    return change_set["Status"] == "FAILED" and any(text in reason for text in NO_CHANGES_REASONS)


def execute_change_set(aws: Aws, stack: str, change_set_id: str) -> None:
    cf = aws.client("cloudformation")
    call(f"execute change set of stack {stack}", cf.execute_change_set, ChangeSetName=change_set_id, StackName=stack)


def delete_change_set(aws: Aws, stack: str, change_set_id: str) -> None:
    cf = aws.client("cloudformation")
    call(f"delete change set of stack {stack}", cf.delete_change_set, ChangeSetName=change_set_id, StackName=stack)


def is_terminal(status: str) -> bool:
    return status.endswith(TERMINAL_SUFFIXES) and not status.endswith("_IN_PROGRESS")


def is_failure(status: str) -> bool:
    return "FAILED" in status or "ROLLBACK" in status

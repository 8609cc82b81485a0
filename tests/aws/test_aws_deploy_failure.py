"""deploy on paths moto cannot show, driven by botocore's Stubber with CloudFormation's responses.

A stack that fails while it updates (events, failing resources and their reasons, exit 1): moto's
CloudFormation applies a change set synchronously and never rolls back (an error surfaces as a failed
ExecuteChangeSet call, see test_aws_deploy.py). A stack that does not settle before --timeout. And
"no changes" as AWS says it: a change set created, then FAILED with "didn't contain changes".
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import ANY, Stubber

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/demo/1"
CS_ID = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/batchjobs-1/1"
TEMPLATE = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n"


def event(n, logical, kind, status, reason=None):
    e = {"StackId": STACK_ID, "EventId": f"e{n}", "StackName": "demo", "LogicalResourceId": logical,
         "ResourceType": kind, "Timestamp": T0, "ResourceStatus": status}
    if reason:
        e["ResourceStatusReason"] = reason
    return e


def stack(status):
    return {"Stacks": [{"StackName": "demo", "StackId": STACK_ID, "CreationTime": T0, "StackStatus": status,
                        "Parameters": []}]}


@pytest.fixture
def stubbed(monkeypatch):
    from generator.aws import deployer, session

    monkeypatch.setattr(deployer, "POLL_SECONDS", 0)
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("cloudformation", region_name="us-east-1")
    stubber = Stubber(client)
    monkeypatch.setattr(session.Aws, "client", lambda self, service: client)
    with stubber:
        yield stubber
    stubber.assert_no_pending_responses()


def test_failed_update_shows_events_and_reasons_and_exits_1(stubbed, tmp_path):
    from generator.cli import IO, main

    (tmp_path / "demo.yaml").write_text(TEMPLATE)
    stubbed.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": "demo"})
    stubbed.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID},
                         {"StackName": "demo", "ChangeSetName": ANY, "ChangeSetType": "UPDATE", "Parameters": [],
                          "Capabilities": ["CAPABILITY_IAM"], "Description": ANY, "TemplateBody": TEMPLATE})
    stubbed.add_response("describe_change_set", {
        "ChangeSetId": CS_ID, "StackId": STACK_ID, "Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE",
        "Changes": [{"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Queue",
                                                             "ResourceType": "AWS::SQS::Queue", "Replacement": "True"}}]},
        {"ChangeSetName": CS_ID, "StackName": "demo"})
    stubbed.add_response("describe_stack_events", {"StackEvents": [event(0, "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")]},
                         {"StackName": "demo"})
    stubbed.add_response("execute_change_set", {}, {"ChangeSetName": CS_ID, "StackName": "demo"})
    # first poll: the update is under way
    stubbed.add_response("describe_stack_events", {"StackEvents": [
        event(2, "Queue", "AWS::SQS::Queue", "UPDATE_IN_PROGRESS"),
        event(1, "demo", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
        event(0, "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")]}, {"StackName": "demo"})
    stubbed.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"), {"StackName": "demo"})
    # second poll: the queue failed, the stack rolled back
    stubbed.add_response("describe_stack_events", {"StackEvents": [
        event(5, "demo", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE"),
        event(4, "demo", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS",
              "The following resource(s) failed to update: [Queue]."),
        event(3, "Queue", "AWS::SQS::Queue", "UPDATE_FAILED", "Resource handler returned message: \"Access denied\""),
        event(2, "Queue", "AWS::SQS::Queue", "UPDATE_IN_PROGRESS")]}, {"StackName": "demo"})
    stubbed.add_response("describe_stacks", stack("UPDATE_ROLLBACK_COMPLETE"), {"StackName": "demo"})

    out, err = io.StringIO(), io.StringIO()
    code = main(["deploy", str(tmp_path / "demo.yaml")], IO(stdout=out, stderr=err))
    lines = err.getvalue().splitlines()
    assert code == 1
    assert out.getvalue() == ""
    assert "  Modify   AWS::SQS::Queue              Queue  (replacement)" in lines
    assert any("UPDATE_FAILED" in line and "Access denied" in line for line in lines)
    assert "[0/1 resources] demo: UPDATE_IN_PROGRESS" in lines
    assert "[1/1 resources] demo: UPDATE_ROLLBACK_COMPLETE" in lines
    assert "  Queue (AWS::SQS::Queue): Resource handler returned message: \"Access denied\"" in lines
    assert lines[-1] == ('error: deploy demo: UPDATE_ROLLBACK_COMPLETE: 1 resource(s) failed; '
                         'first: Queue: Resource handler returned message: "Access denied"')


def test_a_stack_that_does_not_settle_fails_after_the_timeout(stubbed, tmp_path, monkeypatch):
    from generator.aws import deployer
    from generator.cli import IO, main

    ticks = iter(range(0, 10_000, 50))  # each look at the clock is 50 s later
    monkeypatch.setattr(deployer, "_clock", lambda: next(ticks))
    (tmp_path / "demo.yaml").write_text(TEMPLATE)
    stubbed.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": "demo"})
    stubbed.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID})
    stubbed.add_response("describe_change_set", {
        "ChangeSetId": CS_ID, "StackId": STACK_ID, "Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE",
        "Changes": [{"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Queue",
                                                             "ResourceType": "AWS::SQS::Queue"}}]})
    stubbed.add_response("describe_stack_events", {"StackEvents": [event(0, "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")]})
    stubbed.add_response("execute_change_set", {})
    for _ in range(2):  # deadline at 120 s: polls at 100 s and 150 s
        stubbed.add_response("describe_stack_events", {"StackEvents": [
            event(1, "demo", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
            event(0, "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")]})
        stubbed.add_response("describe_stacks", stack("UPDATE_IN_PROGRESS"), {"StackName": "demo"})

    out, err = io.StringIO(), io.StringIO()
    code = main(["deploy", str(tmp_path / "demo.yaml"), "--timeout", "2m"], IO(stdout=out, stderr=err))
    assert code == 1
    assert err.getvalue().splitlines()[-1] == (
        "error: deploy demo: still UPDATE_IN_PROGRESS after 2m (--timeout): CloudFormation goes on without us; "
        "follow it with `aws cloudformation describe-stack-events --stack-name demo` or in the console")


def test_no_changes_as_aws_says_it_the_failed_change_set_is_deleted_exit_0(stubbed, tmp_path):
    """AWS creates the change set and fails it ("didn't contain changes"); moto refuses it at creation."""
    from generator.cli import IO, main

    (tmp_path / "demo.yaml").write_text(TEMPLATE)
    stubbed.add_response("describe_stacks", stack("UPDATE_COMPLETE"), {"StackName": "demo"})
    stubbed.add_response("create_change_set", {"Id": CS_ID, "StackId": STACK_ID})
    stubbed.add_response("describe_change_set", {
        "ChangeSetId": CS_ID, "StackId": STACK_ID, "Status": "CREATE_PENDING", "ExecutionStatus": "UNAVAILABLE"},
        {"ChangeSetName": CS_ID, "StackName": "demo"})
    stubbed.add_response("describe_change_set", {
        "ChangeSetId": CS_ID, "StackId": STACK_ID, "Status": "FAILED", "ExecutionStatus": "UNAVAILABLE",
        "StatusReason": "The submitted information didn't contain changes. Submit different information to create a change set."},
        {"ChangeSetName": CS_ID, "StackName": "demo"})
    stubbed.add_response("delete_change_set", {}, {"ChangeSetName": CS_ID, "StackName": "demo"})

    out, err = io.StringIO(), io.StringIO()
    code = main(["deploy", str(tmp_path / "demo.yaml")], IO(stdout=out, stderr=err))
    assert (code, out.getvalue()) == (0, "demo: no changes\n"), err.getvalue()
    # the stubber's end-of-test check: every response used, so the change set was deleted (and nothing executed)

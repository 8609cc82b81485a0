"""Sample events: the AWS shapes (ECS task state change, S3 Object Created), and the patterns they are meant for."""

from __future__ import annotations

import pytest
from support import load_data

from generator.eventbridge.pattern import PatternError, matches, validate_pattern
from generator.eventbridge.samples import ecs_task_state_change, event_matching, s3_object_created, scheduled_event

# The S3 user guide's sample, verbatim (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
AWS_S3_SAMPLE = {
    "version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created",
    "source": "aws.s3", "account": "111122223333", "time": "2021-11-12T00:00:00Z", "region": "ca-central-1",
    "resources": ["arn:aws:s3:::amzn-s3-demo-bucket1"],
    "detail": {"version": "0", "bucket": {"name": "amzn-s3-demo-bucket1"},
               "object": {"key": "example-key", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184",
                          "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "sequencer": "617f08299329d189"},
               "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012", "source-ip-address": "1.2.3.4",
               "reason": "PutObject"},
}


def test_s3_sample_is_the_aws_sample():
    assert s3_object_created("amzn-s3-demo-bucket1", "example-key") == AWS_S3_SAMPLE


def test_s3_sample_fields():
    event = s3_object_created("b", "k/x.csv", 10, version_id=None, reason="CompleteMultipartUpload")
    assert event["resources"] == ["arn:aws:s3:::b"]
    assert event["detail"]["object"] == {"key": "k/x.csv", "size": 10, "etag": "b1946ac92492d2347c6235b4d2611184",
                                         "sequencer": "617f08299329d189"}
    assert event["detail"]["reason"] == "CompleteMultipartUpload"


CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/batch"
# The failed-task pattern the ECS guide suggests (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
FAILED_TASK_PATTERN = {
    "source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
    "detail": {"clusterArn": [CLUSTER], "group": ["family:report"], "lastStatus": ["STOPPED"],
               "$or": [{"containers": {"exitCode": [{"anything-but": 0}]}}, {"stopCode": ["TaskFailedToStart"]}]},
}


@pytest.mark.parametrize("exit_code, failed", [(1, True), (137, True), (0, False), (None, True)],
                         ids=["exit 1", "exit 137", "exit 0", "never started"])
def test_failed_task_pattern(exit_code, failed):
    assert matches(FAILED_TASK_PATTERN, ecs_task_state_change(CLUSTER, "report", exit_code)) is failed


def test_ecs_sample_shape():
    event = ecs_task_state_change(CLUSTER, "report", 1)
    assert event["source"] == "aws.ecs" and event["detail-type"] == "ECS Task State Change"
    detail = event["detail"]
    assert detail["taskDefinitionArn"] == "arn:aws:ecs:us-east-1:123456789012:task-definition/report:1"
    assert detail["taskArn"].startswith("arn:aws:ecs:us-east-1:123456789012:task/batch/")
    assert (detail["lastStatus"], detail["desiredStatus"], detail["stopCode"]) == (
        "STOPPED", "STOPPED", "EssentialContainerExited")
    assert detail["stoppedReason"] == "Essential container in task exited"
    assert detail["overrides"] == {"containerOverrides": [{"name": "job"}]}


def test_never_started_has_no_exit_code():
    detail = ecs_task_state_change(CLUSTER, "report", None)["detail"]
    assert "exitCode" not in detail["containers"][0]
    assert detail["stopCode"] == "TaskFailedToStart" and "startedAt" not in detail


def test_bad_cluster_arn():
    with pytest.raises(ValueError, match="is not a cluster ARN"):
        ecs_task_state_change("arn:aws:ecs:us-east-1:123456789012:service/batch/x", "f", 1)


# --- event_matching: an event each valid AWS-recorded pattern matches ---------------------------------


def _valid_patterns() -> list[tuple[str, dict]]:
    """The LocalStack template patterns (tests/data/patterns.json) that validate."""
    found = []
    for case in load_data("patterns.json"):
        if "pattern" not in case:
            continue
        try:
            validate_pattern(case["pattern"])
        except PatternError:
            continue
        found.append((case["name"], case["pattern"]))
    return found


VALID_PATTERNS = _valid_patterns()


def test_there_are_recorded_valid_patterns():
    assert len(VALID_PATTERNS) >= 70  # 105 templates, 29 of them invalid patterns


@pytest.mark.parametrize("pattern", [p for _, p in VALID_PATTERNS], ids=[s for s, _ in VALID_PATTERNS])
def test_event_matching_builds_an_event_the_pattern_matches(pattern):
    event = event_matching(pattern)
    assert matches(pattern, event), event
    assert {"version", "id", "account", "time", "region", "resources", "detail-type", "source", "detail"} <= set(event)


def test_event_matching_gives_the_s3_sample_for_object_created():
    pattern = {"source": ["aws.s3"], "detail-type": ["Object Created"],
               "detail": {"bucket": {"name": ["in"]}, "object": {"key": [{"prefix": "data/"}]}}}
    event = event_matching(pattern)
    assert event["detail"]["object"]["size"] == 5 and event["detail"]["bucket"] == {"name": "in"}
    assert event["detail"]["object"]["key"].startswith("data/") and matches(pattern, event)


def test_scheduled_event_is_a_fresh_copy():
    first = scheduled_event()
    first["detail"]["x"] = 1
    assert scheduled_event()["detail"] == {} and first["detail-type"] == "Scheduled Event"

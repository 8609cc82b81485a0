"""The failed-task notice carries ECS's stoppedReason intact, whatever it holds (#10: quoted placeholders)."""

import json

import pytest

from support import build_dict
from generator.eventbridge.samples import ecs_task_state_change
from generator.eventbridge.transform import render

REASONS = [
    'CannotPullContainerError: failed to resolve ref "docker.io/library/nope:latest": not found',
    "OutOfMemoryError: container killed \\ exit 137",
    "Essential container in task exited",
    "ünïcode\nnewline",
]


@pytest.mark.parametrize("reason", REASONS)
def test_the_notice_is_json_with_the_reason_intact(reason):
    template = build_dict("""
        notifications: {email: [ops@example.com]}
        jobs:
          worker:
            image: python:3.12-slim
            triggers: [{schedule: rate(1 day)}]
    """)
    transformer = template["Resources"]["WorkerTaskFailedRule"]["Properties"]["Targets"][0]["InputTransformer"]
    event = ecs_task_state_change("arn:aws:ecs:us-east-1:123456789012:cluster/processing", "test-stack-worker", 1,
                                  stopped_reason=reason)
    text = render(transformer["InputPathsMap"], transformer["InputTemplate"], event)
    assert text is not None
    notice = json.loads(text)
    assert notice["stoppedReason"] == reason
    assert notice["stopCode"] == "EssentialContainerExited" and notice["group"] == "family:test-stack-worker"

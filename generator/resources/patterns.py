"""The event pattern of the failed-task alerts. (A trigger's pattern is its kind's: generator/triggers.)"""

from __future__ import annotations

from typing import Any

def task_failed_pattern(cluster_arn: Any, family: str) -> dict[str, Any]:
    """STOPPED with a non-zero exit code, never started, or stopped by a Fargate Spot interruption
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).

    `anything-but` does not match a missing exitCode, hence the stopCode branch for tasks whose
    containers never ran. A Spot interruption sends the task SIGTERM ("The warning is sent as a task state
    change event to Amazon EventBridge and as a SIGTERM signal to the running task",
    https://repost.aws/knowledge-center/fargate-spot-termination-notice), which a container may answer
    with exit 0: the run did not finish its work, so stop code `SpotInterruption` ("A task state change
    event is generated when a task is using the FARGATE_SPOT capacity provider and is stopped due to a Spot
    interruption", ecs_task_events above; `SpotInterruption` is a TaskStopCode,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html) is a failure whatever the
    exit code.
    """
    return {
        "source": ["aws.ecs"],
        "detail-type": ["ECS Task State Change"],
        "detail": {
            "clusterArn": [cluster_arn],
            "group": [f"family:{family}"],
            "lastStatus": ["STOPPED"],
            "$or": [
                {"containers": {"exitCode": [{"anything-but": 0}]}},
                {"stopCode": ["TaskFailedToStart", "SpotInterruption"]},
            ],
        },
    }

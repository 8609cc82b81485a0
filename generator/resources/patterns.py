"""The event pattern of the failed-task alerts. (A trigger's pattern is its kind's: generator/triggers.)"""

from __future__ import annotations

from typing import Any

def task_failed_pattern(cluster_arn: Any, family: str) -> dict[str, Any]:
    """STOPPED with a non-zero exit code, or never started
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).

    `anything-but` does not match a missing exitCode, hence the stopCode branch for tasks whose
    containers never ran.
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
                {"stopCode": ["TaskFailedToStart"]},
            ],
        },
    }

"""Sample events, shaped exactly like the ones AWS sends, for ``generate-event``, ``simulate`` and tests.

* ``s3_object_created``: the "Object Created" sample of the S3 user guide (semantics.md §4).
* ``ecs_task_state_change``: an "ECS Task State Change" for a STOPPED task (semantics.md §3.4).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ecs_task_state_change", "s3_object_created"]

_SAMPLE_TIME = "2021-11-12T00:00:00Z"


def s3_object_created(
    bucket: str,
    key: str,
    size: int = 5,
    *,
    etag: str = "b1946ac92492d2347c6235b4d2611184",
    version_id: str | None = "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",  # None: an unversioned bucket has no version-id
    sequencer: str = "617f08299329d189",
    reason: str = "PutObject",
    account: str = "111122223333",
    region: str = "ca-central-1",
    time: str = _SAMPLE_TIME,
    event_id: str = "17793124-05d4-b198-2fde-7ededc63b103",
    request_id: str = "N4N7GDK58NMKJ12R",
    requester: str = "123456789012",
    source_ip_address: str = "1.2.3.4",
) -> dict[str, Any]:
    """The S3 "Object Created" event (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html)
    with the given fields. Field names keep S3's hyphens (``version-id``, ``source-ip-address``)."""
    s3_object: dict[str, Any] = {"key": key, "size": size, "etag": etag}
    if version_id is not None:
        s3_object["version-id"] = version_id
    s3_object["sequencer"] = sequencer
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": account,
        "time": time,
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": s3_object,
            "request-id": request_id,
            "requester": requester,
            "source-ip-address": source_ip_address,
            "reason": reason,
        },
    }


def ecs_task_state_change(
    cluster_arn: str,
    family: str,
    exit_code: int | None,
    *,
    container_name: str = "job",
    revision: int = 1,
    task_id: str = "0123456789abcdef0123456789abcdef",
    stop_code: str | None = None,
    stopped_reason: str | None = None,
    time: str = _SAMPLE_TIME,
    event_id: str = "5a1b2c3d-0000-4000-8000-000000000001",
) -> dict[str, Any]:
    """An "ECS Task State Change" event for a task that has STOPPED.

    ``exit_code`` None means the container never ran (no ``exitCode``), which AWS reports with
    stopCode TaskFailedToStart; otherwise the essential container exited with that code. Region and
    account come from the cluster ARN, as they do in real events.
    """
    region, account, cluster_name = _parse_cluster_arn(cluster_arn)
    arn_prefix = f"arn:aws:ecs:{region}:{account}"
    task_arn = f"{arn_prefix}:task/{cluster_name}/{task_id}"
    never_started = exit_code is None
    container: dict[str, Any] = {
        "containerArn": f"{arn_prefix}:container/{cluster_name}/{task_id}/00000000-0000-4000-8000-000000000000",
        "lastStatus": "STOPPED",
        "name": container_name,
        "taskArn": task_arn,
    }
    if not never_started:
        container["exitCode"] = exit_code
    if stop_code is None:
        stop_code = "TaskFailedToStart" if never_started else "EssentialContainerExited"
    if stopped_reason is None:
        stopped_reason = ("CannotPullContainerError: the image could not be pulled" if never_started
                          else "Essential container in task exited")
    detail: dict[str, Any] = {
        "clusterArn": cluster_arn,
        "containers": [container],
        "createdAt": time,
        "desiredStatus": "STOPPED",
        "group": f"family:{family}",  # RunTask's default group
        "lastStatus": "STOPPED",
        "launchType": "FARGATE",
        "overrides": {"containerOverrides": [{"name": container_name}]},
        "startedBy": "events-rule/batchjobs",
        "stopCode": stop_code,
        "stoppedAt": time,
        "stoppedReason": stopped_reason,
        "taskArn": task_arn,
        "taskDefinitionArn": f"{arn_prefix}:task-definition/{family}:{revision}",
        "version": 3,
    }
    if not never_started:
        detail["startedAt"] = time
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "ECS Task State Change",
        "source": "aws.ecs",
        "account": account,
        "time": time,
        "region": region,
        "resources": [task_arn],
        "detail": detail,
    }


def _parse_cluster_arn(cluster_arn: str) -> tuple[str, str, str]:
    """region, account and cluster name from ``arn:aws:ecs:<region>:<account>:cluster/<name>``."""
    parts = cluster_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "ecs" or not parts[5].startswith("cluster/") or not parts[5][len("cluster/"):]:
        raise ValueError(f"'{cluster_arn}' is not a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)")
    return parts[3], parts[4], parts[5][len("cluster/"):]

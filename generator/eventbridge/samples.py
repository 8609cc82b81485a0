"""Sample events, shaped exactly like the ones AWS sends, for ``generate-event``, ``simulate`` and tests.

* ``s3_object_created``: the "Object Created" sample of the S3 user guide
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
* ``ecs_task_state_change``: an "ECS Task State Change" for a STOPPED task
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
* ``scheduled_event``: what a scheduled rule delivers (detail-type "Scheduled Event", empty detail).
* ``event_matching``: an event a given pattern matches (each field the first value its matchers accept),
  for proving what a rule's target would receive before it is deployed.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["ecs_task_state_change", "event_matching", "s3_object_created", "scheduled_event"]

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


# --- events a pattern matches ------------------------------------------------------------------------

_ENVELOPE = {
    "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "account": "123456789012",
    "time": "2024-01-01T02:00:00Z", "region": "us-east-1", "resources": [],
}
_SCHEDULED_EVENT = {**_ENVELOPE, "detail-type": "Scheduled Event", "source": "aws.events",
                   "resources": ["arn:aws:events:us-east-1:123456789012:rule/rule"], "detail": {}}
_FILL = "sample"


def _unescape_wildcard(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(_FILL if text[i] == "*" else text[i])
        i += 1
    return "".join(out)


def _text_argument(argument: Any) -> str:
    if isinstance(argument, dict):  # {"prefix": {"equals-ignore-case": "x"}}
        argument = next(iter(argument.values()), "")
    return str(argument)


def _numeric_value(terms: list) -> float:
    low, high = -1e9, 1e9
    for i in range(0, len(terms) - 1, 2):
        op, value = terms[i], terms[i + 1]
        if not isinstance(value, (int, float)):
            continue
        if op == "=":
            return value
        if op in (">", ">="):
            low = max(low, value + (1e-3 if op == ">" else 0))
        if op in ("<", "<="):
            high = min(high, value - (1e-3 if op == "<" else 0))
    return low if low > -1e9 else (high if high < 1e9 else 0)


def _value_for(matchers: Any) -> Any:
    """A value one of the field's matchers accepts; _ABSENT for {"exists": false}."""
    for matcher in matchers if isinstance(matchers, list) else [matchers]:
        if not isinstance(matcher, dict):
            return matcher
        op, arg = next(iter(matcher.items()), (None, None))
        if op == "prefix":
            return _text_argument(arg) + _FILL
        if op == "suffix":
            return _FILL + _text_argument(arg)
        if op == "wildcard":
            return _unescape_wildcard(str(arg))
        if op == "equals-ignore-case":
            return str(arg)
        if op == "exists":
            return _FILL if arg else _ABSENT
        if op == "numeric" and isinstance(arg, list):
            return _numeric_value(arg)
        if op == "cidr":
            import ipaddress

            try:
                return str(next(ipaddress.ip_network(str(arg), strict=False).hosts()))
            except (ValueError, StopIteration):
                return "10.0.0.1"
        if op == "anything-but":
            excluded = [_text_argument(a) for a in _as_list(arg)] if not isinstance(arg, dict) else []
            if any(isinstance(a, (int, float)) and not isinstance(a, bool) for a in _as_list(arg)):
                return max(a for a in _as_list(arg) if isinstance(a, (int, float))) + 1
            return next(c for c in (_FILL, _FILL + "-other", _FILL + "-else") if c not in excluded)
    return _FILL


_ABSENT = object()


def _fill_event(pattern: dict, event: dict) -> None:
    for key, value in pattern.items():
        if key == "$or" and isinstance(value, list) and value and isinstance(value[0], dict):
            _fill_event(value[0], event)
        elif isinstance(value, dict):
            child = event.get(key)
            if not isinstance(child, dict):
                child = event[key] = {}
            _fill_event(value, child)
        else:
            found = _value_for(value)
            if found is _ABSENT:
                event.pop(key, None)
            else:
                event[key] = found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def scheduled_event() -> dict:
    """The event a scheduled rule sends its targets (Scheduler sends none: its targets get context attributes)."""
    return copy.deepcopy(_SCHEDULED_EVENT)


def event_matching(pattern: dict) -> dict:
    """An event ``pattern`` matches: the envelope AWS always sends, filled with the first value each field's
    matchers accept (the first branch of an ``$or``). An S3 "Object Created" pattern gets the real S3 sample
    shape, with the bucket and key it asks for."""
    event: dict = {**copy.deepcopy(_ENVELOPE), "detail-type": _FILL, "source": _FILL, "detail": {}}
    _fill_event(pattern, event)
    if event.get("source") == "aws.s3" and event.get("detail-type") == "Object Created":
        detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
        bucket = (detail.get("bucket") or {}).get("name", "bucket")
        key = (detail.get("object") or {}).get("key", "key")
        return s3_object_created(str(bucket), str(key))
    return event

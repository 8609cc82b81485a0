"""Event patterns the generator writes: S3 uploads and failed-task alerts."""

from __future__ import annotations

from typing import Any

from ..model.model import S3UploadSpec


def _wildcard_literal(text: str) -> str:
    """Escape text for an EventBridge wildcard: `\\` and `*` are the only escapes it accepts."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def overlapping_keys(prefix: str, suffix: str) -> list[str]:
    """The keys that start with ``prefix`` and end with ``suffix`` but are shorter than both together:
    the end of the prefix is the start of the suffix (prefix `logs/`, suffix `/`: the key `logs/`).
    The wildcard `prefix*suffix` needs every character of both, so these are listed as exact keys."""
    keys = []
    for overlap in range(min(len(prefix), len(suffix)), 0, -1):
        if prefix.endswith(suffix[:overlap]):
            keys.append(prefix + suffix[overlap:])
    return keys


def s3_key_matchers(upload: S3UploadSpec) -> list[Any]:
    """Matchers for `detail.object.key`; the key matches if any one does (a list is OR in EventBridge).

    Prefix and suffix must BOTH hold, so together they are one wildcard `prefix*suffix`, plus the keys
    where the two overlap, which the wildcard misses, as exact values.
    """
    if upload.key_wildcard:
        return [{"wildcard": upload.key_wildcard}]
    if upload.prefix and upload.suffix:
        wildcard = {"wildcard": f"{_wildcard_literal(upload.prefix)}*{_wildcard_literal(upload.suffix)}"}
        return [wildcard, *overlapping_keys(upload.prefix, upload.suffix)]
    if upload.prefix:
        return [{"prefix": upload.prefix}]
    if upload.suffix:
        return [{"suffix": upload.suffix}]
    return []


def s3_upload_pattern(upload: S3UploadSpec) -> dict[str, Any]:
    detail: dict[str, Any] = {"bucket": {"name": [upload.bucket]}}
    matchers = s3_key_matchers(upload)
    if matchers:
        detail["object"] = {"key": matchers}
    return {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail}


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

"""Event patterns the generator writes: S3 uploads and failed-task alerts."""

from __future__ import annotations

from typing import Any

from ..spec.model import S3UploadSpec


def _wildcard_literal(text: str) -> str:
    """Escape text for an EventBridge wildcard: `\\` and `*` are the only escapes it accepts."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def s3_key_matcher(upload: S3UploadSpec) -> dict[str, str] | None:
    """Prefix and suffix must BOTH hold; two matchers in one list would be OR, so use one wildcard."""
    if upload.key_wildcard:
        return {"wildcard": upload.key_wildcard}
    if upload.prefix and upload.suffix:
        return {"wildcard": f"{_wildcard_literal(upload.prefix)}*{_wildcard_literal(upload.suffix)}"}
    if upload.prefix:
        return {"prefix": upload.prefix}
    if upload.suffix:
        return {"suffix": upload.suffix}
    return None


def s3_upload_pattern(upload: S3UploadSpec) -> dict[str, Any]:
    detail: dict[str, Any] = {"bucket": {"name": [upload.bucket]}}
    matcher = s3_key_matcher(upload)
    if matcher:
        detail["object"] = {"key": [matcher]}
    return {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail}


def task_failed_pattern(cluster_arn: Any, family: str) -> dict[str, Any]:
    """STOPPED with a non-zero exit code, or never started (semantics.md §3.4).

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

"""Field checks every level of the spec uses: names, environment variable names, tags, durations, S3
locations and dead-letter queues.

Each check takes the value as written and returns it (or its normalized form), or raises ``ValueError``
(``FieldError`` to point below the field) with a message that says what is wrong and what is allowed.
The pydantic types call them from thin validators; ``load.py`` adds the file, line and field path.
"""

from __future__ import annotations

import re
from typing import Any, Callable, TypeVar

from .arns import SQS_ARN_RE
from .base import FieldError
from .limits import MAX_TAGS

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DURATION_RE = re.compile(r"^(\d+)\s*(s|m|h)$")
FIFO_QUEUE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,75}\.fifo$")

T = TypeVar("T")


def each(values: list[T], check: Callable[[T], Any]) -> list[T]:
    """Run ``check`` on every item; an error points at the item's index."""
    for index, value in enumerate(values):
        try:
            check(value)
        except FieldError as err:
            raise FieldError(str(err), at=(index, *err.at)) from None
        except ValueError as err:
            raise FieldError(str(err), at=(index,)) from None
    return values


def parse_duration_seconds(value: Any, *, minimum: int, maximum: int, what: str) -> int:
    """`90s`, `15m`, `1h` or a number of seconds -> seconds, within [minimum, maximum]."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (write e.g. 90s, 15m, 1h or a number of seconds)")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (match := DURATION_RE.match(value.strip())):
        seconds = int(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2)]
    else:
        raise ValueError(f"{value!r} is not a duration (write e.g. 90s, 15m, 1h or a number of seconds)")
    if not minimum <= seconds <= maximum:
        raise ValueError(f"{value!r} is out of range: {what} must be between {minimum}s and {maximum}s")
    return seconds


def check_name(value: str, what: str) -> str:
    if not NAME_RE.match(value):
        raise ValueError(f"{value!r} is not a valid {what}: use letters, digits and hyphens, starting with a letter")
    return value


def check_env_names(values: dict[str, str]) -> dict[str, str]:
    for key in values:
        if not ENV_NAME_RE.match(key):
            raise FieldError(
                f"{key!r} is not a valid environment variable name (letters, digits and _, not starting with a digit)",
                at=(key,),
            )
    return values


def check_tags(values: dict[str, str]) -> dict[str, str]:
    """AWS tag limits: at most 50 tags, keys up to 128 characters, values up to 256, no aws: prefix."""
    if len(values) > MAX_TAGS:
        raise ValueError(f"{len(values)} tags: AWS allows at most {MAX_TAGS} per resource")
    for key, value in values.items():
        if not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise FieldError(f"{key!r} is not a tag key you can set (1-128 characters, not starting with aws:)", at=(key,))
        if len(value) > 256:
            raise FieldError(f"tag {key!r}: a tag value has at most 256 characters", at=(key,))
    return values


def check_bucket(value: str) -> str:
    if not BUCKET_RE.match(value):
        raise ValueError(f"{value!r} is not a valid S3 bucket name")
    return value


def check_s3_location(value: str) -> str:
    """`bucket` or `bucket/prefix/`: where a job may read or write objects."""
    bucket, _, prefix = value.partition("/")
    if not BUCKET_RE.match(bucket) or ".." in bucket:
        raise ValueError(f"{bucket!r} is not a valid S3 bucket name")
    if prefix and not prefix.endswith("/"):
        raise ValueError(f"{value!r}: a prefix must end with '/' (write {value}/)")
    if "*" in value:
        raise ValueError(f"{value!r}: no wildcards; write the bucket or bucket/prefix/")
    return value


def check_dead_letter_queue(value: Any) -> Any:
    """true (a new queue), false, or an existing standard queue's ARN; None (a trigger's: the job's)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and SQS_ARN_RE.match(value):
        return value
    if isinstance(value, str) and FIFO_QUEUE_ARN_RE.match(value):
        raise ValueError(
            f"{value!r}: EventBridge dead-letter queues must be standard queues, not FIFO "
            "(use true for a new standard queue, or a standard queue's ARN)"
        )
    raise ValueError(
        f"{value!r}: dead_letter_queue is true (a new queue), false, or an SQS queue ARN "
        "(arn:aws:sqs:REGION:ACCOUNT:NAME)"
    )

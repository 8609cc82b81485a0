"""`s3_upload`: run when an object is created in a bucket, on S3's "Object Created" events via EventBridge.

The bucket must send its events to EventBridge (S3 user guide,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html); the
generator cannot turn that on for a bucket it does not own, so lint rule I9601 reminds the user.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator, model_validator

from ..eventbridge.shapes import (
    S3_OBJECT_CREATED_CONTAINER_PATHS,
    S3_OBJECT_CREATED_STRING_PATHS,
    S3_OBJECT_CREATED,
    S3_OBJECT_CREATED_TEXT_SAFE_PATHS,
)
from ..model.base import FieldError, Strict
from ..model.checks import check_bucket
from .kind import TriggerKind, TriggerWords

if TYPE_CHECKING:
    from ..model.trigger import TriggerSpec

NAME = "s3_upload"


def check_key_filter(value: str | None) -> str | None:
    if value == "":
        raise ValueError("must not be empty (leave it out to match every key)")
    return value


def check_key_wildcard(value: str | None) -> str | None:
    """The wildcard EventBridge will be given, checked as the event_pattern path checks any wildcard: AWS
    refuses two `*` in a row ("Consecutive wildcard characters at pos N", recorded against AWS in
    tests/data/patterns.json) and escapes other than `\\*` and `\\\\`."""
    if value is None:
        return None
    from ..eventbridge.pattern import PatternError, validate_pattern

    try:
        validate_pattern({"detail": {"object": {"key": [{"wildcard": value}]}}})
    except PatternError as err:
        raise ValueError(f"{value!r} is not a wildcard EventBridge accepts: {str(err).rstrip('.')}") from None
    return value


def check_wildcard_alone(upload: S3UploadSpec) -> None:
    if upload.key_wildcard and (upload.prefix or upload.suffix):
        raise ValueError("key_wildcard cannot be combined with prefix or suffix: put them into the wildcard")


# Object sizes: "Objects can range in size from zero to 50 TB ... the actual maximum object size is 53.7 TB
# (48.8 TiB) ... 10,000 maximum parts x 5 GiB per part = 50,000 GiB"
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingObjects.html); the S3 event carries the size
# as a number, `detail.object.size` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
MAX_OBJECT_SIZE = 10_000 * 5 * 1024**3
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$")
_UNITS = {"B": 1, **{f"{p}B": 1000 ** (i + 1) for i, p in enumerate("KMGT")},
          **{f"{p}iB": 1024 ** (i + 1) for i, p in enumerate("KMGT")}}


def parse_size(value: Any) -> int | None:
    """Bytes, or a number with a unit: `1GiB` (1024^3), `500MB` (1000^2), `10KiB`... -> whole bytes."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{value!r} is not a size: write bytes (1048576) or a size with a unit (1MiB, 500MB, 2GiB)")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a size: write bytes (1048576) or a number with one of the units "
                             f"{', '.join(_UNITS)} (1MiB, 500MB, 2GiB)")
        number = float(match[1]) * _UNITS[match[2] or "B"]
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number of bytes ({number:g})")
        size = int(number)
    if not 0 <= size <= MAX_OBJECT_SIZE:
        raise ValueError(f"{value!r} can never match: S3 objects are 0 bytes to 50,000 GiB (53.7 TB)")
    return size


def describe_size(size: int) -> str:
    """1073741824 -> "1 GiB"; sizes that are no whole unit stay in bytes."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        if size and size % _UNITS[unit] == 0:
            return f"{size // _UNITS[unit]} {unit}"
    return f"{size} bytes"


class S3UploadSpec(Strict):
    """Run when an object is created in a bucket (S3 'Object Created' events via EventBridge)."""

    bucket: str = Field(..., description="The bucket; it must have EventBridge notifications turned on.")
    prefix: str | None = Field(None, description="Only keys starting with this.")
    suffix: str | None = Field(None, description="Only keys ending with this.")
    key_wildcard: str | None = Field(None, description="Only keys matching this wildcard ('*' = any characters).")
    min_size: int | str | None = Field(
        None, description="Only objects of at least this size: bytes, or e.g. 500MB, 1GiB (KB/MB/GB/TB: 1000; KiB...: 1024).")
    max_size: int | str | None = Field(None, description="Only objects of at most this size (as min_size).")

    @field_validator("min_size", "max_size")
    @classmethod
    def _size(cls, value: Any) -> int | None:
        return parse_size(value)

    @field_validator("bucket")
    @classmethod
    def _bucket(cls, value: str) -> str:
        return check_bucket(value)

    @field_validator("prefix", "suffix", "key_wildcard")
    @classmethod
    def _not_empty(cls, value: str | None) -> str | None:
        return check_key_filter(value)

    @field_validator("key_wildcard")
    @classmethod
    def _wildcard(cls, value: str | None) -> str | None:
        return check_key_wildcard(value)

    @model_validator(mode="after")
    def _wildcard_alone(self):
        check_wildcard_alone(self)
        if self.min_size is not None and self.max_size is not None and self.min_size > self.max_size:
            raise FieldError(f"max_size ({describe_size(self.max_size)}) is below min_size "
                             f"({describe_size(self.min_size)}): no object could match", at=("max_size",))
        return self


# -- its event pattern


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
    bounds: list[Any] = []
    if upload.min_size is not None:
        bounds += [">=", upload.min_size]
    if upload.max_size is not None:
        bounds += ["<=", upload.max_size]
    if bounds:
        # numeric matching on the event's number (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-numeric-matching)
        detail.setdefault("object", {})["size"] = [{"numeric": bounds}]
    return {"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail}


def event_pattern(trigger: TriggerSpec) -> dict[str, Any]:
    return s3_upload_pattern(trigger.s3_upload)


# -- in words


def words(trigger: TriggerSpec) -> TriggerWords:
    upload = trigger.s3_upload
    given = (("prefix", upload.prefix, "starting with"), ("suffix", upload.suffix, "ending with"),
             ("keys", upload.key_wildcard, "matching"))
    filters = [f"{short} {value}" for short, value, _ in given if value]  # prefix in/
    phrases = [f"{phrase} '{value}'" for _, value, phrase in given if value]  # starting with 'in/'
    sizes = [f"size {sign} {describe_size(size)}" for sign, size in ((">=", upload.min_size), ("<=", upload.max_size))
             if size is not None]
    filters += sizes
    return TriggerWords(
        line=f"S3 Object Created in {upload.bucket}" + (f" ({', '.join(filters)})" if filters else ""),
        sentence=f"S3 Object Created in bucket {upload.bucket}, "
        + (f"keys {' and '.join(phrases)}" if phrases else "any key") + "".join(f", {size}" for size in sizes),
        label=(f"S3 {upload.bucket}", *filters),
    )


KIND = TriggerKind(
    name=NAME,
    source="S3 Object Created",
    words=words,
    diagram_shape=("[(", ")]"),  # a cylinder: a bucket
    string_paths=S3_OBJECT_CREATED_STRING_PATHS,
    container_paths=S3_OBJECT_CREATED_CONTAINER_PATHS,
    event_pattern=event_pattern,
    text_safe_paths=S3_OBJECT_CREATED_TEXT_SAFE_PATHS,
    shape=lambda _: S3_OBJECT_CREATED,
)

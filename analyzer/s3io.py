"""All of the analyzer's S3 access (the only module that imports boto3).

Every call goes through one client with botocore's "standard" retry mode (AWS_MAX_ATTEMPTS attempts,
default 5). What is left after retries becomes an InfraError (exit 1), except a missing input object,
which is UnusableInput (exit 2): retrying cannot make it appear, and the user must fix the event or key.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import urllib.parse
from collections.abc import Callable

import boto3
import boto3.exceptions
import botocore.config
import botocore.exceptions
import s3transfer.exceptions
from boto3.s3.transfer import TransferConfig

from .errors import InfraError, UnusableInput

NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
# What boto3's transfer manager raises besides botocore's errors: RetriesExceededError when s3transfer's own
# retries of a part (read timeouts, connection resets mid-body) run out, S3TransferFailedError and s3transfer's
# errors for a failed or cancelled transfer.
TRANSFER_ERRORS = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, boto3.exceptions.Boto3Error,
                   s3transfer.exceptions.CancelledError, s3transfer.exceptions.S3DownloadFailedError,
                   s3transfer.exceptions.RetriesExceededError)


@dataclasses.dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str  # the key that exists (possibly URL-decoded from the one given)
    size: int
    etag: str
    given_key: str

    @property
    def decoded(self) -> bool:
        return self.key != self.given_key


def client(max_attempts: int = 5):
    """An S3 client with botocore's standard retry mode.

    max_attempts counts the first try, as AWS_MAX_ATTEMPTS does (botocore's `max_attempts` key would not).
    """
    config = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": max_attempts},
                                    user_agent_extra="batchjobs-analyzer")
    return boto3.client("s3", config=config)


def _code(err: botocore.exceptions.ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _infra(action: str, bucket: str, key: str, err: Exception) -> InfraError:
    if isinstance(err, botocore.exceptions.ClientError):
        code = _code(err)
        message = err.response.get("Error", {}).get("Message") or code
        why = f"{code}: {message}"
        if code in ("403", "AccessDenied", "Forbidden") and action == "read input":
            why += " (for a missing object S3 also answers 403 when the role lacks s3:ListBucket)"
    else:
        code = type(err).__name__
        why = f"{code}: {err}"
        last = getattr(err, "last_exception", None)  # RetriesExceededError: what the last attempt hit
        if last is not None:
            why += f" (last attempt: {type(last).__name__}: {last})"
    return InfraError("s3_error", f"{action} s3://{bucket}/{key}: {why}", operation=action, aws_code=code)


def key_candidates(key: str) -> list[str]:
    """The key as given first, then its URL-decoded forms, if they differ.

    S3 event notifications URL-encode keys (spaces as '+'); EventBridge does not. '+' and '%' are legal
    in keys, so a decoded form is only used when the key as given does not exist.
    """
    out = [key]
    for decoded in (urllib.parse.unquote_plus(key), urllib.parse.unquote(key)):
        if decoded not in out:
            out.append(decoded)
    return out


def resolve_input(s3, bucket: str, key: str) -> S3Object:
    """HEAD the key as given, then its decoded forms. Raises UnusableInput if none exists."""
    for candidate in key_candidates(key):
        try:
            head = s3.head_object(Bucket=bucket, Key=candidate)
        except botocore.exceptions.ClientError as err:
            if _code(err) in NOT_FOUND:
                continue
            raise _infra("read input", bucket, candidate, err) from err
        except botocore.exceptions.BotoCoreError as err:
            raise _infra("read input", bucket, candidate, err) from err
        return S3Object(bucket, candidate, head["ContentLength"], head.get("ETag", "").strip('"'), key)
    tried = ", ".join(repr(k) for k in key_candidates(key))
    raise UnusableInput("input_not_found", f"the input object s3://{bucket}/{key} does not exist (tried keys {tried})",
                        bucket=bucket, key=key)


def download(s3, obj: S3Object, path: str, on_bytes: Callable[[int], None] | None = None) -> None:
    """Stream the object to path (ranged, parallel GETs; parts go straight to disk, never all in memory).

    s3transfer pins the parts of a multipart download to one ETag (IfMatch), so an object replaced
    meanwhile fails instead of mixing two versions.
    """
    config = TransferConfig(multipart_threshold=16 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024,
                            max_concurrency=8)
    try:
        s3.download_file(obj.bucket, obj.key, path, Callback=on_bytes, Config=config)
    except TRANSFER_ERRORS as err:
        raise _infra("download input", obj.bucket, obj.key, err) from err
    except OSError as err:
        raise InfraError("local_io", f"download input s3://{obj.bucket}/{obj.key} to {path}: {err}") from err


def put_report(s3, bucket: str, key: str, body: bytes) -> None:
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as err:
        raise _infra("write report", bucket, key, err) from err


class ByteProgress:
    """A download callback that calls report(done_bytes) at most every `interval` seconds."""

    def __init__(self, report: Callable[[int], None], interval: float) -> None:
        self.done = 0
        self._report, self._interval, self._last = report, interval, time.monotonic()
        self._lock = threading.Lock()  # s3transfer calls back from its worker threads

    def __call__(self, n: int) -> None:
        with self._lock:
            self.done += n
            now = time.monotonic()
            due = self._interval > 0 and now - self._last >= self._interval
            if due:
                self._last = now
        if due:
            self._report(self.done)

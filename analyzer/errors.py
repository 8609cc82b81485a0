"""Exit codes and the two kinds of failure the analyzer distinguishes."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0  # report written
    INFRA_FAILURE = 1  # S3 or local I/O failed after retries; no report, or the report could not be written
    # the input is not usable CSV (or is missing), or the configuration is invalid; a report with the reason
    # is written wherever the report goes, unless that place itself is not configured (or not writable: 1)
    UNUSABLE_INPUT = 2


class AnalyzerError(Exception):
    """Base class. `code` is a stable machine-readable reason, the message is for people."""

    exit_status = ExitStatus.INFRA_FAILURE

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class UnusableInput(AnalyzerError):
    """The input cannot be profiled as CSV: empty, binary, not UTF-8, not found, too many malformed rows."""

    exit_status = ExitStatus.UNUSABLE_INPUT


class UsageError(AnalyzerError):
    """Missing or invalid configuration (environment variables). Exit 2, with a report (status
    invalid_configuration) when the report's location is known: OUTPUT_BUCKET and INPUT_KEY, or --output."""

    exit_status = ExitStatus.UNUSABLE_INPUT


class InfraError(AnalyzerError):
    """S3 or the local filesystem failed (after botocore's retries)."""

    exit_status = ExitStatus.INFRA_FAILURE

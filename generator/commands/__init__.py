"""One module per CLI verb.

Each module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args, io) -> int``.
Heavy imports (troposphere, cfn-lint, boto3) happen inside ``run`` so that ``batchjobs --help``
and light verbs start fast.
"""

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import UsageError


def parse_instant(text: str | None, flag: str) -> datetime:
    """An ISO 8601 time given on the command line (UTC when it has no zone); now when not given."""
    if text is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as err:
        raise UsageError(f"{flag} '{text}' is not an ISO 8601 time, e.g. 2025-01-01T00:00:00Z") from err
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def source_name(source: str) -> str:
    return "<stdin>" if source == "-" else source


def read_input(source: str, io, what: str) -> str:
    """The text of a file named on the command line, or of stdin for ``-``; unreadable input is a usage error."""
    try:
        return io.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise UsageError(
            f"cannot read {what} {source_name(source)}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset "
            f"{err.start}); JSON must be UTF-8") from err
    except OSError as err:
        raise UsageError(f"cannot read {what} {source}: {err.strerror or err}") from err


def parse_json(text: str, source: str, what: str) -> Any:
    """Strict JSON as AWS reads it (no NaN, Infinity or 1e400; duplicate keys: the last wins)."""
    from ..eventbridge.pattern import loads_json

    try:
        return loads_json(text)
    except RecursionError as err:
        raise UsageError(f"{what} {source_name(source)} is nested too deeply to read") from err
    except ValueError as err:  # json.JSONDecodeError included
        raise UsageError(f"{what} {source_name(source)} is not valid JSON: {err}") from err

"""One module per CLI verb.

Each module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args, io) -> int``.
Heavy imports (troposphere, cfn-lint, boto3) happen inside ``run`` so that ``batchjobs --help``
and light verbs start fast.
"""

from datetime import datetime, timezone

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

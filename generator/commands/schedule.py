"""``batchjobs schedule EXPR``: validate a schedule as AWS would, show its AWS expression and next runs."""

from __future__ import annotations

import argparse
import json

from . import parse_instant
from ..errors import UsageError

# Names tzdata defines as UTC itself (Etc/UTC and its links, and the zero-offset Etc/GMT): the clock an
# EventBridge rule already uses. Places that merely sit at UTC today (Africa/Abidjan) are not here: their
# law can change.
HELP = "validate a schedule as AWS would; print the AWS expression it compiles to and the next run times"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", metavar="EXPR",
                        help="cron(...), rate(...), at(...), a 5-field Unix cron, @daily ... or '@every 1h30m'")
    parser.add_argument("--timezone", default="UTC", metavar="TZ",
                        help="IANA time zone the schedule runs in (default UTC; for cron, any other zone needs Scheduler)")
    parser.add_argument("--count", type=int, default=5, metavar="N", help="how many next runs to show (default 5)")
    parser.add_argument("--after", metavar="ISO-TIME",
                        help="list runs after this time instead of now (ISO 8601; UTC if no offset)")
    parser.add_argument("--output", choices=("text", "json"), default="text", help="output format (default text)")


def run(args: argparse.Namespace, io) -> int:
    from ..eventbridge.schedule import ScheduleError, next_runs, to_aws, why_scheduler

    if args.count < 0:
        raise UsageError(f"--count must be 0 or more, not {args.count}")
    after = parse_instant(args.after, "--after")
    try:
        schedule = to_aws(args.expression)
        runs = next_runs(schedule.expression, count=args.count, after=after, timezone=args.timezone)
    except ScheduleError as err:
        raise UsageError(f"invalid schedule '{args.expression}': {err}") from err
    because = why_scheduler(schedule, args.timezone)
    note = _timezone_note(schedule, args.timezone)
    if args.output == "json":
        io.out(json.dumps({
            "source": schedule.source,
            "expression": schedule.expression,
            "kind": schedule.kind,
            "needs_scheduler": because is not None,
            "needs_scheduler_because": because,
            "timezone": args.timezone,
            "timezone_note": note,
            "next_runs": [moment.isoformat() for moment in runs],
        }, indent=2))
        return 0
    io.out(f"expression: {schedule.expression}")
    io.out(f"needs Scheduler: {'yes (' + because + ')' if because else 'no (an EventBridge rule will do)'}")
    if note:
        io.out(f"note: {note}")
    if args.count and not runs:
        io.out(f"next runs: none: {schedule.expression} never runs after {after.replace(microsecond=0).isoformat()}")
        return 0
    io.out(f"next {len(runs)} run{'' if len(runs) == 1 else 's'} ({args.timezone}):")
    for moment in runs:
        io.out(f"  {moment.isoformat()}")
    return 0


def _timezone_note(schedule, zone: str) -> str | None:
    from ..eventbridge.schedule import UTC_ZONES

    if schedule.kind == "rate" and zone not in UTC_ZONES:
        return (f"a rate has no time-zone meaning: it runs at fixed intervals from when the schedule starts, "
                f"so {zone} only changes how the run times below are written")
    return None

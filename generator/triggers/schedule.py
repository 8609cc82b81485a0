"""`schedule`: run at times, by an EventBridge rule's schedule expression or an EventBridge Scheduler schedule.

A plain cron or rate in UTC is a rule; a time zone, start / end dates, a flexible window or at() need
Scheduler (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html). A scheduled rule
delivers an event with only its envelope; Scheduler sends no event at all, only its context attributes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..eventbridge.schedule import ScheduleError, next_runs, to_aws
from ..eventbridge.shapes import SCHEDULED_RULE_EVENT_PATHS, SCHEDULER_CONTEXT_ATTRIBUTES
from ..model.base import FieldError
from ..model.checks import parse_duration_seconds
from .kind import TriggerKind, TriggerWords

if TYPE_CHECKING:
    from ..model.trigger import TriggerSpec

NAME = "schedule"
# fields only a schedule takes, each of which makes it run on Scheduler
OPTIONS = ("timezone", "start", "end", "flexible_window")


# -- its fields, each on its own


def check_schedule(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        to_aws(value)
    except ScheduleError as err:
        raise ValueError(f"{value!r} is not a valid schedule: {err}") from None
    return value


def check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone name (e.g. Europe/Paris, America/New_York)") from None
    return value


def parse_instant(value: Any) -> Any:
    """`start` / `end`: an ISO 8601 date-time or date; without a zone it is a local time of the trigger's
    timezone (resolved once the whole trigger is known: model/transforms.py ``resolve_local_times``)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time (2027-01-01T09:00:00Z)") from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value


def parse_flexible_window(value: Any) -> int | None:
    """A duration of 1m-24h -> whole minutes, as Scheduler's MaximumWindowInMinutes takes it."""
    if value is None:
        return None
    seconds = parse_duration_seconds(value, minimum=60, maximum=86400, what="flexible_window")
    if seconds % 60:
        raise ValueError(f"{value!r}: flexible_window is counted in whole minutes")
    return seconds // 60


# -- how AWS runs it


def uses_scheduler(trigger: TriggerSpec) -> bool:
    """EventBridge Scheduler is needed for time zones, start/end, flexible windows and at()."""
    # docs/job-spec.md: any of timezone, start, end, flexible_window (or at()) means Scheduler. A spec's
    # timezone is kept even where a rule would run the same times (a rate, Etc/UTC), so the deployed
    # schedule says what the spec says; `batchjobs schedule` tells what AWS itself requires.
    return any(getattr(trigger, option) is not None for option in OPTIONS) or trigger.aws_schedule.needs_scheduler


# -- the whole trigger


def check_options_unused(trigger: TriggerSpec, kind: str) -> None:
    given = [option for option in OPTIONS if getattr(trigger, option) is not None]
    if given:
        raise FieldError(
            f"{given[0]} only applies to schedule triggers: remove it from this {kind} trigger", at=(given[0],)
        )


def check(trigger: TriggerSpec) -> None:
    if trigger.aws_schedule.kind == "at":
        dates = [k for k in ("start", "end") if getattr(trigger, k) is not None]
        if dates:
            raise FieldError(
                f"{dates[0]} does not apply to at(): Scheduler ignores StartDate and EndDate for one-time "
                "schedules; remove it (at() already names the one time it runs)",
                at=(dates[0],),
            )
    if trigger.start and trigger.end and trigger.start >= trigger.end:
        raise FieldError("start must be before end", at=("end",))
    if trigger.aws_schedule.kind == "cron":
        _check_cron_runs(trigger)
    if trigger.aws_schedule.kind in ("cron", "at"):
        _check_runs_again(trigger)


def _check_cron_runs(trigger: TriggerSpec) -> None:
    """AWS accepts a cron that no date satisfies (February 31st) or whose runs all fall outside start/end;
    it is never what the user meant, so it is refused. Judged from start (or the earliest year a cron
    can name), not from today: the same spec must give the same answer on any day."""
    after = trigger.start or datetime(1970, 1, 1, tzinfo=timezone.utc)
    runs = next_runs(trigger.schedule, count=1, after=after - timedelta(seconds=1), timezone=trigger.timezone or "UTC")
    expression = trigger.aws_schedule.expression
    if not runs:
        where = " after start" if trigger.start else ""
        raise FieldError(
            f"{expression} never runs{where}: no date matches its day-of-month, month, "
            "day-of-week and year fields together", at=("schedule",))
    if trigger.end and runs[0] >= trigger.end:
        raise FieldError(
            f"{expression} never runs between start and end (its first run"
            f"{' after start' if trigger.start else ''} is {runs[0].isoformat()})", at=("end",))


def now() -> datetime:
    """The current time (tests pin it: tests/conftest.py)."""
    return datetime.now(timezone.utc)


def _check_runs_again(trigger: TriggerSpec) -> None:
    """An at() in the past, or a cron whose every run is (a year field or `end` that has passed), would be
    deployed and never run: refused like a cron no date satisfies. Unlike that calendar check, this one
    depends on today; a spec that was valid can become invalid once its last run has passed."""
    current = now()
    if trigger.end and trigger.end <= current:
        raise FieldError(f"end {trigger.end.isoformat()} has passed (it is now {current:%Y-%m-%dT%H:%M}Z): the "
                         "schedule would never run again; move end or remove the trigger", at=("end",))
    after = max(trigger.start, current) if trigger.start else current
    runs = next_runs(trigger.schedule, count=1, after=after, timezone=trigger.timezone or "UTC")
    if not runs:
        expression = trigger.aws_schedule.expression
        what = "is in the past" if trigger.aws_schedule.kind == "at" else "has no run left"
        raise FieldError(
            f"{expression} {what} (it is now {current:%Y-%m-%dT%H:%M}Z"
            f"{', in ' + trigger.timezone if trigger.timezone else ''}): the schedule would never run; "
            "write a time still to come, or remove the trigger", at=("schedule",))


def check_event_paths(trigger: TriggerSpec) -> None:
    """A scheduled rule reads its event's envelope; a Scheduler schedule only its context attributes."""
    for where, field in trigger.override_fields():
        if field.is_builtin:
            continue
        value = field.ref
        if trigger.uses_scheduler and value not in SCHEDULER_CONTEXT_ATTRIBUTES:
            raise FieldError(
                f"{value!r}: this schedule runs on EventBridge Scheduler (timezone, start, end, flexible_window "
                "or at() need it), which sends no event: only $.time (the scheduled time), $.id (the "
                "execution ID) and $.resources[0] (the schedule's ARN) are available, and {aws.scheduler.…} "
                "context attributes; write one of those or a fixed value",
                at=where,
            )
        if not trigger.uses_scheduler and value not in SCHEDULED_RULE_EVENT_PATHS:
            raise FieldError(
                f"{value!r}: a scheduled rule's event has only the envelope ($.time, $.id, $.account, "
                "$.region, $.source, $.detail-type, $.version; the rule's ARN in $.resources[0]) and an "
                "empty detail; write one of those, {aws.events.rule-name}, {aws.events.rule-arn} or a fixed value",
                at=where,
            )


# -- in words


def words(trigger: TriggerSpec) -> TriggerWords:
    expression = trigger.aws_schedule.expression
    zone = trigger.timezone or "UTC"
    sentence = f"schedule {trigger.schedule}"
    if expression != trigger.schedule:
        sentence += f" = {expression}"
    sentence += f" in {zone}"
    extras = []
    if trigger.start:
        extras.append(f"from {trigger.start.isoformat()}")
    if trigger.end:
        extras.append(f"until {trigger.end.isoformat()}")
    if trigger.flexible_window:
        extras.append(f"flexible window {trigger.flexible_window} min")
    return TriggerWords(
        line=f"schedule {expression}" + (f" ({trigger.timezone})" if trigger.timezone else ""),
        sentence=sentence + (f" ({', '.join(extras)})" if extras else ""),
        label=(expression, zone),
    )


KIND = TriggerKind(
    name=NAME,
    source="schedule",
    words=words,
    diagram_shape=("([", "])"),  # a stadium
    # a scheduled rule's event; Scheduler's input is not transformed (its context attributes are filled in)
    string_paths=frozenset(SCHEDULED_RULE_EVENT_PATHS),
    event_pattern=None,
    uses_scheduler=uses_scheduler,
    check_options_unused=check_options_unused,
    check=check,
    check_event_paths=check_event_paths,
    text_safe_paths=frozenset(SCHEDULED_RULE_EVENT_PATHS),  # AWS writes them all: version, id, account, ARN...
)

"""Schedule expressions: validate them as AWS does, translate Unix cron and shorthands, compute next runs.

Three entry points, all pure:

* ``validate_aws(expr, for_scheduler=...)``: exactly what PutRule (rules) or CreateSchedule (Scheduler)
  accepts; the AWS-recorded valid/invalid lists in tests/data/ are the test oracle.
* ``to_aws(expr)``: what a user may write in a job spec (AWS forms, 5-field Unix cron, ``@daily`` ...,
  ``@every 1h30m``) to one AWS expression, or a ``ScheduleError`` saying why it cannot be exact.
* ``next_runs(expr, count=, after=, timezone=)``: upcoming run times, with Scheduler's DST rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cron import DAY_NAMES, MONTH_NAMES, YEAR_MAX, AwsCron, ScheduleError, parse_cron_fields

__all__ = ["AwsSchedule", "ScheduleError", "next_runs", "to_aws", "validate_aws"]

MAX_EXPRESSION_LENGTH = 256  # BC-events ScheduleExpression, BC-sched ScheduleExpression

_RATE_UNITS = {"minute": 1, "hour": 60, "day": 1440}
_RATE = re.compile(r"rate\((?P<body>.*)\)", re.DOTALL)
_CRON = re.compile(r"cron\((?P<body>.*)\)", re.DOTALL)
_AT = re.compile(r"at\((?P<body>.*)\)", re.DOTALL)


@dataclass(frozen=True)
class AwsSchedule:
    expression: str  # the AWS expression: "cron(0 2 * * ? *)", "rate(90 minutes)", "at(2027-01-01T09:00:00)"
    kind: str  # "cron" | "rate" | "at"
    needs_scheduler: bool  # True for at(); timezone/start/end needs are decided by the caller
    source: str  # what the user wrote


# --- validation of AWS expressions ---------------------------------------------------------------------


def validate_aws(expr: str, *, for_scheduler: bool) -> None:
    """Raise ScheduleError unless AWS would accept ``expr``: PutRule when ``for_scheduler`` is False,
    CreateSchedule when True. Both are case- and whitespace-strict (" rate(10 minutes)" is invalid)."""
    _parse_aws(expr, for_scheduler=for_scheduler)


@functools.lru_cache(maxsize=4096)
def _parse_aws(expr: str, *, for_scheduler: bool) -> AwsCron | int | datetime:
    """The parsed form: an AwsCron, a rate in minutes, or the naive local datetime of an at().

    Remembered (all three are immutable): checking one schedule trigger parses its expression six times
    (validate, translate, next runs), which was most of validating a 1,000-job spec."""
    if not expr:
        raise ScheduleError("the schedule expression is empty")
    if len(expr) > MAX_EXPRESSION_LENGTH:
        raise ScheduleError(f"the schedule expression is {len(expr)} characters; AWS allows {MAX_EXPRESSION_LENGTH}")
    if expr != expr.strip():
        raise ScheduleError("the schedule expression must not start or end with white space")
    if match := _CRON.fullmatch(expr):
        return parse_cron_fields(match["body"])
    if match := _RATE.fullmatch(expr):
        return _parse_rate(match["body"])
    if match := _AT.fullmatch(expr):
        if not for_scheduler:
            raise ScheduleError("at() one-time schedules need EventBridge Scheduler; rules accept only cron() and rate()")
        return _parse_at(match["body"])
    forms = "cron(...), rate(...) or at(...)" if for_scheduler else "cron(...) or rate(...)"
    raise ScheduleError(f"'{expr}' is not {forms}")


def _parse_rate(body: str) -> int:
    """``VALUE UNIT`` with one space; 1 takes the singular unit, anything else the plural."""
    parts = body.split(" ")
    if len(parts) != 2 or "" in parts or body != body.strip():
        raise ScheduleError("rate(...) must be rate(VALUE UNIT) with one space and no padding, e.g. rate(5 minutes)")
    value_text, unit = parts
    if not re.fullmatch(r"[1-9][0-9]*", value_text):
        raise ScheduleError(f"rate value '{value_text}' must be a positive whole number")
    value = int(value_text)
    singular = unit[:-1] if unit.endswith("s") else unit
    if singular not in _RATE_UNITS:
        hint = "; schedules have one-minute precision" if singular in ("second", "sec") else ""
        raise ScheduleError(f"rate unit '{unit}' must be minute(s), hour(s) or day(s){hint}")
    if value == 1 and unit != singular:
        raise ScheduleError(f"a rate of 1 takes the singular unit: rate(1 {singular})")
    if value != 1 and unit == singular:
        raise ScheduleError(f"a rate of {value} takes the plural unit: rate({value} {singular}s)")
    return value * _RATE_UNITS[singular]


def _parse_at(body: str) -> datetime:
    # Scheduler rejects a zone suffix ("Z", "+01:00") and a date alone: the zone is ScheduleExpressionTimezone.
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", body):
        raise ScheduleError(
            f"at({body}) must be at(yyyy-mm-ddThh:mm:ss) with no zone suffix; set the time zone separately")
    try:
        return datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
    except ValueError as err:
        raise ScheduleError(f"at({body}) is not a real date and time: {err}") from err


# --- translation of what users write -----------------------------------------------------------------

_SHORTHANDS = {
    "@hourly": "cron(0 * * * ? *)",
    "@daily": "cron(0 0 * * ? *)",
    "@midnight": "cron(0 0 * * ? *)",
    "@weekly": "cron(0 0 ? * SUN *)",  # Unix "0 0 * * 0"
    "@monthly": "cron(0 0 1 * ? *)",
    "@yearly": "cron(0 0 1 1 ? *)",
    "@annually": "cron(0 0 1 1 ? *)",
}


def to_aws(expr: str) -> AwsSchedule:
    """The AWS expression for what a user wrote. AWS forms are validated strictly and kept as written;
    Unix cron and shorthands are translated only when the meaning is kept exactly."""
    if not isinstance(expr, str) or not expr:
        raise ScheduleError("the schedule is empty")
    if expr != expr.strip() and expr.strip().startswith(("cron(", "rate(", "at(")):
        raise ScheduleError(f"'{expr}' has white space around it, which AWS rejects: write '{expr.strip()}'")
    if expr.startswith(("cron(", "rate(")):
        validate_aws(expr, for_scheduler=False)
        return AwsSchedule(expr, expr[:4], False, expr)
    if expr.startswith("at("):
        validate_aws(expr, for_scheduler=True)
        return AwsSchedule(expr, "at", True, expr)
    if expr.startswith("@"):
        return _from_shorthand(expr)
    fields = expr.split()
    if len(fields) == 5:
        return _checked(_unix_to_aws(fields), expr)
    if len(fields) == 6 and not any(bracket in expr for bracket in "()"):
        _six_fields(expr, fields)
    raise ScheduleError(
        f"'{expr}' is not a schedule: use cron(...), rate(...), at(...), a 5-field Unix cron, "
        "@hourly/@daily/@weekly/@monthly/@yearly or @every <duration>")


def _six_fields(expr: str, fields: list[str]) -> None:
    """Six bare fields look like an AWS cron without its ``cron(...)``: suggest that only if it is valid."""
    wrapped = f"cron({' '.join(fields)})"
    try:
        validate_aws(wrapped, for_scheduler=False)
    except ScheduleError as err:
        raise ScheduleError(
            f"'{expr}' has 6 fields, like an AWS cron expression without cron(...), but {wrapped} would be "
            f"invalid too: {err}") from None
    raise ScheduleError(f"'{expr}' has 6 fields: write an AWS cron expression as {wrapped}")


def _checked(expression: str, source: str) -> AwsSchedule:
    """Translations are validated like user input, so a translation bug cannot reach a template."""
    validate_aws(expression, for_scheduler=False)
    return AwsSchedule(expression, expression.split("(", 1)[0], False, source)


def _from_shorthand(expr: str) -> AwsSchedule:
    if expr in _SHORTHANDS:
        return _checked(_SHORTHANDS[expr], expr)
    if expr.startswith("@every "):
        return _checked(_every_to_rate(expr[len("@every "):].strip()), expr)
    if expr == "@reboot":
        raise ScheduleError("@reboot has no AWS equivalent: a batch job has no machine that boots")
    raise ScheduleError(
        f"unknown shorthand '{expr}': use @hourly, @daily, @weekly, @monthly, @yearly, @annually or @every <duration>")


_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_NANOS = {"ns": 1, "us": 10**3, "µs": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


def _every_to_rate(duration: str) -> str:
    """A Go duration ("1h30m", "15m", "2h") as rate(): the largest unit that divides it exactly."""
    if not duration or not re.fullmatch(f"(?:{_GO_DURATION_PART.pattern})+", duration):
        raise ScheduleError(f"@every '{duration}' is not a duration like 15m, 2h or 1h30m")
    nanos = sum(_to_nanos(number, unit) for number, unit in _GO_DURATION_PART.findall(duration))
    minute = _NANOS["m"]
    if nanos <= 0:
        raise ScheduleError(f"@every {duration}: the interval must be at least one minute")
    if nanos % minute:
        raise ScheduleError(
            f"@every {duration} is not a whole number of minutes: EventBridge schedules have one-minute precision")
    minutes = nanos // minute
    for unit, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            value = minutes // size
            return f"rate({value} {unit}{'' if value == 1 else 's'})"
    raise AssertionError("unreachable: every whole number of minutes divides by 1")


def _to_nanos(number: str, unit: str) -> int:
    # Exact decimal arithmetic: "1.5h" is 90 minutes, not 89.999...
    whole, _, fraction = number.partition(".")
    scale = _NANOS[unit]
    nanos = int(whole or 0) * scale
    if fraction:
        nanos += int(fraction) * scale // 10 ** len(fraction)
    return nanos


# Unix cron: minute hour day-of-month month day-of-week, with 0 or 7 = Sunday.
_UNIX_LIMITS = {"minute": (0, 59), "hour": (0, 23), "day-of-month": (1, 31), "month": (1, 12), "day-of-week": (0, 7)}
_UNIX_NAMES = {"month": MONTH_NAMES, "day-of-week": DAY_NAMES}  # JAN=1, SUN=0


def _unix_to_aws(fields: list[str]) -> str:
    minute, hour, dom, month, dow = fields
    for name, text in zip(_UNIX_LIMITS, fields):
        _unix_values(name, text)  # validate every field first, so the reason names the bad field
    aws_minute = _unix_simple_field("minute", minute)
    aws_hour = _unix_simple_field("hour", hour)
    aws_month = _unix_simple_field("month", month)
    dom_all = len(_unix_values("day-of-month", dom)) == 31
    dow_all = len({day % 7 for day in _unix_values("day-of-week", dow)}) == 7
    # Vixie cron (cron/cronie/busybox): when day-of-month or day-of-week *starts with* '*' ("*", "*/2"),
    # a day must match both fields; otherwise it must match either. A field that selects every day then
    # drops out of "both" ("*/1" is the same as "*") and decides "either" on its own (every day).
    both = dom.startswith("*") or dow.startswith("*")
    if not dom_all and not dow_all:
        if both:
            raise ScheduleError(
                f"day-of-month '{dom}' and day-of-week '{dow}' must both match in Unix cron, and an AWS cron "
                "expression can restrict only one of them: keep one as '*' or split the schedule in two")
        raise ScheduleError(
            f"Unix cron runs when day-of-month '{dom}' OR day-of-week '{dow}' matches; AWS cron cannot express "
            "that (one of the two must be '?'): keep one as '*' or split the schedule in two")
    if (dom_all and dow_all) or not both:  # every day: both fields select all, or "either" with one full
        aws_dom, aws_dow = "*", "?"
    elif dow_all:
        aws_dom, aws_dow = _unix_simple_field("day-of-month", dom), "?"
    else:
        aws_dom, aws_dow = "?", _unix_day_of_week(dow)
    return f"cron({aws_minute} {aws_hour} {aws_dom} {aws_month} {aws_dow} *)"


def _unix_values(name: str, text: str) -> set[int]:
    low, high = _UNIX_LIMITS[name]
    names = _UNIX_NAMES.get(name, ())
    offset = 1 if name == "month" else 0

    def value(token: str) -> int:
        if token.isdigit():
            number = int(token)
        elif token.upper() in names:
            number = names.index(token.upper()) + offset
        else:
            raise ScheduleError(f"Unix cron {name}: '{token}' is not a value ({low}-{high})")
        if not low <= number <= high:
            raise ScheduleError(f"Unix cron {name}: {number} is out of range {low}-{high}")
        return number

    values: set[int] = set()
    for item in text.split(","):
        match = re.fullmatch(r"(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/(\d+))?", item)
        if not match:
            raise ScheduleError(f"Unix cron {name}: '{item}' is not a value, range or step")
        base, step_text = match[1], match[2]
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ScheduleError(f"Unix cron {name}: step '{step_text}' must be at least 1")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            start, end = (value(part) for part in base.split("-"))
            if start > end:
                raise ScheduleError(f"Unix cron {name}: range '{base}' runs backwards")
        else:
            if step_text:
                raise ScheduleError(
                    f"Unix cron {name}: '{item}' is not standard cron; write the range, e.g. '{base}-{high}/{step}'")
            start = end = value(base)
        values.update(range(start, end + 1, step))
    return values


def _unix_simple_field(name: str, text: str) -> str:
    """Minute, hour, day-of-month and month keep their numbering; only the spelling of steps changes:
    Unix '*/2' becomes '0/2' (hours) or '1/2' (day-of-month, month), which select the same values."""
    low, high = _UNIX_LIMITS[name]
    items = []
    for item in text.split(","):
        base, _, step = item.partition("/")
        if step and int(step) > high - low:
            # A step past the field's span selects only its start ("*/90" minutes is minute 0). AWS
            # refuses such steps (minutes go to /59), so write the one value it selects.
            items.append(str(min(_unix_values(name, item))))
            continue
        if base == "*" and step:
            base = str(low)
        if name == "month":
            base = base.upper()
        items.append(f"{base}/{step}" if step else base)
    return ",".join(items)


def _unix_day_of_week(text: str) -> str:
    """Unix days (SUN=0 or 7 .. SAT=6) as AWS days (SUN=1 .. SAT=7), written as names.
    The set is expanded and rewritten, so steps and ranges that would wrap keep their meaning."""
    days = sorted({day % 7 + 1 for day in _unix_values("day-of-week", text)})
    if len(days) == 7:
        return "*"
    return ",".join(_name_runs(days))


def _name_runs(days: list[int]) -> list[str]:
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0] - 1]}-{DAY_NAMES[run[-1] - 1]}")
        else:
            parts.extend(DAY_NAMES[day - 1] for day in run)
    return parts


# --- next run times ----------------------------------------------------------------------------------


# Zone names that are UTC by definition (tzdata's aliases), not places that merely keep UTC today.
UTC_ZONES = frozenset({
    "UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
    "Etc/GMT", "GMT", "Etc/GMT0", "GMT0", "Etc/GMT+0", "GMT+0", "Etc/GMT-0", "GMT-0", "Etc/Greenwich", "Greenwich",
})


def why_scheduler(schedule: AwsSchedule, timezone: str | None) -> str | None:
    """Why this schedule needs EventBridge Scheduler rather than a rule (None: a rule will do), as far as the
    expression and its time zone decide it: at() is one-time, and rules run cron in UTC only. A rate runs at
    fixed intervals whatever the zone, so a zone alone never makes it need Scheduler. (start, end and
    flexible windows need Scheduler too: the caller adds those.)"""
    if schedule.needs_scheduler:
        return "at() is a one-time schedule"
    if schedule.kind == "cron" and timezone is not None and timezone not in UTC_ZONES:
        return f"rules run in UTC only; {timezone} needs ScheduleExpressionTimezone"
    return None


def next_runs(expression: str, *, count: int, after: datetime, timezone: str = "UTC") -> list[datetime]:
    """The next ``count`` run times strictly after ``after``, as aware datetimes in ``timezone``.

    cron and at() are wall-clock times in ``timezone``. Like Scheduler, a cron time that falls in the
    skipped spring hour does not run, and one in the repeated autumn hour runs once (its first occurrence).
    rate() counts whole intervals from ``after``; it does not depend on the time zone.
    """
    zone = _zone(timezone)
    if after.tzinfo is None:
        after = after.replace(tzinfo=dt_timezone.utc)
    schedule = to_aws(expression)
    parsed = _parse_aws(schedule.expression, for_scheduler=True)
    if count <= 0:
        return []
    if isinstance(parsed, int):
        return [(after + timedelta(minutes=parsed * step)).astimezone(zone) for step in range(1, count + 1)]
    if isinstance(parsed, datetime):
        run = _resolve_local(parsed, zone)
        return [run] if run is not None and run > after else []
    return _cron_runs(parsed, count, after, zone)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ScheduleError(f"unknown time zone '{name}': use an IANA name such as Europe/Berlin or UTC") from err


def _resolve_local(local: datetime, zone: ZoneInfo) -> datetime | None:
    """The instant of a wall-clock time, or None if the clocks skip it. Ambiguous times take fold=0
    (the first occurrence), which is how the repeated autumn hour comes to run only once."""
    aware = local.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(dt_timezone.utc).astimezone(zone).replace(tzinfo=None)
    return aware if round_trip == local else None


def _cron_runs(cron: AwsCron, count: int, after: datetime, zone: ZoneInfo) -> list[datetime]:
    runs: list[datetime] = []
    # Start a day early in local time: cheaper than reasoning about which fold ``after`` is in.
    day = after.astimezone(zone).date() - timedelta(days=1)
    last_year = min(max(cron.years), YEAR_MAX)
    times = [time(hour, minute) for hour in sorted(cron.hours) for minute in sorted(cron.minutes)]
    while day.year <= last_year and len(runs) < count:
        if day.year not in cron.years:
            day = date(day.year + 1, 1, 1)
            continue
        if day.month not in cron.months:
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            continue
        if cron.fires_on(day):
            for at in times:
                run = _resolve_local(datetime.combine(day, at), zone)
                if run is not None and run > after:
                    runs.append(run)
                    if len(runs) == count:
                        break
        day += timedelta(days=1)
    return runs

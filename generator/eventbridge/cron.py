"""AWS six-field cron: parse, validate and decide which days and minutes it fires on.

The grammar is AWS's (EventBridge rules and Scheduler share it), which is Quartz's without seconds:

    minutes hours day-of-month month day-of-week year

Field ranges and allowed wildcards come from the EventBridge user guide
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html). Forms the
docs do not mention but Quartz (which AWS's cron derives from) accepts are marked "Quartz form" below;
no AWS-validated case covers them yet (unverified: one PutRule call would settle each), so they are accepted deliberately, not by accident.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # AWS numbering: SUN=1 .. SAT=7

YEAR_MIN, YEAR_MAX = 1970, 2199


class ScheduleError(ValueError):
    """A schedule expression is invalid or cannot be translated. ``str(err)`` is the reason alone."""


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names[i] stands for low + i

    def value(self, token: str) -> int:
        """One value of this field: digits or (month, day-of-week) an upper-case name."""
        if token.isdigit():
            number = int(token)
        elif token in self.names:
            number = self.low + self.names.index(token)
        elif token.upper() in self.names:
            raise ScheduleError(f"{self.name}: names must be upper case: '{token.upper()}', not '{token}'")
        else:
            allowed = f"{self.low}-{self.high}" + (f" or {self.names[0]}-{self.names[-1]}" if self.names else "")
            raise ScheduleError(f"{self.name}: '{token}' is not a value ({allowed})")
        if not self.low <= number <= self.high:
            raise ScheduleError(f"{self.name}: {number} is out of range {self.low}-{self.high}")
        return number

    @property
    def max_step(self) -> int:
        # Quartz rejects an increment larger than the field's top value ("Increment > 60 : 65");
        # the year field has no such limit beyond its span.
        return self.high - self.low + 1 if self.name == "year" else self.high


MINUTES = _Field("minutes", 0, 59)
HOURS = _Field("hours", 0, 23)
DAY_OF_MONTH = _Field("day-of-month", 1, 31)
MONTH = _Field("month", 1, 12, MONTH_NAMES)
DAY_OF_WEEK = _Field("day-of-week", 1, 7, DAY_NAMES)
YEAR = _Field("year", YEAR_MIN, YEAR_MAX)

_ITEM = re.compile(r"^(?P<base>\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/(?P<step>[^/]*))?$")


def parse_values(field: _Field, text: str) -> frozenset[int]:
    """A list of ``*``, ``v``, ``a-b``, each optionally ``/step``: the set of values it selects."""
    if text == "":
        raise ScheduleError(f"{field.name}: empty field")
    values: set[int] = set()
    for item in text.split(","):
        values |= _parse_item(field, item)
    return frozenset(values)


def _parse_item(field: _Field, item: str) -> set[int]:
    match = _ITEM.match(item)
    if not match:
        raise ScheduleError(f"{field.name}: '{item}' is not a value, range or increment")
    base, step_text = match["base"], match["step"]
    step = 1
    if step_text is not None:
        if not step_text.isdigit() or not 1 <= int(step_text) <= field.max_step:
            raise ScheduleError(f"{field.name}: increment '{step_text}' must be a whole number from 1 to {field.max_step}")
        step = int(step_text)
    if base == "*":
        start, end = field.low, field.high
    elif "-" in base:
        first, last = base.split("-")
        start, end = field.value(first), field.value(last)
        if field is YEAR and end < start:
            # Quartz wraps a backwards range only in cyclic fields (hours 22-2); years run one way.
            raise ScheduleError(f"year: range '{base}' runs backwards; years do not wrap")
    else:
        # "5/15" (Quartz form, also AWS's documented "0/15") means from 5 to the top in steps of 15.
        start = field.value(base)
        end = field.high if step_text is not None else start
    return set(_walk(field, start, end, step))


def _walk(field: _Field, start: int, end: int, step: int) -> list[int]:
    """Values from start to end by step. A range whose end is below its start wraps past the top
    of the field (Quartz form: hours 22-2 is 22,23,0,1,2)."""
    if start <= end:
        return list(range(start, end + 1, step))  # no wrap: the same values, without the modulo per value
    span = field.high - field.low + 1
    length = (end - start) % span + 1
    return [field.low + (start - field.low + offset) % span for offset in range(0, length, step)]


# --- day-of-month and day-of-week: the fields with '?', 'L', 'W' and '#' -------------------------------


@dataclass(frozen=True)
class DaySpec:
    """What one of the two day fields asks for. ``kind`` is one of:
    'any' ('?'), 'values' (a set), 'last' (L), 'last_minus' (L-n), 'last_weekday' (LW),
    'nearest_weekday' (nW), 'last_dow' (nL), 'nth_dow' (n#k)."""

    kind: str
    values: frozenset[int] = frozenset()
    number: int = 0  # n in L-n, nW, nL, n#k
    nth: int = 0  # k in n#k


def parse_day_of_month(text: str) -> DaySpec:
    if text == "?":
        return DaySpec("any")
    if text == "L":
        return DaySpec("last")
    if text == "LW":
        return DaySpec("last_weekday")  # Quartz form
    if match := re.fullmatch(r"L-(\d+)", text):  # Quartz form: n days before the last day
        offset = int(match[1])
        if not 1 <= offset <= 30:
            raise ScheduleError(f"day-of-month: 'L-{offset}' must be L-1 to L-30")
        return DaySpec("last_minus", number=offset)
    if match := re.fullmatch(r"(\d+)W", text):
        return DaySpec("nearest_weekday", number=DAY_OF_MONTH.value(match[1]))
    if "," in text and any(special in text for special in "LW?"):
        raise ScheduleError(
            f"day-of-month: '{text}': '?', 'L', 'L-n', 'LW' and 'nW' must stand alone in the field")
    return DaySpec("values", parse_values(DAY_OF_MONTH, text))


def parse_day_of_week(text: str) -> DaySpec:
    if text == "?":
        return DaySpec("any")
    if text == "L":
        # Alone, L is the last day of the week, i.e. "7" or "SAT": every Saturday, not the last Saturday of
        # the month (that is 7L). Quartz CronExpression documents it so, and AWS's cron derives from Quartz.
        return DaySpec("values", frozenset({7}))
    if "#" in text:
        if "," in text:
            raise ScheduleError(f"day-of-week: '{text}': a field that uses '#' may hold only one expression")
        match = re.fullmatch(r"([A-Z0-9]+)#(\d+)", text)
        if not match:
            raise ScheduleError(f"day-of-week: '{text}' must be DAY#N, e.g. MON#1 or 2#1")
        nth = int(match[2])
        if not 1 <= nth <= 5:
            raise ScheduleError(f"day-of-week: '{text}': the N in DAY#N must be 1 to 5")
        return DaySpec("nth_dow", number=DAY_OF_WEEK.value(match[1]), nth=nth)
    if match := re.fullmatch(r"([A-Z0-9]+)L", text):  # 6L / FRIL: the last Friday of the month
        return DaySpec("last_dow", number=DAY_OF_WEEK.value(match[1]))
    if "L" in text:  # no day name contains an L, so any L here is the wildcard used in a list
        raise ScheduleError(f"day-of-week: '{text}': 'L' and 'nL' must stand alone in the field")
    if "?" in text:
        raise ScheduleError(f"day-of-week: '{text}': '?' must stand alone in the field")
    return DaySpec("values", parse_values(DAY_OF_WEEK, text))


def aws_weekday(day: date) -> int:
    """AWS day-of-week number: SUN=1 .. SAT=7 (Python's weekday() is MON=0 .. SUN=6)."""
    return (day.weekday() + 1) % 7 + 1


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _nearest_weekday(year: int, month: int, target: int) -> int | None:
    """The weekday nearest to ``target`` without leaving the month (the 'W' rule)."""
    last = calendar.monthrange(year, month)[1]
    if target > last:
        return None  # 31W in a 30-day month never fires (Quartz)
    weekday = date(year, month, target).weekday()  # MON=0
    if weekday == 5:  # Saturday: Friday before, or Monday after if the 1st
        return target - 1 if target > 1 else target + 2
    if weekday == 6:  # Sunday: Monday after, or Friday before if that leaves the month
        return target + 1 if target < last else target - 2
    return target


def day_matches(spec: DaySpec, day: date, *, of_week: bool) -> bool:
    if spec.kind == "values":
        return (aws_weekday(day) if of_week else day.day) in spec.values
    last = _last_day(day)
    if spec.kind == "last":
        return day.day == last
    if spec.kind == "last_minus":
        return day.day == last - spec.number
    if spec.kind == "last_weekday":
        return day.day == _nearest_weekday(day.year, day.month, last)
    if spec.kind == "nearest_weekday":
        return day.day == _nearest_weekday(day.year, day.month, spec.number)
    if spec.kind == "last_dow":
        return aws_weekday(day) == spec.number and day.day + 7 > last
    if spec.kind == "nth_dow":
        return aws_weekday(day) == spec.number and (day.day - 1) // 7 + 1 == spec.nth
    return True  # 'any'


# --- the whole expression ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AwsCron:
    minutes: frozenset[int]
    hours: frozenset[int]
    day_of_month: DaySpec
    months: frozenset[int]
    day_of_week: DaySpec
    years: frozenset[int]

    def fires_on(self, day: date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.day_of_month.kind == "any":
            return day_matches(self.day_of_week, day, of_week=True)
        return day_matches(self.day_of_month, day, of_week=False)


def parse_cron_fields(body: str) -> AwsCron:
    """The text between ``cron(`` and ``)``: six fields separated by spaces."""
    if body != body.strip():
        raise ScheduleError("cron(...) must not have spaces just inside its parentheses")
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError(
            f"cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}")
    minutes, hours, dom, month, dow, year = fields
    if dom != "?" and dow != "?":
        raise ScheduleError("day-of-month and day-of-week cannot both be set: one of them must be '?'")
    if dom == "?" and dow == "?":
        raise ScheduleError("day-of-month and day-of-week cannot both be '?': set one of them (use * for every day)")
    return AwsCron(
        minutes=parse_values(MINUTES, minutes),
        hours=parse_values(HOURS, hours),
        day_of_month=parse_day_of_month(dom),
        months=parse_values(MONTH, month),
        day_of_week=parse_day_of_week(dow),
        years=parse_values(YEAR, year),
    )

"""Schedules: AWS-recorded validity, Unix/shorthand translation, next runs (DST, L, W, #, years)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from support import load_data

from generator.eventbridge.schedule import AwsSchedule, ScheduleError, next_runs, to_aws, validate_aws

# Recorded PutRule / CreateSchedule results (tests/data/schedules.json, from LocalStack's snapshots): the
# rules ListRules returned and the cron cases. The invalid rate cases of test_events_schedule.py left no
# snapshot, so they are copied from the EventBridge user guide
# (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html).
RECORDED = load_data("schedules.json")
RULE_VALID = RECORDED["rule"]["valid"]
RULE_INVALID = [
    "rate(10 seconds)", "rate(10 years)", "rate(1 minutes)", "rate(1 hours)", "rate(1 days)", "rate(10 minute)",
    "rate(10 hour)", "rate(10 day)", "rate()", "rate(10)", "rate(10 minutess)", "rate(foo minutes)",
    "rate(0 minutes)", "rate(-10 minutes)", "rate(10 MINUTES)", "rate( 10 minutes )", " rate(10 minutes)",
] + RECORDED["rule"]["invalid"]
# tests_create_schedule_with_valid_schedule_expression is not parametrized; its expression is in the Scheduler user guide (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
SCHEDULER_VALID = ["at(2022-12-31T23:59:59)"] + RECORDED["scheduler"]["valid"]
SCHEDULER_INVALID = RECORDED["scheduler"]["invalid"]


def test_peer_lists_have_the_recorded_sizes():
    # the recorded lists (tests/data/schedules.json): 1 valid rate + 16 valid cron, 17 invalid rate + 5 invalid cron; Scheduler 7 + 17.
    assert (len(set(RULE_VALID)), len(RULE_INVALID)) == (18, 22)  # 17 documented + the list-rules cron(0 20 ...)
    assert (len(SCHEDULER_VALID), len(SCHEDULER_INVALID)) == (7, 17)


@pytest.mark.parametrize("expr", RULE_VALID, ids=repr)
def test_aws_accepted_rule_expression(expr):
    validate_aws(expr, for_scheduler=False)
    validate_aws(expr, for_scheduler=True)


@pytest.mark.parametrize("expr", RULE_INVALID, ids=repr)
def test_aws_rejected_rule_expression(expr):
    with pytest.raises(ScheduleError):
        validate_aws(expr, for_scheduler=False)


@pytest.mark.parametrize("expr", SCHEDULER_VALID, ids=repr)
def test_aws_accepted_scheduler_expression(expr):
    validate_aws(expr, for_scheduler=True)


@pytest.mark.parametrize("expr", SCHEDULER_INVALID, ids=repr)
def test_aws_rejected_scheduler_expression(expr):
    with pytest.raises(ScheduleError):
        validate_aws(expr, for_scheduler=True)


@pytest.mark.parametrize(
    "expr, reason",
    [
        ("cron(0 1 * * * *)", "day-of-month and day-of-week cannot both be set: one of them must be '?'"),
        ("cron(0 1 ? * ? *)", "day-of-month and day-of-week cannot both be '?': set one of them (use * for every day)"),
        ("cron(71 8 1 * ? *)", "minutes: 71 is out of range 0-59"),
        ("cron(0 24 * * ? *)", "hours: 24 is out of range 0-23"),
        ("cron(0 0 32 * ? *)", "day-of-month: 32 is out of range 1-31"),
        ("cron(0 0 ? 13 * *)", "month: 13 is out of range 1-12"),
        ("cron(0 0 ? * 8 *)", "day-of-week: 8 is out of range 1-7"),
        ("cron(0 0 ? * 0 *)", "day-of-week: 0 is out of range 1-7"),
        ("cron(0 0 * * ? 1969)", "year: 1969 is out of range 1970-2199"),
        ("cron(0 0 * * ? 2200)", "year: 2200 is out of range 1970-2199"),
        ("cron(0 0 * * ? 2025-2024)", "year: range '2025-2024' runs backwards; years do not wrap"),
        ("cron(0 0 * * ? 2030-1999/2)", "year: range '2030-1999' runs backwards; years do not wrap"),
        ("cron(0 0 ? * mon *)", "day-of-week: names must be upper case: 'MON', not 'mon'"),
        ("cron(0 0 ? * 3#1,6#3 *)", "day-of-week: '3#1,6#3': a field that uses '#' may hold only one expression"),
        ("cron(0 0 ? * 3#6 *)", "day-of-week: '3#6': the N in DAY#N must be 1 to 5"),
        ("cron(0 0 ? * L,MON *)", "day-of-week: 'L,MON': 'L' and 'nL' must stand alone in the field"),
        ("cron(0 0 L,15 * ? *)", "day-of-month: 'L,15': '?', 'L', 'L-n', 'LW' and 'nW' must stand alone in the field"),
        ("cron(0 0 W * ? *)", "day-of-month: 'W' is not a value (1-31)"),
        ("cron(0/0 * * * ? *)", "minutes: increment '0' must be a whole number from 1 to 59"),
        ("cron(0/60 * * * ? *)", "minutes: increment '60' must be a whole number from 1 to 59"),
        ("cron(0 0 * * ?)", "cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got 5"),
        ("cron( 0 0 * * ? *)", "cron(...) must not have spaces just inside its parentheses"),
        ("rate(10 seconds)", "rate unit 'seconds' must be minute(s), hour(s) or day(s); schedules have one-minute precision"),
        ("rate(1 minutes)", "a rate of 1 takes the singular unit: rate(1 minute)"),
        ("rate(10 hour)", "a rate of 10 takes the plural unit: rate(10 hours)"),
        ("rate(0 minutes)", "rate value '0' must be a positive whole number"),
        ("at(2027-01-01T09:00:00)", "at() one-time schedules need EventBridge Scheduler; rules accept only cron() and rate()"),
        ("every day", "'every day' is not cron(...) or rate(...)"),
    ],
)
def test_rule_rejection_reasons(expr, reason):
    with pytest.raises(ScheduleError) as err:
        validate_aws(expr, for_scheduler=False)
    assert str(err.value) == reason


@pytest.mark.parametrize(
    "expr, reason",
    [
        ("at(2021-12-31T23:59:59Z)", "at(2021-12-31T23:59:59Z) must be at(yyyy-mm-ddThh:mm:ss) with no zone suffix; "
                                     "set the time zone separately"),
        ("at(2021-02-30T00:00:00)", "at(2021-02-30T00:00:00) is not a real date and time: day is out of range for month"),
    ],
)
def test_scheduler_rejection_reasons(expr, reason):
    with pytest.raises(ScheduleError) as err:
        validate_aws(expr, for_scheduler=True)
    assert str(err.value) == reason


@pytest.mark.parametrize(
    "expr",
    [
        "cron(0 10 L * ? *)", "cron(0 10 LW * ? *)", "cron(0 10 15W * ? *)", "cron(0 10 L-3 * ? *)",
        "cron(0 10 ? * L *)", "cron(0 10 ? * FRIL *)", "cron(0 10 ? * MON#1 *)", "cron(0 22-2 * * ? *)",
        "cron(5/10 * * * ? *)", "cron(0 0 1 JAN-MAR,OCT ? 2025/2)", "cron(0 0 ? * SUN,SAT *)",
    ],
    ids=repr,
)
def test_documented_and_quartz_forms_are_accepted(expr):
    validate_aws(expr, for_scheduler=False)


def test_expression_length_limit():
    with pytest.raises(ScheduleError, match="AWS allows 256"):
        validate_aws("cron(" + ",".join(["0"] * 130) + " * * * ? *)", for_scheduler=False)


# --- translation -------------------------------------------------------------------------------------

TRANSLATIONS = [
    # (what the user writes, the AWS expression)
    ("cron(0 2 * * ? *)", "cron(0 2 * * ? *)"),
    ("rate(5 minutes)", "rate(5 minutes)"),
    ("@hourly", "cron(0 * * * ? *)"),
    ("@daily", "cron(0 0 * * ? *)"),
    ("@midnight", "cron(0 0 * * ? *)"),
    ("@weekly", "cron(0 0 ? * SUN *)"),
    ("@monthly", "cron(0 0 1 * ? *)"),
    ("@yearly", "cron(0 0 1 1 ? *)"),
    ("@annually", "cron(0 0 1 1 ? *)"),
    ("@every 7m", "rate(7 minutes)"),
    ("@every 1m", "rate(1 minute)"),
    ("@every 60s", "rate(1 minute)"),
    ("@every 1h30m", "rate(90 minutes)"),
    ("@every 1.5h", "rate(90 minutes)"),
    ("@every 2h", "rate(2 hours)"),
    ("@every 1h", "rate(1 hour)"),
    ("@every 24h", "rate(1 day)"),
    ("@every 72h", "rate(3 days)"),
    ("* * * * *", "cron(* * * * ? *)"),
    ("*/15 * * * *", "cron(0/15 * * * ? *)"),
    ("0 */2 * * *", "cron(0 0/2 * * ? *)"),  # every 2 hours stays every 2 hours: 0,2,4..22
    ("0 9-17/2 * * *", "cron(0 9-17/2 * * ? *)"),
    ("5,35 14 * * *", "cron(5,35 14 * * ? *)"),
    ("30 4 1,15 * *", "cron(30 4 1,15 * ? *)"),
    ("0 0 */2 * *", "cron(0 0 1/2 * ? *)"),
    ("0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"),
    ("0 0 1 jan,jul *", "cron(0 0 1 JAN,JUL ? *)"),
    ("0 18 * * 1-5", "cron(0 18 ? * MON-FRI *)"),
    ("0 18 * * mon-fri", "cron(0 18 ? * MON-FRI *)"),
    ("0 0 * * 0", "cron(0 0 ? * SUN *)"),
    ("0 0 * * 7", "cron(0 0 ? * SUN *)"),  # Unix 7 is Sunday too
    ("0 0 * * 6", "cron(0 0 ? * SAT *)"),  # Unix 6 = SAT = AWS 7
    ("0 0 * * 5-7", "cron(0 0 ? * SUN,FRI,SAT *)"),  # FRI..SUN wraps in AWS numbering: written as a list
    ("0 0 * * */2", "cron(0 0 ? * SUN,TUE,THU,SAT *)"),  # Unix 0,2,4,6
    ("0 0 * * 1-5/2", "cron(0 0 ? * MON,WED,FRI *)"),
    ("0 0 * * 0-6", "cron(0 0 * * ? *)"),  # every day of the week
    ("0 12 * * sat,sun", "cron(0 12 ? * SUN,SAT *)"),
    # A step past the field's span selects only its start; AWS refuses such steps, so the value is written.
    ("*/90 * * * *", "cron(0 * * * ? *)"),
    ("0 */24 * * *", "cron(0 0 * * ? *)"),
    ("0 0 1 */13 *", "cron(0 0 1 1 ? *)"),
    # Vixie cron: a day field starting with '*' means "both must match", and "*/1" selects every day, so
    # only the other field restricts; neither starting with '*' means "either", and a full field is every day.
    ("0 0 */1 * 1", "cron(0 0 ? * MON *)"),
    ("0 0 15 * */1", "cron(0 0 15 * ? *)"),
    ("0 0 15 * 0-6", "cron(0 0 * * ? *)"),
    ("0 0 1-31 * 1", "cron(0 0 * * ? *)"),
]


@pytest.mark.parametrize("source, expected", TRANSLATIONS, ids=[case[0] for case in TRANSLATIONS])
def test_translation(source, expected):
    schedule = to_aws(source)
    assert schedule == AwsSchedule(expected, expected.split("(")[0], False, source)
    validate_aws(schedule.expression, for_scheduler=False)


def _vixie_fires(fields: list[str], day) -> bool:
    """Vixie cron's day rule, the reference: a day field that starts with '*' makes the two AND, else OR."""
    from generator.eventbridge.schedule import _unix_values

    _, _, dom, month, dow = fields
    if day.month not in _unix_values("month", month):
        return False
    on_dom = day.day in _unix_values("day-of-month", dom)
    on_dow = (day.weekday() + 1) % 7 in {value % 7 for value in _unix_values("day-of-week", dow)}
    return (on_dom and on_dow) if dom.startswith("*") or dow.startswith("*") else (on_dom or on_dow)


def _random_unix(rng: random.Random) -> list[str]:
    def item(low, high):
        first = rng.randint(low, high)
        last = rng.randint(first, high)
        return rng.choice(["*", f"*/{rng.randint(1, high + 30)}", str(first), f"{first}-{last}",
                           f"{first}-{last}/{rng.randint(1, high + 30)}"])

    def field(low, high):
        return ",".join(item(low, high) for _ in range(rng.choice([1, 1, 2])))

    return [field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7)]


def test_unix_translation_keeps_the_meaning_or_refuses_at_unix_level():
    # Seeded differential check against a Vixie-cron reference: every day of 2025 and 2028 (leap year),
    # and the minute and hour sets; a refusal must give a Unix-level reason, never an AWS-field message.
    from generator.eventbridge.cron import parse_cron_fields
    from generator.eventbridge.schedule import _unix_values

    rng = random.Random(20250101)
    days = [date(2025, 1, 1) + timedelta(days=offset) for offset in range(365)]
    days += [date(2028, 1, 1) + timedelta(days=offset) for offset in range(366)]
    translated = 0
    for _ in range(300):
        fields = _random_unix(rng)
        try:
            expression = to_aws(" ".join(fields)).expression
        except ScheduleError as err:
            assert "AWS cron expression can restrict only one" in str(err) or "AWS cron cannot express" in str(err)
            continue
        translated += 1
        cron = parse_cron_fields(expression[len("cron("):-1])
        assert cron.minutes == _unix_values("minute", fields[0]), (fields, expression)
        assert cron.hours == _unix_values("hour", fields[1]), (fields, expression)
        assert [cron.fires_on(day) for day in days] == [_vixie_fires(fields, day) for day in days], (fields, expression)
    assert translated > 100


def test_at_needs_scheduler():
    assert to_aws("at(2027-01-01T09:00:00)") == AwsSchedule("at(2027-01-01T09:00:00)", "at", True,
                                                           "at(2027-01-01T09:00:00)")


REFUSALS = [
    ("@every 90s", "@every 90s is not a whole number of minutes: EventBridge schedules have one-minute precision"),
    ("@every 30s", "@every 30s is not a whole number of minutes: EventBridge schedules have one-minute precision"),
    ("@every 0m", "@every 0m: the interval must be at least one minute"),
    ("@every 1d", "@every '1d' is not a duration like 15m, 2h or 1h30m"),
    ("@reboot", "@reboot has no AWS equivalent: a batch job has no machine that boots"),
    ("@fortnightly", "unknown shorthand '@fortnightly': use @hourly, @daily, @weekly, @monthly, @yearly, @annually "
                     "or @every <duration>"),
    ("0 0 1 * 1", "Unix cron runs when day-of-month '1' OR day-of-week '1' matches; AWS cron cannot express that "
                  "(one of the two must be '?'): keep one as '*' or split the schedule in two"),
    ("0 0 */2 * 1", "day-of-month '*/2' and day-of-week '1' must both match in Unix cron, and an AWS cron expression "
                    "can restrict only one of them: keep one as '*' or split the schedule in two"),
    ("60 * * * *", "Unix cron minute: 60 is out of range 0-59"),
    ("0 0 * * 8", "Unix cron day-of-week: 8 is out of range 0-7"),
    ("0 0 0 * *", "Unix cron day-of-month: 0 is out of range 1-31"),
    ("5/10 * * * *", "Unix cron minute: '5/10' is not standard cron; write the range, e.g. '5-59/10'"),
    ("0 17-9 * * *", "Unix cron hour: range '17-9' runs backwards"),
    ("0 0 L * *", "Unix cron day-of-month: 'L' is not a value (1-31)"),
    ("0 0 * * ? *", "'0 0 * * ? *' has 6 fields: write an AWS cron expression as cron(0 0 * * ? *)"),
    ("0 0 * * * *", "'0 0 * * * *' has 6 fields, like an AWS cron expression without cron(...), but "
                    "cron(0 0 * * * *) would be invalid too: day-of-month and day-of-week cannot both be set: one of "
                    "them must be '?'"),
    (" cron(0 0 * * ? *)", "' cron(0 0 * * ? *)' has white space around it, which AWS rejects: write "
                           "'cron(0 0 * * ? *)'"),
    ("rate(5 minutes) ", "'rate(5 minutes) ' has white space around it, which AWS rejects: write 'rate(5 minutes)'"),
    ("daily", "'daily' is not a schedule: use cron(...), rate(...), at(...), a 5-field Unix cron, "
              "@hourly/@daily/@weekly/@monthly/@yearly or @every <duration>"),
    ("cron(0 1 * * * *)", "day-of-month and day-of-week cannot both be set: one of them must be '?'"),
    ("rate(1 hours)", "a rate of 1 takes the singular unit: rate(1 hour)"),
]


@pytest.mark.parametrize("source, reason", REFUSALS, ids=[case[0] for case in REFUSALS])
def test_refusal_reason(source, reason):
    with pytest.raises(ScheduleError) as err:
        to_aws(source)
    assert str(err.value) == reason


# --- next runs ---------------------------------------------------------------------------------------

UTC = timezone.utc


def _runs(expr, after, count=5, tz="UTC"):
    return [run.isoformat() for run in next_runs(expr, count=count, after=after, timezone=tz)]


def test_next_runs_daily_utc():
    assert _runs("cron(0 2 * * ? *)", datetime(2025, 1, 1, 2, 0, tzinfo=UTC), 3) == [
        "2025-01-02T02:00:00+00:00", "2025-01-03T02:00:00+00:00", "2025-01-04T02:00:00+00:00"]


def test_next_runs_are_strictly_after():
    assert _runs("cron(0/15 * * * ? *)", datetime(2025, 1, 1, 10, 15, 30, tzinfo=UTC), 2) == [
        "2025-01-01T10:30:00+00:00", "2025-01-01T10:45:00+00:00"]


def test_rate_counts_from_after():
    assert _runs("rate(90 minutes)", datetime(2025, 1, 1, 10, 7, tzinfo=UTC), 3) == [
        "2025-01-01T11:37:00+00:00", "2025-01-01T13:07:00+00:00", "2025-01-01T14:37:00+00:00"]


def test_rate_ignores_dst_but_reports_in_the_zone():
    # 24 h of elapsed time across the spring change: 02:00 EST -> 03:00 EDT on the wall clock.
    assert _runs("rate(1 day)", datetime(2024, 3, 9, 7, 0, tzinfo=UTC), 1, "America/New_York") == [
        "2024-03-10T03:00:00-04:00"]


def test_spring_forward_skips_the_missing_hour_new_york():
    # 2024-03-10 02:00 EST jumps to 03:00 EDT: 02:30 does not exist that day, so that run is skipped.
    assert _runs("cron(30 2 * * ? *)", datetime(2024, 3, 9, 12, tzinfo=UTC), 3, "America/New_York") == [
        "2024-03-11T02:30:00-04:00", "2024-03-12T02:30:00-04:00", "2024-03-13T02:30:00-04:00"]


def test_fall_back_runs_the_repeated_hour_once_new_york():
    # 2024-11-03 01:00-02:00 happens twice; each wall time runs once, in its first (EDT) occurrence.
    assert _runs("cron(0/30 1 * * ? *)", datetime(2024, 11, 2, 12, tzinfo=UTC), 4, "America/New_York") == [
        "2024-11-03T01:00:00-04:00", "2024-11-03T01:30:00-04:00",
        "2024-11-04T01:00:00-05:00", "2024-11-04T01:30:00-05:00"]


def test_hourly_across_spring_forward_berlin():
    # 2025-03-30 02:00 CET -> 03:00 CEST: the 02:xx run disappears, every other hour runs.
    assert _runs("cron(15 * * * ? *)", datetime(2025, 3, 30, 0, 0, tzinfo=ZoneInfo("Europe/Berlin")), 3,
                 "Europe/Berlin") == [
        "2025-03-30T00:15:00+01:00", "2025-03-30T01:15:00+01:00", "2025-03-30T03:15:00+02:00"]


def test_hourly_across_fall_back_berlin():
    # 2025-10-26 03:00 CEST -> 02:00 CET: 02:15 happens twice on the wall clock but runs once.
    assert _runs("cron(15 * * * ? *)", datetime(2025, 10, 26, 0, 0, tzinfo=ZoneInfo("Europe/Berlin")), 4,
                 "Europe/Berlin") == [
        "2025-10-26T00:15:00+02:00", "2025-10-26T01:15:00+02:00", "2025-10-26T02:15:00+02:00",
        "2025-10-26T03:15:00+01:00"]


def test_after_inside_the_repeated_hour_does_not_repeat_a_run():
    second_pass = datetime(2024, 11, 3, 6, 10, tzinfo=UTC)  # 01:10 EST, the second 01:10 of the night
    assert _runs("cron(0/30 1 * * ? *)", second_pass, 1, "America/New_York") == ["2024-11-04T01:00:00-05:00"]


def test_last_day_of_month():
    assert _runs("cron(0 12 L * ? *)", datetime(2024, 1, 1, tzinfo=UTC), 3) == [
        "2024-01-31T12:00:00+00:00", "2024-02-29T12:00:00+00:00", "2024-03-31T12:00:00+00:00"]


def test_last_day_minus_n():
    assert _runs("cron(0 12 L-2 * ? *)", datetime(2025, 2, 1, tzinfo=UTC), 2) == [
        "2025-02-26T12:00:00+00:00", "2025-03-29T12:00:00+00:00"]


def test_nearest_weekday():
    # 2025-03-15 is a Saturday -> Friday 14th; 2025-06-15 a Sunday -> Monday 16th; 2025-02-01 a Saturday
    # and the 1st -> Monday 3rd (W never leaves the month).
    assert _runs("cron(0 9 15W * ? *)", datetime(2025, 3, 1, tzinfo=UTC), 4) == [
        "2025-03-14T09:00:00+00:00", "2025-04-15T09:00:00+00:00", "2025-05-15T09:00:00+00:00",
        "2025-06-16T09:00:00+00:00"]
    assert _runs("cron(0 9 1W * ? *)", datetime(2025, 1, 31, tzinfo=UTC), 1) == ["2025-02-03T09:00:00+00:00"]


def test_last_weekday_of_month():
    # 2025-05-31 is a Saturday -> Friday 30th; 2025-08-31 a Sunday -> Friday 29th.
    assert _runs("cron(0 9 LW 5,8 ? 2025)", datetime(2025, 1, 1, tzinfo=UTC), 2) == [
        "2025-05-30T09:00:00+00:00", "2025-08-29T09:00:00+00:00"]


def test_last_friday_with_past_years_never_runs_again():
    assert _runs("cron(15 10 ? * 6L 2002-2005)", datetime(2025, 1, 1, tzinfo=UTC)) == []


def test_last_friday_of_month():
    assert _runs("cron(15 10 ? * 6L 2025-2026)", datetime(2025, 1, 1, tzinfo=UTC), 3) == [
        "2025-01-31T10:15:00+00:00", "2025-02-28T10:15:00+00:00", "2025-03-28T10:15:00+00:00"]


def test_day_of_week_l_alone_is_every_saturday():
    # Quartz: "L" alone in day-of-week means 7 (SAT), every week; the last Saturday of the month is 7L.
    assert _runs("cron(0 10 ? * L *)", datetime(2025, 1, 1, tzinfo=UTC), 3) == [
        "2025-01-04T10:00:00+00:00", "2025-01-11T10:00:00+00:00", "2025-01-18T10:00:00+00:00"]
    assert _runs("cron(0 10 ? * 7L *)", datetime(2025, 1, 1, tzinfo=UTC), 2) == [
        "2025-01-25T10:00:00+00:00", "2025-02-22T10:00:00+00:00"]


def test_nth_weekday():
    assert _runs("cron(0 2 ? * SAT#3 *)", datetime(2025, 1, 1, tzinfo=UTC), 3) == [
        "2025-01-18T02:00:00+00:00", "2025-02-15T02:00:00+00:00", "2025-03-15T02:00:00+00:00"]


def test_fifth_weekday_skips_months_without_one():
    assert _runs("cron(0 0 ? * MON#5 2025)", datetime(2025, 1, 1, tzinfo=UTC), 3) == [
        "2025-03-31T00:00:00+00:00", "2025-06-30T00:00:00+00:00", "2025-09-29T00:00:00+00:00"]


def test_year_range_ends():
    assert _runs("cron(0/5 5 ? JAN 1-5 2022)", datetime(2021, 12, 31, tzinfo=UTC), 3) == [
        "2022-01-02T05:00:00+00:00", "2022-01-02T05:05:00+00:00", "2022-01-02T05:10:00+00:00"]
    assert len(next_runs("cron(0 0 1 1 ? 2026-2028)", count=10, after=datetime(2025, 6, 1, tzinfo=UTC))) == 3


def test_leap_day_only():
    assert _runs("cron(0 0 29 2 ? *)", datetime(2025, 1, 1, tzinfo=UTC), 2) == [
        "2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"]


def test_weekdays_in_a_time_zone():
    assert _runs("cron(0 18 ? * MON-FRI *)", datetime(2025, 1, 3, 0, 0, tzinfo=UTC), 3, "Europe/Berlin") == [
        "2025-01-03T18:00:00+01:00", "2025-01-06T18:00:00+01:00", "2025-01-07T18:00:00+01:00"]


def test_next_runs_accepts_what_to_aws_accepts():
    assert _runs("0 */2 * * *", datetime(2025, 1, 1, 1, 0, tzinfo=UTC), 2) == [
        "2025-01-01T02:00:00+00:00", "2025-01-01T04:00:00+00:00"]


def test_at_runs_once_in_its_zone():
    assert _runs("at(2027-01-01T09:00:00)", datetime(2025, 1, 1, tzinfo=UTC), 3, "Europe/Berlin") == [
        "2027-01-01T09:00:00+01:00"]
    assert _runs("at(2022-12-31T23:59:59)", datetime(2025, 1, 1, tzinfo=UTC)) == []


def test_unknown_time_zone():
    with pytest.raises(ScheduleError, match="unknown time zone 'Mars/Base'"):
        next_runs("rate(1 hour)", count=1, after=datetime(2025, 1, 1, tzinfo=UTC), timezone="Mars/Base")

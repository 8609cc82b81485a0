"""The two shortcuts that make checking 1,000 schedule triggers cheap change no answer.

- ``cron._walk`` lists a range that does not wrap with ``range`` instead of a modulo per value;
- ``schedule._parse_aws`` remembers what it parsed (its results are immutable); errors are not
  remembered, so a bad expression is refused every time with the same message.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.eventbridge import cron, schedule
from generator.eventbridge.schedule import ScheduleError, validate_aws

FIELDS = [cron.MINUTES, cron.HOURS, cron.DAY_OF_MONTH, cron.MONTH, cron.DAY_OF_WEEK, cron.YEAR]


def _walk_by_modulo(field, start: int, end: int, step: int) -> list[int]:
    """The definition: from start to end by step, wrapping past the top of the field."""
    span = field.high - field.low + 1
    length = (end - start) % span + 1
    return [field.low + (start - field.low + offset) % span for offset in range(0, length, step)]


@given(st.sampled_from(FIELDS), st.data())
def test_walk_is_the_modulo_walk(field, data):
    start = data.draw(st.integers(field.low, field.high))
    end = data.draw(st.integers(field.low, field.high))
    step = data.draw(st.integers(1, field.high - field.low + 1))
    assert cron._walk(field, start, end, step) == _walk_by_modulo(field, start, end, step)


def test_walk_still_wraps():
    assert cron._walk(cron.HOURS, 22, 2, 1) == [22, 23, 0, 1, 2]


def test_a_remembered_parse_is_the_parse():
    expression = "cron(5/15 9-17 ? * MON-FRI 2026-2030)"
    first = schedule._parse_aws(expression, for_scheduler=False)
    schedule._parse_aws.cache_clear()
    assert schedule._parse_aws(expression, for_scheduler=False) == first
    assert first.minutes == frozenset(range(5, 60, 15)) and first.years == frozenset(range(2026, 2031))


@pytest.mark.parametrize("attempt", [1, 2])
def test_a_bad_expression_is_refused_every_time(attempt):
    with pytest.raises(ScheduleError, match="needs 6 fields"):
        validate_aws("cron(0 2 * * ?)", for_scheduler=False)

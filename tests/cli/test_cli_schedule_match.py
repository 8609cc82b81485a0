"""The schedule, match and generate-event verbs, run in-process: exit codes, stdout and stderr."""

from __future__ import annotations

import json

import pytest
from support import run_cli

AFTER = "2025-01-01T00:30:00Z"


# --- schedule ----------------------------------------------------------------------------------------


def test_schedule_translates_unix_cron_and_lists_runs():
    code, out, err = run_cli("schedule", "0 */2 * * *", "--after", AFTER, "--count", "3")
    assert (code, err) == (0, "")
    assert out == (
        "expression: cron(0 0/2 * * ? *)\n"
        "needs Scheduler: no (an EventBridge rule will do)\n"
        "next 3 runs (UTC):\n"
        "  2025-01-01T02:00:00+00:00\n"
        "  2025-01-01T04:00:00+00:00\n"
        "  2025-01-01T06:00:00+00:00\n"
    )


def test_schedule_in_a_time_zone_needs_scheduler_json():
    code, out, _ = run_cli("schedule", "cron(30 2 * * ? *)", "--timezone", "America/New_York",
                           "--after", "2024-03-09T12:00:00Z", "--count", "2", "--output", "json")
    assert code == 0
    assert json.loads(out) == {
        "source": "cron(30 2 * * ? *)",
        "expression": "cron(30 2 * * ? *)",
        "kind": "cron",
        "needs_scheduler": True,
        "needs_scheduler_because": "rules run in UTC only; America/New_York needs ScheduleExpressionTimezone",
        "timezone": "America/New_York",
        "timezone_note": None,
        # 2024-03-10 02:30 does not exist in New York: skipped, as Scheduler does
        "next_runs": ["2024-03-11T02:30:00-04:00", "2024-03-12T02:30:00-04:00"],
    }


def test_schedule_rate_with_a_time_zone_does_not_need_scheduler():
    code, out, err = run_cli("schedule", "rate(1 day)", "--timezone", "America/New_York",
                             "--after", "2024-03-09T07:00:00Z", "--count", "2")
    assert (code, err) == (0, "")
    assert out == (
        "expression: rate(1 day)\n"
        "needs Scheduler: no (an EventBridge rule will do)\n"
        "note: a rate has no time-zone meaning: it runs at fixed intervals from when the schedule starts, so "
        "America/New_York only changes how the run times below are written\n"
        "next 2 runs (America/New_York):\n"
        "  2024-03-10T03:00:00-04:00\n"  # 24 h after 02:00 EST is 03:00 EDT: the interval ignores DST
        "  2024-03-11T03:00:00-04:00\n"
    )


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Zulu"])
def test_schedule_utc_aliases_need_no_scheduler(zone):
    code, out, _ = run_cli("schedule", "cron(0 1 * * ? *)", "--timezone", zone, "--after", AFTER, "--count", "1",
                           "--output", "json")
    result = json.loads(out)
    assert (code, result["needs_scheduler"], result["needs_scheduler_because"], result["timezone_note"]) == (
        0, False, None, None)
    assert result["next_runs"] == ["2025-01-01T01:00:00+00:00"]


def test_schedule_at_needs_scheduler():
    code, out, _ = run_cli("schedule", "at(2027-01-01T09:00:00)", "--after", AFTER)
    assert code == 0
    assert "needs Scheduler: yes (at() is a one-time schedule)\n" in out
    assert out.endswith("next 1 run (UTC):\n  2027-01-01T09:00:00+00:00\n")


@pytest.mark.parametrize("expression", ["0 2 31 2 *", "at(2020-01-01T00:00:00)"])
def test_schedule_that_never_runs_says_so(expression):
    code, out, _ = run_cli("schedule", expression, "--after", "2026-01-01T00:00:00Z")
    assert code == 0  # valid for AWS; generate refuses a cron that never runs
    assert out.splitlines()[-1].startswith("next runs: none: ") and "never runs after 2026-01-01T00:00:00+00:00" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["0 0 1 * 1"], "error: invalid schedule '0 0 1 * 1': Unix cron runs when day-of-month '1' OR day-of-week "
                        "'1' matches; AWS cron cannot express that (one of the two must be '?'): keep one as '*' or "
                        "split the schedule in two\n"),
        (["@every 90s"], "error: invalid schedule '@every 90s': @every 90s is not a whole number of minutes: "
                         "EventBridge schedules have one-minute precision\n"),
        (["cron(0 1 * * * *)"], "error: invalid schedule 'cron(0 1 * * * *)': day-of-month and day-of-week cannot "
                                "both be set: one of them must be '?'\n"),
        (["rate(1 hour)", "--timezone", "Mars/Base"],
         "error: invalid schedule 'rate(1 hour)': unknown time zone 'Mars/Base': use an IANA name such as "
         "Europe/Berlin or UTC\n"),
        (["rate(1 hour)", "--after", "yesterday"],
         "error: --after 'yesterday' is not an ISO 8601 time, e.g. 2025-01-01T00:00:00Z\n"),
    ],
    ids=["unix dom or dow", "sub-minute every", "aws dom and dow", "unknown zone", "bad after"],
)
def test_schedule_invalid_exits_2_with_the_reason(args, message):
    code, out, err = run_cli("schedule", *args)
    assert (code, out, err) == (2, "", message)


# --- match -------------------------------------------------------------------------------------------

EVENT = {"id": "1", "source": "aws.s3", "detail-type": "Object Created", "account": "1", "region": "r",
         "time": "t", "detail": {"object": {"key": "in/a.csv"}}}


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_match(files):
    pattern = files("p.json", {"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "in/"}]}}})
    assert run_cli("match", pattern, files("e.json", EVENT)) == (0, "match\n", "")


def test_no_match(files):
    pattern = files("p.json", {"source": ["aws.ec2"]})
    assert run_cli("match", pattern, files("e.json", EVENT)) == (1, "no match\n", "")


def test_pattern_from_stdin(files):
    code, out, _ = run_cli("match", "-", files("e.json", EVENT), stdin='{"detail-type": ["Object Created"]}')
    assert (code, out) == (0, "match\n")


def test_event_from_stdin(files):
    code, out, _ = run_cli("match", files("p.json", {"source": ["aws.ec2"]}), "-", stdin=json.dumps(EVENT))
    assert (code, out) == (1, "no match\n")


def test_duplicate_keys_last_wins(files):
    pattern = files("p.json", '{"source": ["aws.ec2"], "source": ["aws.s3"]}')
    assert run_cli("match", pattern, files("e.json", EVENT))[0] == 0


@pytest.mark.parametrize(
    "pattern, reason",
    [
        ({"source": "aws.s3"}, '"source" must be an object or an array'),
        ({"source": []}, "Empty arrays are not allowed"),
        ({"n": [{"numeric": [">", 0, ">", 0]}]}, "Bad numeric range operator: >"),
        ({"n": [{"NUMERIC": ["=", 5]}]}, "Unrecognized match type NUMERIC"),
    ],
)
def test_invalid_pattern_exits_2_with_aws_reason(files, pattern, reason):
    path = files("p.json", pattern)
    code, out, err = run_cli("match", path, files("e.json", EVENT))
    assert (code, out, err) == (2, "", f"error: invalid pattern {path}: {reason}\n")


def test_unreadable_and_malformed_inputs(files, tmp_path):
    event = files("e.json", EVENT)
    code, _, err = run_cli("match", str(tmp_path / "missing.json"), event)
    assert code == 2 and err.startswith(f"error: cannot read pattern {tmp_path / 'missing.json'}: ")
    code, _, err = run_cli("match", files("p.json", {"source": ["x"]}), files("bad.json", "{not json"))
    assert code == 2 and err.startswith(f"error: event {tmp_path / 'bad.json'} is not valid JSON: ")
    code, _, err = run_cli("match", files("p.json", {"source": ["x"]}), files("list.json", "[1]"))
    assert (code, err) == (2, f"error: event {tmp_path / 'list.json'}: an event must be a JSON object\n")
    assert run_cli("match", "-", "-") == (2, "", "error: only one of PATTERN and EVENT can be read from stdin (-)\n")


def test_non_utf8_input_is_a_usage_error_naming_the_file(files, tmp_path):
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe")
    event, pattern = files("e.json", EVENT), files("p.json", {"source": ["x"]})
    reason = "not UTF-8 text (byte 0xff at offset 0); JSON must be UTF-8"
    assert run_cli("match", str(binary), event) == (2, "", f"error: cannot read pattern {binary}: {reason}\n")
    assert run_cli("match", pattern, str(binary)) == (2, "", f"error: cannot read event {binary}: {reason}\n")


def test_deeply_nested_input_is_a_usage_error_naming_the_file(files):
    deep = files("deep.json", '{"a":' * 5000 + "1" + "}" * 5000)
    event, pattern = files("e.json", EVENT), files("p.json", {"source": ["x"]})
    assert run_cli("match", deep, event) == (
        2, "", f"error: invalid pattern {deep}: Event pattern is nested too deeply to parse "
               "(AWS allows 4096 characters in all)\n")
    assert run_cli("match", pattern, deep) == (2, "", f"error: event {deep} is nested too deeply to read\n")


@pytest.mark.parametrize(
    "token, reason",
    [("NaN", "NaN is not a JSON value"), ("Infinity", "Infinity is not a JSON value"),
     ("1e400", "the number 1e400 is beyond the range of a double (it would be infinite)")],
)
def test_non_json_numbers_are_refused_in_pattern_and_event(files, token, reason):
    pattern, event = files("p.json", f'{{"a": [{token}]}}'), files("e.json", f'{{"a": {token}}}')
    good_pattern, good_event = files("good-p.json", {"source": ["x"]}), files("good-e.json", EVENT)
    assert run_cli("match", pattern, good_event) == (
        2, "", f"error: invalid pattern {pattern}: Event pattern is not valid JSON: {reason}\n")
    assert run_cli("match", good_pattern, event) == (2, "", f"error: event {event} is not valid JSON: {reason}\n")


def test_internal_error_exits_70_not_a_match_answer(files, monkeypatch):
    import generator.eventbridge.pattern as pattern_module

    def broken(pattern, event):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pattern_module, "matches", broken)
    args = ("match", files("p.json", {"source": ["x"]}), files("e.json", EVENT))
    assert run_cli(*args) == (
        70, "", "internal error: ZeroDivisionError: a bug (run with --debug for the traceback)\n")
    with pytest.raises(ZeroDivisionError):
        run_cli("--debug", *args)


# --- generate-event ----------------------------------------------------------------------------------


def test_generate_s3_upload_event_matches_an_s3_pattern(files):
    code, out, err = run_cli("generate-event", "s3-upload", "--bucket", "in-bucket", "--key", "dir/a b.csv",
                             "--size", "42")
    assert (code, err) == (0, "")
    event = json.loads(out)
    assert event["detail"]["bucket"] == {"name": "in-bucket"}
    assert event["detail"]["object"]["key"] == "dir/a b.csv" and event["detail"]["object"]["size"] == 42
    pattern = files("p.json", {"source": ["aws.s3"], "detail-type": ["Object Created"],
                               "detail": {"bucket": {"name": ["in-bucket"]}}})
    assert run_cli("match", pattern, "-", stdin=out) == (0, "match\n", "")


def test_generate_ecs_task_stopped():
    code, out, _ = run_cli("generate-event", "ecs-task-stopped", "--cluster-arn",
                           "arn:aws:ecs:eu-west-1:123456789012:cluster/batch", "--family", "report", "--exit-code", "3")
    event = json.loads(out)
    assert code == 0
    assert (event["region"], event["account"]) == ("eu-west-1", "123456789012")
    assert event["detail"]["group"] == "family:report"
    assert event["detail"]["containers"][0]["exitCode"] == 3


def test_generate_event_bad_cluster_arn():
    code, out, err = run_cli("generate-event", "ecs-task-stopped", "--cluster-arn", "batch", "--family", "f",
                             "--exit-code", "1")
    assert (code, out) == (2, "")
    assert err == "error: --cluster-arn: 'batch' is not a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)\n"


def test_generate_event_needs_a_kind():
    code, _, _ = run_cli("generate-event")
    assert code == 2

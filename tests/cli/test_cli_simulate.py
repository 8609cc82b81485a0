"""`batchjobs simulate`: which triggers an event starts, and the overrides each sends."""

import json
import os
import stat

from support import REPO, run_cli
from generator.eventbridge.samples import s3_object_created

CSV_ANALYZER = str(REPO / "config" / "csv-analyzer.yaml")


def write_event(tmp_path, event):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return str(path)


def test_matching_upload_shows_the_overrides_the_container_gets(tmp_path):
    event = write_event(tmp_path, s3_object_created("user-uploads-bucket", "in/sales 2026.csv", size=1234))
    code, out, err = run_cli("simulate", CSV_ANALYZER, "--event", event, "--output", "json")
    assert code == 0, err
    [outcome] = json.loads(out)
    assert outcome["matched"] and outcome["delivered"]
    assert outcome["overrides"] == {"containerOverrides": [{
        "name": "csv-analyzer",
        "environment": [
            {"name": "INPUT_BUCKET", "value": "user-uploads-bucket"},
            {"name": "INPUT_KEY", "value": "in/sales 2026.csv"},
            {"name": "OUTPUT_BUCKET", "value": "analysis-results-bucket"},
        ],
    }]}


def test_non_matching_event_exits_1(tmp_path):
    event = write_event(tmp_path, s3_object_created("user-uploads-bucket", "in/sales.json"))
    code, out, err = run_cli("simulate", CSV_ANALYZER, "--event", event)
    assert code == 1
    assert out.startswith("no match csv-analyzer/trigger1 [s3_upload]")
    assert "no trigger matches this event" in err


def test_event_from_stdin_and_bad_event_json(tmp_path):
    event = json.dumps(s3_object_created("user-uploads-bucket", "a.csv"))
    code, out, _ = run_cli("simulate", CSV_ANALYZER, "--event", "-", stdin=event)
    assert code == 0 and out.startswith("MATCH    csv-analyzer/trigger1")
    code, _, err = run_cli("simulate", CSV_ANALYZER, "--event", "-", stdin="{not json")
    assert code == 2 and err.startswith("error: event <stdin> is not valid JSON: ") and "line 1 column 2" in err
    # held to JSON as AWS reads it, like `match`: NaN is not a JSON value
    code, _, err = run_cli("simulate", CSV_ANALYZER, "--event", "-", stdin='{"detail": {"size": NaN}}')
    assert (code, err) == (2, "error: event <stdin> is not valid JSON: NaN is not a JSON value\n")


def test_run_starts_the_container_with_the_overridden_environment(tmp_path, monkeypatch):
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "bin" / "docker"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {calls}\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    event = write_event(tmp_path, s3_object_created("user-uploads-bucket", "in/x.csv"))
    code, _, err = run_cli("simulate", CSV_ANALYZER, "--event", event, "--run")
    assert code == 0, err
    argv = calls.read_text().splitlines()
    assert argv[:4] == ["run", "--rm", "--platform", "linux/amd64"]
    assert "INPUT_KEY=in/x.csv" in argv and "LOG_LEVEL=INFO" in argv
    assert argv[-1] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer:latest"


def test_a_schedule_shows_what_each_run_sends(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("""\
stack: stamped
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
notifications: {email: [ops@example.com]}
jobs:
  snapshot:
    image: python:3.12-slim
    triggers:
      - name: hourly
        schedule: "@hourly"
        environment: {RUN_AT: "run {$.time}", MODE: full}
      - name: quiet
        schedule: rate(1 day)
""")
    event = write_event(tmp_path, s3_object_created("user-uploads-bucket", "a.csv"))
    code, out, err = run_cli("simulate", str(spec), "--event", event)
    assert code == 1  # nothing is started by this event
    assert out.splitlines() == [
        "no match snapshot/hourly [schedule] (a schedule: not started by events; each run sends the overrides below)",
        '         RunTask overrides: {"containerOverrides": [{"environment": [{"name": "RUN_AT", "value": '
        '"run 2024-01-01T02:00:00Z"}, {"name": "MODE", "value": "full"}], "name": "snapshot"}]}',
        "no match snapshot/quiet [schedule] (a schedule: not started by events; its runs send no overrides)",
    ]

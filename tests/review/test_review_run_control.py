"""review shows a run-controlled job's state machine in words and in the diagram; other jobs as before."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from generator.plan import load_spec
from generator.resources.stack import build_template
from generator.review.diagram import mermaid
from generator.review.summary import summarize

SPEC = Path(__file__).resolve().parents[1] / "golden" / "run-control" / "spec.yaml"
NOW = datetime(2025, 3, 29, 12, 0, tzinfo=timezone.utc)


def test_the_state_machine_in_words():
    jobs = {job.name: job for job in summarize(load_spec(SPEC), NOW)}
    assert jobs["etl"].state_machine == "EtlStateMachine"
    assert jobs["etl"].run_control == [
        "skips the run (and records it) when another run of the job is still going",
        "runs the task and waits for it to stop; stops it after 7200s (counts as failed, not retried)",
        "runs a task that failed to start or exited non-zero again up to 2 more time(s), after 60s, 120s",
    ]
    assert jobs["plain"].state_machine is None and jobs["plain"].run_control == []


def test_the_diagram_routes_triggers_through_the_state_machine():
    spec = load_spec(SPEC)
    diagram = mermaid(spec, build_template(spec)[0].to_dict())
    assert "EtlNightlyRule -->|StartExecution| EtlStateMachine" in diagram
    assert "EtlBerlinMorningSchedule -->|StartExecution| EtlStateMachine" in diagram
    assert "EtlStateMachine -->|runTask.sync| EtlTaskDefinition" in diagram
    assert "EtlStateMachine -.-> EtlExecutionsTimedOutAlarm" in diagram
    assert "PlainTrigger1Rule -->|RunTask| PlainTaskDefinition" in diagram
    assert "PlainTaskDefinition -.->|\"exit code not 0 / failed to start / Spot interruption\"| PlainTaskFailedRule" in diagram

"""status's summary of one execution from its history events (GetExecutionHistory's HistoryEvent shape:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html). moto records no
state history for a deployed definition, so the events are written here in that documented shape; the
`cause` of a failed .sync task is not documented and is assumed to be the DescribeTasks task (unverified)."""

from __future__ import annotations

import json

from generator.aws.states import summarise_history


def scheduled():
    return {"type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "ecs", "resource": "runTask.sync"}}


def failed(code):
    return {"type": "TaskFailed", "taskFailedEventDetails": {
        "error": "States.TaskFailed", "cause": json.dumps({"Containers": [{"ExitCode": code}]})}}


def succeeded(code):
    return {"type": "TaskSucceeded", "taskSucceededEventDetails": {"output": json.dumps({"Containers": [{"ExitCode": code}]})}}


def test_retried_then_succeeded():
    summary = summarise_history([scheduled(), failed(3), scheduled(), succeeded(0)])
    assert summary == {"attempts": 2, "skipped": False, "timed_out": False, "exit_code": 0}


def test_failed_after_retries_keeps_the_last_exit_code():
    summary = summarise_history([scheduled(), failed(3), scheduled(), failed(4)])
    assert summary["attempts"] == 2 and summary["exit_code"] == 4


def test_skipped():
    events = [{"type": "TaskScheduled", "taskScheduledEventDetails": {"resourceType": "aws-sdk:sfn"}},
              {"type": "PassStateExited", "stateExitedEventDetails": {"name": "Skipped"}}]
    assert summarise_history(events) == {"attempts": 0, "skipped": True, "timed_out": False, "exit_code": None}


def test_timed_out():
    summary = summarise_history([scheduled(), {"type": "TaskTimedOut", "taskTimedOutEventDetails": {"error": "States.Timeout"}}])
    assert summary["timed_out"] is True and summary["attempts"] == 1 and summary["exit_code"] is None


def test_an_undocumented_cause_gives_no_exit_code():
    events = [scheduled(), {"type": "TaskFailed", "taskFailedEventDetails": {"cause": "not json"}}]
    assert summarise_history(events)["exit_code"] is None

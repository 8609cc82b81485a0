"""Step Functions: start a run-controlled job's execution, and summarise its recent executions.

What a run did is read from the execution's history (GetExecutionHistory): how many RunTask attempts it
made (`TaskScheduled` of the `ecs` resource type), whether it skipped (it passed the `Skipped` state of
resources/state_machine.py), whether its task timed out (`TaskTimedOut`), and the last task's exit code
(from the DescribeTasks-shaped output of a `TaskSucceeded`, or the `cause` of a `TaskFailed`, when it is
JSON: the shape of that cause is not documented, so an exit code may be missing).
"""

from __future__ import annotations

import json
from typing import Any

from .session import Aws, call

SKIPPED_STATE = "Skipped"  # resources/state_machine.py SKIPPED (aws/ imports nothing above it)


def start_execution(aws: Aws, state_machine_arn: str, execution_input: dict[str, Any]) -> dict[str, Any]:
    states = aws.client("stepfunctions")
    return call(f"start execution of {state_machine_arn}", states.start_execution,
                stateMachineArn=state_machine_arn, input=json.dumps(execution_input, sort_keys=True))


def _exit_code(text: Any) -> int | None:
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    tasks = data.get("Tasks") or data.get("tasks") or ([data] if "Containers" in data or "containers" in data else [])
    for task in tasks if isinstance(tasks, list) else []:
        for container in (task.get("Containers") or task.get("containers") or []) if isinstance(task, dict) else []:
            code = container.get("ExitCode", container.get("exitCode")) if isinstance(container, dict) else None
            if isinstance(code, int):
                return code
    return None


def summarise_history(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Attempts, skipped, timed out, and the last task's exit code, from an execution's history events."""
    summary: dict[str, Any] = {"attempts": 0, "skipped": False, "timed_out": False, "exit_code": None}
    for event in events:
        kind = event.get("type")
        if kind == "TaskScheduled" and (event.get("taskScheduledEventDetails") or {}).get("resourceType") == "ecs":
            summary["attempts"] += 1
        elif kind == "TaskTimedOut":
            summary["timed_out"] = True
        elif kind == "TaskSucceeded":
            code = _exit_code((event.get("taskSucceededEventDetails") or {}).get("output"))
            summary["exit_code"] = code if code is not None else summary["exit_code"]
        elif kind == "TaskFailed":
            code = _exit_code((event.get("taskFailedEventDetails") or {}).get("cause"))
            summary["exit_code"] = code if code is not None else summary["exit_code"]
        elif kind == "PassStateExited" and (event.get("stateExitedEventDetails") or {}).get("name") == SKIPPED_STATE:
            summary["skipped"] = True
        elif kind == "ExecutionTimedOut":
            summary["timed_out"] = True
    return summary


def recent_executions(aws: Aws, state_machine_arn: str, limit: int) -> list[dict[str, Any]]:
    """The newest executions (ListExecutions lists the most recent first), each with its history summary."""
    states = aws.client("stepfunctions")
    listed = call(f"list executions of {state_machine_arn}", states.list_executions,
                  stateMachineArn=state_machine_arn, maxResults=limit).get("executions", [])
    found = []
    for execution in listed[:limit]:
        arn = execution["executionArn"]
        history = call(f"history of {arn}", states.get_execution_history, executionArn=arn, maxResults=1000)
        found.append({**execution, **summarise_history(history.get("events", []))})
    return found

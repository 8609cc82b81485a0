"""A run-controlled job's state machine does what the spec says: run once, skip when another run is going,
retry failed tasks with backoff, stop (and not retry) a task that times out.

moto runs no ECS task and interprets no Amazon States Language, so the definition the template carries is
run here by a small interpreter of exactly the states and fields it uses (Task with Parameters, Retry,
TimeoutSeconds, ResultSelector, ResultPath; Choice; Pass), with the service calls answered by the test.
Not covered: Step Functions' own behaviour of `.sync` (which error a non-zero exit raises, that a timed-out
state stops the task): cited in resources/state_machine.py, not testable offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.plan import load_spec
from generator.resources.stack import build_template
from generator.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "golden" / "run-control" / "spec.yaml"
SELF = "arn:aws:states:us-east-1:123456789012:execution:nightly-etl-etl:this"
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:nightly-etl-etl"


class Failed(Exception):
    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def _get(path: str, data, context):
    if path == "$":
        return data
    root, parts = (context, path[3:].split(".")) if path.startswith("$$.") else (data, path[2:].split("."))
    for part in parts:
        root = root[part]
    return root


def _params(template, data, context):
    out = {}
    for key, value in template.items():
        if key.endswith(".$"):
            if value.startswith("States.ArrayLength("):
                out[key[:-2]] = len(_get(value[len("States.ArrayLength("):-1], data, context))
            else:
                out[key[:-2]] = _get(value, data, context)
        elif isinstance(value, dict):
            out[key] = _params(value, data, context)
        else:
            out[key] = value
    return out


def _substitute(value, substitutions):
    if isinstance(value, str):
        for name, replacement in substitutions.items():
            value = value.replace("${" + name + "}", replacement)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, substitutions) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, substitutions) for v in value]
    return value


def execute(definition: dict, execution_input: dict, service, calls: list | None = None):
    """Run the definition; ``service(resource, params)`` returns (result, seconds) or raises Failed.
    Returns (output, calls, waits): the service calls made (also appended to ``calls``) and the Retry waits."""
    context = {"Execution": {"Input": execution_input, "Id": SELF}, "StateMachine": {"Id": MACHINE}}
    calls = [] if calls is None else calls
    data, state_name, waits = execution_input, definition["StartAt"], []
    while True:
        state = definition["States"][state_name]
        if state["Type"] == "Pass":
            data = state.get("Result", data)
        elif state["Type"] == "Choice":
            for choice in state["Choices"]:
                if _get(choice["Variable"], data, context) > choice["NumericGreaterThan"]:
                    state_name = choice["Next"]
                    break
            else:
                state_name = state["Default"]
            continue
        elif state["Type"] == "Task":
            params = _params(state["Parameters"], data, context)
            attempt = 0
            while True:
                calls.append((state["Resource"], params))
                try:
                    result, seconds = service(state["Resource"], params)
                    if seconds > state.get("TimeoutSeconds", float("inf")):
                        raise Failed("States.Timeout")
                    break
                except Failed as failure:
                    retrier = next((r for r in state.get("Retry", []) if failure.error in r["ErrorEquals"]
                                    or ("States.ALL" in r["ErrorEquals"])
                                    or ("States.TaskFailed" in r["ErrorEquals"] and failure.error != "States.Timeout")), None)
                    if retrier is None or attempt >= retrier["MaxAttempts"]:
                        raise
                    waits.append(retrier["IntervalSeconds"] * retrier["BackoffRate"] ** attempt)
                    attempt += 1
            if "ResultSelector" in state:
                result = _params(state["ResultSelector"], result, context)
            if "ResultPath" in state:
                data = {**data, state["ResultPath"][2:]: result}
            else:
                data = result
        if state.get("End"):
            return data, calls, waits
        state_name = state["Next"]


@pytest.fixture(scope="module")
def machines():
    spec = load_spec(SPEC)
    resources = build_template(spec)[0].to_dict()["Resources"]
    found = {}
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::StepFunctions::StateMachine":
            subs = {k: f"<{k}>" for k in resource["Properties"]["DefinitionSubstitutions"]}
            found[logical_id] = _substitute(resource["Properties"]["Definition"], subs)
    return found


def answers(running=1, outcomes=("ok",), durations=None):
    """A service: listExecutions sees ``running`` executions; RunTask attempts end as ``outcomes`` say."""
    attempts = iter(outcomes)
    durations = iter(durations or [60] * len(outcomes))

    def service(resource, params):
        if resource == "<ListExecutions>":
            assert params == {"StateMachineArn": MACHINE, "StatusFilter": "RUNNING", "MaxResults": 2}
            return {"Executions": [{"ExecutionArn": SELF}] * running}, 1
        assert resource == "<RunTaskSync>"
        outcome = next(attempts)
        if outcome == "fail":
            raise Failed("States.TaskFailed")
        return {"Tasks": [{"Containers": [{"ExitCode": 0}]}]}, next(durations)

    return service


def test_only_run_controlled_jobs_get_a_state_machine(machines):
    assert sorted(machines) == ["CsvImportStateMachine", "EtlStateMachine"]


def test_a_lone_run_starts_the_task_with_the_execution_input_as_overrides(machines):
    overrides = {"ContainerOverrides": [{"Name": "etl", "Environment": [{"Name": "MODE", "Value": "full"}]}]}
    output, calls, waits = execute(machines["EtlStateMachine"], overrides, answers(running=1))
    assert [c[0] for c in calls] == ["<ListExecutions>", "<RunTaskSync>"]
    request = calls[1][1]
    assert request["Overrides"] == overrides
    assert request["Cluster"] == "<ClusterArn>" and request["TaskDefinition"] == "<TaskDefinitionArn>"
    assert request["LaunchType"] == "FARGATE"
    assert "Count" not in request  # one task per run
    assert waits == []


def test_overlap_skip_starts_nothing_and_records_it(machines):
    output, calls, _ = execute(machines["EtlStateMachine"], {}, answers(running=2))
    assert [c[0] for c in calls] == ["<ListExecutions>"]
    assert output["skipped"] is True and "still running" in output["reason"]


def test_failed_tasks_are_retried_with_backoff_then_succeed(machines):
    output, calls, waits = execute(machines["EtlStateMachine"], {}, answers(outcomes=("fail", "fail", "ok")))
    assert [c[0] for c in calls].count("<RunTaskSync>") == 3
    assert waits == [60, 120]


def test_the_last_failure_is_reported_after_the_retries(machines):
    with pytest.raises(Failed) as failed:
        execute(machines["EtlStateMachine"], {}, answers(outcomes=("fail", "fail", "fail", "ok")))
    assert failed.value.error == "States.TaskFailed"


def test_a_timed_out_task_fails_the_run_and_is_not_retried(machines):
    service = answers(outcomes=("ok", "ok"), durations=[2 * 3600 + 1, 60])
    calls = []
    with pytest.raises(Failed) as failed:
        execute(machines["EtlStateMachine"], {}, service, calls)
    assert failed.value.error == "States.Timeout"
    assert [c[0] for c in calls].count("<RunTaskSync>") == 1
    run_task = machines["EtlStateMachine"]["States"]["RunTask"]
    assert run_task["TimeoutSeconds"] == 7200
    assert run_task["Retry"][0]["ErrorEquals"] == ["States.TaskFailed"]  # matches anything but States.Timeout


def test_the_execution_backstop_covers_every_attempt(machines):
    # 3 attempts of 2h, waits of 60s and 120s, a 10-minute margin
    assert machines["EtlStateMachine"]["TimeoutSeconds"] == 3 * 7200 + 180 + 600


def test_the_s3_trigger_input_becomes_the_runtask_overrides(machines):
    event = json.loads((ROOT / "tests" / "resources" / "data" / "s3_object_created.json").read_text())
    outcome = next(o for o in simulate(load_spec(SPEC), event).matched if o.job == "csv-import")
    _, calls, _ = execute(machines["CsvImportStateMachine"], outcome.execution_input, answers())
    sent = calls[-1][1]["Overrides"]
    assert sent == {"ContainerOverrides": [{"Name": "csv-import", "Environment": [
        {"Name": "INPUT_KEY", "Value": "incoming/a.csv"}, {"Name": "SIZE", "Value": "42"}]}]}
    # the same overrides a direct target sends, in the integration's PascalCase
    assert json.loads(json.dumps(sent).replace('"ContainerOverrides"', '"containerOverrides"').replace(
        '"Environment"', '"environment"').replace('"Name"', '"name"').replace('"Value"', '"value"')) == outcome.overrides


def test_variants_generate_lint_clean_with_the_jobs_placement_and_tags():
    """Created cluster and key, capacity weights, a platform version, tags, a custom bus, at(), alarms off."""
    from generator.pipeline import generate_one

    path = ROOT / "tests" / "resources" / "data" / "run_control_variants.yaml"
    spec = load_spec(path)
    generated = generate_one(path, spec)
    assert [f.format("variants") for f in generated.findings] == []
    resources = build_template(spec)[0].to_dict()["Resources"]
    params = resources["SpotStateMachine"]["Properties"]["Definition"]["States"]["RunTask"]["Parameters"]
    assert params["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Weight": 1},
                                                  {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}]
    assert "LaunchType" not in params and params["PlatformVersion"] == "1.4.0"
    assert params["PropagateTags"] == "TASK_DEFINITION"
    role = resources["SpotStateMachineRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert any(s["Action"] == ["ecs:TagResource"] for s in role)
    assert not any(s["Action"] == ["states:ListExecutions"] for s in role)  # overlap allowed: no listing
    # alarms off: no execution alarms and no failure rule; the state machine is still there
    assert "QuietStateMachine" in resources
    assert not {"QuietExecutionsFailedAlarm", "QuietExecutionsTimedOutAlarm", "QuietTaskFailedRule"} & set(resources)


def test_failure_alert_watches_executions_not_tasks():
    spec = load_spec(SPEC)
    resources = build_template(spec)[0].to_dict()["Resources"]
    pattern = resources["EtlTaskFailedRule"]["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.states"] and pattern["detail"]["status"] == ["FAILED", "TIMED_OUT", "ABORTED"]
    assert pattern["detail"]["stateMachineArn"] == [{"Ref": "EtlStateMachine"}]
    assert resources["PlainTaskFailedRule"]["Properties"]["EventPattern"]["source"] == ["aws.ecs"]


def test_with_a_key_the_state_machine_log_group_is_encrypted_and_the_key_policy_names_it():
    path = ROOT / "tests" / "resources" / "data" / "run_control_variants.yaml"
    resources = build_template(load_spec(path))[0].to_dict()["Resources"]
    groups = {k: v["Properties"] for k, v in resources.items() if v["Type"] == "AWS::Logs::LogGroup"}
    machine_groups = [p for p in groups.values() if p["LogGroupName"].startswith("/aws/vendedlogs/states/")]
    assert machine_groups and all(p["KmsKeyId"] == {"Fn::GetAtt": ["EncryptionKey", "Arn"]} for p in machine_groups)
    statements = resources["EncryptionKey"]["Properties"]["KeyPolicy"]["Statement"]
    logs = next(s for s in statements if s["Sid"] == "LogsEncryptThisStacksLogGroups")
    arns = [sub["Fn::Sub"] for sub in logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]]
    stack = load_spec(path).stack
    assert [arn.split(":log-group:")[1] for arn in arns] == [f"/ecs/{stack}/*", f"/aws/vendedlogs/states/{stack}-*"]


def test_without_run_control_the_key_policy_names_only_the_jobs_log_groups():
    spec = load_spec(ROOT / "tests" / "golden" / "s3-upload-kms" / "spec.yaml")
    resources = build_template(spec)[0].to_dict()["Resources"]
    logs = next(s for s in resources["EncryptionKey"]["Properties"]["KeyPolicy"]["Statement"]
                if s["Sid"] == "LogsEncryptThisStacksLogGroups")
    assert logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]["Fn::Sub"].endswith(f"/ecs/{spec.stack}/*")

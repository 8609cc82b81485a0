"""A run-controlled job (timeout, task_retries, overlap: skip) deployed to moto's server: `run` starts an
execution of its state machine (or, with --direct, the task), `status` lists the executions.

moto runs neither the ECS task nor the state machine's states (it only records executions), so what an
execution does is tested in tests/resources/test_state_machine.py; here: the stack deploys, the state
machine is there with its definition and role, and the verbs reach it with the right input.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "golden" / "run-control" / "spec.yaml"


@pytest.fixture
def deployed(cli, boto, project):
    shutil.copy(SPEC, project / "config" / "nightly-etl.yaml")
    boto("ecs").create_cluster(clusterName="processing")
    boto("s3").create_bucket(Bucket="templates-bucket")  # the template is over 51,200 bytes
    template = project / "nightly-etl.yaml"  # the stack is named after the file, as templates/<stack>.yaml
    shutil.copy(REPO / "tests" / "golden" / "run-control" / "template.yaml", template)
    code, _, err = cli("deploy", str(template), "--s3-bucket", "templates-bucket")
    assert code == 0, err
    return project


def _machine(boto, name="nightly-etl-etl"):
    machines = boto("stepfunctions").list_state_machines()["stateMachines"]
    return next(m["stateMachineArn"] for m in machines if m["name"] == name)


def test_the_stack_deploys_with_its_state_machines(boto, deployed):
    names = sorted(m["name"] for m in boto("stepfunctions").list_state_machines()["stateMachines"])
    assert names == ["nightly-etl-csv-import", "nightly-etl-etl"]  # job `plain` has none
    described = boto("stepfunctions").describe_state_machine(stateMachineArn=_machine(boto))
    assert described["type"] == "STANDARD"
    assert described["roleArn"].split("/")[-1].startswith("nightly-etl-EtlStateMachineRole-")
    # moto keeps only DefinitionString; the template's Definition (an object) is read and run by
    # tests/resources/test_state_machine.py


def test_run_starts_an_execution_with_the_overrides_as_input(cli, boto, deployed):
    code, out, err = cli("run", "etl", "--env", "MODE=partial")
    assert code == 0, err
    (arn,) = out.split()
    assert arn.startswith("arn:aws:states:us-east-1:123456789012:execution:nightly-etl-etl:")
    execution = boto("stepfunctions").describe_execution(executionArn=arn)
    assert json.loads(execution["input"]) == {
        "ContainerOverrides": [{"Name": "etl", "Environment": [{"Name": "MODE", "Value": "partial"}]}]}
    assert boto("ecs").list_tasks(cluster="processing")["taskArns"] == []  # the state machine starts it, not run


def test_run_without_env_sends_empty_overrides(cli, boto, deployed):
    code, out, err = cli("run", "etl")
    assert code == 0, err
    assert json.loads(boto("stepfunctions").describe_execution(executionArn=out.strip())["input"]) == {}


def test_run_direct_starts_the_task_alone(cli, boto, deployed):
    code, out, err = cli("run", "etl", "--direct")
    assert code == 0, err
    (arn,) = out.split()
    assert arn.startswith("arn:aws:ecs:us-east-1:123456789012:task/processing/")


def test_status_lists_the_executions(cli, boto, deployed):
    arn = cli("run", "etl")[1].strip()
    code, out, err = cli("status", "etl", "--output", "json")
    assert code == 0, err
    executions = json.loads(out)["executions"]
    assert [e["execution"] for e in executions] == [arn.rsplit(":", 1)[-1]]
    assert executions[0]["status"] in ("RUNNING", "SUCCEEDED")
    code, out, err = cli("status", "etl")
    assert code == 0, err
    assert "Recent runs (Step Functions: timeout, task retries, overlap)" in out


def test_status_of_a_direct_job_has_no_executions(cli, deployed):
    code, out, err = cli("status", "plain", "--output", "json")
    assert code == 0, err
    assert "executions" not in json.loads(out)


def test_logs_executions_prints_the_state_machine_log(cli, boto, deployed):
    import time

    group = "/aws/vendedlogs/states/nightly-etl-etl"
    stream = "states/nightly-etl-etl/2024-01-01-00-00/00000000"  # any name: every stream of the group is read
    boto("logs").create_log_stream(logGroupName=group, logStreamName=stream)
    now = int(time.time() * 1000)
    boto("logs").put_log_events(logGroupName=group, logStreamName=stream,
                                logEvents=[{"timestamp": now - 1000, "message": '{"type": "ExecutionFailed"}'}])
    code, out, err = cli("logs", "etl", "--executions")
    assert code == 0, err
    assert out.splitlines()[-1].endswith('{"type": "ExecutionFailed"}')

    code, _, err = cli("logs", "plain", "--executions")  # no run control: no execution log
    assert code == 2 and "job plain has no run control" in err

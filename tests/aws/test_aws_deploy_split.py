"""deploy of a `split: per_job` spec against moto's server: the shared stack first, then the job stacks (in
parallel), importing its exports; a redeploy skips unchanged stacks; one changed job redeploys one stack;
status and run find a job in its own stack and the shared cluster in the shared stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import moto_server_running

HERE = Path(__file__).resolve().parent

SPEC = """\
stack: fleet
cluster: {create: true}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
notifications: {email: [ops@example.com]}
split: per_job
jobs:
  nightly:
    image: busybox
    triggers:
      - schedule: cron(0 3 * * ? *)
  hourly:
    image: busybox
    triggers:
      - schedule: rate(1 hour)
  weekly:
    image: busybox
    triggers:
      - schedule: rate(7 days)
"""


@pytest.fixture(scope="module")
def exports_server(tmp_path_factory):
    """moto's server on 127.0.0.1 with change-set exports (moto_exports_server.py says why), for this module."""
    log = tmp_path_factory.mktemp("moto-exports") / "server.log"
    with moto_server_running([str(HERE / "moto_exports_server.py")], log) as url:
        yield url


@pytest.fixture
def moto_server(exports_server):
    """The `moto` fixture of conftest.py (reset, fake credentials) on the server above."""
    return exports_server


def write_spec(project: Path, text: str = SPEC) -> str:
    path = project / "config" / "fleet.yaml"
    path.write_text(text)
    return "config/fleet.yaml"


def statuses(boto) -> dict[str, str]:
    cf = boto("cloudformation")
    return {s["StackName"]: s["StackStatus"] for s in cf.describe_stacks()["Stacks"]}


def test_split_fleet_deploys_shared_stack_then_job_stacks_importing_it(cli, boto, project):
    spec = write_spec(project)
    code, out, err = cli("deploy", spec, "--max-concurrent", "2")
    assert code == 0, err
    assert statuses(boto) == {name: "CREATE_COMPLETE" for name in ("fleet", "fleet-nightly", "fleet-hourly", "fleet-weekly")}
    assert "4 stack(s) deployed" in out
    # the shared stack was created before any job stack began
    first_job = min(err.index(f"fleet-{job}: creating change set") for job in ("nightly", "hourly", "weekly"))
    assert err.index("resources] fleet: CREATE_COMPLETE") < first_job

    cf = boto("cloudformation")
    exports = {e["Name"]: e["Value"] for e in cf.list_exports()["Exports"]}
    cluster_arn = exports["fleet-ClusterArn"]
    assert cluster_arn.endswith(":cluster/" + exports["fleet-ClusterName"])
    # the job stack's rule targets the shared stack's cluster, its task-failure rule has the name the topic policy allows
    rules = {r["Name"]: r for r in boto("events").list_rules()["Rules"]}
    assert "fleet-hourly-failed" in rules
    resources = {r["LogicalResourceId"]: r for r in cf.list_stack_resources(StackName="fleet-hourly")["StackResourceSummaries"]}
    rule_name = resources["HourlyTrigger1Rule"]["PhysicalResourceId"]
    (target,) = boto("events").list_targets_by_rule(Rule=rule_name)["Targets"]
    assert target["Arn"] == cluster_arn


def test_redeploy_skips_unchanged_stacks_and_updates_only_the_changed_job(cli, boto, project):
    spec = write_spec(project)
    assert cli("deploy", spec)[0] == 0
    code, out, err = cli("deploy", spec)
    assert code == 0, err
    assert all(f"{name}: no changes" in out for name in ("fleet", "fleet-nightly", "fleet-hourly", "fleet-weekly"))
    assert "creating change set" not in err

    write_spec(project, SPEC.replace("rate(1 hour)", "rate(2 hours)"))
    code, out, err = cli("deploy", spec)
    assert code == 0, err
    assert "fleet-hourly: creating change set (UPDATE)" in err
    assert err.count("creating change set") == 1
    assert "fleet-hourly: UPDATE_COMPLETE" in out


def test_status_and_run_find_the_job_stack_and_the_shared_cluster(cli, boto, project):
    spec = write_spec(project)
    assert cli("deploy", spec)[0] == 0
    cluster = boto("cloudformation").list_exports()["Exports"]
    cluster = next(e["Value"] for e in cluster if e["Name"] == "fleet-ClusterArn")
    code, out, err = cli("status", "hourly", "--output", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["stack"], data["cluster"], data["family"]) == ("fleet-hourly", cluster.rsplit("/", 1)[1], "fleet-hourly")
    code, out, err = cli("run", "hourly")
    assert code == 0, err
    assert f"running arn:aws:ecs:us-east-1:123456789012:task-definition/fleet-hourly:1 on" in err


def test_stack_name_cannot_rename_a_split_spec(cli, project):
    spec = write_spec(project)
    code, _, err = cli("deploy", spec, "--stack-name", "other")
    assert code == 2 and "split into stacks fleet and fleet-<job>" in err

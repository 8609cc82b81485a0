"""status on a stack moto's CloudFormation cannot build: alarms and Scheduler schedules.

moto's CloudFormation skips AWS::CloudWatch::Alarm and AWS::Scheduler::* (docs/operate.md), so the
stack's resources are stubbed from the generated template (physical IDs as CloudFormation makes
them) while the alarms, metrics and cluster live in moto's server, where status reads them.
"""

from __future__ import annotations

import json

import pytest

SPEC = """\
stack: two
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
jobs:
  csv:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    triggers:
      - name: nightly
        schedule: cron(0 2 * * ? *)
        timezone: Europe/Paris        # a time zone needs EventBridge Scheduler
      - name: hourly
        schedule: rate(1 hour)        # a plain EventBridge rule
        dead_letter_queue: arn:aws:sqs:us-east-1:123456789012:shared-dlq   # an existing queue: its own alarm
  csv-analyzer:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    triggers:
      - name: hourly
        schedule: rate(1 hour)
      - name: orders
        event_pattern: {source: [shop.orders]}
        event_bus: orders
"""
GROUP = "two-ScheduleGroup-GGGG"


def physical(logical: str) -> str:
    if logical == "ScheduleGroup":
        return GROUP
    if logical == "CsvAnalyzerOrdersRule":  # Ref of a rule on a custom bus: <bus>|<rule name>
        return f"orders|two-{logical}-XXXX"
    return f"two-{logical}-XXXX"


@pytest.fixture
def two(cli, boto, tmp_path, monkeypatch):
    """Stack `two` (jobs csv and csv-analyzer) as CloudFormation would list it; its alarms in moto."""
    from generator.aws import cloudformation
    from generator.template import read_template
    from generator.pipeline import generate_one
    from generator.plan import load_spec

    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "two.yaml"
    path.write_text(SPEC)
    monkeypatch.chdir(tmp_path)
    template = read_template(generate_one(path, load_spec(path)).text)
    resources = {logical: {"LogicalResourceId": logical, "ResourceType": r["Type"], "PhysicalResourceId": physical(logical),
                           "ResourceStatus": "CREATE_COMPLETE"}
                 for logical, r in template["Resources"].items()}
    for logical in ("CsvDeadLetterQueue", "CsvAnalyzerDeadLetterQueue"):  # a queue's physical ID is its URL
        resources[logical]["PhysicalResourceId"] = boto("sqs").create_queue(QueueName=physical(logical))["QueueUrl"]
    boto("sqs").create_queue(QueueName="shared-dlq")
    monkeypatch.setattr(cloudformation, "stack_resources", lambda aws, name: resources if name == "two" else {})

    boto("ecs").create_cluster(clusterName="processing")
    cw = boto("cloudwatch")
    alarms = sorted(logical for logical, r in resources.items() if r["ResourceType"] == "AWS::CloudWatch::Alarm")
    assert alarms == ["CsvAnalyzerDeadLetterQueueAlarm", "CsvAnalyzerHourlyFailedInvocationsAlarm",
                      "CsvAnalyzerOrdersFailedInvocationsAlarm", "CsvAnalyzerTaskFailedRuleAlarm",
                      "CsvDeadLetterQueueAlarm", "CsvExistingDlqSharedDlqAlarm", "CsvHourlyFailedInvocationsAlarm",
                      "CsvTaskFailedRuleAlarm", "ScheduleGroupTargetErrorsAlarm"]
    for logical in alarms:
        cw.put_metric_alarm(AlarmName=physical(logical), Namespace="AWS/Events", MetricName="FailedInvocations",
                            Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1,
                            ComparisonOperator="GreaterThanOrEqualToThreshold")
    return resources


def status_json(cli, job):
    code, out, err = cli("status", job, "--output", "json")
    assert code == 0, err
    return json.loads(out)


def test_status_shows_only_the_jobs_own_alarms_not_those_of_a_job_whose_name_extends_it(cli, two):
    data = status_json(cli, "csv")
    assert sorted(a["alarm"] for a in data["alarms"]) == [
        "two-CsvDeadLetterQueueAlarm-XXXX",
        "two-CsvExistingDlqSharedDlqAlarm-XXXX",  # the alarm on the existing queue its hourly trigger names
        "two-CsvHourlyFailedInvocationsAlarm-XXXX",
        "two-CsvTaskFailedRuleAlarm-XXXX",  # the failed-task rule's delivery
        "two-ScheduleGroupTargetErrorsAlarm-XXXX",  # csv has a Scheduler trigger
    ]
    # csv-analyzer has no schedule: the schedule group's alarm is not its concern
    assert sorted(a["alarm"] for a in status_json(cli, "csv-analyzer")["alarms"]) == [
        "two-CsvAnalyzerDeadLetterQueueAlarm-XXXX", "two-CsvAnalyzerHourlyFailedInvocationsAlarm-XXXX",
        "two-CsvAnalyzerOrdersFailedInvocationsAlarm-XXXX", "two-CsvAnalyzerTaskFailedRuleAlarm-XXXX"]


def test_status_counts_schedules_from_the_stacks_schedule_group(cli, boto, two):
    def put(namespace, metric, dimension, value, count):
        boto("cloudwatch").put_metric_data(Namespace=namespace, MetricData=[
            {"MetricName": metric, "Dimensions": [{"Name": dimension, "Value": value}], "Value": count}])

    put("AWS/Scheduler", "InvocationAttemptCount", "ScheduleGroup", GROUP, 4)
    put("AWS/Scheduler", "TargetErrorCount", "ScheduleGroup", GROUP, 1)
    put("AWS/Scheduler", "InvocationAttemptCount", "ScheduleGroup", "another-stacks-group", 100)
    put("AWS/Events", "Invocations", "RuleName", "two-CsvHourlyRule-XXXX", 2)
    put("AWS/Events", "Invocations", "RuleName", "two-CsvAnalyzerHourlyRule-XXXX", 50)

    triggers = {t["trigger"]: t for t in status_json(cli, "csv")["triggers"]}
    assert triggers["nightly"] == {
        "trigger": "nightly", "kind": "schedule", "resource": "two-CsvNightlySchedule-XXXX",
        "invocations_24h": 4, "failed_invocations_24h": 1, "counted_for": f"schedule group {GROUP}"}
    assert (triggers["hourly"]["kind"], triggers["hourly"]["invocations_24h"], triggers["hourly"]["failed_invocations_24h"],
            triggers["hourly"]["counted_for"]) == ("rule", 2, 0, "rule two-CsvHourlyRule-XXXX")

    code, out, err = cli("status", "csv")
    assert code == 0, err
    lines = out.splitlines()
    nightly = next(line for line in lines if line.startswith("nightly "))
    assert nightly.split()[:4] == ["nightly", "schedule", "4", "1"]
    assert (f"(schedules: AWS/Scheduler InvocationAttemptCount and TargetErrorCount of schedule group {GROUP}, "
            "which holds every schedule of stack two; attempts include retries)") in lines


def test_status_says_ecs_forgets_stopped_tasks_after_about_an_hour(cli, two):
    code, out, err = cli("status", "csv")
    assert code == 0, err
    lines = out.splitlines()
    at = lines.index("Recent tasks")
    assert lines[at + 1:at + 3] == [
        "(none)",
        "(ECS keeps stopped tasks for about an hour: older runs show only in the trigger counts, the alarms "
        "and `batchjobs logs`)"]


def test_status_counts_a_custom_bus_rule_by_bus_and_rule_name(cli, boto, two):
    # metrics of a rule on a custom bus carry EventBusName and RuleName (as its alarm in resources/alarms.py)
    boto("cloudwatch").put_metric_data(Namespace="AWS/Events", MetricData=[
        {"MetricName": "Invocations", "Value": 3, "Dimensions": [
            {"Name": "EventBusName", "Value": "orders"}, {"Name": "RuleName", "Value": "two-CsvAnalyzerOrdersRule-XXXX"}]}])
    triggers = {t["trigger"]: t for t in status_json(cli, "csv-analyzer")["triggers"]}
    assert (triggers["orders"]["invocations_24h"], triggers["orders"]["counted_for"]) == (
        3, "rule two-CsvAnalyzerOrdersRule-XXXX")


SPOT = """\
stack: spot
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
jobs:
  crunch:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    capacity: {fargate: 1, fargate_spot: 3}
    triggers:
      - schedule: rate(1 hour)
"""


def test_status_checks_the_capacity_providers_of_a_cluster_the_stack_does_not_own(cli, boto, tmp_path, monkeypatch):
    """"Only capacity providers that are already associated with a cluster and have an ACTIVE or UPDATING
    status can be used in a capacity provider strategy"
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html)."""
    from generator.aws import cloudformation

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "spot.yaml").write_text(SPOT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cloudformation, "stack_resources", lambda aws, name: {})
    ecs = boto("ecs")
    ecs.create_cluster(clusterName="processing")
    ecs.put_cluster_capacity_providers(cluster="processing", capacityProviders=["FARGATE"],
                                       defaultCapacityProviderStrategy=[])

    data = status_json(cli, "crunch")
    assert data["capacity_providers"] == {"needed": ["FARGATE", "FARGATE_SPOT"], "associated": ["FARGATE"],
                                          "missing": ["FARGATE_SPOT"]}
    code, out, err = cli("status", "crunch")
    assert code == 0, err
    assert ("Capacity providers: FARGATE_SPOT not associated with cluster processing: every run of this job fails "
            "until they are (aws ecs put-cluster-capacity-providers; it replaces the list and the default strategy)"
            ) in out.splitlines()

    ecs.put_cluster_capacity_providers(cluster="processing", capacityProviders=["FARGATE", "FARGATE_SPOT"],
                                       defaultCapacityProviderStrategy=[])
    assert status_json(cli, "crunch")["capacity_providers"]["missing"] == []

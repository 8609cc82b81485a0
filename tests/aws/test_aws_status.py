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
    from generator.commands.deploy import parse_template
    from generator.pipeline import generate_one
    from generator.spec import load_spec

    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "two.yaml"
    path.write_text(SPEC)
    monkeypatch.chdir(tmp_path)
    template = parse_template(generate_one(path, load_spec(path)).text, str(path))
    resources = {logical: {"LogicalResourceId": logical, "ResourceType": r["Type"], "PhysicalResourceId": physical(logical),
                           "ResourceStatus": "CREATE_COMPLETE"}
                 for logical, r in template["Resources"].items()}
    for logical in ("CsvDeadLetterQueue", "CsvAnalyzerDeadLetterQueue"):  # a queue's physical ID is its URL
        resources[logical]["PhysicalResourceId"] = boto("sqs").create_queue(QueueName=physical(logical))["QueueUrl"]
    monkeypatch.setattr(cloudformation, "stack_resources", lambda aws, name: resources if name == "two" else {})

    boto("ecs").create_cluster(clusterName="processing")
    cw = boto("cloudwatch")
    alarms = sorted(logical for logical, r in resources.items() if r["ResourceType"] == "AWS::CloudWatch::Alarm")
    assert alarms == ["CsvAnalyzerDeadLetterQueueAlarm", "CsvAnalyzerHourlyFailedInvocationsAlarm",
                      "CsvAnalyzerOrdersFailedInvocationsAlarm",
                      "CsvDeadLetterQueueAlarm", "CsvHourlyFailedInvocationsAlarm", "ScheduleGroupTargetErrorsAlarm"]
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
        "two-CsvDeadLetterQueueAlarm-XXXX", "two-CsvHourlyFailedInvocationsAlarm-XXXX",
        "two-ScheduleGroupTargetErrorsAlarm-XXXX",  # csv has a Scheduler trigger
    ]
    # csv-analyzer has no schedule: the schedule group's alarm is not its concern
    assert sorted(a["alarm"] for a in status_json(cli, "csv-analyzer")["alarms"]) == [
        "two-CsvAnalyzerDeadLetterQueueAlarm-XXXX", "two-CsvAnalyzerHourlyFailedInvocationsAlarm-XXXX",
        "two-CsvAnalyzerOrdersFailedInvocationsAlarm-XXXX"]

"""Rules, schedules, targets and the overrides they send."""

import json

import pytest

from support import build_dict
from generator.eventbridge.pattern import matches
from generator.eventbridge.transform import render

# The S3 "Object Created" sample event of the S3 user guide (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
S3_SAMPLE_EVENT = {
    "version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103", "detail-type": "Object Created",
    "source": "aws.s3", "account": "111122223333", "time": "2021-11-12T00:00:00Z", "region": "ca-central-1",
    "resources": ["arn:aws:s3:::amzn-s3-demo-bucket1"],
    "detail": {
        "version": "0", "bucket": {"name": "amzn-s3-demo-bucket1"},
        "object": {"key": "example-key", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184",
                   "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "sequencer": "617f08299329d189"},
        "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012", "source-ip-address": "1.2.3.4",
        "reason": "PutObject",
    },
}
TASK_OVERRIDE_KEYS = {"containerOverrides", "cpu", "memory", "taskRoleArn", "executionRoleArn", "ephemeralStorage",
                      "inferenceAcceleratorOverrides"}


def job(triggers: str, extra: str = "") -> str:
    return f"""
jobs:
  worker:
    image: python:3.12-slim
{extra}    triggers:
{triggers}"""


def target_of(template, logical_id):
    props = template["Resources"][logical_id]["Properties"]
    return props["Targets"][0] if "Targets" in props else props["Target"]


def assert_valid_run_task_overrides(text: str, container: str) -> dict:
    overrides = json.loads(text)
    assert set(overrides) <= TASK_OVERRIDE_KEYS
    for override in overrides["containerOverrides"]:
        assert override["name"] == container
        for pair in override.get("environment", []):
            assert set(pair) == {"name", "value"} and isinstance(pair["value"], str), pair
        assert all(isinstance(part, str) for part in override.get("command", []))
    return overrides


# -- S3 uploads -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "filters, key_matcher",
    [
        ("prefix: in/", [{"prefix": "in/"}]),
        ("suffix: .csv", [{"suffix": ".csv"}]),
        # both must hold: two matchers in one list would be OR
        ("{prefix: in/, suffix: .csv}", [{"wildcard": "in/*.csv"}]),
        ("{prefix: 'a*b/', suffix: .csv}", [{"wildcard": "a\\*b/*.csv"}]),
        ("key_wildcard: 'in/*/data-*.csv'", [{"wildcard": "in/*/data-*.csv"}]),
    ],
    ids=["prefix", "suffix", "prefix-and-suffix", "escaped-star", "wildcard"],
)
def test_s3_upload_pattern(filters, key_matcher):
    if filters.startswith("{"):
        body = filters[1:-1]
        s3 = "{bucket: uploads, " + body + "}"
    else:
        s3 = "{bucket: uploads, " + filters + "}"
    t = build_dict(job(f"      - s3_upload: {s3}\n"))
    pattern = t["Resources"]["WorkerTrigger1Rule"]["Properties"]["EventPattern"]
    assert pattern["source"] == ["aws.s3"] and pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["bucket"] == {"name": ["uploads"]}
    assert pattern["detail"]["object"]["key"] == key_matcher


def test_prefix_and_suffix_both_hold_in_the_matcher():
    t = build_dict(job("      - s3_upload: {bucket: amzn-s3-demo-bucket1, prefix: in/, suffix: .csv}\n"))
    pattern = t["Resources"]["WorkerTrigger1Rule"]["Properties"]["EventPattern"]

    def event_with_key(key):
        return {**S3_SAMPLE_EVENT, "detail": {**S3_SAMPLE_EVENT["detail"], "object": {"key": key, "size": 1}}}

    assert matches(pattern, event_with_key("in/a.csv"))
    assert not matches(pattern, event_with_key("in/a.json"))  # prefix alone is not enough
    assert not matches(pattern, event_with_key("out/a.csv"))  # suffix alone is not enough


@pytest.mark.parametrize("prefix, suffix", [
    ("logs/", "/"), ("a", "abc"), ("ab", "ba"), ("aa", "aa"), ("in/", ".csv"), ("x*y", "y*z"), ("data/", "a/"),
])
def test_prefix_and_suffix_match_exactly_the_keys_that_satisfy_both(prefix, suffix):
    """Including keys where the prefix's end is the suffix's start (`logs/` with prefix `logs/`, suffix `/`),
    which the wildcard `prefix*suffix` alone would miss. Checked with the engine's matcher on every key made of
    a start of the prefix (or the prefix and one more character) and an end of the suffix (likewise)."""
    t = build_dict(job(f"      - s3_upload: {{bucket: uploads, prefix: '{prefix}', suffix: '{suffix}'}}\n"))
    pattern = t["Resources"]["WorkerTrigger1Rule"]["Properties"]["EventPattern"]
    starts = [prefix[:i] for i in range(len(prefix) + 1)] + [prefix + "q"]
    ends = [suffix[j:] for j in range(len(suffix) + 1)] + ["q" + suffix]
    keys = sorted({a + b for a in starts for b in ends} - {""})
    outcomes = set()
    for key in keys:
        event = {**S3_SAMPLE_EVENT, "detail": {**S3_SAMPLE_EVENT["detail"], "bucket": {"name": "uploads"},
                                               "object": {"key": key, "size": 1}}}
        expected = key.startswith(prefix) and key.endswith(suffix)
        assert matches(pattern, event) == expected, key
        outcomes.add(expected)
    assert outcomes == {True, False}


def test_overlapping_keys_are_exact_values_beside_the_wildcard():
    t = build_dict(job("      - s3_upload: {bucket: uploads, prefix: logs/, suffix: /}\n"))
    key = t["Resources"]["WorkerTrigger1Rule"]["Properties"]["EventPattern"]["detail"]["object"]["key"]
    assert key == [{"wildcard": "logs/*/"}, "logs/"]


def test_event_derived_overrides_become_an_input_transformer_with_string_values():
    t = build_dict(job(
        "      - s3_upload: {bucket: amzn-s3-demo-bucket1}\n"
        "        environment: {BUCKET: $.detail.bucket.name, KEY: $.detail.object.key, SIZE: $.detail.object.size, MODE: fast}\n"
        "        command: [analyze, $.detail.object.key]\n"
    ))
    target = target_of(t, "WorkerTrigger1Rule")
    assert "Input" not in target and "ContainerOverrides" not in json.dumps(target["EcsParameters"])
    transformer = target["InputTransformer"]
    assert transformer["InputPathsMap"] == {
        "detail_bucket_name": "$.detail.bucket.name",
        "detail_object_key": "$.detail.object.key",
        "detail_object_size": "$.detail.object.size",
    }
    delivered = render(transformer["InputPathsMap"], transformer["InputTemplate"], S3_SAMPLE_EVENT)
    overrides = assert_valid_run_task_overrides(delivered, "worker")
    assert overrides["containerOverrides"][0]["environment"] == [
        {"name": "BUCKET", "value": "amzn-s3-demo-bucket1"},
        {"name": "KEY", "value": "example-key"},
        {"name": "SIZE", "value": "5"},  # a number in the event, a string for ECS
        {"name": "MODE", "value": "fast"},
    ]
    assert overrides["containerOverrides"][0]["command"] == ["analyze", "example-key"]


def test_committed_csv_analyzer_overrides_render_for_the_sample_event():
    from support import REPO
    from generator.plan import load_spec
    from generator.resources import build_template

    template, _ = build_template(load_spec(REPO / "config" / "csv-analyzer.yaml"))
    transformer = template.to_dict()["Resources"]["CsvAnalyzerTrigger1Rule"]["Properties"]["Targets"][0]["InputTransformer"]
    overrides = assert_valid_run_task_overrides(
        render(transformer["InputPathsMap"], transformer["InputTemplate"], S3_SAMPLE_EVENT), "csv-analyzer"
    )
    env = {p["name"]: p["value"] for p in overrides["containerOverrides"][0]["environment"]}
    assert env == {"INPUT_BUCKET": "amzn-s3-demo-bucket1", "INPUT_KEY": "example-key", "OUTPUT_BUCKET": "analysis-results-bucket"}


def test_static_overrides_use_input_and_no_overrides_send_no_input():
    t = build_dict(job("      - schedule: rate(1 hour)\n        environment: {MODE: full}\n      - schedule: rate(2 hours)\n"))
    with_env = target_of(t, "WorkerTrigger1Rule")
    assert json.loads(with_env["Input"]) == {
        "containerOverrides": [{"name": "worker", "environment": [{"name": "MODE", "value": "full"}]}]
    }
    plain = target_of(t, "WorkerTrigger2Rule")
    assert "Input" not in plain and "InputTransformer" not in plain  # the event must not become "{}"


# -- schedules -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "written, expression",
    [("cron(0 2 * * ? *)", "cron(0 2 * * ? *)"), ("'0 2 * * *'", "cron(0 2 * * ? *)"),
     ("'*/15 * * * 1-5'", "cron(0/15 * ? * MON-FRI *)"), ("'@daily'", "cron(0 0 * * ? *)"),
     ("'@every 90m'", "rate(90 minutes)"), ("rate(1 day)", "rate(1 day)")],
)
def test_plain_schedules_become_rules_with_aws_expressions(written, expression):
    t = build_dict(job(f"      - schedule: {written}\n"))
    rule = t["Resources"]["WorkerTrigger1Rule"]
    assert rule["Type"] == "AWS::Events::Rule"
    assert rule["Properties"]["ScheduleExpression"] == expression


def test_timezone_and_window_need_scheduler_with_its_own_spelling():
    t = build_dict(job(
        "      - name: morning\n        schedule: cron(0 7 ? * MON-FRI *)\n        timezone: Europe/Paris\n"
        "        flexible_window: 15m\n        start: 2027-01-01T00:00:00Z\n"
    ))
    schedule = t["Resources"]["WorkerMorningSchedule"]
    assert schedule["Type"] == "AWS::Scheduler::Schedule"
    props = schedule["Properties"]
    assert props["ScheduleExpressionTimezone"] == "Europe/Paris"
    assert props["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}
    assert props["StartDate"] == "2027-01-01T00:00:00Z"
    assert props["GroupName"] == {"Ref": "ScheduleGroup"}
    network = props["Target"]["EcsParameters"]["NetworkConfiguration"]
    assert list(network) == ["AwsvpcConfiguration"]  # not the rule's AwsVpcConfiguration
    role = t["Resources"]["WorkerSchedulerRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}


def test_start_and_end_without_a_zone_are_local_times_of_the_timezone():
    """StartDate/EndDate are instants: a wall-clock start in Europe/Paris is written as its UTC instant."""
    t = build_dict(job(
        "      - schedule: cron(0 7 * * ? *)\n        timezone: Europe/Paris\n"
        "        start: 2027-07-01T09:00:00\n        end: 2027-12-24\n"
        "      - schedule: cron(0 7 * * ? *)\n        timezone: America/New_York\n"
        "        start: 2027-07-01T09:00:00+02:00\n"
        "      - schedule: cron(0 7 * * ? *)\n        flexible_window: 5m\n        start: 2027-07-01T09:00:00\n"
    ))
    paris, offset, utc = (t["Resources"][f"WorkerTrigger{i}Schedule"]["Properties"] for i in (1, 2, 3))
    assert (paris["StartDate"], paris["EndDate"]) == ("2027-07-01T07:00:00Z", "2027-12-23T23:00:00Z")
    assert offset["StartDate"] == "2027-07-01T07:00:00Z"  # an explicit offset wins over the timezone
    assert utc["StartDate"] == "2027-07-01T09:00:00Z"  # no timezone: UTC


def test_scheduler_with_static_overrides_uses_the_run_task_universal_target():
    t = build_dict(job("      - schedule: at(2027-01-01T09:00:00)\n        environment: {MODE: once}\n"))
    target = t["Resources"]["WorkerTrigger1Schedule"]["Properties"]["Target"]
    assert target["Arn"] == {"Fn::Sub": "arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask"}
    text, variables = target["Input"]["Fn::Sub"]
    request = json.loads(text.replace("${ClusterArn}", "c").replace("${TaskDefinitionArn}", "td"))
    # PascalCase, not the ECS API's camelCase: "Parameters in Step Functions are expressed in PascalCase, even
    # if the native service API is in camelCase" (the same AWS SDK integrations,
    # https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html); public Scheduler
    # `aws-sdk:ecs:runTask` configurations write it so, and camelCase is refused with "missing field
    # TaskDefinition" (unverified against AWS)
    assert request["Overrides"] == {"ContainerOverrides": [{"Name": "worker", "Environment": [{"Name": "MODE", "Value": "once"}]}]}
    assert request["LaunchType"] == "FARGATE" and request["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"]
    assert (request["Cluster"], request["TaskDefinition"], request["Count"]) == ("c", "td", 1)
    assert set(request) == {"Cluster", "TaskDefinition", "Count", "LaunchType", "NetworkConfiguration", "Overrides"}
    assert set(request["NetworkConfiguration"]["AwsvpcConfiguration"]) == {"Subnets", "SecurityGroups", "AssignPublicIp"}
    assert set(variables) == {"ClusterArn", "TaskDefinitionArn"}


def test_scheduled_rule_reads_its_events_envelope_as_strings():
    """A scheduled rule does deliver an event (id, time, region, account, resources, "Scheduled Event")."""
    from generator.lint.rules._helpers import representative_event

    t = build_dict(job("      - schedule: rate(1 day)\n        environment: {RUN_AT: $.time, EVENT_ID: $.id, RULE: '$.resources[0]'}\n"))
    target = target_of(t, "WorkerTrigger1Rule")
    transformer = target["InputTransformer"]
    assert set(transformer["InputPathsMap"].values()) == {"$.time", "$.id", "$.resources[0]"}
    event = representative_event(t["Resources"]["WorkerTrigger1Rule"]["Properties"])  # what lint renders too
    assert event["detail-type"] == "Scheduled Event"
    overrides = assert_valid_run_task_overrides(render(transformer["InputPathsMap"], transformer["InputTemplate"], event), "worker")
    environment = {p["name"]: p["value"] for p in overrides["containerOverrides"][0]["environment"]}
    assert environment == {"RUN_AT": event["time"], "EVENT_ID": event["id"], "RULE": event["resources"][0]}


def test_scheduler_schedule_maps_time_to_its_context_attribute():
    """Scheduler sends no event: $.time becomes <aws.scheduler.scheduled-time>, which it fills in itself."""
    t = build_dict(job(
        "      - schedule: cron(0 2 * * ? *)\n        timezone: Europe/Paris\n"
        "        environment: {RUN_AT: $.time, RUN_ID: $.id, SCHEDULE: '$.resources[0]', MODE: full}\n"
    ))
    target = target_of(t, "WorkerTrigger1Schedule")
    assert target["Arn"] == {"Fn::Sub": "arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask"}
    text, _ = target["Input"]["Fn::Sub"]
    request = json.loads(text.replace("${ClusterArn}", "c").replace("${TaskDefinitionArn}", "td"))
    environment = {p["Name"]: p["Value"] for p in request["Overrides"]["ContainerOverrides"][0]["Environment"]}
    assert environment == {
        "RUN_AT": "<aws.scheduler.scheduled-time>", "RUN_ID": "<aws.scheduler.execution-id>",
        "SCHEDULE": "<aws.scheduler.schedule-arn>", "MODE": "full",
    }


# -- ECS target ------------------------------------------------------------------------------------

def test_target_has_network_and_launch_type_or_capacity_never_both():
    t = build_dict(job("      - schedule: rate(1 hour)\n", extra="    task_count: 3\n    platform_version: 1.4.0\n"))
    ecs = target_of(t, "WorkerTrigger1Rule")["EcsParameters"]
    assert ecs["LaunchType"] == "FARGATE" and "CapacityProviderStrategy" not in ecs
    assert ecs["NetworkConfiguration"]["AwsVpcConfiguration"] == {
        "Subnets": ["subnet-12345678"], "SecurityGroups": ["sg-87654321"], "AssignPublicIp": "DISABLED"}
    assert (ecs["TaskCount"], ecs["PlatformVersion"]) == (3, "1.4.0")

    spot = build_dict(job("      - schedule: rate(1 hour)\n", extra="    capacity: {fargate: 1, fargate_spot: 3}\n"))
    ecs = target_of(spot, "WorkerTrigger1Rule")["EcsParameters"]
    assert "LaunchType" not in ecs
    assert ecs["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE", "Weight": 1}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}]


def test_retry_policy_and_disabled_trigger():
    t = build_dict(job("      - schedule: rate(1 hour)\n        enabled: false\n        retry: {attempts: 4, max_event_age: 15m}\n"))
    rule = t["Resources"]["WorkerTrigger1Rule"]["Properties"]
    assert rule["State"] == "DISABLED"
    assert rule["Targets"][0]["RetryPolicy"] == {"MaximumRetryAttempts": 4, "MaximumEventAgeInSeconds": 900}


def test_custom_bus_pattern_rule():
    t = build_dict(job(
        "      - event_pattern: {source: [com.example], detail: {amount: [{numeric: ['>', 100]}]}}\n"
        "        event_bus: orders\n"
    ))
    rule = t["Resources"]["WorkerTrigger1Rule"]["Properties"]
    assert rule["EventBusName"] == "orders"
    assert rule["EventPattern"] == {"source": ["com.example"], "detail": {"amount": [{"numeric": [">", 100]}]}}
    dims = t["Resources"]["WorkerTrigger1FailedInvocationsAlarm"]["Properties"]["Dimensions"]
    assert [d["Name"] for d in dims] == ["EventBusName", "RuleName"]


def test_logical_ids_stay_when_a_job_is_added():
    one = build_dict(job("      - schedule: rate(1 hour)\n"))
    two = build_dict(job("      - schedule: rate(1 hour)\n") + "  another:\n    image: busybox\n    triggers:\n      - schedule: rate(1 day)\n")
    for logical_id, resource in one["Resources"].items():
        if logical_id not in ("AlarmTopicPolicy",):
            assert two["Resources"][logical_id] == resource, logical_id

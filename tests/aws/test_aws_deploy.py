"""deploy against moto's server: change sets, no-change redeploys, parameters, failures."""

from __future__ import annotations

import json

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STACK = "csv-analyzer"


def resources(boto, stack=STACK):
    cf = boto("cloudformation")
    return {r["LogicalResourceId"]: r for r in cf.list_stack_resources(StackName=stack)["StackResourceSummaries"]
            if r.get("LogicalResourceId")}


def test_deploy_config_creates_stack_with_rule_targets_and_task_definition(cli, boto, project):
    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    assert f"{STACK}: CREATE_COMPLETE" in out
    assert "creating change set (CREATE)" in err
    assert "note: (generated from config/csv-analyzer.yaml):" in err and "I9601 CsvAnalyzerTrigger1Rule" in err
    assert "Add      AWS::ECS::TaskDefinition" in err

    cf = boto("cloudformation")
    assert cf.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    found = resources(boto)
    # what moto's CloudFormation creates for our template
    for logical, kind in [
        ("CsvAnalyzerTaskDefinition", "AWS::ECS::TaskDefinition"),
        ("CsvAnalyzerTrigger1Rule", "AWS::Events::Rule"),
        ("CsvAnalyzerTaskFailedRule", "AWS::Events::Rule"),
        ("CsvAnalyzerEventsRole", "AWS::IAM::Role"),
        ("CsvAnalyzerExecutionRole", "AWS::IAM::Role"),
        ("CsvAnalyzerTaskRole", "AWS::IAM::Role"),
        ("CsvAnalyzerDeadLetterQueue", "AWS::SQS::Queue"),
        ("CsvAnalyzerLogGroup", "AWS::Logs::LogGroup"),
        ("AlarmTopic", "AWS::SNS::Topic"),
    ]:
        assert found[logical]["ResourceType"] == kind

    task_def = boto("ecs").describe_task_definition(taskDefinition=found["CsvAnalyzerTaskDefinition"]["PhysicalResourceId"])["taskDefinition"]
    assert task_def["family"] == "csv-analyzer-csv-analyzer"
    # moto's CloudFormation drops Cpu, NetworkMode and RequiresCompatibilities of a task definition
    # (it reports bridge/EC2); Memory and the container definitions come through.
    assert task_def["memory"] == "1024"
    container = task_def["containerDefinitions"][0]
    assert container["name"] == "csv-analyzer"
    assert container["image"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer:latest"
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/csv-analyzer/csv-analyzer"

    events = boto("events")
    rule_name = found["CsvAnalyzerTrigger1Rule"]["PhysicalResourceId"]
    rule = events.describe_rule(Name=rule_name)
    assert json.loads(rule["EventPattern"])["detail"]["object"]["key"] == [{"suffix": ".csv"}]
    (target,) = events.list_targets_by_rule(Rule=rule_name)["Targets"]
    assert target["Arn"] == "arn:aws:ecs:us-east-1:123456789012:cluster/processing"
    assert target["EcsParameters"]["TaskDefinitionArn"] == task_def["taskDefinitionArn"]
    assert target["EcsParameters"]["LaunchType"] == "FARGATE"
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}
    assert target["DeadLetterConfig"]["Arn"].endswith(":" + found["CsvAnalyzerDeadLetterQueue"]["PhysicalResourceId"].rsplit("/", 1)[1])
    assert '"name":"csv-analyzer"' in target["InputTransformer"]["InputTemplate"]

    boto("iam").get_role(RoleName=found["CsvAnalyzerEventsRole"]["PhysicalResourceId"])
    groups = boto("logs").describe_log_groups(logGroupNamePrefix="/ecs/csv-analyzer/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/ecs/csv-analyzer/csv-analyzer"]
    assert groups[0]["retentionInDays"] == 30


def test_redeploy_without_changes_says_no_changes_and_deletes_the_change_set(cli, boto, project):
    assert cli("deploy", "config/csv-analyzer.yaml")[0] == 0
    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert (code, out) == (0, f"{STACK}: no changes\n"), err
    change_sets = boto("cloudformation").list_change_sets(StackName=STACK)["Summaries"]
    assert all(cs["Status"] != "FAILED" for cs in change_sets)


def test_update_through_a_change_set_and_parameter_override(cli, boto, project):
    assert cli("deploy", "config/csv-analyzer.yaml")[0] == 0
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer@sha256:" + "a" * 64
    code, out, err = cli("deploy", "config/csv-analyzer.yaml", "--parameter-overrides", f"CsvAnalyzerImage={image}")
    assert code == 0, err
    assert "creating change set (UPDATE)" in err
    assert f"{STACK}: UPDATE_COMPLETE" in out
    stack = boto("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]} == {"CsvAnalyzerImage": image}
    # moto replaces the task definition with a new revision, but its CloudFormation update loses the
    # container definitions (and lists no changes in the change set), so the image is checked on the stack.
    task_def = resources(boto)["CsvAnalyzerTaskDefinition"]["PhysicalResourceId"]
    assert task_def.endswith("task-definition/csv-analyzer-csv-analyzer:2")


def test_deploy_uses_the_published_image_by_default(cli, boto, project):
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer@sha256:" + "b" * 64
    (project / ".batchjobs").mkdir()
    (project / ".batchjobs" / "images.json").write_text(json.dumps({"CsvAnalyzerImage": image, "OtherImage": "x"}))
    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    assert f"CsvAnalyzerImage={image} (from .batchjobs/images.json)" in err
    stack = boto("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert {"ParameterKey": "CsvAnalyzerImage", "ParameterValue": image} in [
        {k: p[k] for k in ("ParameterKey", "ParameterValue")} for p in stack["Parameters"]]


def test_unknown_parameter_override_is_a_usage_error(cli, boto, project):
    code, out, err = cli("deploy", "config/csv-analyzer.yaml", "--parameter-overrides", "NoSuchImage=x")
    assert code == 2
    assert "the template has no parameter NoSuchImage (parameters: CsvAnalyzerImage)" in err
    assert boto("cloudformation").list_stacks()["StackSummaries"] == []


def test_no_execute_changeset_shows_the_changes_only(cli, boto, project):
    code, out, err = cli("deploy", "config/csv-analyzer.yaml", "--no-execute-changeset")
    assert code == 0, err
    assert "not executed" in out and "AWS::Events::Rule" in out
    stack = boto("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "REVIEW_IN_PROGRESS"
    assert boto("ecs").list_task_definitions()["taskDefinitionArns"] == []


def test_deploy_a_template_file_by_path_with_stack_name(cli, boto, project):
    template = project / "t.yaml"
    template.write_text((REPO / "templates" / "daily-data-processor.yaml").read_text())
    code, out, err = cli("deploy", str(template), "--stack-name", "ddp")
    assert code == 0, err
    assert "ddp: CREATE_COMPLETE" in out
    assert "DataProcessorTaskDefinition" in resources(boto, "ddp")


def test_large_template_needs_s3_bucket_and_is_uploaded(cli, boto, project):
    text = (REPO / "templates" / "csv-analyzer.yaml").read_text()
    big = project / "big.yaml"
    big.write_text(text + "\n" + "#" * 60_000 + "\n")
    code, _, err = cli("deploy", str(big))
    assert code == 2 and "pass --s3-bucket" in err
    boto("s3").create_bucket(Bucket="templates-bucket")
    code, out, err = cli("deploy", str(big), "--s3-bucket", "templates-bucket")
    assert code == 0, err
    assert "big: CREATE_COMPLETE" in out
    keys = [o["Key"] for o in boto("s3").list_objects_v2(Bucket="templates-bucket")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("big/")


def test_template_moto_rejects_fails_with_the_reason(cli, boto, project):
    bad = project / "bad.yaml"
    bad.write_text("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
                   "    Properties:\n      FifoQueue: true\n      QueueName: not-fifo\n")
    code, out, err = cli("deploy", str(bad))
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: execute change set of stack bad: InvalidParameterValue: Queue name must end in .fifo for FIFO queues")


def test_parameter_without_default_needs_a_value(cli, project):
    template = project / "p.yaml"
    template.write_text("Parameters:\n  Size:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    code, _, err = cli("deploy", str(template))
    assert code == 2
    assert "parameter Size has no default: pass --parameter-overrides Size=VALUE" in err


def test_capabilities_follow_the_template():
    from generator.template.parameters import capabilities

    assert capabilities({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {}}}}) == ["CAPABILITY_IAM"]
    assert capabilities({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}}) == [
        "CAPABILITY_NAMED_IAM"]
    assert capabilities({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}) == []


def test_the_specs_image_wins_over_the_stacks_previous_value(cli, boto, project):
    """The spec is the source of truth: a new `image:` reaches the stack (no UsePreviousValue), said on stderr."""
    old = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer:latest"
    new = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer:v2"
    assert cli("deploy", "config/csv-analyzer.yaml")[0] == 0
    spec = project / "config" / "csv-analyzer.yaml"
    assert old in spec.read_text()
    spec.write_text(spec.read_text().replace(old, new))

    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    assert f"{STACK}: UPDATE_COMPLETE" in out
    assert f"CsvAnalyzerImage: {old} -> {new} (the template's default)" in err.splitlines()
    stack = boto("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]} == {"CsvAnalyzerImage": new}


def test_a_pinned_image_survives_a_plain_deploy_of_an_unchanged_spec(cli, boto, project):
    """An image pinned by --parameter-overrides, or published and deployed from another checkout (CI has no
    .batchjobs/images.json), stays on the stack when the spec's `image:` did not change: the parameter keeps
    its previous value, and nothing is said. A changed `image:` still reaches the stack."""
    spec_image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer:latest"
    pinned = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer@sha256:" + "c" * 64
    published = "123456789012.dkr.ecr.us-east-1.amazonaws.com/csv-analyzer@sha256:" + "d" * 64
    cf = boto("cloudformation")

    def image():
        (parameter,) = cf.describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]
        return parameter["ParameterValue"]

    assert cli("deploy", "config/csv-analyzer.yaml", "--parameter-overrides", f"CsvAnalyzerImage={pinned}")[0] == 0
    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert (code, out) == (0, f"{STACK}: no changes\n"), err
    assert "->" not in err
    assert image() == pinned

    (project / ".batchjobs").mkdir()
    (project / ".batchjobs" / "images.json").write_text(json.dumps({"CsvAnalyzerImage": published}))
    code, _, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    assert f"CsvAnalyzerImage: {pinned} -> {published} (from .batchjobs/images.json)" in err.splitlines()
    assert image() == published
    (project / ".batchjobs" / "images.json").unlink()  # another checkout
    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert (code, out) == (0, f"{STACK}: no changes\n"), err
    assert "->" not in err
    assert image() == published

    spec = project / "config" / "csv-analyzer.yaml"
    spec.write_text(spec.read_text().replace(spec_image, spec_image.replace(":latest", ":v2")))
    code, _, err = cli("deploy", "config/csv-analyzer.yaml")
    assert code == 0, err
    assert f"CsvAnalyzerImage: {published} -> {spec_image.replace(':latest', ':v2')} (the template's default)" in err.splitlines()
    assert image() == spec_image.replace(":latest", ":v2")


def test_deploy_after_no_execute_changeset_executes_the_reviewed_change_set(cli, boto, project):
    """`--no-execute-changeset` leaves the stack in REVIEW_IN_PROGRESS; the next deploy of the same
    spec executes that change set (what was reviewed is what runs) and later deploys are updates."""
    assert cli("deploy", "config/csv-analyzer.yaml", "--no-execute-changeset")[0] == 0
    cf = boto("cloudformation")
    (reviewed,) = cf.list_change_sets(StackName=STACK)["Summaries"]

    code, out, err = cli("deploy", "config/csv-analyzer.yaml", "--timeout", "1m")
    assert code == 0, err
    assert f"{STACK}: using change set {reviewed['ChangeSetName']}, made earlier from this same template and parameters" in err
    assert "creating change set" not in err
    assert f"{STACK}: CREATE_COMPLETE" in out
    assert [s["StackStatus"] for s in cf.list_stacks()["StackSummaries"]] == ["CREATE_COMPLETE"]
    assert "CsvAnalyzerTaskDefinition" in resources(boto)

    code, out, err = cli("deploy", "config/csv-analyzer.yaml")
    assert (code, out) == (0, f"{STACK}: no changes\n"), err


def test_a_changed_spec_under_review_replaces_the_stale_change_set(cli, boto, project):
    assert cli("deploy", "config/csv-analyzer.yaml", "--no-execute-changeset")[0] == 0
    cf = boto("cloudformation")
    (stale,) = cf.list_change_sets(StackName=STACK)["Summaries"]
    spec = project / "config" / "csv-analyzer.yaml"
    spec.write_text(spec.read_text().replace("csv-analyzer:latest", "csv-analyzer:v2"))

    code, out, err = cli("deploy", "config/csv-analyzer.yaml", "--no-execute-changeset")
    assert code == 0, err
    assert (f"{STACK}: deleted stale change set {stale['ChangeSetName']} (made from another template or parameters)"
            in err.splitlines())
    (fresh,) = cf.list_change_sets(StackName=STACK)["Summaries"]
    assert fresh["ChangeSetId"] != stale["ChangeSetId"] and fresh["ExecutionStatus"] == "AVAILABLE"
    # moto's CreateChangeSet of type CREATE makes a second stack of the same name instead of reusing the
    # one in review, so the execution of the fresh change set is not checked against moto


def test_bad_timeout_is_a_usage_error(cli, project):
    code, _, err = cli("deploy", "config/csv-analyzer.yaml", "--timeout", "soon")
    assert code == 2
    assert "--timeout soon: 'soon' is not a duration (write e.g. 90s, 15m, 1h or a number of seconds)" in err


def test_timeout_is_read_as_the_spec_reads_a_duration():
    """A bare number is seconds, as in a spec (parse_duration_seconds); zero and over a day are refused."""
    import pytest

    from generator.commands.deploy import parse_timeout
    from generator.errors import UsageError

    assert [parse_timeout(t) for t in ("90", " 90s", "30m", "2h", "24h")] == [90, 90, 1800, 7200, 86400]
    for text, says in (("0", "0 is out of range: --timeout must be between 1s and 86400s"),
                       ("25h", "'25h' is out of range"), ("2d", "'2d' is not a duration"), ("１", "'１' is not a duration")):
        with pytest.raises(UsageError) as caught:
            parse_timeout(text)
        assert str(caught.value).startswith(f"--timeout {text}: {says}")


def test_the_deployed_templates_defaults_are_read_only_when_a_parameter_needs_them():
    """A new stack, an override or a published image needs no GetTemplate; a Default equal to the deployed
    one (YAML `1` and "1" alike, a JSON template already decoded by botocore) keeps the stack's value."""
    from generator.template.parameters import stack_parameters, template_defaults

    def unused():
        raise AssertionError("GetTemplate was not needed")

    declared = {"Image": {"Type": "String", "Default": "repo:v1"}, "Size": {"Type": "Number", "Default": 1}}
    sent = stack_parameters(declared, {"Image": "repo@sha256:1"}, {}, {}, unused, Path("images.json"), "s")
    assert sent.parameters == [{"ParameterKey": "Image", "ParameterValue": "repo@sha256:1"},
                               {"ParameterKey": "Size", "ParameterValue": "1"}]
    assert sent.notes == []

    yaml_body = "Parameters:\n  Image: {Type: String, Default: 'repo:v1'}\n  Size: {Type: Number, Default: '1'}\nResources: {}\n"
    assert template_defaults(yaml_body, "s") == {"Image": "repo:v1", "Size": "1"}
    assert template_defaults({"Parameters": {"Size": {"Type": "Number", "Default": 1}, "Other": {"Type": "String"}}}, "s") == {"Size": 1}
    previous = {"Image": "repo@sha256:pinned", "Size": "1"}
    sent = stack_parameters(declared, {}, {}, previous, lambda: template_defaults(yaml_body, "s"), Path("images.json"), "s")
    assert sent.parameters == [{"ParameterKey": "Image", "UsePreviousValue": True}, {"ParameterKey": "Size", "UsePreviousValue": True}]
    assert sent.notes == []
    changed = {**declared, "Image": {"Type": "String", "Default": "repo:v2"}}
    sent = stack_parameters(changed, {}, {}, previous, lambda: template_defaults(yaml_body, "s"), Path("images.json"), "s")
    assert sent.parameters[0] == {"ParameterKey": "Image", "ParameterValue": "repo:v2"}
    assert sent.notes == ["Image: repo@sha256:pinned -> repo:v2 (the template's default)"]

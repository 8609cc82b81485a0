"""Task definition, log group and the three kinds of role."""

import pytest

from support import build_dict

JOB = """
jobs:
  report-job:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/report:1.2
    cpu: 512
    memory: 2048
    log_retention_days: 14
    environment: {LOG_LEVEL: INFO}
    secrets: {TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/report/token}
    permissions:
      s3_read: [in-bucket]
      s3_write: [out-bucket/results/]
    triggers:
      - schedule: rate(1 day)
"""


def resources(template, kind):
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def statements(role_properties):
    return [s for p in role_properties.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


def test_task_definition_is_fargate_awsvpc_logging_to_its_own_group():
    t = build_dict(JOB)
    task = t["Resources"]["ReportJobTaskDefinition"]["Properties"]
    assert task["RequiresCompatibilities"] == ["FARGATE"]
    assert task["NetworkMode"] == "awsvpc"
    assert (task["Cpu"], task["Memory"]) == ("512", "2048")
    assert task["Family"] == "test-stack-report-job"
    container = task["ContainerDefinitions"][0]
    assert container["Image"] == {"Ref": "ReportJobImage"}
    assert container["Environment"] == [{"Name": "LOG_LEVEL", "Value": "INFO"}]
    assert container["Secrets"] == [{"Name": "TOKEN", "ValueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/report/token"}]
    options = container["LogConfiguration"]["Options"]
    assert container["LogConfiguration"]["LogDriver"] == "awslogs"
    assert options["awslogs-group"] == {"Ref": "ReportJobLogGroup"}
    log_group = t["Resources"]["ReportJobLogGroup"]["Properties"]
    assert log_group["RetentionInDays"] == 14
    assert log_group["LogGroupName"] == "/ecs/test-stack/report-job"
    assert t["Parameters"]["ReportJobImage"]["Default"] == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/report:1.2"


def test_execution_role_pulls_only_its_repository_and_writes_only_its_log_group():
    t = build_dict(JOB)
    role = t["Resources"]["ReportJobExecutionRole"]["Properties"]
    assert "ManagedPolicyArns" not in role
    by_action = {tuple(s["Action"]): s for s in statements(role)}
    assert by_action[("ecr:GetAuthorizationToken",)]["Resource"] == ["*"]
    pull = by_action[("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")]
    assert pull["Resource"] == [{"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/team/report"}]
    logs = by_action[("logs:CreateLogStream", "logs:PutLogEvents")]
    assert logs["Resource"] == [{"Fn::GetAtt": ["ReportJobLogGroup", "Arn"]}]
    assert by_action[("ssm:GetParameters",)]["Resource"] == ["arn:aws:ssm:eu-west-1:123456789012:parameter/report/token"]
    # "*" appears only for the one action AWS requires it for
    assert [s["Action"] for s in statements(role) if "*" in s["Resource"]] == [["ecr:GetAuthorizationToken"]]


SECRETS_JOB = """
jobs:
  report-job:
    image: python:3.12-slim
    secrets:
      FULL: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-AbCdEf
      PARTIAL: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
      JSON_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db2-AbCdEf:password::"
      PARTIAL_KEY: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db3:user:AWSPREVIOUS:"
      TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/report/token
      FLAT: arn:aws:ssm:eu-west-1:123456789012:parameter/flat-name
    triggers:
      - schedule: rate(1 day)
"""


def test_secret_permissions_name_the_secrets_real_arns():
    """ECS reads `valueFrom` as written; IAM compares GetSecretValue with the secret's real ARN, which ends
    in `-` and 6 random characters and has no json-key/stage/version tail."""
    t = build_dict(SECRETS_JOB)
    by_action = {tuple(s["Action"]): s for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"])}
    prefix = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
    assert by_action[("secretsmanager:GetSecretValue",)]["Resource"] == [
        prefix + "db-??????", prefix + "db2-AbCdEf", prefix + "db3-??????", prefix + "prod/api-AbCdEf",
    ]
    assert by_action[("ssm:GetParameters",)]["Resource"] == [
        "arn:aws:ssm:eu-west-1:123456789012:parameter/flat-name",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/report/token",
    ]
    # the container still gets the references as written: ECS resolves the key and the version
    container = t["Resources"]["ReportJobTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
    assert {s["Name"]: s["ValueFrom"] for s in container["Secrets"]}["JSON_KEY"] == prefix + "db2-AbCdEf:password::"


def test_secret_policy_resource_matches_the_real_arn_iam_sees():
    import fnmatch

    from generator.model.arns import secret_policy_resource

    real = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-x1Y2z3"
    for written in (real, real + ":password::", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db::AWSCURRENT:"):
        assert fnmatch.fnmatchcase(real, secret_policy_resource(written)), written
    # a partial ARN's wildcard matches exactly the six-character suffix, not a longer name
    assert not fnmatch.fnmatchcase(real.replace("db-", "db-other-"), secret_policy_resource(real[: -len("-x1Y2z3")]))


@pytest.mark.parametrize("image, region", [
    ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/report:1.2@sha256:" + "0" * 64, "eu-west-1"),
    ("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/team/report:1.2", "us-gov-west-1"),
    ("123456789012.dkr-ecr.eu-west-1.on.aws/team/report@sha256:" + "0" * 64, "eu-west-1"),
    ("123456789012.dkr-ecr-fips.us-east-1.on.aws/team/report", "us-east-1"),
    ("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/report:1.2", "cn-north-1"),
])
def test_every_ecr_endpoint_and_reference_form_gets_pull_permissions(image, region):
    t = build_dict(JOB.replace("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/report:1.2", image))
    by_action = {tuple(s["Action"]): s for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"])}
    pull = by_action[("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")]
    assert pull["Resource"] == [{"Fn::Sub": f"arn:${{AWS::Partition}}:ecr:{region}:123456789012:repository/team/report"}]
    assert ("ecr:GetAuthorizationToken",) in by_action


def test_public_image_needs_no_ecr_permissions():
    t = build_dict(JOB.replace("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/report:1.2", "python:3.12-slim"))
    actions = [a for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"]) for a in s["Action"]]
    assert not [a for a in actions if a.startswith("ecr:")]


def test_task_role_grants_exactly_the_permissions_object_level():
    t = build_dict(JOB)
    granted = statements(t["Resources"]["ReportJobTaskRole"]["Properties"])
    assert granted == [
        {"Action": ["s3:GetObject"], "Effect": "Allow", "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::in-bucket/*"}]},
        # listing lets a missing object answer 404 instead of 403
        {"Action": ["s3:ListBucket"], "Effect": "Allow", "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::in-bucket"}]},
        {"Action": ["s3:PutObject"], "Effect": "Allow", "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::out-bucket/results/*"}]},
    ]


def test_listing_is_limited_to_the_read_prefixes():
    t = build_dict(JOB.replace("s3_read: [in-bucket]", "s3_read: [in-bucket/a/, in-bucket/b/, other-bucket]"))
    granted = statements(t["Resources"]["ReportJobTaskRole"]["Properties"])
    listing = [s for s in granted if s["Action"] == ["s3:ListBucket"]]
    assert listing == [
        {"Action": ["s3:ListBucket"], "Effect": "Allow",
         "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::in-bucket"}],
         "Condition": {"StringLike": {"s3:prefix": ["a/*", "b/*"]}}},
        {"Action": ["s3:ListBucket"], "Effect": "Allow",
         "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:s3:::other-bucket"}]},
    ]


def test_task_role_without_permissions_has_no_policy():
    t = build_dict(JOB.split("    permissions:")[0] + "    triggers:\n      - schedule: rate(1 day)\n")
    assert "Policies" not in t["Resources"]["ReportJobTaskRole"]["Properties"]


def test_events_role_runs_only_this_task_on_this_cluster_and_passes_only_its_roles():
    t = build_dict(JOB)
    role = t["Resources"]["ReportJobEventsRole"]["Properties"]
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    by_action = {s["Action"][0]: s for s in statements(role)}
    run = by_action["ecs:RunTask"]
    assert run["Resource"] == [{"Ref": "ReportJobTaskDefinition"}]
    assert run["Condition"] == {
        "ArnEquals": {"ecs:cluster": {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/processing"}}
    }
    passrole = by_action["iam:PassRole"]
    assert passrole["Resource"] == [
        {"Fn::GetAtt": ["ReportJobExecutionRole", "Arn"]},
        {"Fn::GetAtt": ["ReportJobTaskRole", "Arn"]},
    ]
    assert passrole["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert "ecs:TagResource" not in by_action  # no tags, nothing propagated
    assert "ReportJobSchedulerRole" not in t["Resources"]


def test_tag_resource_only_when_tags_are_propagated():
    t = build_dict("tags: {team: data}\n" + JOB)
    role = t["Resources"]["ReportJobEventsRole"]["Properties"]
    tag = [s for s in statements(role) if s["Action"] == ["ecs:TagResource"]]
    assert len(tag) == 1 and tag[0]["Condition"] == {"StringEquals": {"ecs:CreateAction": "RunTask"}}
    target = t["Resources"]["ReportJobTrigger1Rule"]["Properties"]["Targets"][0]
    assert target["EcsParameters"]["PropagateTags"] == "TASK_DEFINITION"
    tagged = [k for k, r in t["Resources"].items() if r["Properties"].get("Tags") == [{"Key": "team", "Value": "data"}]]
    assert {"ReportJobTaskDefinition", "ReportJobTaskRole", "ReportJobLogGroup", "ReportJobDeadLetterQueue"} <= set(tagged)


def test_untagged_stack_has_no_empty_tag_lists():
    t = build_dict(JOB)
    assert [k for k, r in t["Resources"].items() if "Tags" in r["Properties"]] == []


def test_cluster_by_arn_and_created_cluster():
    arn = "arn:aws:ecs:us-east-1:123456789012:cluster/batch"
    network = "network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}\n"
    t = build_dict(f"stack: s\ncluster: {{arn: '{arn}'}}\n" + network + JOB)
    assert t["Resources"]["ReportJobTrigger1Rule"]["Properties"]["Targets"][0]["Arn"] == arn
    created = build_dict("stack: s\ncluster: {create: true}\nnetwork: {subnets: [subnet-12345678], security_groups: [sg-87654321]}\n" + JOB)
    assert created["Resources"]["Cluster"]["Type"] == "AWS::ECS::Cluster"
    target = created["Resources"]["ReportJobTrigger1Rule"]["Properties"]["Targets"][0]
    assert target["Arn"] == {"Fn::GetAtt": ["Cluster", "Arn"]}


def test_extra_statement_conditions_are_kept():
    t = build_dict("""
jobs:
  worker:
    image: python:3.12-slim
    permissions:
      statements:
        - actions: [dynamodb:PutItem]
          resources: [arn:aws:dynamodb:us-east-1:123456789012:table/t]
          conditions:
            ForAllValues:StringEquals: {"dynamodb:Attributes": [id, status]}
            Bool: {"aws:SecureTransport": "true"}
    triggers:
      - schedule: rate(1 day)
""")
    [statement] = statements(t["Resources"]["WorkerTaskRole"]["Properties"])
    assert statement["Condition"] == {
        "Bool": {"aws:SecureTransport": "true"},
        "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "status"]},
    }


KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_secrets_kms_keys_grant_decrypt_through_the_secret_services_only():
    """"kms:Decrypt—Required only if your key uses a custom KMS key and not the default key. The Amazon
    Resource Name (ARN) for your custom key must be added as a resource."
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html, required IAM
    permissions for Amazon ECS secrets); kms:ViaService keeps the role from decrypting anything else with it
    (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)."""
    t = build_dict(SECRETS_JOB.replace("    secrets:", f"    secrets_kms_keys: [{KEY}]\n    secrets:", 1))
    kms = [s for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"]) if s["Action"] == ["kms:Decrypt"]]
    assert kms == [{
        "Action": ["kms:Decrypt"], "Effect": "Allow", "Resource": [KEY],
        "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com",
                                                          "ssm.eu-west-1.amazonaws.com"]}},
    }]
    # from defaults too; and no grant without the field, or without secrets to decrypt
    t = build_dict(f"defaults: {{secrets_kms_keys: [{KEY}]}}\n" + JOB)
    kms = [s for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"]) if s["Action"] == ["kms:Decrypt"]]
    assert kms[0]["Condition"] == {"StringEquals": {"kms:ViaService": ["ssm.eu-west-1.amazonaws.com"]}}
    for text in (SECRETS_JOB, f"defaults: {{secrets_kms_keys: [{KEY}]}}\n" + JOB.replace(
            "    secrets: {TOKEN: arn:aws:ssm:eu-west-1:123456789012:parameter/report/token}\n", "")):
        t = build_dict(text)
        assert not [s for s in statements(t["Resources"]["ReportJobExecutionRole"]["Properties"])
                    if s["Action"] == ["kms:Decrypt"]]


CAPACITY = """
jobs:
  spot-job:
    image: python:3.12-slim
    capacity: fargate_spot
    triggers: [{schedule: rate(1 day)}]
  mixed-job:
    image: python:3.12-slim
    capacity: {fargate: 1, fargate_spot: 3}
    triggers: [{schedule: rate(1 day)}]
  plain-job:
    image: python:3.12-slim
    triggers: [{schedule: rate(1 day)}]
"""


def test_capacity_providers_on_an_existing_cluster_are_a_generate_warning():
    """"Only capacity providers that are already associated with a cluster and have an ACTIVE or UPDATING
    status can be used in a capacity provider strategy"
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html): the stack
    cannot associate them with a cluster it does not own, so generate names them and the cluster."""
    from generator.resources import build_template
    from support import spec_from

    _, warnings = build_template(spec_from(CAPACITY))
    capacity = [w for w in warnings if "capacity provider" in w]
    assert capacity == [
        "cluster processing: capacity providers FARGATE (job mixed-job), FARGATE_SPOT (jobs spot-job, mixed-job) "
        "must be associated with it, or every run of those jobs fails: associate them with `aws ecs "
        "put-cluster-capacity-providers` (it replaces the cluster's providers and default strategy: pass the "
        "current ones too); `batchjobs status JOB` checks it"]
    arn = "arn:aws:ecs:us-east-2:123456789012:cluster/shared"
    _, warnings = build_template(spec_from(f"stack: s\ncluster: {{arn: {arn}}}\nnetwork: {{subnets: [subnet-12345678], "
                                           "security_groups: [sg-87654321]}\n" + CAPACITY))
    assert any(w.startswith(f"cluster {arn}: capacity providers") for w in warnings)
    # the stack's own cluster associates both; jobs on LaunchType FARGATE need none
    _, warnings = build_template(spec_from("stack: s\ncluster: {create: true}\nnetwork: {subnets: [subnet-12345678], "
                                           "security_groups: [sg-87654321]}\n" + CAPACITY))
    assert not [w for w in warnings if "capacity provider" in w]
    _, warnings = build_template(spec_from(CAPACITY.split("  spot-job:")[0] + CAPACITY.split("triggers: [{schedule: rate(1 day)}]\n", 2)[2]))
    assert not [w for w in warnings if "capacity provider" in w]

"""diff.broadened_permissions on small templates: each way a permission can become broader, and the
changes that must not be flagged."""

from __future__ import annotations

import copy

import pytest

from generator.review.diff import broadened_permissions, diff_templates

BUCKET_OBJECTS = {"Fn::Sub": "arn:${AWS::Partition}:s3:::bucket/in/*"}


def role_template(statements: list[dict], *, trust: list[dict] | None = None, **props) -> dict:
    trust = trust or [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    return {"Resources": {"JobTaskRole": {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": trust},
        "Policies": [{"PolicyName": "least-privilege", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        **props,
    }}}}


def allow(actions, resources, **extra) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def queue_policy(statements: list[dict]) -> dict:
    return {"Resources": {
        "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Rule1": {"Type": "AWS::Events::Rule", "Properties": {}},
        "DlqPolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "Dlq"}], "PolicyDocument": {"Statement": statements}}},
    }}


def dlq_statement(source_arns: list, **extra) -> dict:
    return {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["Dlq", "Arn"]}, "Condition": {"ArnEquals": {"aws:SourceArn": source_arns}},
            **extra}


BROADER = [
    pytest.param(
        [allow(["s3:GetObject"], [BUCKET_OBJECTS])],
        [allow(["s3:GetObject", "s3:DeleteObject"], [BUCKET_OBJECTS])],
        ["JobTaskRole policy least-privilege: gains s3:DeleteObject on !Sub 'arn:${AWS::Partition}:s3:::bucket/in/*' (wildcard)"],
        id="an action added",
    ),
    pytest.param(
        [allow("s3:GetObject", "arn:aws:s3:::bucket/in/*")],
        [allow("s3:Get*", "arn:aws:s3:::bucket/in/*")],
        ["JobTaskRole policy least-privilege: gains s3:Get* on arn:aws:s3:::bucket/in/* (wildcard)"],
        id="an action becomes a wildcard",
    ),
    pytest.param(
        [allow("s3:GetObject", "arn:aws:s3:::bucket/in/*")],
        [allow("s3:GetObject", "arn:aws:s3:::bucket/*")],
        ["JobTaskRole policy least-privilege: s3:GetObject gains resource arn:aws:s3:::bucket/* (widens arn:aws:s3:::bucket/in/*)"],
        id="a prefix widened",
    ),
    pytest.param(
        [allow("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/a")],
        [allow("dynamodb:PutItem", "*")],
        ["JobTaskRole policy least-privilege: dynamodb:PutItem gains resource * (every resource)"],
        id="a resource becomes *",
    ),
    pytest.param(
        [allow("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/a")],
        [allow("dynamodb:PutItem", ["arn:aws:dynamodb:us-east-1:123456789012:table/a",
                                    "arn:aws:dynamodb:us-east-1:123456789012:table/b"])],
        ["JobTaskRole policy least-privilege: dynamodb:PutItem gains resource arn:aws:dynamodb:us-east-1:123456789012:table/b"],
        id="a resource added",
    ),
    pytest.param(
        [allow("ecs:RunTask", {"Ref": "TaskDefinition"}, Condition={"ArnEquals": {"ecs:cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c"}})],
        [allow("ecs:RunTask", {"Ref": "TaskDefinition"})],
        ["JobTaskRole policy least-privilege: ecs:RunTask on !Ref TaskDefinition: condition removed: "
         "ArnEquals ecs:cluster = arn:aws:ecs:us-east-1:123456789012:cluster/c"],
        id="a condition removed",
    ),
    pytest.param(
        [allow("ecs:RunTask", "*", Condition={"StringEquals": {"aws:RequestedRegion": ["us-east-1"]}})],
        [allow("ecs:RunTask", "*", Condition={"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}})],
        ["JobTaskRole policy least-privilege: ecs:RunTask on *: condition StringEquals aws:RequestedRegion now also accepts eu-west-1"],
        id="a condition accepts one more value",
    ),
    pytest.param(
        [allow("ecs:RunTask", "*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}})],
        [allow("ecs:RunTask", "*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}})],
        ["JobTaskRole policy least-privilege: ecs:RunTask on *: condition StringNotEquals aws:RequestedRegion no longer excludes eu-west-1"],
        id="a negated condition excludes less",
    ),
    pytest.param(
        [allow("s3:*", "*"), {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}],
        [allow("s3:*", "*")],
        ["JobTaskRole policy least-privilege: Deny s3:DeleteObject on * is removed"],
        id="a deny removed",
    ),
    pytest.param(
        [allow("s3:GetObject", "*")],
        [allow("s3:GetObject", "*"), {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}],
        ["JobTaskRole policy least-privilege: gains NOT iam:* on * (every resource)"],
        id="a NotAction statement added",
    ),
]


@pytest.mark.parametrize("before, after, expected", BROADER)
def test_broader_role_policies(before, after, expected):
    broadened, fresh = broadened_permissions(role_template(before), role_template(after))
    assert [str(b) for b in broadened] == expected
    assert fresh == []


NOT_BROADER = [
    pytest.param([allow("s3:Get*", "*")], [allow("s3:GetObject", "*")], id="a wildcard action narrowed"),
    pytest.param([allow("s3:GetObject", "arn:aws:s3:::b/*")], [allow("s3:GetObject", "arn:aws:s3:::b/in/*")], id="a prefix narrowed"),
    pytest.param([allow("s3:GetObject", "arn:aws:s3:::b/*")], [allow("S3:getobject", "arn:aws:s3:::b/*")], id="action case"),
    pytest.param(
        [allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("s3:PutObject", "arn:aws:s3:::b/*")],
        [allow("s3:PutObject", "arn:aws:s3:::b/*"), allow("s3:GetObject", "arn:aws:s3:::a/*")],
        id="statements reordered",
    ),
    pytest.param(
        [allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::a/*")],
        [allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("s3:PutObject", "arn:aws:s3:::a/*")],
        id="a statement split in two",
    ),
    pytest.param(
        [allow("ecs:RunTask", "*")],
        [allow("ecs:RunTask", "*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}})],
        id="a condition added",
    ),
    pytest.param(
        [allow("ecs:RunTask", "*", Condition={"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/a-*"}})],
        [allow("ecs:RunTask", "*", Condition={"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/a-b"}})],
        id="a Like condition value narrowed",
    ),
    pytest.param([allow("s3:GetObject", "*"), allow("s3:PutObject", "*")], [allow("s3:GetObject", "*")], id="a statement removed"),
    pytest.param(
        [allow("s3:*", "*")], [allow("s3:*", "*"), {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}],
        id="a deny added",
    ),
]


@pytest.mark.parametrize("before, after", NOT_BROADER)
def test_not_broader(before, after):
    broadened, _ = broadened_permissions(role_template(before), role_template(after))
    assert broadened == []


def test_a_trust_policy_gaining_a_principal_is_broadened():
    before = role_template([allow("s3:GetObject", "*")])
    after = role_template([allow("s3:GetObject", "*")], trust=[
        {"Effect": "Allow", "Principal": {"Service": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}])
    broadened, _ = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == [
        "JobTaskRole trust policy: gains principal Service: lambda.amazonaws.com: sts:AssumeRole on (this role)"]


def test_managed_policies_and_permissions_boundaries():
    boundary = "arn:aws:iam::123456789012:policy/boundary"
    before = role_template([allow("s3:GetObject", "*")], PermissionsBoundary=boundary)
    after = role_template([allow("s3:GetObject", "*")], ManagedPolicyArns=["arn:aws:iam::aws:policy/AdministratorAccess"])
    broadened, _ = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == [
        "JobTaskRole role: attaches managed policy arn:aws:iam::aws:policy/AdministratorAccess",
        "JobTaskRole role: permissions boundary arn:aws:iam::123456789012:policy/boundary is removed",
    ]


def test_a_resource_policy_accepting_another_source_is_broadened():
    before = queue_policy([dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}])])
    after = queue_policy([dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}, "arn:aws:events:us-east-1:123456789012:rule/x"])])
    broadened, fresh = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == [
        "DlqPolicy resource policy: sqs:SendMessage on !GetAtt Dlq.Arn: condition ArnEquals aws:SourceArn now also "
        "accepts arn:aws:events:us-east-1:123456789012:rule/x"]
    assert fresh == []


def test_a_resource_policy_naming_a_rule_added_in_the_same_change_is_a_new_permission():
    before = queue_policy([dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}])])
    after = copy.deepcopy(queue_policy([dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}, {"Fn::GetAtt": ["Rule2", "Arn"]}])]))
    after["Resources"]["Rule2"] = {"Type": "AWS::Events::Rule", "Properties": {}}
    broadened, fresh = broadened_permissions(before, after)
    assert broadened == []
    assert [str(f) for f in fresh] == [
        "DlqPolicy resource policy: sqs:SendMessage on !GetAtt Dlq.Arn: condition ArnEquals aws:SourceArn now also "
        "accepts !GetAtt Rule2.Arn"]


def test_a_resource_policy_open_to_everyone_is_broadened():
    before = queue_policy([dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}])])
    after = queue_policy([{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Dlq", "Arn"]}}])
    broadened, _ = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == ["DlqPolicy resource policy: gains principal *: sqs:SendMessage on !GetAtt Dlq.Arn"]


def test_roles_of_new_resources_are_new_permissions_not_broadened():
    before = {"Resources": {}}
    after = role_template([allow("s3:GetObject", "arn:aws:s3:::b/*")])
    broadened, fresh = broadened_permissions(before, after)
    assert broadened == []
    assert "JobTaskRole policy least-privilege: Allow s3:GetObject; on arn:aws:s3:::b/*" in [str(f) for f in fresh]


def test_a_new_policy_attached_to_an_existing_role_is_broadened():
    before = role_template([allow("s3:GetObject", "*")])
    after = copy.deepcopy(before)
    after["Resources"]["Extra"] = {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": "extra", "Roles": [{"Ref": "JobTaskRole"}],
        "PolicyDocument": {"Statement": [allow("sqs:DeleteQueue", "*")]}}}
    broadened, _ = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == ["Extra policy: gains sqs:DeleteQueue on * (every resource)"]


def test_diff_of_a_new_stack_lists_everything_as_added():
    result = diff_templates(None, role_template([allow("s3:GetObject", "*")]), "main")
    assert result.new_stack and result.added == [("JobTaskRole", "AWS::IAM::Role")]
    assert result.broadened == [] and result.replacements == []


# --- every place the template registry knows (generator.template.policies) ------------------------------
# Review used to know only roles, AWS::IAM::Policy/ManagedPolicy, QueuePolicy, TopicPolicy, BucketPolicy and
# KMS keys: a statement broadened inside an AWS::IAM::RolePolicy or an AWS::SQS::QueueInlinePolicy (both
# linted) passed `review --fail-on-broadening` unflagged.


def test_a_statement_broadened_inside_a_role_policy_resource_is_flagged():
    def template(resource: str) -> dict:
        return {"Resources": {
            "JobTaskRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []}}},
            "JobExtra": {"Type": "AWS::IAM::RolePolicy", "Properties": {
                "RoleName": {"Ref": "JobTaskRole"}, "PolicyName": "extra",
                "PolicyDocument": {"Statement": [allow("s3:GetObject", resource)]}}},
        }}

    broadened, fresh = broadened_permissions(template("arn:aws:s3:::b/in/*"), template("arn:aws:s3:::b/*"))
    assert [str(b) for b in broadened] == [
        "JobExtra policy: s3:GetObject gains resource arn:aws:s3:::b/* (widens arn:aws:s3:::b/in/*)"]
    assert fresh == []


def test_a_statement_broadened_inside_a_queue_inline_policy_is_flagged():
    def template(statement: dict) -> dict:
        return {"Resources": {
            "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {}},
            "Rule1": {"Type": "AWS::Events::Rule", "Properties": {}},
            "DlqPolicy": {"Type": "AWS::SQS::QueueInlinePolicy", "Properties": {
                "Queue": {"Ref": "Dlq"}, "PolicyDocument": {"Statement": [statement]}}},
        }}

    before = template(dlq_statement([{"Fn::GetAtt": ["Rule1", "Arn"]}]))
    after = template({"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Dlq", "Arn"]}})
    broadened, _ = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == ["DlqPolicy resource policy: gains principal *: sqs:SendMessage on !GetAtt Dlq.Arn"]


def test_a_new_role_policy_resource_on_an_existing_role_is_broadened():
    before = role_template([allow("s3:GetObject", "*")])
    after = copy.deepcopy(before)
    after["Resources"]["Extra"] = {"Type": "AWS::IAM::RolePolicy", "Properties": {
        "PolicyName": "extra", "RoleName": {"Ref": "JobTaskRole"},
        "PolicyDocument": {"Statement": [allow("sqs:DeleteQueue", "*")]}}}
    broadened, fresh = broadened_permissions(before, after)
    assert [str(b) for b in broadened] == ["Extra policy: gains sqs:DeleteQueue on * (every resource)"]
    assert fresh == []


def _registry_cases():
    from generator.template.policies import POLICY_PLACES

    titles = {"trust": "trust policy", "resource": "resource policy", "key": "key policy"}
    for resource_type, places in POLICY_PLACES.items():
        for place in places:
            title = "policy p" if place.inline_list else titles.get(place.kind, "policy")
            yield pytest.param(resource_type, place, title, id=f"{resource_type} {place.property}")


@pytest.mark.parametrize("resource_type, place, title", list(_registry_cases()))
def test_broadening_is_seen_in_every_place_the_registry_knows(resource_type, place, title):
    """One statement whose resource widens, in each (type, property) of the registry: review flags each."""
    def template(resource: str) -> dict:
        statement = allow("s3:GetObject", resource)
        if place.kind in ("trust", "resource", "key"):
            statement["Principal"] = {"AWS": "arn:aws:iam::123456789012:root"}
        document = {"Version": "2012-10-17", "Statement": [statement]}
        value = [{"PolicyName": "p", "PolicyDocument": document}] if place.inline_list else document
        if place.single_statement:  # an event bus policy's Statement is the statement itself
            value = statement
        props = {place.property: value, **{t: {"Ref": "Target"} for t in place.targets}}
        return {"Resources": {"Target": {"Type": "AWS::SQS::Queue"}, "Holder": {"Type": resource_type, "Properties": props}}}

    broadened, fresh = broadened_permissions(template("arn:aws:s3:::b/in/*"), template("arn:aws:s3:::b/*"))
    principal = " for AWS: arn:aws:iam::123456789012:root" if place.kind != "identity" else ""
    assert [str(b) for b in broadened] == [
        f"Holder {title}: s3:GetObject gains resource arn:aws:s3:::b/* (widens arn:aws:s3:::b/in/*){principal}"]
    assert fresh == []

"""IAM per role: statements shown readably, intrinsics as written in the template."""

from __future__ import annotations

import pytest

from support import REPO, build_dict

from generator.review.iam import iam_view
from generator.review.template import TemplateError, parse_template, show


@pytest.mark.parametrize("value, shown", [
    ({"Ref": "CsvAnalyzerTaskDefinition"}, "!Ref CsvAnalyzerTaskDefinition"),
    ({"Fn::GetAtt": ["CsvAnalyzerTaskRole", "Arn"]}, "!GetAtt CsvAnalyzerTaskRole.Arn"),
    ({"Fn::GetAtt": "Queue.QueueName"}, "!GetAtt Queue.QueueName"),
    ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b/*"}, "!Sub 'arn:${AWS::Partition}:s3:::b/*'"),
    ({"Fn::Sub": ["arn:x:task/${Cluster}/*", {"Cluster": {"Ref": "Cluster"}}]}, "!Sub 'arn:x:task/${Cluster}/*' (Cluster=!Ref Cluster)"),
    ({"Fn::Join": ["", ["a", {"Ref": "B"}]]}, "!Join [, [a, !Ref B]]"),
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/*"),
    (3, "3"),
])
def test_show_intrinsics(value, shown):
    assert show(value) == shown


def test_the_seed_template_role_by_role():
    view = iam_view(parse_template((REPO / "templates" / "csv-analyzer.yaml").read_text()))
    assert [r.resource for r in view.roles] == ["CsvAnalyzerEventsRole", "CsvAnalyzerExecutionRole", "CsvAnalyzerTaskRole"]
    events = view.roles[0]
    assert events.why == "EventBridge rules assume it to start job csv-analyzer's task."
    assert events.trust.statements[0].lines() == [
        "Allow sts:AssumeRole", "on (this role)", "for Service: events.amazonaws.com",
        "when StringEquals aws:SourceAccount = !Ref AWS::AccountId"]
    (policy,) = events.policies
    assert policy.title == "policy least-privilege"
    assert [s.lines() for s in policy.statements] == [
        ["Allow ecs:RunTask", "on !Ref CsvAnalyzerTaskDefinition",
         "when ArnEquals ecs:cluster = !Sub 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/processing'"],
        ["Allow iam:PassRole", "on !GetAtt CsvAnalyzerExecutionRole.Arn, !GetAtt CsvAnalyzerTaskRole.Arn",
         "when StringEquals iam:PassedToService = ecs-tasks.amazonaws.com"],
        ["Allow ecs:TagResource",
         "on !Sub 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*' (Cluster=processing)",
         "when StringEquals ecs:CreateAction = RunTask"],
    ]
    assert [(d.resource, d.resource_type, d.applies_to) for d in view.resource_policies] == [
        ("AlarmTopicPolicy", "AWS::SNS::TopicPolicy", ["!Ref AlarmTopic"]),
        ("CsvAnalyzerDeadLetterQueuePolicy", "AWS::SQS::QueuePolicy", ["!Ref CsvAnalyzerDeadLetterQueue"]),
    ]


def test_a_created_key_shows_its_key_policy():
    template = build_dict("""
        kms_key: {create: true}
        jobs:
          report:
            image: r/report:1
            triggers: [{schedule: "@daily"}]
    """)
    view = iam_view(template)
    keys = [d for d in view.resource_policies if d.resource_type == "AWS::KMS::Key"]
    assert [(d.title, d.applies_to) for d in keys] == [("key policy", ["!Ref EncryptionKey"])]
    assert any("Service: events.amazonaws.com" in s.principals for s in keys[0].statements)


def test_the_text_report_lists_every_statement(in_tmp_project):
    from support import run_cli

    _, out, _ = run_cli("review", "config/csv-analyzer.yaml", "--now", "2025-03-01T00:00:00Z")
    iam = out.split("\nIAM\n", 1)[1].split("\n\nLimits", 1)[0]
    assert ("  role CsvAnalyzerTaskRole: The identity job csv-analyzer's code runs as: exactly what `permissions` grants.\n"
            "    trust policy\n"
            "      Allow sts:AssumeRole\n"
            "        on (this role)\n"
            "        for Service: ecs-tasks.amazonaws.com\n"
            "        when StringEquals aws:SourceAccount = !Ref AWS::AccountId\n"
            "    policy least-privilege\n"
            "      Allow s3:GetObject\n"
            "        on !Sub 'arn:${AWS::Partition}:s3:::user-uploads-bucket/*'\n"
            "      Allow s3:ListBucket\n"
            "        on !Sub 'arn:${AWS::Partition}:s3:::user-uploads-bucket'\n"
            "      Allow s3:PutObject\n"
            "        on !Sub 'arn:${AWS::Partition}:s3:::analysis-results-bucket/results/*'\n") in iam
    assert ("  resource policy CsvAnalyzerDeadLetterQueuePolicy (AWS::SQS::QueuePolicy) on !Ref CsvAnalyzerDeadLetterQueue\n"
            "    Allow sqs:SendMessage\n"
            "      on !GetAtt CsvAnalyzerDeadLetterQueue.Arn\n"
            "      for Service: events.amazonaws.com\n"
            "      when ArnEquals aws:SourceArn = !GetAtt CsvAnalyzerTrigger1Rule.Arn") in iam


def test_unreadable_templates_raise_template_error():
    with pytest.raises(TemplateError, match="not a CloudFormation template"):
        parse_template("Resources: [unclosed")


def test_role_policy_and_inline_queue_policy_resources_are_shown():
    """The view reads the template registry: an AWS::IAM::RolePolicy under the role it names, an
    AWS::SQS::QueueInlinePolicy among resource policies, a policy written as a JSON string decoded."""
    template = parse_template("""
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]}
  Extra:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Role
      PolicyName: extra
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}'
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueueInlinePolicy
    Properties:
      Queue: !Ref Queue
      PolicyDocument:
        Statement:
          Effect: Allow
          Principal: {Service: events.amazonaws.com}
          Action: sqs:SendMessage
          Resource: !GetAtt Queue.Arn
""")
    view = iam_view(template)
    (role,) = view.roles
    assert [(d.resource, d.title, [s.lines() for s in d.statements]) for d in role.attached] == [
        ("Extra", "policy", [["Allow s3:GetObject", "on arn:aws:s3:::b/*"]])]
    (queue_policy,) = view.resource_policies
    assert (queue_policy.resource, queue_policy.title, queue_policy.applies_to) == ("QueuePolicy", "resource policy", ["!Ref Queue"])
    assert queue_policy.statements[0].lines() == [
        "Allow sqs:SendMessage", "on !GetAtt Queue.Arn", "for Service: events.amazonaws.com"]


def test_a_cross_account_bus_policy_is_among_the_resource_policies():
    """issue 14: the EventBusPolicy statement letting another account put events is in review's IAM view."""
    template = parse_template((REPO / "tests" / "golden" / "cross-account-s3" / "template.yaml").read_text())
    view = iam_view(template)
    buses = [d for d in view.resource_policies if d.resource_type == "AWS::Events::EventBusPolicy"]
    assert buses and all(d.title == "resource policy" for d in buses)
    lines = [line for d in buses for s in d.statements for line in s.lines()]
    assert any(line.startswith("Allow events:PutEvents") for line in lines), lines

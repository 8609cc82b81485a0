"""generator.template.policies: the one registry of where templates keep policy documents.

It names real properties (checked against the resource provider schemas cfn-lint ships), and lint (over
cfn-lint's ``cfn``) and review (over plain dicts) find the same statements with it.
"""

from __future__ import annotations

import pytest

from generator.template.policies import KINDS, POLICY_PLACES, policy_statements
from generator.template.read import decode, read_template

# one of every place the registry knows, with a Statement given as a single object and a policy as JSON text
EVERY_PLACE = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: {Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: a
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}
        - PolicyName: b
          PolicyDocument: {Statement: [{Effect: Deny, Action: s3:PutObject, Resource: '*'}]}
  User:
    Type: AWS::IAM::User
    Properties:
      Policies: [{PolicyName: u, PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]}}]
  Group:
    Type: AWS::IAM::Group
    Properties:
      Policies: [{PolicyName: g, PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]}}]
  Policy:
    Type: AWS::IAM::Policy
    Properties: {PolicyName: p, Roles: [!Ref Role], PolicyDocument: {Statement: [{Effect: Allow, Action: sns:Publish, Resource: '*'}]}}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties: {Roles: [!Ref Role], PolicyDocument: {Statement: [{Effect: Allow, Action: sns:Publish, Resource: '*'}]}}
  RolePolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      PolicyName: r
      RoleName: !Ref Role
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}'
  UserPolicy:
    Type: AWS::IAM::UserPolicy
    Properties: {PolicyName: u, UserName: !Ref User, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}}
  GroupPolicy:
    Type: AWS::IAM::GroupPolicy
    Properties: {PolicyName: g, GroupName: !Ref Group, PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}}
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties: {Queues: [!Ref Queue], PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sqs:SendMessage, Resource: '*'}]}}
  QueueInline:
    Type: AWS::SQS::QueueInlinePolicy
    Properties: {Queue: !Ref Queue, PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sqs:SendMessage, Resource: '*'}]}}
  Topic:
    Type: AWS::SNS::Topic
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties: {Topics: [!Ref Topic], PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sns:Publish, Resource: '*'}]}}
  TopicInline:
    Type: AWS::SNS::TopicInlinePolicy
    Properties: {TopicArn: !Ref Topic, PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sns:Publish, Resource: '*'}]}}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties: {Bucket: b, PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: s3:GetObject, Resource: '*'}]}}
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: 'kms:*', Resource: '*'}]}
"""


@pytest.mark.parametrize("resource_type", sorted(POLICY_PLACES))
def test_every_place_names_properties_the_resource_type_has(resource_type):
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    for place in POLICY_PLACES[resource_type]:
        assert place.kind in KINDS
        assert place.property in schema["properties"], (resource_type, place.property)
        for target in place.targets:
            assert target in schema["properties"], (resource_type, target)


def test_lint_and_review_find_the_same_statements():
    """The registry over cfn-lint's template object (what our rules get) and over a plain dict (review)."""
    from cfnlint.template import Template

    from generator.lint.rules._helpers import policy_statements as lint_statements

    nodes, errors = decode(EVERY_PLACE)
    assert errors == []
    cfn = Template("every-place.yaml", nodes, ["us-east-1"])

    def seen(statements):
        return [(tuple(s.path), s.resource_name, s.resource_type, s.kind, s.allows) for s in statements]

    via_lint = seen(lint_statements(cfn))
    via_dict = seen(policy_statements(read_template(EVERY_PLACE)["Resources"]))
    assert via_lint == via_dict
    assert {(name, kind) for _, name, _, kind, _ in via_dict} == {
        ("Role", "trust"), ("Role", "identity"), ("User", "identity"), ("Group", "identity"), ("Policy", "identity"),
        ("Managed", "identity"), ("RolePolicy", "identity"), ("UserPolicy", "identity"), ("GroupPolicy", "identity"),
        ("QueuePolicy", "resource"), ("QueueInline", "resource"), ("TopicPolicy", "resource"),
        ("TopicInline", "resource"), ("BucketPolicy", "resource"), ("Key", "key")}
    assert ("Resources", "Role", "Properties", "AssumeRolePolicyDocument", "Statement") in [p for p, *_ in via_dict]
    assert ("Resources", "Role", "Properties", "Policies", 1, "PolicyDocument", "Statement", 0) in [p for p, *_ in via_dict]
    assert ("Resources", "RolePolicy", "Properties", "PolicyDocument", "Statement", 0) in [p for p, *_ in via_dict]


def test_kinds_select_documents():
    resources = read_template(EVERY_PLACE)["Resources"]
    assert {s.resource_name for s in policy_statements(resources, kinds=("trust",))} == {"Role"}
    assert {s.resource_name for s in policy_statements(resources, kinds=("key",))} == {"Key"}
    assert {s.resource_type for s in policy_statements(resources, kinds=("resource",))} == {
        "AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy",
        "AWS::S3::BucketPolicy"}

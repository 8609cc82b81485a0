"""The spec refuses exactly the user statements our lint rules would flag in the template (E9201-E9204).

Both layers apply generator/model/policy_rules.py; this keeps them agreeing statement by statement, so a
spec error (with its line, exit 2) replaces the lint finding on a template that was never written.
"""

from __future__ import annotations

import json

import pytest

from generator.errors import SpecError
from generator.lint import shared_linter
from support import spec_from

RULES = {"E9201", "E9202", "E9203", "E9204"}
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/t"
ROLE = "arn:aws:iam::123456789012:role/r"
TASKDEF = "arn:aws:ecs:us-east-1:123456789012:task-definition/t:*"
CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/c"

STATEMENTS = [
    {"actions": ["dynamodb:PutItem"], "resources": [TABLE]},
    {"actions": ["dynamodb:PutItem"], "resources": ["*"]},
    {"actions": ["cloudwatch:PutMetricData", "xray:PutTraceSegments"], "resources": ["*"]},
    {"actions": ["cloudwatch:PutMetricData", "s3:GetObject"], "resources": ["*"]},
    {"actions": ["ecr:getauthorizationtoken"], "resources": ["*"]},
    {"effect": "Deny", "actions": ["s3:DeleteObject"], "resources": ["*"]},
    # a Deny grants nothing: "An explicit deny in any of these policies overrides the allow"
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); only
    # Allow statements can grant every action
    {"effect": "Deny", "actions": ["s3:*"], "resources": ["*"]},
    {"effect": "Deny", "actions": ["*"], "resources": ["*"]},
    {"actions": ["s3:*"], "resources": ["arn:aws:s3:::b/*"]},
    {"actions": ["iam:PassRole"], "resources": [ROLE]},
    {"actions": ["iam:Pass*"], "resources": [ROLE]},
    {"actions": ["iam:PassRole"], "resources": [ROLE],
     "conditions": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
    {"actions": ["iam:PassRole"], "resources": [ROLE], "conditions": {"StringLike": {"iam:PassedToService": "*"}}},
    {"actions": ["iam:PassRole"], "resources": [ROLE],
     "conditions": {"ForAnyValue:StringEqualsIfExists": {"iam:PassedToService": ["ecs-tasks.amazonaws.com"]}}},
    {"actions": ["ecs:RunTask"], "resources": [TASKDEF]},
    {"actions": ["ecs:RunTask"], "resources": [TASKDEF], "conditions": {"ArnEquals": {"ecs:cluster": CLUSTER}}},
    {"actions": ["ecs:Run?ask"], "resources": [TASKDEF], "conditions": {"ArnLike": {"ecs:cluster": "*"}}},
]


def spec_refuses(statement: dict) -> bool:
    text = f"""
jobs:
  job:
    image: python:3.12-slim
    permissions:
      statements: [{json.dumps(statement)}]
    triggers: [{{schedule: rate(1 day)}}]
"""
    try:
        spec_from(text)
    except SpecError as err:
        # refused by the least-privilege checks, not for a malformed statement: the two layers must agree
        # on the same grounds
        assert "is not an IAM action" not in str(err) and "permissions.statements[0]" in str(err), str(err)
        return True
    return False


def lint_flags(statement: dict) -> bool:
    """Lint a role whose policy holds the statement as it would be generated (IAM's own names)."""
    iam = {"Effect": statement.get("effect", "Allow"), "Action": statement["actions"], "Resource": statement["resources"]}
    if statement.get("conditions"):
        iam["Condition"] = statement["conditions"]
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [iam]}}],
                },
            }
        },
    }
    return any(f.rule_id in RULES for f in shared_linter().lint_text(json.dumps(template)))


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: json.dumps(s)[:80])
def test_spec_and_lint_agree(statement):
    assert spec_refuses(statement) == lint_flags(statement)


def test_the_cases_cover_both_verdicts():
    verdicts = {spec_refuses(s) for s in STATEMENTS}
    assert verdicts == {True, False}

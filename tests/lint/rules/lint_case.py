"""Lint YAML snippets with cfn-lint plus our rules (the shared runner), and pick one rule's findings or notes."""

from __future__ import annotations

import textwrap

from generator.lint import Finding, shared_linter

HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"

# A rule -> Fargate target, its task definition and roles: the shape batchjobs generates, lint-clean.
TASK = """\
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: '256'
      Memory: '512'
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: arn:aws:iam::123456789012:role/exec
      ContainerDefinitions:
        - Name: job
          Image: public.ecr.aws/docker/library/busybox:latest
          Essential: true
"""


def template(resources: str, *, with_task: bool = True) -> str:
    body = textwrap.indent(textwrap.dedent(resources).strip("\n") + "\n", "  ")
    return HEADER + (TASK if with_task else "") + body


def lint(resources: str, *, with_task: bool = True) -> list[Finding]:
    return shared_linter().lint_text(template(resources, with_task=with_task))


def found(resources: str, rule_id: str, *, with_task: bool = True) -> list[tuple[str, str]]:
    """(path, message) of ``rule_id``'s findings."""
    return [(f.path, f.message) for f in lint(resources, with_task=with_task) if f.rule_id == rule_id]


def noted(resources: str, rule_id: str, *, with_task: bool = True) -> list[tuple[str, str]]:
    """(path, message) of ``rule_id``'s notes (our informational rules: reported, never failing)."""
    result = shared_linter().check_text(template(resources, with_task=with_task))
    return [(f.path, f.message) for f in result.notes if f.rule_id == rule_id]


def rule_target(*ecs_parameters: str, extra: str = "") -> str:
    """An AWS::Events::Rule whose only target runs Task with these EcsParameters (YAML blocks, each dedented)."""
    params = "\n".join(textwrap.dedent(part).strip("\n") for part in ecs_parameters)
    return f"""
Rule:
  Type: AWS::Events::Rule
  Properties:
    ScheduleExpression: rate(1 day)
    Targets:
      - Id: run
        Arn: arn:aws:ecs:us-east-1:123456789012:cluster/c
        RoleArn: arn:aws:iam::123456789012:role/invoke
        EcsParameters:
          TaskDefinitionArn: !Ref Task
{textwrap.indent(params, ' ' * 10)}
{textwrap.indent(textwrap.dedent(extra).strip(chr(10)), ' ' * 8) if extra else ''}
"""


NETWORK = """\
NetworkConfiguration:
  AwsVpcConfiguration:
    Subnets: [subnet-12345678]
    SecurityGroups: [sg-87654321]
    AssignPublicIp: DISABLED
"""


def role_policy(statement: str, name: str = "Role") -> str:
    """An AWS::IAM::Role with one inline policy holding ``statement`` (YAML of one statement)."""
    return f"""
{name}:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Principal: {{Service: events.amazonaws.com}}
          Action: sts:AssumeRole
    Policies:
      - PolicyName: p
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
{textwrap.indent(textwrap.dedent(statement).strip(chr(10)), ' ' * 12)}
"""

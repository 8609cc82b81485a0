"""The IAM policy rules both layers apply: the spec to a user's `permissions.statements` (with their line),
cfn-lint's E9201-E9204 to every policy of a generated template. One definition, so the two cannot disagree.

Plain data and functions over policy statements in IAM's own shape (``Action``, ``Resource``, ``Condition``);
no cfn-lint import, so loading a spec stays fast.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

# Actions the Service Authorization Reference lists without any resource type: they can only be
# granted on "*". Lower case, as IAM compares actions case-insensitively.
RESOURCE_STAR_ACTIONS = frozenset(
    a.lower()
    for a in (
        "ecr:GetAuthorizationToken",
        "sts:GetCallerIdentity",
        "cloudwatch:PutMetricData",
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "ssm:DescribeParameters",
        "secretsmanager:GetRandomPassword",
        "secretsmanager:ListSecrets",
        "kms:ListKeys",
        "kms:ListAliases",
        "s3:ListAllMyBuckets",
        "sqs:ListQueues",
        "sns:ListTopics",
        "ecs:DescribeTaskDefinition",
        "ecs:ListClusters",
        "ecs:ListTaskDefinitions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
        # CloudWatch Logs' log delivery (a Step Functions state machine's logging): "you must specify * for
        # the Resource" (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html)
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
    )
)


def as_list(value: Any) -> list[Any]:
    """Action/Resource/...: a string or a list of them (an intrinsic function counts as one item)."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def is_wildcard_action(action: object) -> bool:
    """`*` or `service:*` (any case). Narrower wildcards such as `kms:GenerateDataKey*` name a family."""
    return isinstance(action, str) and (action == "*" or action.endswith(":*"))


def needs_scoped_resource(action: object) -> bool:
    """The action supports resource-level permissions, so `*` as its resource grants more than needed."""
    return not (isinstance(action, str) and action.lower() in RESOURCE_STAR_ACTIONS)


def action_matches(pattern: Any, action: str) -> bool:
    """IAM matching: case-insensitive, `*` and `?` wildcards."""
    return isinstance(pattern, str) and fnmatch.fnmatchcase(action.lower(), pattern.lower())


def condition_values(statement: dict, operators: tuple[str, ...], key: str) -> list[Any]:
    """Values of condition ``key`` under any of ``operators`` (IfExists / ForAnyValue: variants included)."""
    found: list[Any] = []
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return found
    wanted = {op.lower() for op in operators}
    for operator, block in condition.items():
        base = str(operator).split(":")[-1]
        base = base[: -len("IfExists")] if base.endswith("IfExists") else base
        if base.lower() not in wanted or not isinstance(block, dict):
            continue
        for k, v in block.items():
            if str(k).lower() == key.lower():
                found.extend(as_list(v))
    return found


@dataclass(frozen=True)
class RequiredCondition:
    """An action that may only be allowed with a condition naming where it applies."""

    action: str
    operators: tuple[str, ...]
    key: str
    risk: str  # what an Allow without the condition permits

    def holds(self, statement: dict) -> bool:
        values = condition_values(statement, self.operators, self.key)
        return bool(values) and "*" not in values


PASS_ROLE = RequiredCondition(
    "iam:PassRole", ("StringEquals", "StringLike"), "iam:PassedToService", "lets the roles be passed to any service"
)
RUN_TASK = RequiredCondition(
    "ecs:RunTask", ("ArnEquals", "ArnLike"), "ecs:cluster", "runs the task on any cluster"
)
REQUIRED_CONDITIONS = (PASS_ROLE, RUN_TASK)

"""Checks of a job's `permissions`: each extra IAM statement is well formed and least-privilege.

The least-privilege rules are policy_rules.py's, the ones lint rules E9202-E9204 apply to the template:
made here too, so that the error points at the line of the spec that wrote the statement.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from .arns import RESOURCE_ARN_RE
from .base import FieldError
from .policy_rules import REQUIRED_CONDITIONS, action_matches, is_wildcard_action, needs_scoped_resource

if TYPE_CHECKING:
    from .job_parts import StatementSpec

ACTION_RE = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")
_IAM_BASE_OPERATORS = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
)
# IAM User Guide, "IAM JSON policy elements: Condition operators": each with ...IfExists and set qualifiers
IAM_CONDITION_OPERATORS = frozenset(
    f"{qualifier}{operator}{suffix}"
    for operator in _IAM_BASE_OPERATORS
    for suffix in ("", "IfExists")
    for qualifier in ("", "ForAllValues:", "ForAnyValue:")
) | {"Null"}


def check_action(action: str, effect: str = "Allow") -> str:
    """An IAM action; in an Allow, not one that grants every action (a Deny of `s3:*` grants nothing)."""
    if effect != "Allow" and action == "*":
        return action  # deny everything (under the statement's resources and conditions)
    if effect == "Allow" and is_wildcard_action(action):
        raise ValueError(f"{action!r} grants every action: name the actions the job needs")
    if not ACTION_RE.match(action):
        raise ValueError(f"{action!r} is not an IAM action (service:Action)")
    return action


def check_condition_operators(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    for operator in values:
        if operator not in IAM_CONDITION_OPERATORS:
            close = difflib.get_close_matches(operator, sorted(IAM_CONDITION_OPERATORS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else " (e.g. StringEquals, ArnLike, Bool)"
            raise FieldError(f"{operator!r} is not an IAM condition operator{hint}", at=(operator,))
    return values


def check_resource(resource: str) -> str:
    if resource != "*" and not RESOURCE_ARN_RE.match(resource):
        raise ValueError(f"{resource!r} is not an ARN (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE)")
    return resource


def check_least_privilege(statement: StatementSpec) -> None:
    """The checks lint rules E9202-E9204 make on the template, made here where the statement was written."""
    if statement.effect != "Allow":
        return
    if "*" in statement.resources:
        scoped = [a for a in statement.actions if needs_scoped_resource(a)]
        if scoped:
            raise FieldError(
                f"resource '*' for {', '.join(scoped)}, which AWS lets you scope to ARNs: name the resources "
                "('*' is only for actions such as ecr:GetAuthorizationToken that AWS authorizes on '*' alone)",
                at=("resources", statement.resources.index("*")),
            )
    policy_statement = {"Condition": statement.conditions}
    for required in REQUIRED_CONDITIONS:
        granting = [i for i, a in enumerate(statement.actions) if action_matches(a, required.action)]
        if granting and not required.holds(policy_statement):
            operators = " or ".join(required.operators)
            raise FieldError(
                f"{statement.actions[granting[0]]!r} without a condition on {required.key} ({operators}, not '*') "
                f"{required.risk}: add e.g. conditions: {{{required.operators[0]}: {{{required.key}: ...}}}}",
                at=("actions", granting[0]),
            )

"""Every permission in a template, readably: role trust and inline policies, and resource policies.

``policy_documents`` finds each policy document and who it belongs to, through the one registry of where
templates keep policies (generator.template.policies, which lint reads too); ``Statement`` is one
statement with intrinsics shown as written (``!GetAtt X.Arn``); ``grants`` expands statements into one
``Grant`` per (principal, action, resource), which is what ``diff`` compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..template.policies import FoundDocument, policy_documents as found_documents
from .template import properties, resources, show, why

@dataclass(frozen=True)
class Condition:
    operator: str  # e.g. ArnEquals
    key: str  # e.g. aws:SourceArn
    values: tuple[str, ...]

    def __str__(self) -> str:
        shown = self.values[0] if len(self.values) == 1 else "[" + ", ".join(self.values) + "]"
        return f"{self.operator} {self.key} = {shown}"

    @property
    def negated(self) -> bool:
        """Operators that allow what does NOT match: more values means narrower, not broader."""
        return "Not" in self.operator.replace("IfExists", "")


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # ("(this role)",) for trust policies
    principals: tuple[str, ...] = ()  # "Service: events.amazonaws.com"; () in identity policies
    conditions: tuple[Condition, ...] = ()
    not_actions: bool = False
    not_resources: bool = False
    not_principals: bool = False
    sid: str | None = None

    def lines(self) -> list[str]:
        """The statement as short lines: what, on what, for whom, when."""
        out = [f"{self.effect} {'NOT ' if self.not_actions else ''}{', '.join(self.actions)}"]
        out.append(f"on {'NOT ' if self.not_resources else ''}{', '.join(self.resources)}")
        if self.principals:
            out.append(f"for {'NOT ' if self.not_principals else ''}{', '.join(self.principals)}")
        out.extend(f"when {c}" for c in self.conditions)
        return out


@dataclass
class PolicyDocument:
    """One policy document and what it belongs to."""

    resource: str  # logical ID
    resource_type: str
    title: str  # "trust policy", "policy least-privilege", "resource policy", "key policy", ...
    statements: list[Statement]
    applies_to: list[str] = field(default_factory=list)  # queues / topics / roles it is attached to
    kind: str = "identity"  # identity | trust | resource | key (generator.template.policies)
    attached: bool = False  # an identity policy of its own, attached to the roles/users/groups in applies_to

    @property
    def key(self) -> tuple[str, str]:
        return (self.resource, self.title)


@dataclass
class RoleView:
    resource: str
    why: str | None
    trust: PolicyDocument | None
    policies: list[PolicyDocument]
    managed_policies: list[str]
    permissions_boundary: str | None
    attached: list[PolicyDocument] = field(default_factory=list)  # AWS::IAM::Policy resources naming this role


@dataclass
class IamView:
    roles: list[RoleView]
    resource_policies: list[PolicyDocument]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _principals(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if value == "*":
        return ("*",)
    if isinstance(value, dict) and not any(k.startswith("Fn::") or k == "Ref" for k in value):
        return tuple(f"{kind}: {show(item)}" for kind, items in value.items() for item in _as_list(items))
    return (show(value),)


def _conditions(value: Any) -> tuple[Condition, ...]:
    if not isinstance(value, dict):
        return ()
    found = []
    for operator, block in value.items():
        if not isinstance(block, dict):
            found.append(Condition(operator, "", (show(block),)))
            continue
        for key, values in block.items():
            found.append(Condition(operator, key, tuple(show(v) for v in _as_list(values))))
    return tuple(found)


def parse_statement(raw: dict[str, Any], *, trust: bool = False) -> Statement:
    actions_key = "NotAction" if "NotAction" in raw else "Action"
    resources_key = "NotResource" if "NotResource" in raw else "Resource"
    principal_key = "NotPrincipal" if "NotPrincipal" in raw else "Principal"
    resources_ = tuple(show(r) for r in _as_list(raw.get(resources_key)))
    if trust and not resources_:
        resources_ = ("(this role)",)
    return Statement(
        effect=str(raw.get("Effect", "Allow")),
        actions=tuple(show(a) for a in _as_list(raw.get(actions_key))),
        resources=resources_,
        principals=_principals(raw.get(principal_key)),
        conditions=_conditions(raw.get("Condition")),
        not_actions=actions_key == "NotAction",
        not_resources=resources_key == "NotResource",
        not_principals=principal_key == "NotPrincipal",
        sid=raw.get("Sid") if isinstance(raw.get("Sid"), str) else None,
    )


def _statements(document: Any, *, trust: bool = False) -> list[Statement]:
    if not isinstance(document, dict):
        return []
    return [parse_statement(s, trust=trust) for s in _as_list(document.get("Statement")) if isinstance(s, dict)]


_TITLES = {"trust": "trust policy", "resource": "resource policy", "key": "key policy"}


def _document(found: FoundDocument) -> PolicyDocument:
    place = found.place
    if place.inline_list:  # a role's, user's or group's own Policies: named, applying to the resource itself
        index = found.path[-2]  # [..., "Policies", index, "PolicyDocument"]
        title = f"policy {show(found.policy_name) if found.policy_name is not None else f'#{index + 1}'}"
    else:
        title = _TITLES.get(place.kind, "policy")
    applies = [f"!Ref {found.resource_name}"] if place.kind == "key" else [show(t) for t in found.targets]
    statements = _statements(found.document, trust=place.kind == "trust")
    return PolicyDocument(found.resource_name, found.resource_type, title, statements, applies, place.kind,
                          attached=place.kind == "identity" and bool(place.targets))


def policy_documents(template: dict[str, Any]) -> list[PolicyDocument]:
    """Every policy document in the template, in logical-ID order (a role's trust policy before its policies)."""
    found = sorted(found_documents(resources(template)), key=lambda d: d.resource_name)  # stable: place order kept
    return [_document(d) for d in found]


def iam_view(template: dict[str, Any]) -> IamView:
    """Roles (trust, inline policies, managed policies, boundary) and resource policies."""
    documents = policy_documents(template)
    roles: list[RoleView] = []
    for logical_id, resource in sorted(resources(template).items()):
        if resource.get("Type") != "AWS::IAM::Role":
            continue
        props = properties(resource)
        own = [d for d in documents if d.resource == logical_id]
        boundary = props.get("PermissionsBoundary")
        roles.append(RoleView(
            resource=logical_id,
            why=why(resource),
            trust=next((d for d in own if d.title == "trust policy"), None),
            policies=[d for d in own if d.title != "trust policy"],
            managed_policies=[show(a) for a in _as_list(props.get("ManagedPolicyArns"))],
            permissions_boundary=show(boundary) if boundary is not None else None,
            attached=[d for d in documents if d.attached and f"!Ref {logical_id}" in d.applies_to],
        ))
    # identity policies of users and groups have no place in this view yet (batchjobs makes neither)
    others = [d for d in documents if d.kind in ("resource", "key")]
    return IamView(roles, others)


# --- grants: the unit the diff compares --------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """One (principal, action, resource) a statement allows or denies, with its conditions."""

    document: tuple[str, str]  # PolicyDocument.key
    effect: str
    principal: str  # "" in identity policies; "NOT ..." for NotPrincipal
    action: str  # "NOT a, b" for NotAction statements (compared as a whole)
    resource: str  # "NOT r" for NotResource statements
    conditions: tuple[Condition, ...]


def grants(document: PolicyDocument) -> list[Grant]:
    found = []
    for statement in document.statements:
        actions = [("NOT " + ", ".join(statement.actions))] if statement.not_actions else list(statement.actions)
        targets = [("NOT " + ", ".join(statement.resources))] if statement.not_resources else list(statement.resources)
        principals = (
            [("NOT " + ", ".join(statement.principals))] if statement.not_principals else list(statement.principals) or [""]
        )
        for principal in principals:
            for action in actions:
                for resource in targets:
                    found.append(Grant(document.key, statement.effect, principal, action, resource, statement.conditions))
    return found


def wildcard_covers(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM matching: ``*`` is any run of characters, ``?`` any one character."""
    if pattern == value:
        return True
    if "*" not in pattern and "?" not in pattern:
        return ignore_case and pattern.lower() == value.lower()
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def is_wildcard(text: str) -> bool:
    """A resource or action that names more than one thing: ``*`` anywhere except inside ``${...}``."""
    return "*" in re.sub(r"\$\{[^}]*\}", "", text)

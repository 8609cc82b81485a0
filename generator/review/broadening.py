"""Which permissions of a template become broader than at a revision: the permissions half of ``diff``.

Broadened means a principal that existed before may now do more: a policy document of an existing
resource gains an action, a resource (a wider prefix, a wildcard, ``*``) or a principal, loses a
condition or lets a condition accept more values, loses a Deny, or its role gains a managed policy or
loses its permissions boundary. Permissions of resources that did not exist before are listed apart as
new permissions: they are new, not broader. So is a resource policy whose condition only comes to name a
resource added in the same change (the DLQ or topic policy accepting a new rule's ARN as aws:SourceArn).
A new identity policy of its own (AWS::IAM::Policy, RolePolicy, ...) naming a role that existed is broader.

Documents are compared grant by grant (``iam.grants``: one per principal, action and resource), each
policy document of every type the registry in generator.template.policies knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .iam import Condition, Grant, PolicyDocument, grants, is_wildcard, policy_documents, wildcard_covers
from .template import properties, resources, show


@dataclass(frozen=True)
class Broadening:
    resource: str
    document: str  # "policy least-privilege", "trust policy", "queue policy", "role"
    message: str

    def __str__(self) -> str:
        return f"{self.resource} {self.document}: {self.message}"


def broadened_permissions(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[Broadening], list[Broadening]]:
    """(broadened permissions of resources that existed at the revision, permissions of new resources)."""
    old_resources = resources(old)
    old_docs = {d.key: d for d in policy_documents(old)}
    new_docs = policy_documents(new)
    new_ids = set(resources(new)) - set(old_resources)
    broadened: list[Broadening] = []
    fresh: list[Broadening] = []
    for document in new_docs:
        if document.resource not in old_resources and not _attaches_to_existing(document, old_resources):
            fresh.extend(_describe_new(document))
            continue
        wider, for_new = _document_broadening(old_docs.get(document.key), document, new_ids)
        broadened.extend(wider)
        fresh.extend(for_new)
    # A policy document dropped from a resource that stays is narrower: nothing to flag.
    broadened.extend(_role_attachments(old, new))
    return broadened, fresh


def _attaches_to_existing(document: PolicyDocument, old_resources: dict[str, Any]) -> bool:
    """An identity policy of its own (AWS::IAM::Policy, ManagedPolicy, RolePolicy, ...) naming a role, user or
    group that existed: what it grants, that principal gains."""
    return document.attached and any(target.removeprefix("!Ref ") in old_resources for target in document.applies_to)


def _describe_new(document: PolicyDocument) -> list[Broadening]:
    out = []
    for statement in document.statements:
        out.append(Broadening(document.resource, document.title, "; ".join(statement.lines())))
    return out


def _document_broadening(
    before: PolicyDocument | None, after: PolicyDocument, new_ids: set[str]
) -> tuple[list[Broadening], list[Broadening]]:
    """(what is broader for principals that existed, what only lets resources new in this change in)."""
    old_grants = grants(before) if before else []
    new_grants = grants(after)
    messages: dict[tuple[str, str, str], list[str]] = {}  # (kind, detail, resource) -> actions, to merge lines
    for grant in new_grants:
        if grant.effect != "Allow":
            continue
        found = _grant_broadening(grant, old_grants, new_ids)
        if found:
            kind, detail = found
            messages.setdefault((kind, detail, grant.resource), []).append(grant.action)
    for grant in old_grants:
        if grant.effect == "Deny" and not _deny_kept(grant, new_grants):
            messages.setdefault(("deny removed", _for(grant.principal), grant.resource), []).append(grant.action)
    out, for_new = [], []
    for (kind, detail, resource), actions in messages.items():
        actions_text = ", ".join(dict.fromkeys(actions))
        if kind == "new sources":
            for_new.append(Broadening(after.resource, after.title, f"{actions_text} on {resource}: {detail}"))
            continue
        if kind == "gains action":
            message = f"gains {actions_text} on {resource}{detail}"
        elif kind == "gains resource":
            message = f"{actions_text} gains resource {resource}{detail}"
        elif kind == "gains principal":
            message = f"gains principal {detail}: {actions_text} on {resource}"
        elif kind == "deny removed":
            message = f"Deny {actions_text} on {resource}{detail} is removed"
        else:  # condition
            message = f"{actions_text} on {resource}: {detail}"
        out.append(Broadening(after.resource, after.title, message))
    return out, for_new


def _for(principal: str) -> str:
    return f" for {principal}" if principal else ""


def _grant_broadening(grant: Grant, old_grants: list[Grant], new_ids: set[str]) -> tuple[str, str] | None:
    """(kind, detail) when ``grant`` allows more than the old document did; None when it is covered."""
    allowed = [g for g in old_grants if g.effect == "Allow"]
    same_principal = [g for g in allowed if g.principal == grant.principal or g.principal == "*"]
    if grant.principal and not same_principal:
        return "gains principal", grant.principal
    same_action = [g for g in same_principal if _covers(g.action, grant.action, ignore_case=True)]
    if not same_action:
        return "gains action", _resource_note(grant.resource, []) + _for(grant.principal)
    covering = [g for g in same_action if _covers(g.resource, grant.resource)]
    if not covering:
        widened = [g.resource for g in same_action if _covers(grant.resource, g.resource)]
        return "gains resource", _resource_note(grant.resource, widened) + _for(grant.principal)
    if any(_conditions_at_least_as_narrow(grant.conditions, g.conditions) for g in covering):
        return None
    if _only_adds_new_resources(covering[0].conditions, grant.conditions, new_ids):
        # e.g. a DLQ or topic policy whose aws:SourceArn now also names a rule added in this change
        return "new sources", _condition_change(covering[0].conditions, grant.conditions)
    return "condition", _condition_change(covering[0].conditions, grant.conditions)


_REFERENCE = re.compile(r"^!(?:Ref|GetAtt) ([A-Za-z0-9]+)")


def _only_adds_new_resources(old: tuple[Condition, ...], new: tuple[Condition, ...], new_ids: set[str]) -> bool:
    """The conditions differ only by accepting more values, each a !Ref/!GetAtt of a resource new in this change."""
    for before in old:
        after = next((c for c in new if c.operator == before.operator and c.key == before.key), None)
        if after is None or before.negated:
            if after is None or not set(before.values) <= set(after.values):
                return False
            continue
        for value in after.values:
            if _value_covered(value, before.values, before.operator):
                continue
            match = _REFERENCE.match(value)
            if not match or match.group(1) not in new_ids:
                return False
    return True


def _covers(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    if pattern.startswith("NOT ") or value.startswith("NOT "):
        return pattern == value  # NotAction / NotResource statements are compared as a whole
    return wildcard_covers(pattern, value, ignore_case=ignore_case)


def _resource_note(resource: str, widened: list[str]) -> str:
    if resource == "*":
        return " (every resource)"
    if widened:
        return f" (widens {', '.join(dict.fromkeys(widened))})"
    if is_wildcard(resource):
        return " (wildcard)"
    return ""


def _value_covered(value: str, allowed: tuple[str, ...], operator: str) -> bool:
    like = "Like" in operator
    return any(_covers(a, value) if like else a == value for a in allowed)


def _conditions_at_least_as_narrow(new: tuple[Condition, ...], old: tuple[Condition, ...]) -> bool:
    """Every old condition is still there, accepting no more values (or excluding no fewer, for Not*)."""
    for before in old:
        after = next((c for c in new if c.operator == before.operator and c.key == before.key), None)
        if after is None:
            return False
        if before.negated:
            if not set(before.values) <= set(after.values):
                return False
        elif not all(_value_covered(v, before.values, before.operator) for v in after.values):
            return False
    return True


def _condition_change(old: tuple[Condition, ...], new: tuple[Condition, ...]) -> str:
    parts = []
    for before in old:
        after = next((c for c in new if c.operator == before.operator and c.key == before.key), None)
        if after is None:
            parts.append(f"condition removed: {before}")
        elif before.negated:
            dropped = [v for v in before.values if v not in after.values]
            if dropped:
                parts.append(f"condition {before.operator} {before.key} no longer excludes {', '.join(dropped)}")
        else:
            extra = [v for v in after.values if not _value_covered(v, before.values, before.operator)]
            if extra:
                parts.append(f"condition {before.operator} {before.key} now also accepts {', '.join(extra)}")
    return "; ".join(parts) or "conditions changed"


def _deny_kept(deny: Grant, new_grants: list[Grant]) -> bool:
    return any(g.effect == "Deny" and g.principal == deny.principal and _covers(g.action, deny.action, ignore_case=True)
               and _covers(g.resource, deny.resource) for g in new_grants)


def _role_attachments(old: dict[str, Any], new: dict[str, Any]) -> list[Broadening]:
    """Managed policies attached to, and permissions boundaries removed from, roles that existed before."""
    out = []
    old_resources = resources(old)
    for logical_id, resource in sorted(resources(new).items()):
        before = old_resources.get(logical_id)
        if resource.get("Type") != "AWS::IAM::Role" or not before or before.get("Type") != "AWS::IAM::Role":
            continue
        props, old_props = properties(resource), properties(before)
        old_managed = {show(a) for a in old_props.get("ManagedPolicyArns") or []}
        for arn in props.get("ManagedPolicyArns") or []:
            if show(arn) not in old_managed:
                out.append(Broadening(logical_id, "role", f"attaches managed policy {show(arn)}"))
        old_boundary, boundary = old_props.get("PermissionsBoundary"), props.get("PermissionsBoundary")
        if old_boundary is not None and boundary != old_boundary:
            change = "is removed" if boundary is None else f"changes to {show(boundary)}"
            out.append(Broadening(logical_id, "role", f"permissions boundary {show(old_boundary)} {change}"))
    return out

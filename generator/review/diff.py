"""A template against the one committed at a revision: what is added, removed, changed, replaced,
and which permissions become broader.

Broadened means a principal that existed before may now do more: a policy document of an existing
resource gains an action, a resource (a wider prefix, a wildcard, ``*``) or a principal, loses a
condition or lets a condition accept more values, loses a Deny, or its role gains a managed policy or
loses its permissions boundary. Permissions of resources that did not exist before are listed apart as
new permissions: they are new, not broader. So is a resource policy whose condition only comes to name a
resource added in the same change (the DLQ or topic policy accepting a new rule's ARN as aws:SourceArn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .iam import (
    Condition,
    Grant,
    PolicyDocument,
    grants,
    is_wildcard,
    policy_documents,
    wildcard_covers,
)
from .replacement import LOSS, ReplacementRule, replacement_for
from .template import properties, resources, show

MAX_PATHS_SHOWN = 8

# The property that names a resource, for the note that a custom-named resource cannot be replaced
# while keeping its name (CloudFormation fails the update).
NAME_PROPERTY = {
    "AWS::SQS::Queue": "QueueName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::Events::Rule": "Name",
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Scheduler::ScheduleGroup": "Name",
    "AWS::SNS::Topic": "TopicName",
    "AWS::ECS::Cluster": "ClusterName",
    "AWS::CloudWatch::Alarm": "AlarmName",
}


@dataclass(frozen=True)
class Broadening:
    resource: str
    document: str  # "policy least-privilege", "trust policy", "queue policy", "role"
    message: str

    def __str__(self) -> str:
        return f"{self.resource} {self.document}: {self.message}"


@dataclass(frozen=True)
class Replacement:
    resource: str
    resource_type: str
    kind: str  # "replacement" | "new revision" | "update fails" | "type change"
    properties: tuple[str, ...]
    consequence: str

    def __str__(self) -> str:
        changed = f" ({', '.join(self.properties)} changed)" if self.properties else ""
        return f"{self.resource} ({self.resource_type}): {self.kind}{changed}: {self.consequence}"


@dataclass(frozen=True)
class Removal:
    resource: str
    resource_type: str
    consequence: str
    renamed_to: str | None = None

    def __str__(self) -> str:
        if self.renamed_to:
            return (f"{self.resource} ({self.resource_type}): logical ID becomes {self.renamed_to}: CloudFormation "
                    f"creates {self.renamed_to}, then deletes {self.resource}: {self.consequence}")
        return f"{self.resource} ({self.resource_type}): {self.consequence}"


@dataclass(frozen=True)
class Change:
    resource: str
    resource_type: str
    paths: tuple[str, ...]  # e.g. "Properties.Targets[0].InputTransformer.InputTemplate"
    replacement: ReplacementRule | None = None

    @property
    def metadata_only(self) -> bool:
        return all(p.startswith("Metadata") for p in self.paths)

    def shown_paths(self) -> str:
        more = len(self.paths) - MAX_PATHS_SHOWN
        return ", ".join(self.paths[:MAX_PATHS_SHOWN]) + (f" and {more} more" if more > 0 else "")


@dataclass
class StackDiff:
    rev: str
    new_stack: bool = False
    added: list[tuple[str, str]] = field(default_factory=list)  # (logical ID, type)
    removed: list[Removal] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    broadened: list[Broadening] = field(default_factory=list)
    new_permissions: list[Broadening] = field(default_factory=list)
    replacements: list[Replacement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.notes)


def diff_templates(old: dict[str, Any] | None, new: dict[str, Any], rev: str) -> StackDiff:
    """``old`` is the template at ``rev`` (None: the stack is new there); ``new`` is the one generated now."""
    if old is None:
        result = StackDiff(rev, new_stack=True)
        result.added = [(k, v.get("Type", "?")) for k, v in sorted(resources(new).items())]
        return result
    result = StackDiff(rev)
    old_resources, new_resources = resources(old), resources(new)
    result.added = [(k, new_resources[k].get("Type", "?")) for k in sorted(new_resources.keys() - old_resources.keys())]
    result.removed = _removals(old_resources, new_resources)
    for logical_id in sorted(old_resources.keys() & new_resources.keys()):
        before, after = old_resources[logical_id], new_resources[logical_id]
        paths = tuple(changed_paths(before, after))
        if not paths:
            continue
        kind = after.get("Type", "?")
        if before.get("Type") != kind:
            result.changed.append(Change(logical_id, kind, paths))
            result.replacements.append(Replacement(
                logical_id, kind, "type change", (), f"was {before.get('Type')}: the old resource is deleted, a new one created"))
            continue
        old_props, new_props = properties(before), properties(after)
        props_changed = sorted(k for k in old_props.keys() | new_props.keys() if old_props.get(k) != new_props.get(k))
        rule = replacement_for(kind, props_changed)
        result.changed.append(Change(logical_id, kind, paths, rule))
        if rule:
            result.replacements.append(Replacement(logical_id, kind, rule.kind, rule.properties, _consequence(rule, before, after)))
    result.broadened, result.new_permissions = broadened_permissions(old, new)
    result.notes = _outputs_and_parameters(old, new)
    return result


# --- structure ---------------------------------------------------------------------------------------


def changed_paths(old: Any, new: Any, path: str = "") -> list[str]:
    """Dotted paths where ``old`` and ``new`` differ, as deep as both sides have the same shape."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict) and not _is_intrinsic(old) and not _is_intrinsic(new):
        found = []
        for key in sorted(old.keys() | new.keys()):
            sub = f"{path}.{key}" if path else key
            if key not in old:
                found.append(f"{sub} (added)")
            elif key not in new:
                found.append(f"{sub} (removed)")
            else:
                found.extend(changed_paths(old[key], new[key], sub))
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        found = []
        for index, (a, b) in enumerate(zip(old, new)):
            found.extend(changed_paths(a, b, f"{path}[{index}]"))
        return found
    if isinstance(old, list) and isinstance(new, list):
        return [f"{path} ({len(old)} -> {len(new)} items)"]
    return [path]


def _is_intrinsic(value: dict) -> bool:
    return len(value) == 1 and next(iter(value)).startswith(("Fn::", "Ref"))


def _removals(old: dict[str, dict], new: dict[str, dict]) -> list[Removal]:
    added = {k: v for k, v in new.items() if k not in old}
    found = []
    for logical_id in sorted(old.keys() - new.keys()):
        resource = old[logical_id]
        kind = resource.get("Type", "?")
        renamed = next((k for k, v in sorted(added.items()) if v.get("Type") == kind
                        and properties(v) == properties(resource)), None)
        found.append(Removal(logical_id, kind, _loss(resource), renamed))
    return found


def _loss(resource: dict[str, Any]) -> str:
    kind = resource.get("Type", "?")
    if resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
        return "kept (DeletionPolicy: Retain) but no longer managed by the stack"
    if resource.get("DeletionPolicy") == "Snapshot":
        return "deleted after a final snapshot"
    return LOSS.get(kind, "deleted")


def _consequence(rule: ReplacementRule, before: dict[str, Any], after: dict[str, Any]) -> str:
    kind = after.get("Type", "?")
    if rule.kind == "new revision":
        return "a new revision is registered; the previous one is deregistered (running tasks keep running)"
    if rule.kind == "update fails":
        return "CloudFormation refuses to change this on an existing key: create a new key instead"
    if after.get("UpdateReplacePolicy") in ("Retain",):
        text = "a new resource is created; the old one is kept (UpdateReplacePolicy: Retain), no longer managed"
    else:
        text = "a new resource is created and the old one deleted: " + LOSS.get(kind, "its data and physical ID are lost")
    name_property = NAME_PROPERTY.get(kind)
    if name_property and name_property not in rule.properties and name_property in properties(after):
        text += (f"; its {name_property} {show(properties(after)[name_property])} stays the same, and CloudFormation "
                 "cannot replace a custom-named resource: change the name too")
    return text


def _outputs_and_parameters(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    notes = []
    old_outputs, new_outputs = old.get("Outputs") or {}, new.get("Outputs") or {}
    for name in sorted(old_outputs.keys() - new_outputs.keys()):
        export = (old_outputs[name] or {}).get("Export")
        if export:
            notes.append(f"output {name} and its export {show(export.get('Name'))} are removed: "
                         "the update fails while another stack imports it")
        else:
            notes.append(f"output {name} is removed")
    old_params, new_params = old.get("Parameters") or {}, new.get("Parameters") or {}
    for name in sorted(new_params.keys() - old_params.keys()):
        if "Default" not in (new_params[name] or {}):
            notes.append(f"new parameter {name} has no default: deploys must pass a value")
    for name in sorted(old_params.keys() - new_params.keys()):
        notes.append(f"parameter {name} is removed: drop it from --parameter-overrides")
    return notes


# --- permissions -------------------------------------------------------------------------------------


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

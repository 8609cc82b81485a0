"""A template against the one committed at a revision: what is added, removed, changed, replaced,
and which permissions become broader (judged in ``broadening``, re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .broadening import Broadening, broadened_permissions
from .replacement import LOSS, ReplacementRule, replacement_for
from .template import properties, resources, show

__all__ = ["Broadening", "Change", "Removal", "Replacement", "StackDiff", "broadened_permissions", "changed_paths",
           "diff_templates"]

MAX_PATHS_SHOWN = 8

# The property that names a resource, for the note that a custom-named resource cannot be replaced
# while keeping its name: CloudFormation fails the update ("If you specify a name, you cannot perform
# updates that require replacement of this resource",
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html).
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

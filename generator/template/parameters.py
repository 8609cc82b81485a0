"""What a deploy sends for each template parameter, and the capabilities it acknowledges. Pure: the
deployed template's Defaults come through a function the caller gives (it reads them from AWS only if needed).

Parameter values follow CreateChangeSet's ``Parameters``: a value, or ``UsePreviousValue`` to keep the
stack's (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import UsageError
from .read import TemplateError, properties, read_template, resources


def read_deployable(text: str, source: str) -> dict[str, Any]:
    """``read_template``, its errors worded as deploy has always worded them (a usage error: exit 2)."""
    try:
        return read_template(text)
    except TemplateError as err:
        if err.syntax:
            raise UsageError(f"{source}: not a YAML or JSON file: {err.reason}") from None
        raise UsageError(f"{source}: not a CloudFormation template or a job spec") from None


def parse_overrides(items: list[str], declared: dict[str, Any]) -> dict[str, str]:
    """``KEY=VALUE`` items -> {key: value}; a key the template does not declare is an error (the AWS CLI
    would pass it on and let CloudFormation ignore or refuse it)."""
    overrides: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--parameter-overrides {item}: write KEY=VALUE")
        overrides[key] = value
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise UsageError(f"--parameter-overrides: the template has no parameter {', '.join(unknown)} (parameters: {allowed})")
    return overrides


@dataclass
class Resolved:
    parameters: list[dict[str, Any]]  # CreateChangeSet's Parameters
    notes: list[str] = field(default_factory=list)  # one line per value that differs from the stack's


def stack_parameters(declared: dict[str, Any], overrides: dict[str, str], published: dict[str, str],
                     previous: dict[str, str | None], deployed_defaults: Callable[[], dict[str, Any]],
                     images_file: Path, stack: str) -> Resolved:
    """What to send for each parameter: an override, else the published image, else the template's Default
    where the stack has no value yet or the Default changed, else the stack's previous value.

    ``deployed_defaults()`` gives the Defaults of the template the stack was deployed from (called only if
    needed). A Default that is the deployed one (the spec's `image:` did not change) leaves the stack's value
    alone: an image published from another checkout (no images.json here, as in CI) or pinned with
    --parameter-overrides stays. A changed Default is sent, so a changed `image:` reaches the stack. A value
    that differs from the stack's is said, one note each."""
    resolved = Resolved([])
    for name, declaration in declared.items():
        default = declaration.get("Default") if isinstance(declaration, dict) else None
        if name in overrides:
            value, source = overrides[name], "from --parameter-overrides"
        elif name in published:
            resolved.notes.append(f"{name}={published[name]} (from {images_file})")
            value, source = published[name], f"from {images_file}"
        elif name in previous and (default is None or _same(deployed_defaults().get(name), default)):
            resolved.parameters.append({"ParameterKey": name, "UsePreviousValue": True})
            continue
        elif default is not None:
            value, source = str(default), "the template's default"
        else:
            raise UsageError(f"deploy {stack}: parameter {name} has no default: pass --parameter-overrides {name}=VALUE")
        if name in previous and previous[name] != value:
            resolved.notes.append(f"{name}: {previous[name]} -> {value} ({source})")
        resolved.parameters.append({"ParameterKey": name, "ParameterValue": value})
    return resolved


def _same(deployed: Any, default: Any) -> bool:
    """Two Defaults as CloudFormation reads them (a YAML 1 and a "1" are one value)."""
    return deployed is not None and str(deployed) == str(default)


def template_defaults(body: str | dict[str, Any], stack: str) -> dict[str, Any]:
    """Parameter name -> Default of a deployed template (GetTemplate's body: text, or an already decoded dict)."""
    template = body if isinstance(body, dict) else read_deployable(body, f"the template of stack {stack}")
    declared = template.get("Parameters") or {}
    return {name: d["Default"] for name, d in declared.items() if isinstance(d, dict) and "Default" in d}


# Resources CloudFormation makes you acknowledge (CreateChangeSet's Capabilities,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html): IAM resources
# need CAPABILITY_IAM, or CAPABILITY_NAMED_IAM when they have custom names; macros and nested stacks
# CAPABILITY_AUTO_EXPAND.
IAM_NAME_PROPERTIES = ("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName")
EXPANDING_TYPES = ("AWS::CloudFormation::Stack", "AWS::Serverless::Application")


def capabilities(template: dict[str, Any]) -> list[str]:
    """The capabilities the template needs."""
    needed: set[str] = set()
    for resource in resources(template).values():
        kind = str(resource.get("Type", ""))
        if kind.startswith("AWS::IAM::"):
            named = any(k in properties(resource) for k in IAM_NAME_PROPERTIES)
            needed.add("CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM")
        if kind in EXPANDING_TYPES:
            needed.add("CAPABILITY_AUTO_EXPAND")
    if template.get("Transform"):
        needed.add("CAPABILITY_AUTO_EXPAND")
    return sorted(needed)

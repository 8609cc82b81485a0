"""CloudFormation intrinsics shown the way they are written in YAML, and sizes estimated before deploy.

Reading a template is generator.template's (one reader for lint, review and deploy); its names are
re-exported here, where review's modules have always found them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..template.read import TemplateError, intrinsic_name, properties, resources
from ..template.read import read_template as parse_template

__all__ = ["TemplateError", "compact_json", "intrinsic_name", "parse_template", "properties", "resolve_for_size",
           "resources", "show", "why"]


def why(resource: dict[str, Any]) -> str | None:
    """The resource's reason to exist, from its Metadata Context (see resources/context.py)."""
    context = (resource.get("Metadata") or {}).get("com.aws.cloudformation.Context") or {}
    text = context.get("why") if isinstance(context, dict) else None
    return text if isinstance(text, str) else None


def show(value: Any) -> str:
    """A value as a reviewer reads it in the template: ``!Ref X``, ``!GetAtt X.Arn``, ``!Sub '...'``."""
    name = intrinsic_name(value)
    if name == "Ref":
        return f"!Ref {value['Ref']}"
    if name == "Fn::GetAtt":
        target = value[name]
        return "!GetAtt " + (".".join(str(p) for p in target) if isinstance(target, list) else str(target))
    if name == "Fn::Sub":
        body = value[name]
        if isinstance(body, list) and len(body) == 2 and isinstance(body[1], dict):
            variables = ", ".join(f"{k}={show(v)}" for k, v in body[1].items())
            return f"!Sub '{body[0]}' ({variables})"
        return f"!Sub '{body}'"
    if name is not None:
        short = name.removeprefix("Fn::")
        return f"!{short} {show(value[name])}"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


# Values that stand in for pseudo parameters when a size must be estimated: the longest common forms.
SAMPLE_PSEUDO = {
    "AWS::Partition": "aws-us-gov",
    "AWS::Region": "ap-southeast-5",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com.cn",
}


def resolve_for_size(value: Any, stack_name: str) -> Any:
    """``value`` with ``!Sub`` strings filled in with sample values, to estimate the size AWS will see.

    Other intrinsics (``!Ref`` of a resource, ``!GetAtt``) cannot be known before deploy; they keep
    their written form, which is about as long as the ARN or name they resolve to.
    """
    name = intrinsic_name(value)
    if name == "Fn::Sub":
        body = value[name]
        text, variables = (body[0], body[1]) if isinstance(body, list) else (body, {})

        def fill(match: re.Match) -> str:
            key = match.group(1)
            if key in variables:
                resolved = resolve_for_size(variables[key], stack_name)
                return resolved if isinstance(resolved, str) else show(resolved)
            if key == "AWS::StackName":
                return stack_name
            return SAMPLE_PSEUDO.get(key, "${" + key + "}")

        return re.sub(r"\$\{([^}!][^}]*)\}", fill, str(text))
    if name == "Ref" and value["Ref"] in SAMPLE_PSEUDO:
        return SAMPLE_PSEUDO[value["Ref"]]
    if name is not None:
        return show(value)
    if isinstance(value, dict):
        return {k: resolve_for_size(v, stack_name) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_for_size(v, stack_name) for v in value]
    return value


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

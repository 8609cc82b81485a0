"""Template text -> plain data: the one reader lint, review and deploy share, and the helpers that read it.

cfn-lint's decoder is the parser, because it reads a template as CloudFormation does: every short-form
tag becomes its long form (``!Ref X`` -> ``{"Ref": "X"}``, ``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html),
JSON that YAML cannot read (tab indentation) is read as JSON, and a duplicate key is an error.
"""

from __future__ import annotations

import re
from typing import Any


class TemplateError(ValueError):
    """Template text that cannot be read.

    ``syntax``: not YAML or JSON at all (``reason`` says where); otherwise it reads but is not a mapping.
    ``str()`` is review's wording; deploy words it its own way from ``reason`` and ``syntax``.
    """

    def __init__(self, reason: str, *, syntax: bool):
        super().__init__(f"not a CloudFormation template: {reason}")
        self.reason = reason
        self.syntax = syntax


def decode(text: str) -> tuple[Any, list[Any]]:
    """cfn-lint's (template, matches): the template keeps each value's line and column (lint reports
    them); it is None when the text cannot be read, and the matches say why."""
    from cfnlint.decode.decode import decode_str

    return decode_str(text)


def read_template(text: str) -> dict[str, Any]:
    """YAML or JSON template text -> plain dicts/lists/strings, intrinsics in their long form."""
    template, matches = decode(text)
    if template is None:
        raise TemplateError(_reason(matches), syntax=True)
    if not isinstance(template, dict):
        raise TemplateError("not a mapping", syntax=False)
    return plain(template)


def _reason(matches: list[Any]) -> str:
    if not matches:
        return "unreadable"
    first = matches[0]
    message = str(first.message)
    if "(line" in message or not getattr(first, "linenumber", None):  # duplicate keys say their lines
        return message
    return f"{message} (line {first.linenumber}, column {first.columnnumber})"


def plain(value: Any) -> Any:
    """cfn-lint's position-carrying node classes -> built-in types (they compare and hash as such)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


# --- reading the data ----------------------------------------------------------------------------------


def resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Logical ID -> resource, leaving out entries that are not mappings."""
    found = template.get("Resources") or {}
    return {k: v for k, v in found.items() if isinstance(v, dict)} if isinstance(found, dict) else {}


def properties(resource: dict[str, Any]) -> dict[str, Any]:
    props = resource.get("Properties")
    return props if isinstance(props, dict) else {}


_INTRINSIC = re.compile(r"^(Ref|Condition|Fn::[A-Za-z0-9]+)$")


def intrinsic_name(value: Any) -> str | None:
    """`Ref`, `Fn::GetAtt`, ... when ``value`` is a one-key intrinsic function mapping."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        if isinstance(key, str) and _INTRINSIC.match(key):
            return key
    return None


def logical_id_of(value: Any) -> str | None:
    """`!Ref X` / `!GetAtt X.Arn` -> X."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if isinstance(value.get("Ref"), str):
        return value["Ref"]
    getatt = value.get("Fn::GetAtt")
    if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
        return getatt[0]
    if isinstance(getatt, str):
        return getatt.split(".", 1)[0]
    return None

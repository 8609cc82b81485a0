"""InputTransformer: validate InputPathsMap + InputTemplate, and render what AWS would deliver for an event.

How AWS fills a template was worked out from its recorded outputs (LocalStack's AWS-validated snapshot
test_events_inputs.snapshot.json, kept in tests/data/; limits in
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html), not from the docs alone:

* A placeholder *outside* a JSON string is replaced by the value as JSON: a string comes out quoted,
  an object or list as JSON, and a path missing from the event as ``""``.
* A placeholder *inside* a JSON string is replaced by the value's text, unescaped. In a JSON template
  an object or list there makes AWS deliver nothing at all; in a string template (one or more quoted
  lines) it is flattened as ``{k:v,k2:v2}`` / ``[a,b]``.
* Whatever the template, if the result is not what AWS can send (JSON, or quoted string lines), nothing
  is delivered: ``render`` returns None.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["TransformError", "render", "render_input_path", "validate_target_input", "validate_transformer"]

MAX_VARIABLES = 100  # BC-events TransformerPaths; "You can define up to 100 variables"
MAX_KEY_LENGTH = 256  # BC-events InputTransformerPathKey
MAX_PATH_LENGTH = 256  # BC-events TargetInputPath
MAX_TEMPLATE_LENGTH = 8192  # BC-events TransformerInput.InputTemplate

_KEY = re.compile(r"[A-Za-z0-9_\-]+")
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_\-.]+)>")

RULE_ARN = "aws.events.rule-arn"
RULE_NAME = "aws.events.rule-name"
INGESTION_TIME = "aws.events.event.ingestion-time"
EVENT = "aws.events.event"
EVENT_JSON = "aws.events.event.json"
PREDEFINED = (RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON)

_MISSING = object()  # a path that does not resolve in the event


class TransformError(ValueError):
    """An InputTransformer AWS would reject at PutTargets. ``str(err)`` is the reason."""


# --- validation --------------------------------------------------------------------------------------


def validate_transformer(input_paths_map: dict[str, str], input_template: str) -> None:
    if not isinstance(input_template, str) or not input_template:
        raise TransformError("InputTemplate is required and must be a non-empty string")
    if len(input_template) > MAX_TEMPLATE_LENGTH:
        raise TransformError(f"InputTemplate is {len(input_template)} characters; AWS allows {MAX_TEMPLATE_LENGTH}")
    if len(input_paths_map) > MAX_VARIABLES:
        raise TransformError(f"InputPathsMap has {len(input_paths_map)} variables; AWS allows {MAX_VARIABLES}")
    for key, path in input_paths_map.items():
        _check_key(key)
        _check_path(f"InputPathsMap '{key}'", path)
    for name in _PLACEHOLDER.findall(input_template):
        if name not in input_paths_map and name not in PREDEFINED:
            raise TransformError(f"InputTemplate contains invalid placeholder {name}.")  # AWS's text, minus the target


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not _KEY.fullmatch(key):
        raise TransformError(
            f"InputPathsMap key '{key}' must be 1-{MAX_KEY_LENGTH} letters, digits, '_' or '-'")
    # Names starting with "AWS." and the predefined aws.events.* names are reserved; both contain a dot,
    # which the key syntax already refuses.


def _check_path(where: str, path: Any) -> None:
    """``where`` names the path in messages: "InputPathsMap 'key'" or "InputPath"."""
    if not isinstance(path, str) or not path.startswith("$") or len(path) > MAX_PATH_LENGTH:
        raise TransformError(
            f"{where}: '{path}' must be a JSON path starting with '$', at most {MAX_PATH_LENGTH} characters")
    try:
        _parse_path(path)
    except ValueError as err:
        raise TransformError(f"{where}: {err}") from err


def validate_target_input(target: dict, target_id: str = "<target-id>") -> None:
    """A target takes at most one of Input, InputPath and InputTransformer; PutTargets refuses more, with
    this text (recorded: LS test_put_event_input_path_and_input_transformer)."""
    given = [key for key in ("Input", "InputPath", "InputTransformer") if target.get(key) is not None]
    if len(given) > 1:
        raise TransformError(
            f"Only one of Input, InputPath, or InputTransformer must be provided for target {target_id}.")


def render_input_path(input_path: str, event: dict) -> str:
    """What a target with ``InputPath`` receives: the selected part of the event, as JSON (a string comes
    out quoted: recorded "baz" in LS test_put_events_with_input_path_max_level_depth). What AWS sends when
    the path selects nothing is not recorded, so that is an error here rather than a guess."""
    _check_path("InputPath", input_path)
    value = _resolve(input_path, event)
    if value is _MISSING:
        raise TransformError(
            f"InputPath '{input_path}' selects nothing in this event (what AWS sends then is not recorded)")
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# --- JSON paths --------------------------------------------------------------------------------------

_STEP = re.compile(r"\.(?P<name>[^.\[\]]+)|\[(?P<index>\d+|\*)\]|\['(?P<quoted>[^']*)'\]")


def _parse_path(path: str) -> list[str | int]:
    """``$.a.b[0].c``, ``$.a[*]``, ``$.a.*``, ``$['key']``: keys, indexes and '*' for any member."""
    steps: list[str | int] = []
    position = 1
    while position < len(path):
        match = _STEP.match(path, position)
        if not match:
            raise ValueError(f"'{path}' is not a JSON path (stopped at '{path[position:]}')")
        if match["index"] is not None:
            steps.append("*" if match["index"] == "*" else int(match["index"]))
        else:
            steps.append(match["name"] if match["name"] is not None else match["quoted"])
        position = match.end()
    return steps


def _resolve(path: str, event: Any) -> Any:
    """The value at ``path``; a wildcard gives the list of what it matched; _MISSING if nothing."""
    nodes = [event]
    wildcard = False
    for step in _parse_path(path):
        found = []
        for node in nodes:
            if step == "*":
                wildcard = True
                found.extend(node.values() if isinstance(node, dict) else node if isinstance(node, list) else [])
            elif isinstance(step, int):
                if isinstance(node, list) and step < len(node):
                    found.append(node[step])
            elif isinstance(node, dict) and step in node:
                found.append(node[step])
        nodes = found
    if wildcard:
        return nodes if nodes else _MISSING
    return nodes[0] if nodes else _MISSING


# --- rendering ---------------------------------------------------------------------------------------


def render(
    input_paths_map: dict[str, str],
    input_template: str,
    event: dict,
    *,
    rule_name: str = "rule",
    rule_arn: str = "arn:aws:events:us-east-1:123456789012:rule/rule",
    ingestion_time: str | None = None,
) -> str | None:
    """The text AWS delivers to the target, or None where AWS delivers nothing."""
    validate_transformer(input_paths_map, input_template)
    values = {name: _resolve(path, event) for name, path in input_paths_map.items()}
    values.update(_predefined(event, rule_name, rule_arn, ingestion_time or event.get("time", "")))
    if _is_string_template(input_template):
        return _fill(input_template, values, flatten_in_strings=True)
    text = _fill(input_template, values, flatten_in_strings=False)
    if text is None or not _is_json(text):
        return None
    return text


def _predefined(event: dict, rule_name: str, rule_arn: str, ingestion_time: str) -> dict[str, Any]:
    # <aws.events.event> is the envelope without detail, with AWS's camelCase "detailType" and the
    # ingestion time as "time" (recorded in LS test_input_transformer_predefined_variables).
    envelope = {
        "id": event.get("id"), "account": event.get("account"), "detailType": event.get("detail-type"),
        "time": ingestion_time, "source": event.get("source"), "region": event.get("region"),
        "resources": event.get("resources", []), "version": event.get("version"),
    }
    return {RULE_ARN: rule_arn, RULE_NAME: rule_name, INGESTION_TIME: ingestion_time, EVENT: envelope,
            EVENT_JSON: event}


def _is_string_template(template: str) -> bool:
    """One or more lines, each a quoted string: AWS sends the filled text as it is."""
    lines = [line.strip() for line in template.strip().splitlines() if line.strip()]
    return bool(lines) and all(len(line) >= 2 and line[0] == '"' and line[-1] == '"' for line in lines)


def _fill(template: str, values: dict[str, Any], *, flatten_in_strings: bool) -> str | None:
    """Replace each placeholder according to whether it sits inside a JSON string. None when a JSON
    template puts an object or list inside quotes (AWS then silently delivers nothing)."""
    out: list[str] = []
    in_string = False
    position = 0
    while position < len(template):
        char = template[position]
        match = _PLACEHOLDER.match(template, position) if char == "<" else None
        if match and match[1] in values:
            value = values[match[1]]
            if in_string:
                if isinstance(value, (dict, list)) and not flatten_in_strings:
                    return None
                out.append(_text(value))
            else:
                out.append(_json(value))
            position = match.end()
            continue
        if char == "\\" and in_string:
            out.append(template[position:position + 2])
            position += 2
            continue
        if char == '"':
            in_string = not in_string
        out.append(char)
        position += 1
    return "".join(out)


def _json(value: Any) -> str:
    """A value outside quotes. Open question (unverified, no recorded case): whether AWS escapes quotes inside an
    unquoted string value; we emit valid JSON."""
    if value is _MISSING:
        return '""'  # recorded: "command": <command> with a missing path gives "command": ""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _text(value: Any) -> str:
    """A value inside quotes: its text, unescaped ("EventBridge doesn't escape values extracted by Input
    Path"); objects and lists flattened without quotes, as recorded: {acc_id:0a787ecb-4015,sf_id:baz}."""
    if value is _MISSING:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_text(item) for item in value) + "]"
    return json.dumps(value)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True

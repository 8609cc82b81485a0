"""Checks of a trigger that hold for every kind: its name, exactly one kind, and the values its overrides
read from the event. What only one kind checks is that kind's (generator/triggers); these read the table.

``TriggerSpec`` (trigger.py) calls them from thin validators.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, TypeVar

from .. import triggers as trigger_kinds  # the table; read when a trigger is checked (see triggers/__init__.py)
from ..eventbridge.shapes import (
    ENVELOPE_CONTAINER_PATHS,
    RULE_BUILTINS,
    RULE_OBJECT_BUILTINS,
    SCHEDULER_BUILTINS,
)
from .base import FieldError
from .checks import check_name
from .limits import MAX_EVENT_VALUES_PER_TRIGGER, MAX_TRIGGER_NAME
from .value_template import Placeholder, parse_value

Values = TypeVar("Values", dict, list, None)

if TYPE_CHECKING:
    from .trigger import TriggerSpec

PLACEHOLDER_RE = re.compile(r"<[^<>]*>")  # what an input-transformer template reads as a placeholder


def check_trigger_name(value: str | None) -> str | None:
    if value is None:
        return None
    check_name(value, "trigger name")
    if len(value) > MAX_TRIGGER_NAME:
        raise ValueError(
            f"a trigger name has at most {MAX_TRIGGER_NAME} characters (this one has {len(value)}): it is part "
            "of logical IDs and of the stack's export names, which CloudFormation limits to 255 characters"
        )
    return value


def check_override_syntax(values: Values) -> Values:
    """Each environment value / command item parses: every `{$.` and `{aws.` placeholder is closed."""
    for key, value in (values.items() if isinstance(values, dict) else enumerate(values or [])):
        try:
            parse_value(value)
        except ValueError as err:
            raise FieldError(str(err), at=(key,)) from None
    return values


def check_builtin(trigger: TriggerSpec, where: tuple, field: Placeholder) -> None:
    """`{aws.…}`: EventBridge's predefined variables on a rule, Scheduler's context attributes on a schedule
    (eventbridge/shapes.py cites both lists)."""
    on_scheduler = trigger.uses_scheduler
    allowed = SCHEDULER_BUILTINS if on_scheduler else RULE_BUILTINS
    if field.ref in allowed:
        return
    runs_on = ("EventBridge Scheduler (timezone, start, end, flexible_window or at() need it)" if on_scheduler
               else "an EventBridge rule")
    if field.ref in RULE_OBJECT_BUILTINS:
        reason = "is the event as a JSON object, and ECS takes only strings"
    elif field.ref in (RULE_BUILTINS if on_scheduler else SCHEDULER_BUILTINS):
        reason = f"is not available: this trigger runs on {runs_on}"
    else:
        close = difflib.get_close_matches(field.ref, list(allowed), n=1)
        reason = "is not a value AWS provides" + (f" (did you mean {{{close[0]}}}?)" if close else "")
    raise FieldError(
        f"{{{field.ref}}} {reason}; on {runs_on} these are available: "
        + ", ".join(f"{{{name}}}" for name in allowed),
        at=where,
    )


def check_kind(trigger: TriggerSpec) -> None:
    """Exactly one kind; no field that only another kind takes; the kind's own fields fit together."""
    kinds = trigger_kinds.KINDS
    given = [name for name in kinds if getattr(trigger, name) is not None]
    if len(given) != 1:
        raise ValueError(
            f"a trigger needs exactly one of {trigger_kinds.one_of()}" + (f" (got {', '.join(given)})" if given else "")
        )
    own = kinds[given[0]]
    for other in kinds.values():
        if other is not own:
            other.check_options_unused(trigger, own.name)
    own.check(trigger)


def check_json_path(value: str, where: tuple) -> None:
    """A `$.` value is a JSON path EventBridge reads: each one becomes an InputPathsMap value ("InputPathsMap
    is an array key-value pairs, where each value is a valid JSON path",
    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html). Checked with the
    same parser as the generated template's lint (eventbridge/transform.py), here at the spec's line."""
    from ..eventbridge.transform import TransformError, validate_transformer

    try:
        validate_transformer({"value": value}, "<value>")
    except TransformError as err:
        reason = str(err).split(": ", 1)[-1]  # drop "InputPathsMap 'value'": the spec has no such key
        raise FieldError(f"{reason}; write a path such as $.detail.object.key", at=where) from None


def check_event_values(trigger: TriggerSpec) -> None:
    """The `$.` paths of the overrides: in what the kind delivers, strings, and at most 100 of them; and no
    fixed value that an input-transformer template would read as a placeholder."""
    kind = trigger_kinds.KINDS[trigger.kind]
    event_paths = trigger.event_paths()
    for where, field in trigger.override_fields():
        if field.is_builtin:
            check_builtin(trigger, where, field)
        else:
            check_json_path(field.ref, where)
    if event_paths:
        kind.check_event_paths(trigger)
    containers = {**ENVELOPE_CONTAINER_PATHS, **kind.container_paths_of(trigger)}
    shape = kind.shape(trigger)
    for where, field in trigger.override_fields():
        if "[*]" in field.ref or field.ref.endswith(".*") or ".*." in field.ref:
            example = f" (e.g. {field.ref.replace('[*]', '[0]')!r})" if "[*]" in field.ref else ""
            raise FieldError(
                f"{field.ref!r}: a wildcard selects a list, which EventBridge inserts as a list, never the "
                f"string ECS needs; name one item{example}",
                at=where,
            )
        if shape is not None and shape.complete and not field.is_builtin and field.ref not in shape.complete \
                and field.ref.rstrip(".") not in containers:
            close = difflib.get_close_matches(field.ref, sorted(shape.complete), n=1, cutoff=0.75)
            raise FieldError(
                f"{field.ref!r} is not a field of these events (EventBridge would deliver \"\")"
                + (f": did you mean {close[0]}?" if close else f"; they have {', '.join(sorted(shape.complete))}"),
                at=where,
            )
        container = containers.get(field.ref.rstrip("."))
        if container:
            raise FieldError(
                f"{field.ref!r} is {container} in every such event: ECS needs a string and EventBridge would "
                "deliver nothing; name a field inside it (e.g. $.detail.object.key)",
                at=where,
            )
    if trigger.run_time_refs() and not trigger.uses_scheduler:
        # Fixed text is written into the InputTransformer template, where <name> is a placeholder.
        for where, value in trigger.override_items():
            text = "".join(part for part in parse_value(value) if isinstance(part, str))
            if PLACEHOLDER_RE.search(text):
                raise FieldError(
                    f"{value!r}: '<...>' in a fixed value would be read as an input-transformer placeholder "
                    "when other values come from the event; remove the angle brackets",
                    at=where,
                )
    if len(event_paths) > MAX_EVENT_VALUES_PER_TRIGGER:
        raise ValueError(
            f"{len(event_paths)} values are read from the event ('$.' paths in environment and command); "
            f"an EventBridge input transformer takes at most {MAX_EVENT_VALUES_PER_TRIGGER}: "
            "split the trigger or pass the whole event path once"
        )

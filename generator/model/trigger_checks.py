"""Checks of a trigger that hold for every kind: its name, exactly one kind, and the values its overrides
read from the event. What only one kind checks is that kind's (generator/triggers); these read the table.

``TriggerSpec`` (trigger.py) calls them from thin validators.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import triggers as trigger_kinds  # the table; read when a trigger is checked (see triggers/__init__.py)
from ..eventbridge.shapes import ENVELOPE_CONTAINER_PATHS, EVENT_PATH_PREFIX
from .base import FieldError
from .checks import check_name
from .limits import MAX_EVENT_VALUES_PER_TRIGGER, MAX_TRIGGER_NAME

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
    for where, value in trigger.override_items():
        if value.startswith(EVENT_PATH_PREFIX):
            check_json_path(value, where)
    if event_paths:
        kind.check_event_paths(trigger)
    containers = {**ENVELOPE_CONTAINER_PATHS, **kind.container_paths}
    for where, value in trigger.override_items():
        container = containers.get(value.rstrip("."))
        if container:
            raise FieldError(
                f"{value!r} is {container} in every such event: ECS needs a string and EventBridge would "
                "deliver nothing; name a field inside it (e.g. $.detail.object.key)",
                at=where,
            )
    if event_paths and not trigger.uses_scheduler:
        # Fixed values are written into the InputTransformer template, where <name> is a placeholder.
        for where, value in trigger.override_items():
            if not value.startswith(EVENT_PATH_PREFIX) and PLACEHOLDER_RE.search(value):
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

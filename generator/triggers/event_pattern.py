"""`event_pattern`: run on any event an EventBridge pattern matches, on the default bus or another one.

The pattern is the user's, checked by the EventBridge engine (eventbridge/pattern.py) as AWS would; of
the events it matches only the envelope's shape is known (EventBridge event structure reference,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ..eventbridge.pattern import PatternError, validate_pattern
from ..eventbridge.shapes import ENVELOPE_STRING_FIELDS, ENVELOPE_STRING_PATHS, ENVELOPE_TEXT_SAFE_PATHS, pinned_shape
from ..model.arns import EVENT_BUS_RE
from ..model.base import FieldError
from .kind import TriggerKind, TriggerWords

if TYPE_CHECKING:
    from ..model.trigger import TriggerSpec

NAME = "event_pattern"
DEFAULT_BUS = "default"
MAX_PATTERN_SHOWN = 300  # characters of an event pattern the review shows inline


# -- its fields, each on its own


def check_event_pattern(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    _check_numbers_read_as_text(value, ())
    try:
        validate_pattern(value)
    except PatternError as err:
        raise FieldError(
            f"not a valid event pattern: {str(err).rstrip('.')}",
            at=_failing_part(value, validate_pattern, PatternError),
        ) from None
    for key in ENVELOPE_STRING_FIELDS:
        for index, matcher in enumerate(value.get(key) if isinstance(value.get(key), list) else []):
            if not isinstance(matcher, (str, dict)):
                raise FieldError(
                    f"{json.dumps(matcher)} can never match: every EventBridge event carries {key} as a "
                    f"string; quote it ({json.dumps(json.dumps(matcher))})",
                    at=(key, index),
                )
    return value


_NUMBER_TEXT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _check_numbers_read_as_text(node: Any, path: tuple) -> None:
    """`numeric: [">", 5e9]`: YAML 1.1 reads 5e9 (no dot, no sign after e) as the string "5e9", which a
    numeric matcher refuses with a message that does not say why."""
    if isinstance(node, dict):
        for key, item in node.items():
            if key == "numeric" and isinstance(item, list):
                for index, term in enumerate(item):
                    if isinstance(term, str) and _NUMBER_TEXT.match(term):
                        raise FieldError(
                            f"{term!r} is text, not a number: YAML reads {term} as a string (its numbers need a dot "
                            f"and a sign in the exponent, e.g. {float(term):.1e}); write {_plain_number(term)} or "
                            f"{float(term):.1e}", at=(*path, key, index))
            else:
                _check_numbers_read_as_text(item, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _check_numbers_read_as_text(item, (*path, index))


def _plain_number(text: str) -> str:
    number = float(text)
    return str(int(number)) if number.is_integer() else repr(number)


def _failing_part(pattern: dict[str, Any], validate, error: type[Exception], path: tuple = ()) -> tuple:
    """Where in an invalid pattern the problem is: the first field whose value is invalid on its own.

    Only used to point at a line; the message is the whole pattern's. () when no single field is to blame.
    """
    for key, value in pattern.items():
        if isinstance(value, dict) and not key.startswith("$"):
            found = _failing_part(value, validate, error, path + (key,))
            if found:
                return found
            continue
        try:
            validate({key: value})
        except error:
            return path + (key,)
    return ()


def check_event_bus(value: str) -> str:
    if not EVENT_BUS_RE.match(value):
        raise ValueError(f"{value!r} is not an event bus name or ARN")
    return value


def bus_name(trigger: TriggerSpec) -> str:
    """The bus's name, from a name or an ARN: what metrics and alarms call it (its EventBusName dimension)."""
    return trigger.event_bus.rsplit("/", 1)[-1] if trigger.event_bus.startswith("arn:") else trigger.event_bus


# -- the whole trigger


def check_options_unused(trigger: TriggerSpec, kind: str) -> None:
    if trigger.event_bus != DEFAULT_BUS:
        raise FieldError(
            "event_bus only applies to event_pattern triggers (S3 uploads and schedules use the default bus)",
            at=("event_bus",),
        )


def event_pattern(trigger: TriggerSpec) -> dict[str, Any]:
    return trigger.event_pattern


# -- in words


def words(trigger: TriggerSpec) -> TriggerWords:
    pattern = json.dumps(trigger.event_pattern, separators=(",", ":"), ensure_ascii=False)  # as the review shows JSON
    if len(pattern) > MAX_PATTERN_SHOWN:
        pattern = pattern[: MAX_PATTERN_SHOWN - 3] + "..."
    on_default_bus = trigger.event_bus == DEFAULT_BUS
    matched = trigger.event_pattern or {}
    fields = [f"{key}: {', '.join(map(str, matched[key]))}" for key in ("source", "detail-type")
              if isinstance(matched.get(key), list)]
    return TriggerWords(
        line="events matching the pattern" + ("" if on_default_bus else f" on bus {trigger.event_bus}"),
        sentence=f"events on {'the default bus' if on_default_bus else f'bus {trigger.event_bus}'} matching {pattern}",
        label=("events", *fields, *([] if on_default_bus else [f"bus {trigger.event_bus.rsplit('/', 1)[-1]}"])),
    )


KIND = TriggerKind(
    name=NAME,
    source="event pattern",
    words=words,
    diagram_shape=("[/", "/]"),  # a parallelogram
    string_paths=ENVELOPE_STRING_PATHS,
    event_pattern=event_pattern,
    check_options_unused=check_options_unused,
    sentence_is_code=True,
    text_safe_paths=ENVELOPE_TEXT_SAFE_PATHS,
    shape=lambda trigger: pinned_shape(trigger.event_pattern),
)

"""An override value as written: fixed text, one event field, or text mixing both.

`$.detail.object.key` (the whole value a path) reads one field. `s3://{$.detail.bucket.name}/{$.detail.object.key}`
mixes text and fields: only `{$.` and `{aws.` open a placeholder, so JSON and other braces in ordinary values
stay literal (`{"a": 1}` is text). `{aws.…}` names a value AWS itself provides: EventBridge's predefined
variables on a rule, Scheduler's context attributes on a schedule (triggers/ say which where).

Pure syntax: which fields and built-ins a trigger may read is checked in model/trigger_checks.py and by the
trigger kinds; how each part reaches the container is resources/overrides.py's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..eventbridge.shapes import EVENT_PATH_PREFIX

__all__ = ["BUILTIN_PREFIX", "Placeholder", "is_whole_field", "parse_value"]

BUILTIN_PREFIX = "aws."
_OPENERS = ("{" + EVENT_PATH_PREFIX, "{" + BUILTIN_PREFIX)


@dataclass(frozen=True)
class Placeholder:
    """One value read at run time: an event path (`$.detail.object.key`) or a built-in (`aws.events.rule-name`)."""

    ref: str

    @property
    def is_builtin(self) -> bool:
        return self.ref.startswith(BUILTIN_PREFIX)



def parse_value(value: str) -> tuple[str | Placeholder, ...]:
    """The value's parts, in order: literal text (str) and fields. Raises ValueError for an unclosed `{$.`."""
    if value.startswith(EVENT_PATH_PREFIX):
        return (Placeholder(value),)  # the whole value is one path, as since the first spec version
    parts: list[str | Placeholder] = []
    text_start = position = 0
    while True:
        starts = [found for found in (value.find(opener, position) for opener in _OPENERS) if found >= 0]
        if not starts:
            break
        start = min(starts)
        end = value.find("}", start)
        if end < 0:
            raise ValueError(
                f"{value!r}: the placeholder at character {start + 1} is not closed; write "
                f"{{{value[start + 1:]}}} (only '{{$.' and '{{aws.' open a placeholder)")
        ref = value[start + 1:end]
        if not ref.strip() or ref.endswith(".") or any(c.isspace() for c in ref):
            raise ValueError(f"{value!r}: '{{{ref}}}' is not a field: write {{$.detail.some-field}} or {{aws.…}}")
        if start > text_start:
            parts.append(value[text_start:start])
        parts.append(Placeholder(ref))
        text_start = position = end + 1
    if text_start < len(value) or not parts:
        parts.append(value[text_start:])
    return tuple(parts)


def is_whole_field(parts: tuple[str | Placeholder, ...]) -> bool:
    """The value is exactly one field, no text around it."""
    return len(parts) == 1 and isinstance(parts[0], Placeholder)

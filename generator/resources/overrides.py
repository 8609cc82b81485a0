"""Trigger `environment`/`command` -> the RunTask overrides EventBridge sends.

`EcsParameters` has no overrides field, so JSONPath there never reaches the container. EventBridge maps a
target's input onto RunTask's `overrides` 1-to-1 ("the parameters will be mapped 1-to-1 and
passed through to ecs.RunTask", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html): static values go in
`Input`, event-derived ones through an `InputTransformer` whose template renders that JSON.

Placeholder quoting (as the AWS-recorded outputs in tests/data/transforms.json show): an unquoted `<v>` inserts
the event value as JSON (a string arrives quoted, a number bare); a placeholder inside quotes inserts the raw
text, unescaped ("EventBridge doesn't escape values extracted by Input Path, when populating the Input
Template", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues).
ECS wants every environment value as a string, so a value that is exactly one field known to be a string is
unquoted (JSON-escaped by AWS: any content arrives intact), and every other field, or a value mixing text and
fields (`s3://{$.detail.bucket.name}/{$.detail.object.key}`), is one JSON string with the placeholders inside
it: numbers and booleans arrive as strings, and so does text, intact when the field's content cannot hold `"`,
`\\` or a control character (``KINDS[kind].text_safe_paths``); other fields there are reported in
``Overrides.unsafe_in_text`` and become a generate-time warning. Which fields are strings and which are safe
in text is the trigger kind's to say (from eventbridge/shapes.py).

The JSON itself is assembled by model/run_task.py, which the model also uses to check its size.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable

from ..eventbridge.shapes import EVENT_PATH_PREFIX, SCHEDULER_CONTEXT_ATTRIBUTES, TEXT_SAFE_BUILTINS
from ..model import TriggerSpec
from ..model.run_task import run_task_overrides
from ..model.value_template import Placeholder, is_whole_field, parse_value
from ..triggers import KINDS


@dataclass(frozen=True)
class Overrides:
    """What a trigger's target carries: nothing, a static Input, or an InputTransformer."""

    input: str | None = None
    paths: dict[str, str] | None = None  # InputPathsMap
    template: str | None = None  # InputTemplate
    # event paths inserted into the middle of text whose content may hold `"` or `\`: EventBridge does not
    # escape them there, so such an event is not delivered (docs/job-spec.md, "Which values are safe")
    unsafe_in_text: tuple[str, ...] = ()

    @property
    def is_transformer(self) -> bool:
        return self.paths is not None


def variable_name(path: str) -> str:
    """`$.detail.object.key` -> `detail_object_key`: readable, and a valid InputPathsMap key."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", path[len(EVENT_PATH_PREFIX):]).strip("_")[:256] or "event"


def _in_string(parts: tuple, placeholder: Callable[[Placeholder], str]) -> str:
    """Text and fields as one JSON string: the text escaped, each field's placeholder inside the quotes."""
    return '"' + "".join(
        placeholder(part) if isinstance(part, Placeholder) else json.dumps(part)[1:-1] for part in parts) + '"'


def build_overrides(container: str, trigger: TriggerSpec, *, pascal: bool = False) -> Overrides:
    """``pascal``: in the member names of Step Functions' ECS integration (a run-controlled job's execution
    input, resources/state_machine.py); otherwise those of RunTask, which EventBridge and Scheduler send."""
    if not trigger.environment and trigger.command is None:
        return Overrides()  # no Input at all: the event must not be replaced by "{}"
    if not trigger.run_time_refs():
        return Overrides(input=run_task_overrides(container, trigger, pascal=pascal))
    if trigger.uses_scheduler:
        # no event, no transformer: Scheduler replaces its context attributes' keywords in the input it sends
        def keyword(field: Placeholder) -> str:
            return f"<{field.ref}>" if field.is_builtin else SCHEDULER_CONTEXT_ATTRIBUTES[field.ref]

        def context(value: str) -> str:
            parts = parse_value(value)
            return json.dumps(value) if all(isinstance(p, str) for p in parts) else _in_string(parts, keyword)

        return Overrides(input=run_task_overrides(container, trigger, context, pascal=pascal))

    kind = KINDS[trigger.kind]
    strings = kind.string_paths_of(trigger)  # which event fields are strings (eventbridge/shapes.py)
    text_safe = kind.text_safe_paths_of(trigger)
    names: dict[str, str] = {}
    for path in sorted(set(trigger.event_paths())):
        name = variable_name(path)
        while name in names.values():
            name += "_"
        names[path] = name
    unsafe: set[str] = set()

    def placeholder(field: Placeholder) -> str:
        return f"<{field.ref if field.is_builtin else names[field.ref]}>"

    def render(value: str) -> str:
        parts = parse_value(value)
        if all(isinstance(p, str) for p in parts):
            return json.dumps(value)
        if is_whole_field(parts) and parts[0].ref in strings:
            return placeholder(parts[0])  # outside quotes: EventBridge inserts the string as JSON, escaped
        # inside quotes: inserted as raw text (numbers and booleans become strings, as ECS needs)
        unsafe.update(p.ref for p in parts if isinstance(p, Placeholder) and p.ref not in TEXT_SAFE_BUILTINS
                      and p.ref not in text_safe)
        return _in_string(parts, placeholder)

    template = run_task_overrides(container, trigger, render, pascal=pascal)
    return Overrides(paths={names[p]: p for p in names},
                     template=template, unsafe_in_text=tuple(sorted(unsafe)))

"""Trigger `environment`/`command` -> the RunTask overrides EventBridge sends.

`EcsParameters` has no overrides field, so JSONPath there never reaches the container. EventBridge maps a
target's input onto RunTask's `overrides` 1-to-1 ("the parameters will be mapped 1-to-1 and
passed through to ecs.RunTask", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html): static values go in
`Input`, event-derived ones through an `InputTransformer` whose template renders that JSON.

Placeholder quoting (as AWS-recorded outputs in tests/data/transforms.json show): an unquoted `<v>` inserts the event value as JSON (a string arrives quoted, a
number bare); a quoted `"<v>"` inserts the raw text. ECS wants every environment value as a string, so a
field known to be a string is unquoted (safe even if it contains quotes), and every other field is quoted
so that numbers and booleans arrive as strings too. Which fields are strings is the trigger kind's to say
(``KINDS[kind].string_paths``, from eventbridge/shapes.py).

The JSON itself is assembled by model/run_task.py, which the model also uses to check its size.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..eventbridge.shapes import EVENT_PATH_PREFIX, SCHEDULER_CONTEXT_ATTRIBUTES
from ..model import TriggerSpec
from ..model.run_task import run_task_overrides
from ..triggers import KINDS


@dataclass(frozen=True)
class Overrides:
    """What a trigger's target carries: nothing, a static Input, or an InputTransformer."""

    input: str | None = None
    paths: dict[str, str] | None = None  # InputPathsMap
    template: str | None = None  # InputTemplate

    @property
    def is_transformer(self) -> bool:
        return self.paths is not None


def variable_name(path: str) -> str:
    """`$.detail.object.key` -> `detail_object_key`: readable, and a valid InputPathsMap key."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", path[len(EVENT_PATH_PREFIX):]).strip("_")[:256] or "event"


def build_overrides(container: str, trigger: TriggerSpec, *, pascal: bool = False) -> Overrides:
    """``pascal``: in the member names of Step Functions' ECS integration (a run-controlled job's execution
    input, resources/state_machine.py); otherwise those of RunTask, which EventBridge and Scheduler send."""
    if not trigger.environment and trigger.command is None:
        return Overrides()  # no Input at all: the event must not be replaced by "{}"
    paths = sorted(set(trigger.event_paths()))
    if not paths:
        return Overrides(input=run_task_overrides(container, trigger, pascal=pascal))
    if trigger.uses_scheduler:
        # no event, no transformer: Scheduler fills its context attributes into the input it sends
        def context(value: str) -> str:
            return json.dumps(SCHEDULER_CONTEXT_ATTRIBUTES.get(value, value))

        return Overrides(input=run_task_overrides(container, trigger, context, pascal=pascal))

    strings = KINDS[trigger.kind].string_paths  # which event fields are strings (eventbridge/shapes.py)
    names: dict[str, str] = {}
    for path in paths:
        name = variable_name(path)
        while name in names.values():
            name += "_"
        names[path] = name

    def render(value: str) -> str:
        if not value.startswith(EVENT_PATH_PREFIX):
            return json.dumps(value)
        placeholder = f"<{names[value]}>"
        return placeholder if value in strings else f'"{placeholder}"'

    return Overrides(
        paths={names[p]: p for p in paths},
        template=run_task_overrides(container, trigger, render, pascal=pascal),
    )

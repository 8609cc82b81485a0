"""The RunTask `overrides` JSON a trigger sends: assembled once, for the model and for the template.

It lives on the model side, not in resources/, because the model needs it too: RunTask takes at most
8,192 characters of overrides, and the model refuses a trigger whose overrides would pass that, measured
on exactly the JSON the target sends (data flows one way: resources/ may import the model, never the
reverse). resources/overrides.py renders the same JSON with event paths as input-transformer placeholders.
Pure: plain strings, no template library.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .trigger import TriggerSpec

MAX_OVERRIDES_CHARS = 8192  # RunTask: the overrides JSON is at most 8192 characters


# The same overrides in the member names Step Functions' ECS integration takes: "Parameters in Step
# Functions are expressed in PascalCase" (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
CAMEL_KEYS = ("containerOverrides", "name", "value", "environment", "command")
PASCAL_KEYS = ("ContainerOverrides", "Name", "Value", "Environment", "Command")


def run_task_overrides(
    container: str, trigger: "TriggerSpec", render_value: Callable[[str], str] = json.dumps, *, pascal: bool = False
) -> str:
    """The RunTask `overrides` JSON a trigger sends, each value rendered by ``render_value``.

    By default the values are written as in the spec (event paths unexpanded): that is what the 8,192
    character limit is checked on. The generator renders event paths as transformer placeholders.
    """
    overrides_key, name_key, value_key, environment_key, command_key = PASCAL_KEYS if pascal else CAMEL_KEYS
    override = [f'"{name_key}":{json.dumps(container)}']
    if trigger.environment:
        pairs = ",".join(
            f'{{"{name_key}":{json.dumps(name)},"{value_key}":{render_value(value)}}}'
            for name, value in trigger.environment.items()
        )
        override.append(f'"{environment_key}":[{pairs}]')
    if trigger.command is not None:
        override.append(f'"{command_key}":[{",".join(render_value(item) for item in trigger.command)}]')
    return '{"' + overrides_key + '":[{' + ",".join(override) + "}]}"

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


def run_task_overrides(
    container: str, trigger: "TriggerSpec", render_value: Callable[[str], str] = json.dumps
) -> str:
    """The RunTask `overrides` JSON a trigger sends, each value rendered by ``render_value``.

    By default the values are written as in the spec (event paths unexpanded): that is what the 8,192
    character limit is checked on. The generator renders event paths as transformer placeholders.
    """
    override = [f'"name":{json.dumps(container)}']
    if trigger.environment:
        pairs = ",".join(
            f'{{"name":{json.dumps(name)},"value":{render_value(value)}}}' for name, value in trigger.environment.items()
        )
        override.append(f'"environment":[{pairs}]')
    if trigger.command is not None:
        override.append(f'"command":[{",".join(render_value(item) for item in trigger.command)}]')
    return '{"containerOverrides":[{' + ",".join(override) + "}]}"

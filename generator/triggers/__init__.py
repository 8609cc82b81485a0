"""Trigger kinds as one table: ``KINDS``, by the spec field that makes a trigger that kind.

Each kind is one module that declares everything the other stages used to decide with an if-chain on
kind names: its spec type and field checks, how AWS runs it (an EventBridge rule or a Scheduler
schedule, started by events or by a schedule expression), its event pattern, what its events look like
(eventbridge/shapes.py), its words for the template and the review, its diagram shape, and its label in
the template's architecture line. The model, the JSON Schema, resources/, simulate, review/ and the
commands read ``KINDS[trigger.kind]`` instead.

Part of the model layer: it imports model/ and eventbridge/, never resources/ or any later stage;
words, shapes and patterns are plain data.

Adding a trigger kind
---------------------
1. ``generator/triggers/<kind>.py``: its spec type and field checks, and ``KIND = TriggerKind(...)``
   (kind.py says what each entry means; schedule.py, s3_upload.py and event_pattern.py are examples).
2. ``generator/triggers/__init__.py``: import the module and add its ``KIND`` to ``KINDS`` (the order is
   that of "exactly one of ..." in error messages and of the JSON Schema's ``oneOf``).
3. ``generator/model/trigger.py``: its field on ``TriggerSpec``, with the description editors show, and a
   thin validator calling its field check; also any option only it takes (as ``event_bus``).
4. ``generator/eventbridge/shapes.py``: which fields of its events are strings and which are objects or
   lists (and a sample event in eventbridge/samples.py for ``generate-event`` and tests).
5. ``config/job-spec.schema.json``: regenerate it, ``batchjobs schema > config/job-spec.schema.json``.

Then document the field in docs/job-spec.md and test it (tests/model for its checks, a golden template
in tests/golden for what it generates).
"""

from __future__ import annotations

# The model package first, completely: its TriggerSpec imports the kinds' spec types and field checks from
# the modules below, which must not be half-loaded when it does (they import model.base themselves).
from .. import model as _model  # noqa: F401
from . import event_pattern, s3_upload, schedule
from .kind import TriggerKind, TriggerWords

KINDS: dict[str, TriggerKind] = {kind.name: kind for kind in (schedule.KIND, s3_upload.KIND, event_pattern.KIND)}

# what starts each kind, as the template's architecture line says it (resources/stack.py)
SOURCES: dict[str, str] = {name: kind.source for name, kind in KINDS.items()}


def one_of() -> str:
    """`schedule, s3_upload or event_pattern`: the kinds, as error messages list them."""
    names = list(KINDS)
    return ", ".join(names[:-1]) + " or " + names[-1]


__all__ = ["KINDS", "SOURCES", "TriggerKind", "TriggerWords", "one_of"]

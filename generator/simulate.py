"""What the deployed triggers would do with one event: which match, and the exact RunTask overrides each sends.

Pure: uses the same pattern and override builders as the generator and the EventBridge engine's matcher
and transformer renderer, so what it shows is what the template encodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .eventbridge.pattern import matches
from .eventbridge.transform import render
from .model import StackSpec, TriggerSpec
from .resources.overrides import build_overrides
from .resources.task import container_name
from .triggers import KINDS

REQUIRED_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type")


@dataclass
class TriggerOutcome:
    job: str
    trigger: str
    kind: str
    matched: bool
    note: str = ""
    overrides: dict[str, Any] | None = None  # what RunTask receives; None: the task definition as is
    delivered: bool = True  # False where AWS would drop the event (e.g. an object placeholder quoted)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class Simulation:
    outcomes: list[TriggerOutcome] = field(default_factory=list)

    @property
    def matched(self) -> list[TriggerOutcome]:
        return [o for o in self.outcomes if o.matched]


def trigger_pattern(trigger: TriggerSpec) -> dict[str, Any] | None:
    """The pattern of the trigger's rule (with from_account, its `account` too); None for a kind that events
    do not start (a schedule)."""
    return trigger.rule_pattern()


def missing_event_fields(event: dict[str, Any]) -> list[str]:
    """EventBridge's TestEventPattern refuses events without these; real events always have them."""
    return [name for name in REQUIRED_EVENT_FIELDS if name not in event]


def simulate(spec: StackSpec, event: dict[str, Any]) -> Simulation:
    result = Simulation()
    for job_name, job in spec.jobs.items():
        for trigger_name, trigger in zip(job.trigger_names(), job.triggers):
            pattern = trigger_pattern(trigger)
            if pattern is None:
                result.outcomes.append(TriggerOutcome(job_name, trigger_name, trigger.kind, False, "a schedule: not started by events"))
                continue
            outcome = TriggerOutcome(job_name, trigger_name, trigger.kind, matches(pattern, event))
            if trigger.event_bus != "default":
                outcome.note = f"only if the event is put on bus {trigger.event_bus}"
            if not trigger.enabled:
                outcome.note = "deployed disabled (enabled: false): it would not run"
            if outcome.matched:
                _fill_overrides(outcome, container_name(job_name), trigger, event)
            result.outcomes.append(outcome)
    return result


def _fill_overrides(outcome: TriggerOutcome, container: str, trigger: TriggerSpec, event: dict[str, Any]) -> None:
    overrides = build_overrides(container, trigger)
    if overrides.is_transformer:
        text = render(overrides.paths, overrides.template, event)
        if text is None:
            outcome.delivered = False
            outcome.note = "EventBridge would deliver nothing: a quoted object or list placeholder"
            return
        outcome.overrides = json.loads(text)
    elif overrides.input is not None:
        outcome.overrides = json.loads(overrides.input)


def container_environment(spec: StackSpec, outcome: TriggerOutcome) -> tuple[dict[str, str], list[str] | None]:
    """The container's environment and command once RunTask applies the overrides."""
    job = spec.jobs[outcome.job]
    environment = dict(job.environment)
    command = job.command
    for override in (outcome.overrides or {}).get("containerOverrides", []):
        environment.update({pair["name"]: pair["value"] for pair in override.get("environment", [])})
        command = override.get("command", command)
    return environment, command

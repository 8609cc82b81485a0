"""What the deployed triggers would do with one event: which match, and the exact RunTask overrides each sends.

Pure: uses the same pattern and override builders as the generator and the EventBridge engine's matcher
and transformer renderer, so what it shows is what the template encodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .eventbridge.pattern import matches
from .eventbridge.samples import event_matching, scheduled_event
from .eventbridge.transform import render
from .model import StackSpec, TriggerSpec
from .plan.names import JobNames
from .resources.overrides import build_overrides
from .resources.task import container_name

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
    # a run-controlled job (timeout, task_retries, overlap): the input of the execution the trigger starts,
    # whose RunTask state passes it on as the overrides (resources/state_machine.py); None: a direct target
    execution_input: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "execution_input" or v is not None}


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
                # not started by events: what each of its runs sends, from its own event or context attributes
                outcome = TriggerOutcome(job_name, trigger_name, trigger.kind, False, "a schedule: not started by events")
                _fill_overrides(outcome, spec, trigger, None)
                if outcome.delivered:
                    outcome.note += ("; each run sends the overrides below" if outcome.overrides
                                     else "; its runs send no overrides")
                result.outcomes.append(outcome)
                continue
            outcome = TriggerOutcome(job_name, trigger_name, trigger.kind, matches(pattern, event))
            if trigger.event_bus != "default":
                outcome.note = f"only if the event is put on bus {trigger.event_bus}"
            if not trigger.enabled:
                outcome.note = "deployed disabled (enabled: false): it would not run"
            if outcome.matched:
                _fill_overrides(outcome, spec, trigger, event)
                if job.run_controlled and outcome.delivered:
                    outcome.execution_input = _execution_input(spec, outcome, event)
            result.outcomes.append(outcome)
    return result


def rule_name(spec: StackSpec, job_name: str, trigger_name: str) -> str:
    """The name CloudFormation gives the trigger's rule (it has no Name property): `<stack>-<logical ID>-`
    and a random suffix, shown as <random>."""
    return f"{spec.stack}-{JobNames(job_name).trigger(trigger_name, scheduler=False)}-<random>"


def scheduler_context(event: dict[str, Any]) -> dict[str, str]:
    """Sample values of Scheduler's context attributes (a schedule's runs differ only in these)."""
    return {
        "aws.scheduler.scheduled-time": event["time"], "aws.scheduler.execution-id": "d32c5kddcf5bb8c3",
        "aws.scheduler.schedule-arn": event["resources"][0].replace(":rule/", ":schedule/default/"),
        "aws.scheduler.attempt-number": "1",
    }


def trigger_overrides(
    spec: StackSpec, job_name: str, trigger_name: str, event: dict[str, Any] | None = None, *, pascal: bool = False
) -> tuple[dict[str, Any] | None, str]:
    """The RunTask overrides the trigger sends for ``event`` (a schedule's own event, or a sample S3 /
    matching event when None), as the generated template encodes them: (overrides or None, why nothing
    is delivered or ""). ``pascal``: as a run-controlled job's execution input carries them."""
    job = spec.jobs[job_name]
    trigger = dict(zip(job.trigger_names(), job.triggers))[trigger_name]
    overrides = build_overrides(container_name(job_name), trigger, pascal=pascal)
    if event is None:
        pattern = trigger_pattern(trigger)
        event = event_matching(pattern) if pattern is not None else scheduled_event()
    if overrides.is_transformer:
        name = rule_name(spec, job_name, trigger_name)
        arn = f"arn:aws:events:{event.get('region', 'us-east-1')}:{event.get('account', '123456789012')}:rule/{name}"
        text = render(overrides.paths, overrides.template, event, rule_name=name, rule_arn=arn)
        if text is None:
            unsafe = ", ".join(overrides.unsafe_in_text)
            return None, ("EventBridge would deliver nothing: " + (
                f"{unsafe} holds a quote or backslash, which EventBridge inserts into text unescaped"
                if unsafe else "a quoted object or list placeholder"))
        return json.loads(text), ""
    if overrides.input is None:
        return None, ""
    text = overrides.input
    if trigger.uses_scheduler:
        for name, value in scheduler_context(event).items():
            text = text.replace(f"<{name}>", value)
    return json.loads(text), ""


def _fill_overrides(outcome: TriggerOutcome, spec: StackSpec, trigger: TriggerSpec, event: dict[str, Any] | None) -> None:
    overrides, problem = trigger_overrides(spec, outcome.job, outcome.trigger, event)
    if problem:
        outcome.delivered = False
        outcome.note = problem
    outcome.overrides = overrides


def _execution_input(spec: StackSpec, outcome: TriggerOutcome, event: dict[str, Any] | None) -> dict[str, Any]:
    """What the trigger sends a run-controlled job's state machine: the overrides in PascalCase, `{}` for none."""
    overrides, _ = trigger_overrides(spec, outcome.job, outcome.trigger, event, pascal=True)
    return overrides if overrides is not None else {}


def container_environment(spec: StackSpec, outcome: TriggerOutcome) -> tuple[dict[str, str], list[str] | None]:
    """The container's environment and command once RunTask applies the overrides."""
    job = spec.jobs[outcome.job]
    environment = dict(job.environment)
    command = job.command
    for override in (outcome.overrides or {}).get("containerOverrides", []):
        environment.update({pair["name"]: pair["value"] for pair in override.get("environment", [])})
        command = override.get("command", command)
    return environment, command

"""Each job and each trigger of a stack in words, with the next runs of its schedules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..eventbridge.schedule import next_runs
from ..model import StackSpec, TriggerSpec
from ..plan import JobPlan, TriggerPlan, plan_stack
from ..plan.run_control import RunControlNames, describe as describe_run_control
from ..triggers import KINDS
from .template import compact_json

NEXT_RUNS = 3


@dataclass
class TriggerSummary:
    name: str
    logical_id: str
    service: str  # "EventBridge rule" | "EventBridge Scheduler"
    kind: str  # the trigger kind's name: a key of generator.triggers.KINDS
    description: str  # in words
    enabled: bool
    expression: str | None = None  # schedules: the AWS expression
    timezone: str | None = None  # schedules: the zone it runs in
    next_runs: list[datetime] = field(default_factory=list)
    runs_note: str | None = None  # e.g. why there are fewer runs than asked for
    overrides: list[str] = field(default_factory=list)  # "INPUT_KEY=$.detail.object.key", "command: [...]"
    retry: str = ""
    dead_letter: str = ""


@dataclass
class JobSummary:
    name: str
    image: str
    image_parameter: str
    cpu: int
    memory: int
    capacity: str
    architecture: str
    task_count: int
    task_definition: str
    log_retention_days: int
    alarms: bool
    triggers: list[TriggerSummary]
    state_machine: str | None = None  # a run-controlled job's (timeout, task_retries, overlap): its logical ID
    run_control: list[str] = field(default_factory=list)  # what the state machine does, in words

    @property
    def size(self) -> str:
        return f"{self.cpu} CPU units / {self.memory} MiB"


def summarize(spec: StackSpec, now: datetime) -> list[JobSummary]:
    """Jobs in spec order; ``now`` (aware) is where next runs are counted from."""
    return [_job(job, now) for job in plan_stack(spec).jobs.values()]


def capacity_text(capacity: Any) -> str:
    if isinstance(capacity, dict):
        return ", ".join(f"{provider} weight {weight}" for provider, weight in capacity.items())
    return str(capacity)


def _job(plan: JobPlan, now: datetime) -> JobSummary:
    job, ids = plan.spec, plan.ids
    return JobSummary(
        name=plan.name,
        image=job.image,
        image_parameter=ids.image_parameter,
        cpu=job.cpu,
        memory=job.memory,
        capacity=capacity_text(job.capacity),
        architecture=job.architecture,
        task_count=job.task_count,
        task_definition=ids.task_definition,
        log_retention_days=job.log_retention_days,
        alarms=job.alarms,
        triggers=[_trigger(plan, trigger, now) for trigger in plan.triggers],
        state_machine=RunControlNames(plan.name).state_machine if plan.run_controlled else None,
        run_control=describe_run_control(job) if plan.run_controlled else [],
    )


def describe(trigger: TriggerSpec) -> str:
    """What fires the trigger, in words, every detail: its kind's words (generator/triggers)."""
    return KINDS[trigger.kind].words(trigger).sentence


def _trigger(job: JobPlan, planned: TriggerPlan, now: datetime) -> TriggerSummary:
    trigger = planned.spec
    summary = TriggerSummary(
        name=planned.name,
        logical_id=planned.resource,
        service="EventBridge Scheduler" if planned.scheduler else "EventBridge rule",
        kind=trigger.kind,
        description=describe(trigger),
        enabled=trigger.enabled,
        overrides=[f"{k}={v}" for k, v in trigger.environment.items()]
        + ([f"command: {compact_json(trigger.command)}"] if trigger.command is not None else []),
        retry=_retry(trigger),
        dead_letter=_dead_letter(job, trigger),
    )
    if not KINDS[trigger.kind].started_by_events:  # a schedule: its expression and next runs
        summary.expression = trigger.aws_schedule.expression
        summary.timezone = trigger.timezone or "UTC"
        summary.next_runs, summary.runs_note = upcoming(trigger, now)
    return summary


def upcoming(trigger: TriggerSpec, now: datetime, count: int = NEXT_RUNS) -> tuple[list[datetime], str | None]:
    """The next ``count`` runs after ``now`` within the trigger's start/end, and a note when that needs one."""
    expression = trigger.aws_schedule.expression
    zone = trigger.timezone or "UTC"
    after = now
    if trigger.start and trigger.start > now:
        after = trigger.start - timedelta(microseconds=1)  # a run exactly at start counts
    runs = next_runs(expression, count=count, after=after, timezone=zone)
    if trigger.end:
        runs = [r for r in runs if r <= trigger.end]
    note = None
    if not trigger.enabled:
        note = "disabled: it will not run until enabled"
    elif expression.startswith("rate(") and not trigger.start:
        note = "rate() counts from when the rule or schedule is created; times shown count from now"
    elif not runs:
        note = "no run after now" + (" (past its end)" if trigger.end and trigger.end <= now else "")
    elif len(runs) < count and trigger.end:
        note = f"only {len(runs)} before its end"
    return runs, note


def _retry(trigger: TriggerSpec) -> str:
    retry = trigger.retry
    if retry is None:
        return ""
    age = retry.max_event_age
    age_text = f"{age // 3600}h" if age % 3600 == 0 else f"{age // 60}m" if age % 60 == 0 else f"{age}s"
    return f"{retry.attempts} retries within {age_text}"


def _dead_letter(job: JobPlan, trigger: TriggerSpec) -> str:
    if trigger.dead_letter_queue is True:
        return job.ids.dead_letter_queue
    if trigger.dead_letter_queue:
        return str(trigger.dead_letter_queue)
    return "none"

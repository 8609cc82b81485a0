"""A Mermaid flowchart of a stack: trigger sources -> rule or schedule -> job -> DLQ / alarms -> SNS.

Nodes are drawn only for resources the template really has (a job without alarms has no alarm
nodes); node IDs are the logical IDs, so the diagram and the template name things the same way.
"""

from __future__ import annotations

from typing import Any

from ..model import StackSpec, TriggerSpec
from ..plan import JobPlan, names, plan_stack
from ..plan.run_control import RunControlNames, describe as run_control_words
from ..triggers import KINDS
from .summary import capacity_text
from .template import resources


def mermaid(spec: StackSpec, template: dict[str, Any]) -> str:
    present = resources(template)
    lines = ["flowchart LR"]
    topic = None
    if names.ALARM_TOPIC in present:
        topic = names.ALARM_TOPIC
        emails = spec.notifications.email
        lines.append(f"  {topic}([{_label('SNS topic ' + topic, *(['e-mail: ' + ', '.join(emails)] if emails else []))}])")
    elif spec.notifications.topic_arn:
        topic = "ExistingTopic"
        lines.append(f"  {topic}([{_label('SNS topic ' + spec.notifications.topic_arn.rsplit(':', 1)[-1], '(existing)')}])")
    plan = plan_stack(spec)
    for job in plan.jobs.values():
        lines.extend(_job(job, present, topic))
    group_alarm = names.SCHEDULE_GROUP_ALARM
    if group_alarm in present:
        lines.append(f"  {group_alarm}>{_label('alarm: schedule target errors')}]")
        for job in plan.jobs.values():
            for trigger in job.triggers:
                if trigger.scheduler and trigger.resource in present:
                    lines.append(f"  {trigger.resource} -.-> {group_alarm}")
        if topic:
            lines.append(f"  {group_alarm} --> {topic}")
    return "\n".join(lines)


def _job(plan: JobPlan, present: dict[str, Any], topic: str | None) -> list[str]:
    job_name, job, ids = plan.name, plan.spec, plan.ids
    task = ids.task_definition
    lines = [f"  subgraph {ids.base}Job[{_label('job ' + job_name)}]"]
    lines.append(f"    {task}[{_label(job_name, f'Fargate {job.cpu} CPU / {job.memory} MiB', capacity_text(job.capacity))}]")
    edges: list[str] = []
    machine = RunControlNames(job_name).state_machine if plan.run_controlled else None
    if machine and machine in present:
        lines.append(f"    {machine}[/{_label('state machine ' + machine, *run_control_words(job))}/]")
        edges.append(f"  {machine} -->|runTask.sync| {task}")
        for alarm, words in ((RunControlNames(job_name).executions_failed_alarm, "alarm: ExecutionsFailed"),
                             (RunControlNames(job_name).executions_timed_out_alarm, "alarm: ExecutionsTimedOut")):
            if alarm in present:
                lines.append(f"    {alarm}>{_label(words)}]")
                edges.append(f"  {machine} -.-> {alarm}")
                if topic:
                    edges.append(f"  {alarm} --> {topic}")
    target, verb = (machine, "StartExecution") if machine and machine in present else (task, "RunTask")
    dlq = ids.dead_letter_queue if ids.dead_letter_queue in present else None
    if dlq:
        lines.append(f"    {dlq}[({_label('DLQ ' + dlq)})]")
    for planned in plan.triggers:
        trigger, t_name, trigger_id = planned.spec, planned.name, planned.resource
        if trigger_id not in present:
            continue
        source = f"{trigger_id}Source"
        lines.append(f"    {source}{_source_shape(trigger)}")
        kind = "schedule" if planned.scheduler else "rule"
        state = "" if trigger.enabled else " (disabled)"
        lines.append(f"    {trigger_id}{{{{{_label(f'{kind} {t_name}{state}', trigger_id)}}}}}")
        edges.append(f"  {source} --> {trigger_id}")
        edges.append(f"  {trigger_id} -->|{verb}| {target}")
        if trigger.dead_letter_queue is True and dlq:
            edges.append(f"  {trigger_id} -.->|undeliverable| {dlq}")
        elif isinstance(trigger.dead_letter_queue, str):
            external = f"{trigger_id}ExistingDlq"
            lines.append(f"    {external}[({_label('DLQ ' + trigger.dead_letter_queue.rsplit(':', 1)[-1], '(existing)')})]")
            edges.append(f"  {trigger_id} -.->|undeliverable| {external}")
        alarm = planned.alarm
        if alarm and alarm in present:
            lines.append(f"    {alarm}>{_label('alarm: FailedInvocations')}]")
            edges.append(f"  {trigger_id} -.-> {alarm}")
            if topic:
                edges.append(f"  {alarm} --> {topic}")
    if dlq and ids.dead_letter_queue_alarm in present:
        alarm = ids.dead_letter_queue_alarm
        lines.append(f"    {alarm}>{_label('alarm: messages in DLQ')}]")
        edges.append(f"  {dlq} -.-> {alarm}")
        if topic:
            edges.append(f"  {alarm} --> {topic}")
    failed = ids.task_failed_rule
    if failed in present:
        if machine and machine in present:
            lines.append(f"    {failed}{{{{{_label('rule: run failed', failed)}}}}}")
            edges.append(f"  {machine} -.->|{_label('failed after retries / timed out / aborted')}| {failed}")
        else:
            lines.append(f"    {failed}{{{{{_label('rule: task failed', failed)}}}}}")
            edges.append(f"  {task} -.->|{_label('exit code not 0 / failed to start / Spot interruption')}| {failed}")
        if topic:
            edges.append(f"  {failed} --> {topic}")
    lines.append("  end")
    return lines + edges


def _source_shape(trigger: TriggerSpec) -> str:
    """The node of what starts the trigger: its kind's shape around its kind's words (generator/triggers)."""
    kind = KINDS[trigger.kind]
    opening, closing = kind.diagram_shape
    return f"{opening}{_label(*kind.words(trigger).label)}{closing}"


def _label(*lines: str) -> str:
    """A quoted Mermaid label; quotes and angle brackets become entity codes, lines join with <br/>."""
    escaped = [line.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;") for line in lines]
    return '"' + "<br/>".join(escaped) + '"'

"""EventBridge Scheduler schedules: for time zones, start/end dates, flexible windows and at()."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from troposphere import GetAtt, Ref, Sub
from troposphere.scheduler import (
    DeadLetterConfig,
    FlexibleTimeWindow,
    RetryPolicy,
    Schedule,
    ScheduleGroup,
    Target,
)

from ..model import JobSpec, TriggerSpec
from ..plan import names
from .context import StackContext, why
from ..plan.names import JobNames
from .overrides import build_overrides
from .state_machine import EXECUTION_INPUT_MUST, NO_OVERRIDES, state_machine_arn
from .rules import describe_trigger
from .targets import retry_seconds, schedule_ecs_parameters, scheduler_run_task_input
from .task import container_name

RUN_TASK_UNIVERSAL_TARGET = "arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask"


def add_schedule_group(ctx: StackContext) -> None:
    """One group per stack: Scheduler's metrics are per group, so alarms see only this stack."""
    props: dict[str, Any] = ctx.tag_props()
    group = ctx.template.add_resource(
        ScheduleGroup(
            names.SCHEDULE_GROUP,
            Metadata=why(
                "Holds this stack's schedules so that AWS/Scheduler metrics (and its alarm) cover only them.",
                mutable="must-never-change",
            ),
            **props,
        )
    )
    ctx.schedule_group = Ref(group)


def _iso(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_schedule(
    ctx: StackContext, job_name: str, job: JobSpec, trigger_name: str, trigger: TriggerSpec, dead_letter_arn: Any
) -> Schedule:
    ids = JobNames(job_name)
    attempts, max_age = retry_seconds(trigger)
    overrides = build_overrides(container_name(job_name), trigger, pascal=job.run_controlled)
    target = Target(
        RoleArn=GetAtt(ids.scheduler_role, "Arn"),
        RetryPolicy=RetryPolicy(MaximumRetryAttempts=attempts, MaximumEventAgeInSeconds=max_age),
    )
    if job.run_controlled:
        # Scheduler's templated Step Functions StartExecution target: the Input is the execution input
        target.Arn = state_machine_arn(job_name)
        target.Input = overrides.input if overrides.input is not None else NO_OVERRIDES
    elif overrides.input is None:
        target.Arn = ctx.cluster_arn
        target.EcsParameters = schedule_ecs_parameters(ctx, job_name, job)
    else:
        target.Arn = Sub(RUN_TASK_UNIVERSAL_TARGET)
        target.Input = scheduler_run_task_input(ctx, job_name, job, overrides.input)
    if dead_letter_arn is not None:
        target.DeadLetterConfig = DeadLetterConfig(Arn=dead_letter_arn)

    window = (
        FlexibleTimeWindow(Mode="FLEXIBLE", MaximumWindowInMinutes=trigger.flexible_window)
        if trigger.flexible_window
        else FlexibleTimeWindow(Mode="OFF")
    )
    props: dict[str, Any] = dict(
        Description=f"Run {job_name} on {describe_trigger(trigger)}"[:512],
        GroupName=ctx.schedule_group,
        ScheduleExpression=trigger.aws_schedule.expression,
        FlexibleTimeWindow=window,
        State="ENABLED" if trigger.enabled else "DISABLED",
        Target=target,
    )
    if trigger.timezone:
        props["ScheduleExpressionTimezone"] = trigger.timezone
    if trigger.start:
        props["StartDate"] = _iso(trigger.start)
    if trigger.end:
        props["EndDate"] = _iso(trigger.end)
    return ctx.template.add_resource(
        Schedule(
            ids.trigger(trigger_name, scheduler=True),
            Metadata=why(
                f"Starts job {job_name} on {describe_trigger(trigger)} ({trigger_name}); Scheduler because "
                "the spec asks for a time zone, dates, a flexible window or at().",
                must=[EXECUTION_INPUT_MUST] if job.run_controlled
                else ["Overrides go through the universal RunTask target: the templated ECS target takes none"]
                if overrides.input
                else None,
                mutable="review-required",
            ),
            **props,
        )
    )

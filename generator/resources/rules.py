"""One EventBridge rule, with its ECS target, per trigger that Scheduler does not run (events, plain schedules)."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt
from troposphere.events import DeadLetterConfig, InputTransformer, RetryPolicy, Rule, Target

from ..model import JobSpec, TriggerSpec
from ..triggers import KINDS
from .context import StackContext, why
from ..plan.names import JobNames
from .overrides import build_overrides
from .state_machine import EXECUTION_INPUT_MUST, NO_OVERRIDES, state_machine_arn
from .targets import retry_seconds, rule_ecs_parameters
from .task import container_name


def describe_trigger(trigger: TriggerSpec) -> str:
    """What starts the trigger, in one line: its kind's words (generator/triggers)."""
    return KINDS[trigger.kind].words(trigger).line


def add_rule(
    ctx: StackContext, job_name: str, job: JobSpec, trigger_name: str, trigger: TriggerSpec, dead_letter_arn: Any
) -> Rule:
    ids = JobNames(job_name)
    if job.run_controlled:  # start an execution of the job's state machine (resources/state_machine.py)
        target = Target(Id=f"run-{job_name}"[:64], Arn=state_machine_arn(job_name), RoleArn=GetAtt(ids.events_role, "Arn"))
    else:
        target = Target(
            Id=f"run-{job_name}"[:64],
            Arn=ctx.cluster_arn,
            RoleArn=GetAtt(ids.events_role, "Arn"),
            EcsParameters=rule_ecs_parameters(ctx, job_name, job),
        )
    attempts, max_age = retry_seconds(trigger)
    target.RetryPolicy = RetryPolicy(MaximumRetryAttempts=attempts, MaximumEventAgeInSeconds=max_age)
    if dead_letter_arn is not None:
        target.DeadLetterConfig = DeadLetterConfig(Arn=dead_letter_arn)
    overrides = build_overrides(container_name(job_name), trigger, pascal=job.run_controlled)
    if overrides.is_transformer:
        transformer = InputTransformer(InputTemplate=overrides.template)
        if overrides.paths:  # only {aws.events.…} built-ins: they need no InputPathsMap entry
            transformer.InputPathsMap = overrides.paths
        target.InputTransformer = transformer
        if overrides.unsafe_in_text:
            ctx.warnings.append(
                f"{job_name} ({trigger_name}): {', '.join(overrides.unsafe_in_text)} is put into text (or read without "
                "a known type), where EventBridge inserts it unescaped: an event whose value holds a double "
                'quote (") or a backslash (\\) is not delivered. Pass such a field as a whole value '
                "(KEY: $.detail.object.key) to receive any content intact")
    elif overrides.input is not None:
        target.Input = overrides.input
    elif job.run_controlled:
        target.Input = NO_OVERRIDES  # the execution input is the overrides: never the event itself

    props: dict[str, Any] = dict(
        Description=f"Run {job_name} on {describe_trigger(trigger)}"[:512],
        State="ENABLED" if trigger.enabled else "DISABLED",
        Targets=[target],
    )
    kind = KINDS[trigger.kind]
    if kind.started_by_events:
        props["EventPattern"] = trigger.rule_pattern()  # with from_account: `account` too; an S3 bucket's reminder is lint rule I9601
        if trigger.event_bus != "default":
            props["EventBusName"] = trigger.event_bus
    else:
        props["ScheduleExpression"] = trigger.aws_schedule.expression
    must = [EXECUTION_INPUT_MUST if job.run_controlled else "Target input is the RunTask overrides object; never JSONPath in EcsParameters"]
    if overrides.is_transformer:
        must.append("Placeholders of non-string event fields stay quoted so ECS receives strings")
    return ctx.template.add_resource(
        Rule(
            ids.trigger(trigger_name, scheduler=False),
            Metadata=why(
                f"Starts job {job_name} on {describe_trigger(trigger)} ({trigger_name}).",
                must=must,
                mutable="review-required",
            ),
            **props,
        )
    )

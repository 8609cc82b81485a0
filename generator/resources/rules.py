"""One EventBridge rule per S3, event-pattern or plain schedule trigger, with its ECS target."""

from __future__ import annotations

from typing import Any

from troposphere import GetAtt
from troposphere.events import DeadLetterConfig, InputTransformer, RetryPolicy, Rule, Target

from ..model import JobSpec, TriggerSpec
from ..triggers.s3_upload import s3_upload_pattern
from .context import StackContext, why
from .names import JobNames
from .overrides import build_overrides
from .targets import retry_seconds, rule_ecs_parameters
from .task import container_name


def describe_trigger(trigger: TriggerSpec) -> str:
    if trigger.s3_upload:
        upload = trigger.s3_upload
        keys = [f"prefix {upload.prefix}" if upload.prefix else "", f"suffix {upload.suffix}" if upload.suffix else "",
                f"keys {upload.key_wildcard}" if upload.key_wildcard else ""]
        filters = ", ".join(k for k in keys if k)
        return f"S3 Object Created in {upload.bucket}" + (f" ({filters})" if filters else "")
    if trigger.event_pattern is not None:
        bus = "" if trigger.event_bus == "default" else f" on bus {trigger.event_bus}"
        return f"events matching the pattern{bus}"
    return f"schedule {trigger.aws_schedule.expression}" + (f" ({trigger.timezone})" if trigger.timezone else "")


def bus_name(trigger: TriggerSpec) -> str:
    return trigger.event_bus.rsplit("/", 1)[-1] if trigger.event_bus.startswith("arn:") else trigger.event_bus


def add_rule(
    ctx: StackContext, job_name: str, job: JobSpec, trigger_name: str, trigger: TriggerSpec, dead_letter_arn: Any
) -> Rule:
    ids = JobNames(job_name)
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
    overrides = build_overrides(container_name(job_name), trigger)
    if overrides.is_transformer:
        target.InputTransformer = InputTransformer(InputPathsMap=overrides.paths, InputTemplate=overrides.template)
    elif overrides.input is not None:
        target.Input = overrides.input

    props: dict[str, Any] = dict(
        Description=f"Run {job_name} on {describe_trigger(trigger)}"[:512],
        State="ENABLED" if trigger.enabled else "DISABLED",
        Targets=[target],
    )
    if trigger.schedule is not None:
        props["ScheduleExpression"] = trigger.aws_schedule.expression
    elif trigger.s3_upload is not None:
        props["EventPattern"] = s3_upload_pattern(trigger.s3_upload)  # the bucket reminder is lint rule I9601
    else:
        props["EventPattern"] = trigger.event_pattern
        if trigger.event_bus != "default":
            props["EventBusName"] = trigger.event_bus
    must = ["Target input is the RunTask overrides object; never JSONPath in EcsParameters"]
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

"""The job's dead-letter queue: events EventBridge could not deliver after its retries."""

from __future__ import annotations

from typing import Any

from awacs.aws import Action, Allow, ArnEquals, Condition, PolicyDocument, Principal, Statement
from troposphere import GetAtt, Ref
from troposphere.sqs import Queue, QueuePolicy

from ..model import JobSpec
from .context import StackContext, why
from ..plan.names import JobNames

FOURTEEN_DAYS = 14 * 24 * 3600


def add_dead_letter_queue(ctx: StackContext, job_name: str, job: JobSpec) -> Queue:
    props: dict[str, Any] = dict(MessageRetentionPeriod=FOURTEEN_DAYS, **ctx.tag_props(job.tags))
    if ctx.kms_key_arn is not None:
        props["KmsMasterKeyId"] = ctx.kms_key_arn
    else:
        # An AWS-managed key cannot be used: EventBridge could not write (its key policy cannot be changed).
        props["SqsManagedSseEnabled"] = True
    return ctx.template.add_resource(
        Queue(
            JobNames(job_name).dead_letter_queue,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            Metadata=why(
                f"Holds trigger events for job {job_name} that could not start a task after the retries, "
                "kept 14 days for inspection and redrive.",
                must=["Standard queue (EventBridge DLQs cannot be FIFO)", "Encrypted at rest"],
                mutable="change-with-constraints",
                checkov_skips=None if ctx.kms_key_arn is not None else {
                    "CKV_AWS_27": "Encrypted at rest with SSE-SQS (SqsManagedSseEnabled). The AWS-managed key "
                    "alias/aws/sqs cannot be used: its key policy cannot let events.amazonaws.com use it, so "
                    "EventBridge could not write dead letters. Set kms_key for a customer-managed key.",
                },
            ),
            **props,
        )
    )


def add_dead_letter_queue_policy(ctx: StackContext, job_name: str, rule_arns: list[Any]) -> QueuePolicy:
    """Only this stack's rules may send (aws:SourceArn); schedules send with their own role instead."""
    ids = JobNames(job_name)
    policy = PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Sid="OnlyThisJobsRulesSendDeadLetters",
                Effect=Allow,
                Principal=Principal("Service", "events.amazonaws.com"),
                Action=[Action("sqs", "SendMessage")],
                Resource=[GetAtt(ids.dead_letter_queue, "Arn")],
                Condition=Condition(ArnEquals({"aws:SourceArn": rule_arns})),
            )
        ],
    )
    return ctx.template.add_resource(
        QueuePolicy(
            ids.dead_letter_queue_policy,
            Queues=[Ref(ids.dead_letter_queue)],
            PolicyDocument=policy,
            Metadata=why(
                f"Lets EventBridge put job {job_name}'s undeliverable events in its DLQ, from its own rules only.",
                must=["aws:SourceArn names exactly this job's rules"],
                mutable="review-required",
            ),
        )
    )


def note_existing_queue(ctx: StackContext, job_name: str, queue_arn: str, rules: list[str], schedules: list[str]) -> None:
    """A queue named by ARN is not ours to configure: say what its owner must allow."""
    senders = []
    if rules:
        senders.append(
            f"its queue policy must let events.amazonaws.com sqs:SendMessage with aws:SourceArn of rule(s) "
            f"{', '.join(rules)} (their ARNs are stack outputs)"
        )
    if schedules:
        senders.append(
            f"role {JobNames(job_name).scheduler_role} (granted sqs:SendMessage on it) sends for schedule(s) "
            f"{', '.join(schedules)}; a queue in another account must allow that role too"
        )
    ctx.warnings.append(
        f"dead-letter queue {queue_arn} (job {job_name}) is not created by this stack: " + "; ".join(senders)
        + "; if it is encrypted with a customer-managed key, the key must let those senders use it"
    )

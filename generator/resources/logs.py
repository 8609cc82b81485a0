"""One CloudWatch log group per job, with retention (and the stack's key, if any)."""

from __future__ import annotations

from troposphere import GetAtt, Ref
from troposphere.logs import LogGroup

from ..model import JobSpec
from .context import StackContext, why
from ..plan import names
from ..plan.names import JobNames


def log_group_name(ctx: StackContext, job_name: str) -> str:
    return names.log_group_name(ctx.spec.stack, job_name)


def add_log_group(ctx: StackContext, job_name: str, job: JobSpec) -> LogGroup:
    ids = JobNames(job_name)
    props = dict(
        LogGroupName=log_group_name(ctx, job_name),
        RetentionInDays=job.log_retention_days,
        **ctx.tag_props(job.tags),
    )
    if ctx.kms_key_arn is not None:
        props["KmsKeyId"] = ctx.kms_key_arn
    return ctx.template.add_resource(
        LogGroup(
            ids.log_group,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            Metadata=why(
                f"Container output of job {job_name}, kept {job.log_retention_days} days (log_retention_days).",
                must=["The execution role may write to this log group only"],
                mutable="free-to-tune",
                checkov_skips=None if ctx.kms_key_arn is not None else {
                    "CKV_AWS_158": "CloudWatch Logs encrypts all log data at rest by default (service-owned "
                    "keys). A KMS key must let logs.<region>.amazonaws.com use it, so the stack uses one only "
                    "when kms_key is set.",
                },
            ),
            **props,
        )
    )


def log_group_arn(job_name: str):
    return GetAtt(JobNames(job_name).log_group, "Arn")


def log_group_ref(job_name: str):
    return Ref(JobNames(job_name).log_group)

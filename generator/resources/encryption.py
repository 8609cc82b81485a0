"""The stack's customer-managed KMS key (``kms_key``), when the spec asks for one."""

from __future__ import annotations

from awacs.aws import Allow, Condition, PolicyDocument, Principal, Statement, StringEquals, ArnLike
from troposphere import GetAtt, Sub
from troposphere.kms import Key

from ..plan import names
from .context import StackContext, why


# Key administration (the "key administrators" statement of AWS's default key policy, plus rotation on
# demand) and the symmetric-key use an operator needs to read the DLQs and logs. No kms:* (lint rule E9201).
ACCOUNT_ACTIONS = (
    "Create*", "Describe*", "Enable*", "List*", "Put*", "Update*", "Revoke*", "Disable*", "Get*", "Delete*",
    "TagResource", "UntagResource", "ScheduleKeyDeletion", "CancelKeyDeletion", "RotateKeyOnDemand",
    "Encrypt", "Decrypt", "ReEncrypt*", "GenerateDataKey*",
)


def add_encryption_key(ctx: StackContext) -> None:
    spec = ctx.spec.kms_key
    if spec is None:
        return
    if spec.arn:
        ctx.kms_key_arn = spec.arn
        scheduler_dlq = any(
            t.uses_scheduler and t.dead_letter_queue is True for job in ctx.spec.jobs.values() for t in job.triggers
        )
        ctx.warnings.append(
            f"kms_key {spec.arn}: its key policy must let events.amazonaws.com, cloudwatch.amazonaws.com and "
            "logs.<region>.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt, kms:Encrypt), with no "
            "aws:SourceAccount or aws:SourceArn condition on events.amazonaws.com (EventBridge does not support them "
            "on a key: its notices would be dropped)"
            + (
                ", and let IAM policies of this account grant its use (the default key policy's root statement): "
                "the Scheduler roles send dead letters with kms:GenerateDataKey and kms:Decrypt"
                if scheduler_dlq
                else ""
            )
        )
        return
    account_root = Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
    same_account = Condition(StringEquals({"aws:SourceAccount": Sub("${AWS::AccountId}")}))
    policy = PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                # The default key policy's root statement, with its actions listed instead of kms:*: IAM in
                # this account can administer the key and read what it encrypts (DLQ redrive), no more.
                Sid="AccountAdministersKey",
                Effect=Allow,
                Principal=Principal("AWS", account_root),
                Action=[_kms(a) for a in ACCOUNT_ACTIONS],
                Resource=["*"],
            ),
            Statement(
                # Rules write dead letters and failed-task notices as events.amazonaws.com. No aws:SourceAccount
                # or aws:SourceArn here: "Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is
                # not supported for EventBridge-to-encrypted topics"
                # (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html): with them every notice
                # would be dropped. Scheduler is not here: it sends dead letters as each job's Scheduler role,
                # which IAM lets use the key through the statement above.
                Sid="EventBridgeWritesEncryptedQueuesAndTopic",
                Effect=Allow,
                Principal=Principal("Service", "events.amazonaws.com"),
                Action=[_kms("Decrypt"), _kms("GenerateDataKey*")],
                Resource=["*"],
            ),
            Statement(
                # Alarms publish to the topic as CloudWatch, which takes the condition (confused deputy).
                Sid="AlarmsWriteEncryptedTopic",
                Effect=Allow,
                Principal=Principal("Service", "cloudwatch.amazonaws.com"),
                Action=[_kms("Decrypt"), _kms("GenerateDataKey*")],
                Resource=["*"],
                Condition=same_account,
            ),
            Statement(
                Sid="LogsEncryptThisStacksLogGroups",
                Effect=Allow,
                Principal=Principal("Service", Sub("logs.${AWS::Region}.amazonaws.com")),
                Action=[_kms("Encrypt*"), _kms("Decrypt*"), _kms("ReEncrypt*"), _kms("GenerateDataKey*"), _kms("Describe*")],
                Resource=["*"],
                # CloudWatch Logs names the log group it encrypts for in the encryption context: "the
                # encryption context is kms:EncryptionContext:aws:logs:arn ... the ARN of the log group"
                # (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). The jobs'
                # log groups, and with run control their state machines' (plan/run_control.py names them).
                Condition=Condition(
                    ArnLike(
                        {
                            "kms:EncryptionContext:aws:logs:arn": _one_or_list([
                                Sub(
                                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
                                    + pattern
                                )
                                for pattern in _log_group_patterns(ctx)
                            ])
                        }
                    )
                ),
            ),
        ],
    )
    key = ctx.template.add_resource(
        Key(
            names.ENCRYPTION_KEY,
            Description=f"batchjobs {ctx.spec.stack}: dead-letter queues, alarm topic and log groups",
            EnableKeyRotation=True,
            KeyPolicy=policy,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            Metadata=why(
                "Customer-managed key (kms_key: create: true): AWS-managed keys cannot be used by EventBridge "
                "on SQS/SNS, so a key of our own lets the DLQs and topic be KMS-encrypted.",
                must=["Retained on delete: data encrypted with it would be unreadable otherwise"],
                mutable="must-never-change",
            ),
        )
    )
    ctx.kms_key_arn = GetAtt(key, "Arn")


def _kms(action: str):
    from awacs.aws import Action

    return Action("kms", action)


def _log_group_patterns(ctx: StackContext) -> list[str]:
    """The names of the log groups the stack's key encrypts: the jobs' (``/ecs/<stack>/<job>``) and, when a
    job has run control, the state machines' (``/aws/vendedlogs/states/<stack>-<job>``). Decided from the
    stack's settings only when split: a split spec's shared stack must not change as jobs come and go."""
    from ..plan.run_control import state_machine_log_group_name

    patterns = [f"/ecs/{ctx.spec.stack}/*"]
    if ctx.split_from is not None or any(job.run_controlled for job in ctx.spec.jobs.values()):
        patterns.append(state_machine_log_group_name(ctx.spec.stack, "*"))
    return patterns


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values

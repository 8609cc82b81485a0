"""The job's three kinds of role, each policy built in one function and scoped to exact ARNs.

- execution role: what ECS needs to start the task (pull its image, write its log group, read its secrets)
- task role: what the job itself may do, exactly what `permissions` grants
- invoke role (events or scheduler): run this task definition on this cluster, pass the two roles
"""

from __future__ import annotations

from typing import Any

from awacs.aws import (
    Action,
    Allow,
    ArnEquals,
    Condition,
    Deny,
    PolicyDocument,
    Principal,
    Statement,
    StringEquals,
    StringLike,
)
from troposphere import GetAtt, Ref, Sub
from troposphere.iam import Policy, Role

from ..model import JobSpec
from ..model.arns import secret_policy_resource
from .cluster import cluster_name
from .context import StackContext, why
from .logs import log_group_arn
from ..plan.names import JobNames

ECS_TASKS = "ecs-tasks.amazonaws.com"
SERVICE_OF = {"events": "events.amazonaws.com", "scheduler": "scheduler.amazonaws.com"}


def _trust(service: str) -> PolicyDocument:
    """Only this account's use of the service may assume the role (confused-deputy protection)."""
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[
            Statement(
                Effect=Allow,
                Principal=Principal("Service", service),
                Action=[Action("sts", "AssumeRole")],
                Condition=Condition(StringEquals({"aws:SourceAccount": Ref("AWS::AccountId")})),
            )
        ],
    )


def _role(ctx: StackContext, logical_id: str, service: str, statements: list[Statement], job: JobSpec, **meta: Any) -> Role:
    props: dict[str, Any] = dict(AssumeRolePolicyDocument=_trust(service), **ctx.tag_props(job.tags))
    if statements:
        props["Policies"] = [Policy(PolicyName="least-privilege", PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements))]
    return ctx.template.add_resource(Role(logical_id, Metadata=why(**meta), **props))


def ecr_repository_arn(job: JobSpec) -> Any | None:
    match = job.ecr_image
    if not match:
        return None
    region = match["region"] or match["dual_stack_region"]
    return Sub(f"arn:${{AWS::Partition}}:ecr:{region}:{match['account']}:repository/{match['repository']}")


def execution_statements(ctx: StackContext, job_name: str, job: JobSpec) -> list[Statement]:
    statements = []
    repository = ecr_repository_arn(job)
    if repository is not None:
        statements += [
            # AWS requires "*" for this one action: the token is account-wide.
            Statement(Effect=Allow, Action=[Action("ecr", "GetAuthorizationToken")], Resource=["*"]),
            Statement(
                Effect=Allow,
                Action=[Action("ecr", a) for a in ("BatchCheckLayerAvailability", "BatchGetImage", "GetDownloadUrlForLayer")],
                Resource=[repository],
            ),
        ]
    statements.append(
        Statement(
            Effect=Allow,
            Action=[Action("logs", "CreateLogStream"), Action("logs", "PutLogEvents")],
            Resource=[log_group_arn(job_name)],
        )
    )
    # the ARNs the permissions are checked against: ECS's json-key/version tail and selectors are not part
    # of them, and a partial Secrets Manager ARN must match the real one's random suffix
    resources = {secret_policy_resource(value) for value in job.secrets.values()}
    ssm = sorted(arn for arn in resources if ":ssm:" in arn)
    secrets = sorted(arn for arn in resources if ":secretsmanager:" in arn)
    if ssm:
        statements.append(Statement(Effect=Allow, Action=[Action("ssm", "GetParameters")], Resource=ssm))
    if secrets:
        statements.append(Statement(Effect=Allow, Action=[Action("secretsmanager", "GetSecretValue")], Resource=secrets))
    if resources and job.secrets_kms_keys:
        statements.append(secrets_decrypt_statement(sorted(resources), job.secrets_kms_keys))
    return statements


def secrets_decrypt_statement(secret_arns: list[str], keys: list[str]) -> Statement:
    """kms:Decrypt on the keys that encrypt the job's secrets, only through the services that hold them.

    "kms:Decrypt—Required only if your key uses a custom KMS key and not the default key. The Amazon
    Resource Name (ARN) for your custom key must be added as a resource." (ECS, "Required IAM permissions
    for Amazon ECS secrets", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html;
    the same text in https://docs.aws.amazon.com/batch/latest/userguide/private-auth-iam.html). Scoped with
    kms:ViaService ("limits use of a KMS key to requests from specified AWS services",
    https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service):
    `secretsmanager.<region>.amazonaws.com` / `ssm.<region>.amazonaws.com`, in each secret's own Region.
    """
    services = set()
    for arn in secret_arns:
        partition, service, region = arn.split(":")[1:4]
        suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
        services.add(f"{service}.{region}.{suffix}")
    return Statement(
        Effect=Allow,
        Action=[Action("kms", "Decrypt")],
        Resource=sorted(set(keys)),
        Condition=Condition(StringEquals({"kms:ViaService": sorted(services)})),
    )


def add_execution_role(ctx: StackContext, job_name: str, job: JobSpec) -> Role:
    source = "its ECR repository" if job.ecr_image else "a public registry"
    return _role(
        ctx,
        JobNames(job_name).execution_role,
        ECS_TASKS,
        execution_statements(ctx, job_name, job),
        job,
        text=f"ECS uses it to start job {job_name}: pull the image from {source}, write its log group"
        + (", read its secrets" if job.secrets else "")
        + ". Replaces the broad AmazonECSTaskExecutionRolePolicy.",
        must=["No permission beyond this job's repository, log group and secrets"],
        mutable="review-required",
    )


def _s3_objects(location: str):
    bucket, _, prefix = location.partition("/")
    return Sub(f"arn:${{AWS::Partition}}:s3:::{bucket}/{prefix}*")


def iam_condition(conditions: dict[str, dict[str, Any]]) -> Condition:
    """A spec's condition block as awacs objects: `ForAnyValue:StringLike` -> awacs.aws.ForAnyValueStringLike."""
    import awacs.aws

    return Condition([getattr(awacs.aws, op.replace(":", ""))(values) for op, values in sorted(conditions.items())])


def _list_statements(locations: list[str]) -> list[Statement]:
    """s3:ListBucket on the read prefixes only: without it S3 answers 403, not 404, for a missing object,
    and a job cannot tell "not there (yet)" from "not allowed"."""
    by_bucket: dict[str, list[str]] = {}
    for location in locations:
        bucket, _, prefix = location.partition("/")
        by_bucket.setdefault(bucket, []).append(prefix)
    statements = []
    for bucket, prefixes in sorted(by_bucket.items()):
        statement = Statement(
            Effect=Allow, Action=[Action("s3", "ListBucket")], Resource=[Sub(f"arn:${{AWS::Partition}}:s3:::{bucket}")]
        )
        if "" not in prefixes:  # a whole bucket lists everything; otherwise only under the prefixes
            statement.Condition = Condition(StringLike({"s3:prefix": sorted(f"{p}*" for p in prefixes)}))
        statements.append(statement)
    return statements


def task_statements(job: JobSpec) -> list[Statement]:
    permissions = job.permissions
    statements = []
    if permissions.s3_read:
        statements.append(
            Statement(Effect=Allow, Action=[Action("s3", "GetObject")], Resource=[_s3_objects(l) for l in permissions.s3_read])
        )
        statements += _list_statements(permissions.s3_read)
    if permissions.s3_write:
        statements.append(
            Statement(Effect=Allow, Action=[Action("s3", "PutObject")], Resource=[_s3_objects(l) for l in permissions.s3_write])
        )
    for extra in permissions.statements:
        statement = Statement(
            Effect=Allow if extra.effect == "Allow" else Deny,
            Action=[Action(*a.split(":", 1)) for a in extra.actions],
            Resource=list(extra.resources),
        )
        if extra.conditions:
            statement.Condition = iam_condition(extra.conditions)
        statements.append(statement)
    return statements


def add_task_role(ctx: StackContext, job_name: str, job: JobSpec) -> Role:
    granted = task_statements(job)
    return _role(
        ctx,
        JobNames(job_name).task_role,
        ECS_TASKS,
        granted,
        job,
        text=f"The identity job {job_name}'s code runs as: exactly what `permissions` grants"
        + ("" if granted else " (nothing)")
        + ".",
        must=["Grants only what the spec's permissions list"],
        mutable="review-required",
    )


def run_task_grants(ctx: StackContext, ids: JobNames) -> list[Statement]:
    """What starting the job's task takes, for whoever starts it (a rule's or schedule's role, a state
    machine's): RunTask on this task definition in this cluster only, and PassRole on the job's two roles,
    to ECS tasks only (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html)."""
    return [
        Statement(
            Effect=Allow,
            Action=[Action("ecs", "RunTask")],
            Resource=[Ref(ids.task_definition)],
            Condition=Condition(ArnEquals({"ecs:cluster": ctx.cluster_arn})),
        ),
        Statement(
            Effect=Allow,
            Action=[Action("iam", "PassRole")],
            Resource=[GetAtt(ids.execution_role, "Arn"), GetAtt(ids.task_role, "Arn")],
            Condition=Condition(StringEquals({"iam:PassedToService": ECS_TASKS})),
        ),
    ]


def invoke_statements(
    ctx: StackContext,
    job_name: str,
    job: JobSpec,
    *,
    propagate_tags: bool,
    dead_letter_queues: list[Any],
    dead_letter_key: Any = None,
) -> list[Statement]:
    """RunTask on this task definition in this cluster; PassRole on its two roles, to ECS tasks only."""
    ids = JobNames(job_name)
    statements = run_task_grants(ctx, ids)
    if propagate_tags:
        statements.append(
            Statement(
                Effect=Allow,
                Action=[Action("ecs", "TagResource")],
                Resource=[
                    Sub(
                        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*",
                        Cluster=cluster_name(ctx),
                    )
                ],
                Condition=Condition(StringEquals({"ecs:CreateAction": "RunTask"})),
            )
        )
    if dead_letter_queues:
        # Scheduler sends to the DLQ with this role (rules use the queue policy instead).
        statements.append(Statement(Effect=Allow, Action=[Action("sqs", "SendMessage")], Resource=dead_letter_queues))
    if dead_letter_key is not None:
        # ... and SendMessage to a queue encrypted with a customer-managed key needs the key, through SQS only
        statements.append(
            Statement(
                Effect=Allow,
                Action=[Action("kms", "GenerateDataKey"), Action("kms", "Decrypt")],
                Resource=[dead_letter_key],
                Condition=Condition(StringEquals({"kms:ViaService": Sub("sqs.${AWS::Region}.amazonaws.com")})),
            )
        )
    return statements


def add_invoke_role(
    ctx: StackContext,
    job_name: str,
    job: JobSpec,
    service: str,
    *,
    propagate_tags: bool,
    dead_letter_queues: list[Any],
    dead_letter_key: Any = None,
) -> Role:
    ids = JobNames(job_name)
    logical_id = ids.events_role if service == "events" else ids.scheduler_role
    who = "EventBridge rules" if service == "events" else "EventBridge Scheduler"
    if job.run_controlled:
        from .state_machine import start_execution_statements  # it builds on this module

        return _role(
            ctx, logical_id, SERVICE_OF[service], start_execution_statements(job_name, dead_letter_queues, dead_letter_key),
            job, text=f"{who} assume it to start executions of job {job_name}'s state machine.",
            must=["StartExecution on this job's state machine only"], mutable="review-required",
        )
    return _role(
        ctx,
        logical_id,
        SERVICE_OF[service],
        invoke_statements(
            ctx, job_name, job, propagate_tags=propagate_tags, dead_letter_queues=dead_letter_queues,
            dead_letter_key=dead_letter_key,
        ),
        job,
        text=f"{who} assume it to start job {job_name}'s task.",
        must=[
            "RunTask stays scoped to this task definition and cluster",
            "PassRole only for this job's two roles, only to ecs-tasks.amazonaws.com",
        ],
        mutable="review-required",
    )

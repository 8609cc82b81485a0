"""The job's Fargate task definition and its image parameter."""

from __future__ import annotations

from troposphere import GetAtt, Parameter, Ref
from troposphere.ecs import (
    ContainerDefinition,
    Environment,
    EphemeralStorage,
    LogConfiguration,
    RuntimePlatform,
    Secret,
    TaskDefinition,
)

from ..model import JobSpec
from .context import StackContext, why
from .logs import log_group_ref
from ..plan.names import JobNames, container_name, task_family


def family(ctx: StackContext, job_name: str) -> str:
    """The task definition family (the plan's name): RunTask's default group is `family:<this>`."""
    return task_family(ctx.spec.stack, job_name)


def add_image_parameter(ctx: StackContext, job_name: str, job: JobSpec) -> Parameter:
    # No AllowedPattern: image references take registries with ports, nested repositories, tags and
    # digests; a pattern loose enough for all of them rejects nothing a typo would produce, and a tighter
    # one would refuse legitimate pins at deploy time. The spec checks the default; ECS checks the rest.
    return ctx.template.add_parameter(
        Parameter(
            JobNames(job_name).image_parameter,
            Type="String",
            Default=job.image,
            Description=f"Container image of job {job_name}; pin a pushed digest with --parameter-overrides.",
            MinLength=1,
        )
    )


def add_task_definition(ctx: StackContext, job_name: str, job: JobSpec) -> TaskDefinition:
    ids = JobNames(job_name)
    container = ContainerDefinition(
        Name=container_name(job_name),
        Image=Ref(ids.image_parameter),
        Essential=True,
        # The only container may use all of the task's memory. Optional on Fargate, but tools that
        # emulate RunTask (moto) need a container-level value.
        Memory=job.memory,
        LogConfiguration=LogConfiguration(
            LogDriver="awslogs",
            Options={
                "awslogs-group": log_group_ref(job_name),
                "awslogs-region": Ref("AWS::Region"),
                "awslogs-stream-prefix": job_name,
            },
        ),
    )
    if job.command:
        container.Command = job.command
    if job.environment:
        container.Environment = [Environment(Name=k, Value=v) for k, v in sorted(job.environment.items())]
    if job.secrets:
        container.Secrets = [Secret(Name=k, ValueFrom=v) for k, v in sorted(job.secrets.items())]
    props = dict(
        Family=family(ctx, job_name),
        Cpu=str(job.cpu),
        Memory=str(job.memory),
        NetworkMode="awsvpc",
        RequiresCompatibilities=["FARGATE"],
        RuntimePlatform=RuntimePlatform(
            CpuArchitecture="ARM64" if job.architecture == "arm64" else "X86_64",
            OperatingSystemFamily="LINUX",
        ),
        ExecutionRoleArn=GetAtt(ids.execution_role, "Arn"),
        TaskRoleArn=GetAtt(ids.task_role, "Arn"),
        ContainerDefinitions=[container],
        **ctx.tag_props(job.tags),
    )
    if job.ephemeral_storage_gib:
        props["EphemeralStorage"] = EphemeralStorage(SizeInGiB=job.ephemeral_storage_gib)
    return ctx.template.add_resource(
        TaskDefinition(
            ids.task_definition,
            Metadata=why(
                f"What job {job_name} runs: {job.cpu} CPU units, {job.memory} MiB on Fargate (awsvpc), "
                "logs to its own log group.",
                must=[f"Family stays {family(ctx, job_name)}: the task-failure rule filters on it"],
                mutable="free-to-tune",
            ),
            **props,
        )
    )

"""The ECS part of a rule's or a schedule's target: which task, where it runs, how it is retried.

Rules and Scheduler spell the same things differently (`AwsVpcConfiguration` vs `AwsvpcConfiguration`,
`TaskCount` 1-10 on Scheduler); both are built here from one description so they cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from troposphere import Ref, Sub
from troposphere import events, scheduler

from ..model import JobSpec, StackSpec, TriggerSpec
from .context import StackContext
from ..plan.names import JobNames


def propagates_tags(spec: StackSpec, job: JobSpec) -> bool:
    """Tags on the task definition are copied to each task when there are any (needs ecs:TagResource)."""
    return bool(spec.tags or job.tags)


def capacity_items(job: JobSpec) -> list[tuple[str, int]]:
    """[] means LaunchType FARGATE; otherwise the capacity provider strategy (never both)."""
    if job.capacity == "fargate":
        return []
    if job.capacity == "fargate_spot":
        return [("FARGATE_SPOT", 1)]
    return [(provider.upper(), weight) for provider, weight in job.capacity.items()]


def _ecs_properties(ctx: StackContext, job_name: str, job: JobSpec, module: Any) -> dict[str, Any]:
    network = ctx.spec.network
    vpc_class = module.AwsVpcConfiguration
    vpc = vpc_class(
        Subnets=list(network.subnets),
        SecurityGroups=list(network.security_groups),
        AssignPublicIp="ENABLED" if network.assign_public_ip else "DISABLED",
    )
    vpc_key = "AwsVpcConfiguration" if module is events else "AwsvpcConfiguration"
    props: dict[str, Any] = dict(
        TaskDefinitionArn=Ref(JobNames(job_name).task_definition),
        TaskCount=job.task_count,
        NetworkConfiguration=module.NetworkConfiguration(**{vpc_key: vpc}),
    )
    items = capacity_items(job)
    if items:
        props["CapacityProviderStrategy"] = [
            module.CapacityProviderStrategyItem(CapacityProvider=p, Weight=w) for p, w in items
        ]
    else:
        props["LaunchType"] = "FARGATE"
    if job.platform_version != "LATEST":
        props["PlatformVersion"] = job.platform_version
    if propagates_tags(ctx.spec, job):
        props["PropagateTags"] = "TASK_DEFINITION"
    return props


def rule_ecs_parameters(ctx: StackContext, job_name: str, job: JobSpec) -> events.EcsParameters:
    return events.EcsParameters(**_ecs_properties(ctx, job_name, job, events))


def schedule_ecs_parameters(ctx: StackContext, job_name: str, job: JobSpec) -> scheduler.EcsParameters:
    return scheduler.EcsParameters(**_ecs_properties(ctx, job_name, job, scheduler))


def run_task_request(
    spec: StackSpec, job: JobSpec, *, cluster: Any, task_definition: Any, overrides: Any = None
) -> dict[str, Any]:
    """The ECS RunTask request (API member names, camelCase) that starts one run of the job.

    Used as is by `batchjobs run` (boto3), and, in PascalCase, as the input of Scheduler's universal target.
    """
    network = spec.network
    request: dict[str, Any] = {
        "cluster": cluster,
        "taskDefinition": task_definition,
        "count": job.task_count,
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": list(network.subnets),
                "securityGroups": list(network.security_groups),
                "assignPublicIp": "ENABLED" if network.assign_public_ip else "DISABLED",
            }
        },
    }
    items = capacity_items(job)
    if items:
        request["capacityProviderStrategy"] = [{"capacityProvider": p, "weight": w} for p, w in items]
    else:
        request["launchType"] = "FARGATE"
    if job.platform_version != "LATEST":
        request["platformVersion"] = job.platform_version
    if propagates_tags(spec, job):
        request["propagateTags"] = "TASK_DEFINITION"
    if overrides is not None:
        request["overrides"] = overrides
    return request


def pascal_case(value: Any) -> Any:
    """The same JSON with every object key's first letter upper-cased (`awsvpcConfiguration` ->
    `AwsvpcConfiguration`); values, user strings included, are left as they are."""
    if isinstance(value, dict):
        return {key[:1].upper() + key[1:]: pascal_case(item) for key, item in value.items()}
    if isinstance(value, list):
        return [pascal_case(item) for item in value]
    return value


def scheduler_run_task_input(ctx: StackContext, job_name: str, job: JobSpec, overrides: str) -> Sub:
    """The Input of Scheduler's universal `aws-sdk:ecs:runTask` target: the RunTask request itself.

    Scheduler's templated ECS target documents no overrides; the universal target takes the API request,
    so overrides there are plain RunTask semantics.

    In PascalCase (`Cluster`, `TaskDefinition`, `NetworkConfiguration.AwsvpcConfiguration`,
    `Overrides.ContainerOverrides[].Environment[].Name/Value`), not the ECS API's camelCase that
    `batchjobs run` sends through boto3. Scheduler's guide says only "Input – A well-formed JSON you specify
    with the request parameters that EventBridge Scheduler sends to the target API"
    (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html); the same
    SDK integrations in Step Functions document "Parameters in Step Functions are expressed in PascalCase,
    even if the native service API is in camelCase"
    (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html), and every
    public `aws-sdk:ecs:runTask` configuration we found writes `Cluster`, `TaskDefinition`,
    `NetworkConfiguration.AwsvpcConfiguration`, `Overrides.ContainerOverrides[].Name/Command` (Terraform
    `aws_scheduler_schedule` inputs; one notes that camelCase is refused at CreateSchedule with
    "missing field TaskDefinition"). Unverified against AWS itself: we cannot reach it.
    """
    request = pascal_case(run_task_request(
        ctx.spec, job, cluster="${ClusterArn}", task_definition="${TaskDefinitionArn}", overrides="${Overrides}"
    ))
    text = json.dumps(request, sort_keys=True, separators=(",", ":"))
    pascal_overrides = json.dumps(pascal_case(json.loads(overrides)), separators=(",", ":"))
    # user values must not be read as ${...} substitutions
    text = text.replace('"${Overrides}"', pascal_overrides.replace("${", "${!"))
    cluster_arn = ctx.cluster_arn
    if isinstance(cluster_arn, str):
        # a literal `arn:aws:` inside Fn::Sub is cfn-lint I3042; the cluster is in the stack's own partition
        cluster_arn = Sub("arn:${AWS::Partition}:" + cluster_arn.split(":", 2)[2])
    return Sub(text, ClusterArn=cluster_arn, TaskDefinitionArn=Ref(JobNames(job_name).task_definition))


def retry_seconds(trigger: TriggerSpec) -> tuple[int, int]:
    return trigger.retry.attempts, trigger.retry.max_event_age

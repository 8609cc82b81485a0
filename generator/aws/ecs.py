"""ECS: RunTask and the recent tasks of a task definition family."""

from __future__ import annotations

from typing import Any

from ..errors import AwsError
from .session import Aws, call, paginate


def run_task(aws: Aws, **request: Any) -> list[dict[str, Any]]:
    """RunTask; ECS reports per-task failures in the response rather than as an error."""
    ecs = aws.client("ecs")
    response = call("run task", ecs.run_task, **request)
    failures = response.get("failures") or []
    if failures and not response.get("tasks"):
        why = "; ".join(f"{f.get('arn', '')} {f.get('reason', '')}: {f.get('detail', '')}".strip() for f in failures)
        raise AwsError(f"run task: {why}")
    return response.get("tasks", [])


def recent_tasks(aws: Aws, cluster: str, family: str, limit: int) -> list[dict[str, Any]]:
    """The family's running and recently stopped tasks (ECS keeps stopped ones about an hour), newest first."""
    ecs = aws.client("ecs")
    arns: list[str] = []
    for desired in ("RUNNING", "STOPPED"):
        arns += paginate(f"list tasks of {family} on {cluster}", ecs, "list_tasks", "taskArns",
                         cluster=cluster, family=family, desiredStatus=desired)
    tasks: list[dict[str, Any]] = []
    for start in range(0, len(arns), 100):  # DescribeTasks takes 100 at a time
        page = call(f"describe tasks on {cluster}", ecs.describe_tasks, cluster=cluster, tasks=arns[start:start + 100])
        tasks += page.get("tasks", [])
    tasks.sort(key=lambda t: t.get("createdAt") or t.get("startedAt") or 0, reverse=True)
    return tasks[:limit]


def cluster_capacity_providers(aws: Aws, cluster: str) -> list[str] | None:
    """The capacity providers associated with the cluster (DescribeClusters `capacityProviders`), or None
    when ECS does not know the cluster."""
    ecs = aws.client("ecs")
    response = call(f"describe cluster {cluster}", ecs.describe_clusters, clusters=[cluster])
    clusters = response.get("clusters") or []
    if not clusters:
        return None
    return list(clusters[0].get("capacityProviders") or [])

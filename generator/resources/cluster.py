"""The ECS cluster: referenced by name or ARN, or created in the stack."""

from __future__ import annotations

from troposphere import GetAtt, Sub
from troposphere.ecs import Cluster, ClusterSetting, CapacityProviderStrategyItem

from ..plan import names
from .context import StackContext, why


def providers_needed(spec) -> dict[str, list[str]]:
    """Capacity provider -> the jobs whose runs name it in their strategy (jobs on LaunchType FARGATE name none)."""
    from .targets import capacity_items

    needed: dict[str, list[str]] = {}
    for job_name, job in spec.jobs.items():
        for provider, _ in capacity_items(job):
            needed.setdefault(provider, []).append(job_name)
    return dict(sorted(needed.items()))


def capacity_provider_warning(spec) -> str | None:
    """An existing cluster runs a capacity provider strategy only with those providers associated: "Only
    capacity providers that are already associated with a cluster and have an ACTIVE or UPDATING status can
    be used in a capacity provider strategy. The PutClusterCapacityProviders API is used to associate a
    capacity provider with a cluster."
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html)
    The stack cannot associate them with a cluster it does not own; `batchjobs status` checks it."""
    cluster = spec.cluster.name or spec.cluster.arn
    needed = providers_needed(spec)
    if not cluster or not needed:
        return None
    which = ", ".join(f"{provider} (job{'s' if len(jobs) > 1 else ''} {', '.join(jobs)})" for provider, jobs in needed.items())
    return (
        f"cluster {cluster}: capacity provider{'s' if len(needed) > 1 else ''} {which} must be associated with it, "
        "or every run of those jobs fails: associate them with `aws ecs put-cluster-capacity-providers` (it "
        "replaces the cluster's providers and default strategy: pass the current ones too); `batchjobs status JOB` "
        "checks it"
    )


def add_cluster(ctx: StackContext) -> None:
    cluster = ctx.spec.cluster
    if cluster.arn or cluster.name:
        warning = capacity_provider_warning(ctx.spec)
        if warning:
            ctx.warnings.append(warning)
    if cluster.arn:
        ctx.cluster_arn = cluster.arn
    elif cluster.name:
        ctx.cluster_arn = Sub(f"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:cluster/{cluster.name}")
    else:
        resource = ctx.template.add_resource(
            Cluster(
                names.CLUSTER,
                ClusterSettings=[ClusterSetting(Name="containerInsights", Value="enabled")],
                CapacityProviders=["FARGATE", "FARGATE_SPOT"],
                DefaultCapacityProviderStrategy=[CapacityProviderStrategyItem(CapacityProvider="FARGATE", Weight=1)],
                **ctx.tag_props(),
                Metadata=why(
                    "Cluster for this stack's Fargate tasks (cluster: create: true); Spot is associated so jobs may use it.",
                    mutable="review-required",
                ),
            )
        )
        ctx.cluster_arn = GetAtt(resource, "Arn")


def cluster_name(ctx: StackContext):
    """The cluster's name, for the ARN of tasks it runs (ecs:TagResource scoping)."""
    cluster = ctx.spec.cluster
    if ctx.cluster_name is not None:
        return ctx.cluster_name
    if cluster.arn:
        return cluster.arn.rsplit("/", 1)[1]
    if cluster.name:
        return cluster.name
    from troposphere import Ref

    return Ref(names.CLUSTER)

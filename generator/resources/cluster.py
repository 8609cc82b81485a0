"""The ECS cluster: referenced by name or ARN, or created in the stack."""

from __future__ import annotations

from troposphere import GetAtt, Sub
from troposphere.ecs import Cluster, ClusterSetting, CapacityProviderStrategyItem

from ..plan import names
from .context import StackContext, why


def add_cluster(ctx: StackContext) -> None:
    cluster = ctx.spec.cluster
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

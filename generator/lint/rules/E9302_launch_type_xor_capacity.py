"""E9302: a target sets LaunchType or CapacityProviderStrategy, never both."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import ecs_targets


class LaunchTypeXorCapacity(CloudFormationLintRule):
    id = "E9302"
    shortdesc = "LaunchType and CapacityProviderStrategy never together"
    description = (
        "An ECS target of a rule or schedule sets either LaunchType or CapacityProviderStrategy: RunTask rejects a "
        "request with both"
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html#ECS-RunTask-request-capacityProviderStrategy"
    tags = ["resources", "events", "scheduler", "ecs", "batchjobs"]

    def match(self, cfn):
        matches = []
        for target in ecs_targets(cfn):
            if target.get("launch_type") is not None and target.get("capacity") is not None:
                matches.append(RuleMatch(target.path("capacity"),
                                         f"{target.resource_name}: the ECS target sets both "
                                         f"{target.keys['launch_type']} and {target.keys['capacity']}; "
                                         "RunTask accepts only one"))
        return matches

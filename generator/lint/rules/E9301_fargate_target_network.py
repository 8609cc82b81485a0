"""E9301: every Fargate (awsvpc) target of a rule or schedule has a network configuration."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import ecs_targets


class FargateTargetNetwork(CloudFormationLintRule):
    id = "E9301"
    shortdesc = "Fargate targets have a NetworkConfiguration"
    description = (
        "An ECS target of an AWS::Events::Rule or AWS::Scheduler::Schedule that runs on Fargate or an awsvpc task "
        "definition needs NetworkConfiguration with subnets: without it every RunTask fails"
    )
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EcsParameters.html"
    tags = ["resources", "events", "scheduler", "ecs", "batchjobs"]

    def match(self, cfn):
        matches = []
        for target in ecs_targets(cfn):
            if not target.uses_awsvpc(cfn):
                continue
            where = f"{target.resource_name}: the ECS target"
            if target.get("network") is None:
                matches.append(RuleMatch(target.path(), f"{where} runs on Fargate/awsvpc but has no "
                                                        f"{target.keys['network']}; RunTask would fail"))
                continue
            vpc = target.vpc
            if not isinstance(vpc, dict):
                matches.append(RuleMatch(target.path("network"),
                                         f"{where}: {target.keys['network']} needs {target.keys['vpc']}"))
            elif not vpc.get(target.keys["subnets"]):
                matches.append(RuleMatch(target.path("network", "vpc"),
                                         f"{where}: {target.keys['vpc']} needs at least one subnet"))
        return matches

"""E9303: AssignPublicIp ENABLED only on Fargate."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import ecs_targets


class PublicIpOnlyOnFargate(CloudFormationLintRule):
    id = "E9303"
    shortdesc = "AssignPublicIp ENABLED only on Fargate"
    description = (
        "An ECS target may set AssignPublicIp ENABLED only when it runs on Fargate (LaunchType FARGATE or only "
        "FARGATE/FARGATE_SPOT capacity providers): EC2 tasks cannot get a public IP"
    )
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_AwsVpcConfiguration.html"
    tags = ["resources", "events", "scheduler", "ecs", "batchjobs"]

    def match(self, cfn):
        matches = []
        for target in ecs_targets(cfn):
            vpc = target.vpc
            if not isinstance(vpc, dict) or vpc.get(target.keys["public_ip"]) != "ENABLED":
                continue
            fargate = target.is_fargate(cfn)
            if fargate:
                continue
            why = "runs on EC2 capacity" if fargate is False else "does not say it runs on Fargate"
            matches.append(RuleMatch(target.path("network", "vpc", "public_ip"),
                                     f"{target.resource_name}: AssignPublicIp ENABLED but the ECS target {why}; "
                                     "public IPs are only for Fargate tasks"))
        return matches

"""W9501: every log group has a retention."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch


class LogGroupRetention(CloudFormationLintRule):
    id = "W9501"
    shortdesc = "Every log group sets RetentionInDays"
    description = "An AWS::Logs::LogGroup without RetentionInDays keeps its logs (and their cost) forever"
    source_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention"
    tags = ["resources", "logs", "operations", "batchjobs"]

    def match(self, cfn):
        matches = []
        for name, resource in cfn.get_resources(["AWS::Logs::LogGroup"]).items():
            properties = resource.get("Properties")
            if not isinstance(properties, dict) or properties.get("RetentionInDays") is None:
                path = ["Resources", name, "Properties"] if isinstance(properties, dict) else ["Resources", name]
                matches.append(RuleMatch(path, f"{name}: log group without RetentionInDays keeps logs forever"))
        return matches

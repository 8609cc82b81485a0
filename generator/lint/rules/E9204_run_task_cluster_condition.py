"""E9204: ecs:RunTask only with an ecs:cluster condition."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import action_matches, grants, policy_statements
from generator.model.policy_rules import RUN_TASK


class RunTaskWithClusterCondition(CloudFormationLintRule):
    id = "E9204"
    shortdesc = "ecs:RunTask always with the ecs:cluster condition"
    description = (
        "Every Allow statement that grants ecs:RunTask (directly or through a wildcard) has an ArnEquals or ArnLike "
        "condition on ecs:cluster, so the task definition can be run only on the intended cluster"
    )
    source_url = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html"
    tags = ["resources", "iam", "ecs", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        for st in policy_statements(cfn, kinds=("identity",)):
            if not grants(st, RUN_TASK.action) or RUN_TASK.holds(st.statement):
                continue
            paths = [p for p, a in st.actions() if action_matches(a, RUN_TASK.action)] or [[*st.path, "NotAction"]]
            for path in paths:
                matches.append(RuleMatch(path, f"{st.resource_name}: ecs:RunTask without an ArnEquals/ArnLike "
                                               f"ecs:cluster condition {RUN_TASK.risk}"))
        return matches

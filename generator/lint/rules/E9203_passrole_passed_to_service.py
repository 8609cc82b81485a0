"""E9203: iam:PassRole only with an iam:PassedToService condition."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import action_matches, grants, policy_statements
from generator.model.policy_rules import PASS_ROLE


class PassRoleWithPassedToService(CloudFormationLintRule):
    id = "E9203"
    shortdesc = "iam:PassRole always with iam:PassedToService"
    description = (
        "Every Allow statement that grants iam:PassRole (directly or through a wildcard) has a StringEquals or "
        "StringLike condition on iam:PassedToService, so the roles can be passed only to the intended service"
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService"
    tags = ["resources", "iam", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        for st in policy_statements(cfn, kinds=("identity",)):
            if not grants(st, PASS_ROLE.action) or PASS_ROLE.holds(st.statement):
                continue
            paths = [p for p, a in st.actions() if action_matches(a, PASS_ROLE.action)] or [[*st.path, "NotAction"]]
            for path in paths:
                matches.append(RuleMatch(path, f"{st.resource_name}: iam:PassRole without an iam:PassedToService "
                                               f"condition {PASS_ROLE.risk}"))
        return matches

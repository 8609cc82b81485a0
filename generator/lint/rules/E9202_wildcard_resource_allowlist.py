"""E9202: `*` as a resource only for actions that AWS authorizes on `*` alone."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import as_list, policy_statements
from generator.model.policy_rules import needs_scoped_resource


class WildcardResourceAllowList(CloudFormationLintRule):
    id = "E9202"
    shortdesc = "'*' resource only for actions AWS requires it for"
    description = (
        "An Allow statement may use Resource '*' only when every action it grants supports no resource-level "
        "permission (e.g. ecr:GetAuthorizationToken); NotResource in an Allow is never used. KMS key policies "
        "are exempt: there '*' means the key the policy is attached to."
    )
    source_url = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
    tags = ["resources", "iam", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        for st in policy_statements(cfn, kinds=("identity", "resource")):
            if not st.allows:
                continue
            if "NotResource" in st.statement:
                matches.append(RuleMatch([*st.path, "NotResource"],
                                         f"{st.resource_name}: an Allow with NotResource applies to every other "
                                         "resource; list the resources instead"))
            star_paths = [path for path, resource in st.resources() if resource == "*"]
            if not star_paths:
                continue
            actions = as_list(st.statement.get("Action"))
            scoped = sorted({str(a) for a in actions if needs_scoped_resource(a)})
            if scoped or not actions:
                for path in star_paths:
                    matches.append(RuleMatch(path,
                                             f"{st.resource_name}: Resource '*' for {', '.join(scoped) or 'its actions'}, "
                                             "which can be scoped to ARNs; '*' is only for actions such as "
                                             "ecr:GetAuthorizationToken that AWS authorizes on '*' alone"))
        return matches

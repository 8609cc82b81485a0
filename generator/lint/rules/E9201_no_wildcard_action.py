"""E9201: no policy allows every action, or every action of a service."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import policy_statements
from generator.model.policy_rules import is_wildcard_action


class NoWildcardAction(CloudFormationLintRule):
    id = "E9201"
    shortdesc = "No '*' or 'service:*' action in any policy"
    description = (
        "Allow statements of IAM, role inline, queue, topic, bucket and KMS key policies must name the actions "
        "they grant: no '*', no 'service:*', and no NotAction (which allows everything else)"
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    tags = ["resources", "iam", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        for st in policy_statements(cfn):
            if not st.allows:
                continue
            if "NotAction" in st.statement:
                matches.append(RuleMatch([*st.path, "NotAction"],
                                         f"{st.resource_name}: an Allow with NotAction grants every other action; "
                                         "list the actions instead"))
            for path, action in st.actions():
                if is_wildcard_action(action):
                    what = "every action" if action == "*" else f"every {action.split(':')[0]} action"
                    matches.append(RuleMatch(path, f"{st.resource_name}: action {action!r} grants {what}; "
                                                   "name the actions needed"))
        return matches

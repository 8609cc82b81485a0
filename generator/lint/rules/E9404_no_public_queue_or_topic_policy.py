"""E9404: no queue or topic policy allows everyone ('*' principal, or NotPrincipal)."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import policy_statements

KINDS = ("AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy")


def public_principal_paths(statement: dict, path: list) -> list[list]:
    """Paths to each '*' of the statement's Principal: `'*'`, `{AWS: '*'}`, `{AWS: [..., '*']}` (any key)."""
    principal = statement.get("Principal")
    if principal == "*":
        return [[*path, "Principal"]]
    found = []
    if isinstance(principal, dict):
        for key, value in principal.items():
            if isinstance(value, list):
                found += [[*path, "Principal", key, i] for i, item in enumerate(value) if item == "*"]
            elif value == "*":
                found.append([*path, "Principal", key])
    return found


class NoPublicQueueOrTopicPolicy(CloudFormationLintRule):
    id = "E9404"
    shortdesc = "No queue or topic policy allows everyone"
    description = (
        "An Allow statement of an SQS queue policy or SNS topic policy names its principals: Principal '*' "
        "(or {AWS: '*'}) opens the queue or topic to every AWS account and to anonymous callers, held back only "
        "by its conditions (one wrong or missing condition and it is public), and NotPrincipal with Allow grants "
        "everyone but the principals it lists. Name the service (events.amazonaws.com, cloudwatch.amazonaws.com) "
        "or the account, with aws:SourceArn"
    )
    source_url = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html"
    tags = ["resources", "sqs", "sns", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        for st in policy_statements(cfn, kinds=("resource",)):
            if st.resource_type not in KINDS or not st.allows:
                continue
            what = "queue" if "::SQS::" in st.resource_type else "topic"
            for path in public_principal_paths(st.statement, st.path):
                matches.append(RuleMatch(path, f"{st.resource_name}: the {what} policy allows principal '*' (anyone); "
                                               "name the service or account that needs access"))
            if "NotPrincipal" in st.statement:
                matches.append(RuleMatch([*st.path, "NotPrincipal"],
                                         f"{st.resource_name}: an Allow with NotPrincipal in a {what} policy allows "
                                         "everyone else; name the principals instead"))
        return matches


"""Targets the stack names by ARN must be in the Region it is deployed in: a template `Rules` assertion.

"The targets you associate with a rule must be in the same Region as the rule"
(https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification); an event bus in another
Region is the one exception (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html),
and the stack never targets one. A rule whose cluster (`cluster.arn`), topic (`notifications.topic_arn`)
or dead-letter queue (a queue ARN in `dead_letter_queue`) is in another Region would deploy and then deliver nothing; the stack's
Region is known only at deploy time, so the template asserts it: CloudFormation checks `Rules` before it
creates or updates anything ("If a parameter value isn't valid, CloudFormation doesn't create or update the
stack", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-rules.html).
`Ref AWS::Region` in an assertion is how public templates pin a Region (unverified in the AWS docs, which
speak of parameters).
"""

from __future__ import annotations

from ..plan import names
from ..plan.jobs import StackPlan
from ..plan.regions import rule_targets
from .context import StackContext


def targets_by_region(plan: StackPlan) -> dict[str, list[str]]:
    """Region -> what the stack's rules send to there, by ARN (in words, for the assertion's description)."""
    found: dict[str, list[str]] = {}
    for target in rule_targets(plan):
        found.setdefault(target.region, []).append(target.words)
    return dict(sorted(found.items()))


def add_region_rules(ctx: StackContext, plan: StackPlan) -> None:
    found = targets_by_region(plan)
    if not found:
        return
    assertions = []
    for region, targets in found.items():
        unique = sorted(set(targets))
        assertions.append({
            "Assert": {"Fn::Equals": [{"Ref": "AWS::Region"}, region]},
            "AssertDescription": (
                f"{'; '.join(unique)} {'is' if len(unique) == 1 else 'are'} in {region}: EventBridge rule targets "
                f"must be in the rule's Region, so deploy this stack in {region}"
            )[:1024],
        })
    ctx.template.add_rule(names.TARGETS_REGION_RULE, {"Assertions": assertions})

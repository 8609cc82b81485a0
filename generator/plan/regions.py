"""What the stack's EventBridge rules send to by ARN, with its Region and where the spec names it.

"The targets you associate with a rule must be in the same Region as the rule"
(https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification). The stack's own Region is
known only at deploy time: the template asserts it (resources/regions.py). Two Regions among these ARNs make
a stack that can be deployed nowhere; CloudFormation refuses it on the assertions. (Not refused at the
spec: alarms on existing queues of several Regions are an existing, tested feature that would end.)
"""

from __future__ import annotations

from dataclasses import dataclass

from .jobs import StackPlan


@dataclass(frozen=True)
class RuleTarget:
    region: str
    words: str  # "dead-letter queue arn:... (job report)"
    at: tuple  # field path in the spec


def rule_targets(plan: StackPlan) -> list[RuleTarget]:
    """Cluster (the rules' ECS target), topic (the failed-task rules' target), dead-letter queues of rules."""
    spec = plan.spec
    found: list[RuleTarget] = []
    if spec.cluster.arn and any(job.uses_rules for job in plan.jobs.values()):
        found.append(RuleTarget(spec.cluster.arn.split(":")[3], f"cluster {spec.cluster.arn}", ("cluster", "arn")))
    topic = spec.notifications.topic_arn
    if topic and plan.alarms:
        found.append(RuleTarget(topic.split(":")[3], f"notifications.topic_arn {topic}", ("notifications", "topic_arn")))
    for job in plan.jobs.values():
        for queue in job.existing_queues:
            if not queue.rules:
                continue
            if job.spec.dead_letter_queue == queue.arn:
                at: tuple = ("jobs", job.name, "dead_letter_queue")
            else:
                index = next(t.index for t in job.triggers if not t.scheduler and t.spec.dead_letter_queue == queue.arn)
                at = ("jobs", job.name, "triggers", index, "dead_letter_queue")
            found.append(RuleTarget(queue.region, f"dead-letter queue {queue.arn} (job {job.name})", at))
    return found

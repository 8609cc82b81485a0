"""E9403: a rule's dead-letter queue has a queue policy whose aws:SourceArn names that rule."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import as_list, condition_values, grants, logical_id_of, policy_statements, dead_letter_uses

EVENTS = "events.amazonaws.com"


def _service_principals(statement: dict) -> list:
    principal = statement.get("Principal")
    if not isinstance(principal, dict):
        return []
    return as_list(principal.get("Service"))


class DeadLetterQueuePolicyNamesRules(CloudFormationLintRule):
    id = "E9403"
    shortdesc = "Dead-letter queue policies name the rules that use them"
    description = (
        "With CloudFormation the DLQ's queue policy must be written by hand: each rule's DLQ in the template has "
        "an AWS::SQS::QueuePolicy allowing events.amazonaws.com sqs:SendMessage with an ArnEquals/ArnLike "
        "aws:SourceArn condition naming that rule, and no statement lets EventBridge send without aws:SourceArn"
    )
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html"
    tags = ["resources", "sqs", "events", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        policies = cfn.get_resources(["AWS::SQS::QueuePolicy"])
        # queue logical ID -> [(policy statement, source-arn logical IDs)]
        grants_by_queue: dict[str, list] = {}
        for st in policy_statements(cfn, kinds=("resource",)):
            if st.resource_type != "AWS::SQS::QueuePolicy" or EVENTS not in _service_principals(st.statement):
                continue
            if not grants(st, "sqs:SendMessage"):
                continue
            sources = condition_values(st.statement, ("ArnEquals", "ArnLike"), "aws:SourceArn")
            if not sources:
                matches.append(RuleMatch(st.path, f"{st.resource_name}: lets EventBridge send without an "
                                                  "aws:SourceArn condition, so any rule in any account could"))
                continue
            named = {logical_id_of(s) for s in sources}
            queues = (policies[st.resource_name].get("Properties") or {}).get("Queues")
            for queue in as_list(queues):
                queue_id = logical_id_of(queue)
                if queue_id:
                    grants_by_queue.setdefault(queue_id, []).append(named)
        for use in dead_letter_uses(cfn):
            if use.resource_type != "AWS::Events::Rule" or use.queue is None:
                continue
            statements = grants_by_queue.get(use.queue)
            if not statements:
                matches.append(RuleMatch(use.arn_path, f"{use.resource_name}: dead-letter queue {use.queue} has no "
                                                       "queue policy letting this rule send to it"))
            elif not any(use.resource_name in named for named in statements):
                matches.append(RuleMatch(use.arn_path, f"{use.resource_name}: the queue policy of {use.queue} does "
                                                       "not name this rule in aws:SourceArn"))
        return matches

"""E9401: a dead-letter queue of a rule or schedule is a standard queue."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import dead_letter_uses, sub_text


class DeadLetterQueueIsStandard(CloudFormationLintRule):
    id = "E9401"
    shortdesc = "Dead-letter queues are standard queues"
    description = "EventBridge and Scheduler cannot send to a FIFO queue: a FIFO dead-letter queue loses every event"
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html"
    tags = ["resources", "sqs", "events", "scheduler", "batchjobs"]

    def match(self, cfn):
        matches = []
        queues = cfn.get_resources(["AWS::SQS::Queue"])
        reported: set[str] = set()
        for use in dead_letter_uses(cfn):
            if use.queue is None:
                text, _ = sub_text(use.arn)
                if text is not None and text.endswith(".fifo"):
                    matches.append(RuleMatch(use.arn_path, f"{use.resource_name}: dead-letter queue {text} is a "
                                                           "FIFO queue; EventBridge needs a standard queue"))
                continue
            properties = queues[use.queue].get("Properties") or {}
            if str(properties.get("FifoQueue", "false")).lower() == "true" and use.queue not in reported:
                reported.add(use.queue)
                matches.append(RuleMatch(["Resources", use.queue, "Properties", "FifoQueue"],
                                         f"{use.queue}: dead-letter queue of {use.resource_name} is a FIFO queue; "
                                         "EventBridge needs a standard queue"))
        return matches

"""E9402: a dead-letter queue is encrypted at rest (SSE-SQS or a KMS key), explicitly."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import dead_letter_uses


class DeadLetterQueueEncrypted(CloudFormationLintRule):
    id = "E9402"
    shortdesc = "Dead-letter queues are encrypted"
    description = (
        "A dead-letter queue holds whole events (bucket names, object keys, user data): it sets KmsMasterKeyId "
        "(a customer-managed key EventBridge may use) or SqsManagedSseEnabled: true"
    )
    source_url = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html"
    tags = ["resources", "sqs", "security", "batchjobs"]

    def match(self, cfn):
        matches = []
        queues = cfn.get_resources(["AWS::SQS::Queue"])
        for queue in sorted({use.queue for use in dead_letter_uses(cfn) if use.queue is not None}):
            properties = queues[queue].get("Properties") or {}
            if properties.get("KmsMasterKeyId") is not None:
                continue
            if str(properties.get("SqsManagedSseEnabled", "")).lower() == "true":
                continue
            path = ["Resources", queue, "Properties"]
            if "SqsManagedSseEnabled" in properties:
                path.append("SqsManagedSseEnabled")
            matches.append(RuleMatch(path, f"{queue}: dead-letter queue is not encrypted; set KmsMasterKeyId or "
                                           "SqsManagedSseEnabled: true"))
        return matches

"""E9401/E9402/E9403: a rule's dead-letter queue is standard, encrypted, and lets only its rules send."""

from lint_case import NETWORK, found, rule_target

QUEUE = """
Dlq:
  Type: AWS::SQS::Queue
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
  Properties:
{queue_properties}
"""
POLICY = """
DlqPolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref Dlq]
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Principal: {{Service: events.amazonaws.com}}
          Action: sqs:SendMessage
          Resource: !GetAtt Dlq.Arn
{condition}
"""
NAMES_RULE = """\
          Condition:
            ArnEquals: {aws:SourceArn: [!GetAtt Rule.Arn]}"""
DLQ_ARN = "Resources/Rule/Properties/Targets/0/DeadLetterConfig/Arn"


def stack(queue_properties: str = "    SqsManagedSseEnabled: true", condition: str | None = NAMES_RULE,
          dlq_arn: str = "!GetAtt Dlq.Arn") -> str:
    text = rule_target("LaunchType: FARGATE", NETWORK, extra=f"DeadLetterConfig: {{Arn: {dlq_arn}}}")
    text += QUEUE.format(queue_properties=queue_properties)
    if condition is not None:
        text += POLICY.format(condition=condition)
    return text


def test_the_generated_shape_passes():
    for rule in ("E9401", "E9402", "E9403"):
        assert found(stack(), rule) == []


def test_fifo_dead_letter_queue():
    bad = stack("    SqsManagedSseEnabled: true\n    FifoQueue: true")
    assert found(bad, "E9401") == [
        ("Resources/Dlq/Properties/FifoQueue",
         "Dlq: dead-letter queue of Rule is a FIFO queue; EventBridge needs a standard queue")
    ]


def test_fifo_dead_letter_queue_by_arn():
    bad = stack(dlq_arn="arn:aws:sqs:us-east-1:123456789012:dlq.fifo", condition=None)
    assert found(bad, "E9401") == [
        (DLQ_ARN, "Rule: dead-letter queue arn:aws:sqs:us-east-1:123456789012:dlq.fifo is a FIFO queue; "
                  "EventBridge needs a standard queue")
    ]


def test_unencrypted_dead_letter_queue():
    assert found(stack("    MessageRetentionPeriod: 1209600"), "E9402") == [
        ("Resources/Dlq/Properties",
         "Dlq: dead-letter queue is not encrypted; set KmsMasterKeyId or SqsManagedSseEnabled: true")
    ]
    assert found(stack("    SqsManagedSseEnabled: false"), "E9402") == [
        ("Resources/Dlq/Properties/SqsManagedSseEnabled",
         "Dlq: dead-letter queue is not encrypted; set KmsMasterKeyId or SqsManagedSseEnabled: true")
    ]


def test_kms_encrypted_dead_letter_queue():
    assert found(stack("    KmsMasterKeyId: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                 "E9402") == []


def test_dead_letter_queue_without_policy():
    assert found(stack(condition=None), "E9403") == [
        (DLQ_ARN, "Rule: dead-letter queue Dlq has no queue policy letting this rule send to it")
    ]


def test_policy_without_source_arn():
    assert sorted(found(stack(condition=""), "E9403")) == [
        ("Resources/DlqPolicy/Properties/PolicyDocument/Statement/0",
         "DlqPolicy: lets EventBridge send without an aws:SourceArn condition, so any rule in any account could"),
        (DLQ_ARN, "Rule: dead-letter queue Dlq has no queue policy letting this rule send to it"),
    ]


def test_policy_naming_another_rule():
    other = NAMES_RULE.replace("!GetAtt Rule.Arn", "arn:aws:events:us-east-1:123456789012:rule/other")
    assert found(stack(condition=other), "E9403") == [
        (DLQ_ARN, "Rule: the queue policy of Dlq does not name this rule in aws:SourceArn")
    ]

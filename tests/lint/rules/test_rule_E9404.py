"""E9404: no queue or topic policy allows everyone."""

from lint_case import found

RULE = "E9404"
QUEUE = """
Queue:
  Type: AWS::SQS::Queue
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
  Properties:
    SqsManagedSseEnabled: true
QueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref Queue]
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: {effect}
          {principal}
          Action: sqs:SendMessage
          Resource: !GetAtt Queue.Arn
          Condition:
            ArnEquals: {{aws:SourceArn: arn:aws:events:us-east-1:123456789012:rule/r}}
"""
TOPIC = """
Topic:
  Type: AWS::SNS::Topic
  DeletionPolicy: Delete
  UpdateReplacePolicy: Delete
TopicPolicy:
  Type: AWS::SNS::TopicPolicy
  Properties:
    Topics: [!Ref Topic]
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          {principal}
          Action: sns:Publish
          Resource: !Ref Topic
"""
STATEMENT = "Resources/QueuePolicy/Properties/PolicyDocument/Statement/0"
TOPIC_STATEMENT = "Resources/TopicPolicy/Properties/PolicyDocument/Statement/0"
QUEUE_MESSAGE = "QueuePolicy: the queue policy allows principal '*' (anyone); name the service or account that needs access"


def queue(principal: str, effect: str = "Allow") -> str:
    return QUEUE.format(principal=principal, effect=effect)


def test_a_named_service_passes():
    assert found(queue("Principal: {Service: events.amazonaws.com}"), RULE, with_task=False) == []
    assert found(TOPIC.format(principal="Principal: {Service: [events.amazonaws.com, cloudwatch.amazonaws.com]}"),
                 RULE, with_task=False) == []


def test_star_principal_on_a_queue_even_with_a_condition():
    assert found(queue("Principal: '*'"), RULE, with_task=False) == [(f"{STATEMENT}/Principal", QUEUE_MESSAGE)]


def test_aws_star_principal_on_a_queue():
    assert found(queue("Principal: {AWS: '*'}"), RULE, with_task=False) == [(f"{STATEMENT}/Principal/AWS", QUEUE_MESSAGE)]
    assert found(queue("Principal: {AWS: [arn:aws:iam::123456789012:root, '*']}"), RULE, with_task=False) == [
        (f"{STATEMENT}/Principal/AWS/1", QUEUE_MESSAGE)]


def test_star_principal_on_a_topic():
    assert found(TOPIC.format(principal="Principal: {AWS: '*'}"), RULE, with_task=False) == [
        (f"{TOPIC_STATEMENT}/Principal/AWS",
         "TopicPolicy: the topic policy allows principal '*' (anyone); name the service or account that needs access")]


def test_allow_with_not_principal():
    assert found(queue("NotPrincipal: {AWS: arn:aws:iam::123456789012:root}"), RULE, with_task=False) == [
        (f"{STATEMENT}/NotPrincipal",
         "QueuePolicy: an Allow with NotPrincipal in a queue policy allows everyone else; name the principals instead")]


def test_a_deny_for_everyone_is_fine():
    assert found(queue("Principal: '*'", effect="Deny"), RULE, with_task=False) == []


def test_a_policy_given_as_a_json_string():
    text = TOPIC.replace("""    PolicyDocument:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          {principal}
          Action: sns:Publish
          Resource: !Ref Topic
""", """    PolicyDocument: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"}]}'
""")
    assert [path for path, _ in found(text, RULE, with_task=False)] == [f"{TOPIC_STATEMENT}/Principal"]

"""E9201: no '*' or 'service:*' action in any policy."""

from lint_case import found, role_policy

RULE = "E9201"
STATEMENT0 = "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"


def test_service_wildcard_in_role_inline_policy():
    bad = role_policy("""
    - Effect: Allow
      Action: [s3:GetObject, 's3:*']
      Resource: arn:aws:s3:::bucket/*
    """)
    assert found(bad, RULE, with_task=False) == [
        (f"{STATEMENT0}/Action/1", "Role: action 's3:*' grants every s3 action; name the actions needed")
    ]


def test_star_action_in_queue_policy_as_a_string():
    bad = """
    Queue:
      Type: AWS::SQS::Queue
      Properties: {SqsManagedSseEnabled: true}
      DeletionPolicy: Delete
      UpdateReplacePolicy: Delete
    QueuePolicy:
      Type: AWS::SQS::QueuePolicy
      Properties:
        Queues: [!Ref Queue]
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Principal: {Service: events.amazonaws.com}
              Action: '*'
              Resource: !GetAtt Queue.Arn
    """
    assert found(bad, RULE, with_task=False) == [
        ("Resources/QueuePolicy/Properties/PolicyDocument/Statement/0/Action",
         "QueuePolicy: action '*' grants every action; name the actions needed")
    ]


def test_kms_key_policy_administrator_wildcard_is_flagged():
    bad = """
    Key:
      Type: AWS::KMS::Key
      DeletionPolicy: Retain
      UpdateReplacePolicy: Retain
      Properties:
        EnableKeyRotation: true
        KeyPolicy:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}
              Action: 'kms:*'
              Resource: '*'
    """
    assert found(bad, RULE, with_task=False) == [
        ("Resources/Key/Properties/KeyPolicy/Statement/0/Action",
         "Key: action 'kms:*' grants every kms action; name the actions needed")
    ]


def test_allow_with_not_action():
    bad = role_policy("""
    - Effect: Allow
      NotAction: [iam:*]
      Resource: arn:aws:s3:::bucket/*
    """)
    assert found(bad, RULE, with_task=False) == [
        (f"{STATEMENT0}/NotAction", "Role: an Allow with NotAction grants every other action; list the actions instead")
    ]


def test_named_actions_deny_star_and_action_families_pass():
    good = role_policy("""
    - Effect: Allow
      Action: [s3:GetObject, kms:GenerateDataKey*]
      Resource: arn:aws:s3:::bucket/*
    - Effect: Deny
      Action: '*'
      Resource: arn:aws:s3:::other/*
    """)
    assert found(good, RULE, with_task=False) == []

"""E9202: '*' resource only for actions AWS authorizes on '*' alone."""

from lint_case import found, role_policy

RULE = "E9202"
STATEMENT0 = "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"


def test_star_resource_for_a_scopable_action():
    bad = role_policy("""
    - Effect: Allow
      Action: [ecr:GetAuthorizationToken, ecr:BatchGetImage]
      Resource: ['*']
    """)
    assert found(bad, RULE, with_task=False) == [
        (f"{STATEMENT0}/Resource/0",
         "Role: Resource '*' for ecr:BatchGetImage, which can be scoped to ARNs; '*' is only for actions such "
         "as ecr:GetAuthorizationToken that AWS authorizes on '*' alone")
    ]


def test_not_resource_in_allow():
    bad = role_policy("""
    - Effect: Allow
      Action: [s3:GetObject]
      NotResource: arn:aws:s3:::secret/*
    """)
    assert found(bad, RULE, with_task=False) == [
        (f"{STATEMENT0}/NotResource",
         "Role: an Allow with NotResource applies to every other resource; list the resources instead")
    ]


def test_allow_listed_actions_and_key_policies_may_use_star():
    good = role_policy("""
    - Effect: Allow
      Action: ecr:GetAuthorizationToken
      Resource: '*'
    """) + """
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
          Principal: {Service: events.amazonaws.com}
          Action: [kms:Decrypt, kms:GenerateDataKey*]
          Resource: '*'
"""
    assert found(good, RULE, with_task=False) == []


def test_log_delivery_actions_of_a_state_machine_role_take_star():
    """Step Functions logging: the log delivery actions are authorized on '*' only (cw-logs.html)."""
    good = role_policy("""
    - Effect: Allow
      Action: [logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, logs:DeleteLogDelivery,
               logs:ListLogDeliveries, logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups]
      Resource: '*'
    """)
    assert found(good, RULE, with_task=False) == []


def test_log_writes_still_need_their_log_group():
    bad = role_policy("""
    - Effect: Allow
      Action: [logs:CreateLogDelivery, logs:PutLogEvents]
      Resource: '*'
    """)
    assert [message.split(",")[0] for _, message in found(bad, RULE, with_task=False)] == [
        "Role: Resource '*' for logs:PutLogEvents"]

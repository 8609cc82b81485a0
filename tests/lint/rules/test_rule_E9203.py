"""E9203: iam:PassRole always with iam:PassedToService."""

from lint_case import found, role_policy

RULE = "E9203"
STATEMENT0 = "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"
MESSAGE = "Role: iam:PassRole without an iam:PassedToService condition lets the roles be passed to any service"


def test_pass_role_without_condition():
    bad = role_policy("""
    - Effect: Allow
      Action: [iam:PassRole]
      Resource: arn:aws:iam::123456789012:role/task
    """)
    assert found(bad, RULE, with_task=False) == [(f"{STATEMENT0}/Action/0", MESSAGE)]


def test_pass_role_through_a_wildcard():
    bad = role_policy("""
    - Effect: Allow
      Action: iam:Pass*
      Resource: arn:aws:iam::123456789012:role/task
    """)
    assert found(bad, RULE, with_task=False) == [(f"{STATEMENT0}/Action", MESSAGE)]


def test_pass_role_with_passed_to_service():
    good = role_policy("""
    - Effect: Allow
      Action: iam:PassRole
      Resource: arn:aws:iam::123456789012:role/task
      Condition:
        StringEquals: {iam:PassedToService: ecs-tasks.amazonaws.com}
    """)
    assert found(good, RULE, with_task=False) == []

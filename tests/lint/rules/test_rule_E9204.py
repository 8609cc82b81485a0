"""E9204: ecs:RunTask always with the ecs:cluster condition."""

from lint_case import found, role_policy

RULE = "E9204"
STATEMENT0 = "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"
MESSAGE = "Role: ecs:RunTask without an ArnEquals/ArnLike ecs:cluster condition runs the task on any cluster"


def test_run_task_without_condition():
    bad = role_policy("""
    - Effect: Allow
      Action: [ecs:RunTask]
      Resource: !Ref Task
    """)
    assert found(bad, RULE) == [(f"{STATEMENT0}/Action/0", MESSAGE)]


def test_run_task_with_a_string_operator_is_not_enough():
    bad = role_policy("""
    - Effect: Allow
      Action: [ecs:RunTask]
      Resource: !Ref Task
      Condition:
        StringEquals: {ecs:cluster: arn:aws:ecs:us-east-1:123456789012:cluster/c}
    """)
    assert found(bad, RULE) == [(f"{STATEMENT0}/Action/0", MESSAGE)]


def test_run_task_with_cluster_condition():
    good = role_policy("""
    - Effect: Allow
      Action: [ecs:RunTask]
      Resource: !Ref Task
      Condition:
        ArnEquals: {ecs:cluster: arn:aws:ecs:us-east-1:123456789012:cluster/c}
    """)
    assert found(good, RULE) == []

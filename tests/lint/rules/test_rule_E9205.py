"""E9205: states:StartExecution only on this template's state machines."""

from lint_case import found, role_policy

RULE = "E9205"
STATEMENT0 = "Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"
MACHINE = """
Machine:
  Type: AWS::StepFunctions::StateMachine
  Properties:
    RoleArn: arn:aws:iam::123456789012:role/states
    Definition:
      StartAt: Done
      States:
        Done: {Type: Succeed}
"""


def with_machine(policy: str) -> str:
    return role_policy(policy) + MACHINE


def test_start_execution_on_star():
    bad = with_machine("""
    - Effect: Allow
      Action: [states:StartExecution]
      Resource: '*'
    """)
    assert found(bad, RULE) == [(f"{STATEMENT0}/Resource", "Role: states:StartExecution on *: name this template's "
                                 "state machine (!Ref) so the role starts nothing else")]


def test_start_execution_through_a_wildcard_action_on_another_arn():
    bad = with_machine("""
    - Effect: Allow
      Action: [states:Start*]
      Resource: arn:aws:states:us-east-1:123456789012:stateMachine:other
    """)
    assert [path for path, _ in found(bad, RULE)] == [f"{STATEMENT0}/Resource"]


def test_start_execution_on_the_templates_state_machine():
    good = with_machine("""
    - Effect: Allow
      Action: [states:StartExecution]
      Resource: [!Ref Machine, !GetAtt Machine.Arn]
    """)
    assert found(good, RULE) == []


def test_other_actions_are_not_this_rules_business():
    good = with_machine("""
    - Effect: Allow
      Action: [sqs:SendMessage]
      Resource: arn:aws:sqs:us-east-1:123456789012:q
    """)
    assert found(good, RULE) == []

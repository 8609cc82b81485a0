"""E9102: a target that starts a state machine passing its input to RunTask sends valid PascalCase overrides."""

from lint_case import found

RULE = "E9102"
MACHINE = """
Machine:
  Type: AWS::StepFunctions::StateMachine
  Properties:
    RoleArn: arn:aws:iam::123456789012:role/states
    DefinitionSubstitutions:
      TaskDefinitionArn: !Ref Task
    Definition:
      StartAt: RunTask
      States:
        RunTask:
          Type: Task
          Resource: arn:aws:states:::ecs:runTask.sync
          Parameters:
            Cluster: arn:aws:ecs:us-east-1:123456789012:cluster/c
            TaskDefinition: ${TaskDefinitionArn}
            Overrides.$: $$.Execution.Input
          End: true
"""


def rule(target_extra: str) -> str:
    return MACHINE + f"""
Rule:
  Type: AWS::Events::Rule
  Properties:
    ScheduleExpression: rate(1 hour)
    Targets:
      - Id: run
        Arn: !Ref Machine
        RoleArn: arn:aws:iam::123456789012:role/events
{target_extra}
"""


TARGET = "Resources/Rule/Properties/Targets/0"


def test_no_input_sends_the_event_as_overrides():
    assert found(rule(""), RULE) == [(TARGET, "Rule: the input of state machine Machine: no Input or InputTransformer, "
                                      "so the whole event would become RunTask's Overrides; send the overrides, or {} for none")]


def test_camel_case_overrides_are_refused():
    bad = rule("""        Input: '{"containerOverrides":[{"name":"job"}]}'""")
    messages = [m for _, m in found(bad, RULE)]
    assert any("'containerOverrides' in camelCase" in m for m in messages)


def test_unknown_container_is_refused():
    bad = rule("""        Input: '{"ContainerOverrides":[{"Name":"other"}]}'""")
    assert found(bad, RULE) == [(f"{TARGET}/Input", "Rule: the input of state machine Machine containerOverrides[0] "
                                 "names container 'other', which the task definition does not have")]


def test_pascal_case_overrides_and_empty_input_pass():
    assert found(rule("""        Input: '{"ContainerOverrides":[{"Name":"job","Environment":[{"Name":"A","Value":"1"}]}]}'"""), RULE) == []
    assert found(rule("""        Input: '{}'"""), RULE) == []

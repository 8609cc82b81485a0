"""E9301: Fargate targets have a NetworkConfiguration."""

from lint_case import NETWORK, found, rule_target

RULE = "E9301"
PARAMS = "Resources/Rule/Properties/Targets/0/EcsParameters"


def test_fargate_rule_target_without_network():
    assert found(rule_target("LaunchType: FARGATE"), RULE) == [
        (PARAMS, "Rule: the ECS target runs on Fargate/awsvpc but has no NetworkConfiguration; RunTask would fail")
    ]


def test_awsvpc_task_definition_without_launch_type_needs_network_too():
    assert found(rule_target("TaskCount: 1"), RULE) == [
        (PARAMS, "Rule: the ECS target runs on Fargate/awsvpc but has no NetworkConfiguration; RunTask would fail")
    ]


def test_network_without_subnets():
    bad = rule_target("""
    LaunchType: FARGATE
    NetworkConfiguration:
      AwsVpcConfiguration:
        Subnets: []
    """)
    assert (f"{PARAMS}/NetworkConfiguration/AwsVpcConfiguration",
            "Rule: the ECS target: AwsVpcConfiguration needs at least one subnet") in found(bad, RULE)


def test_scheduler_universal_run_task_without_network():
    bad = """
    Schedule:
      Type: AWS::Scheduler::Schedule
      Properties:
        ScheduleExpression: rate(1 day)
        FlexibleTimeWindow: {Mode: 'OFF'}
        Target:
          Arn: !Sub arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask
          RoleArn: arn:aws:iam::123456789012:role/invoke
          Input: !Sub
            - '{"Cluster":"c","LaunchType":"FARGATE","TaskDefinition":"${TaskDefinitionArn}","Overrides":{}}'
            - TaskDefinitionArn: !Ref Task
    """
    assert found(bad, RULE) == [
        ("Resources/Schedule/Properties/Target/Input",
         "Schedule: the ECS target runs on Fargate/awsvpc but has no NetworkConfiguration; RunTask would fail")
    ]


def test_fargate_target_with_network():
    assert found(rule_target("LaunchType: FARGATE", NETWORK), RULE) == []

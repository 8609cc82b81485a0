"""E9101: each ECS target's Input/InputTransformer renders valid RunTask overrides for a representative event."""

import json

from lint_case import NETWORK, found, rule_target

RULE = "E9101"
TARGET = "Resources/Rule/Properties/Targets/0"
S3_PATTERN = """
Rule:
  Type: AWS::Events::Rule
  Properties:
    EventPattern:
      source: [aws.s3]
      detail-type: [Object Created]
      detail:
        bucket: {name: [in-bucket]}
        object: {key: [{suffix: .csv}]}
    Targets:
"""


def with_input(text: str) -> str:
    return rule_target("LaunchType: FARGATE", NETWORK, extra=f"Input: '{text}'")


def s3_rule(paths: dict, template: str) -> str:
    target = rule_target("LaunchType: FARGATE", NETWORK,
                         extra=f"InputTransformer:\n  InputPathsMap: {json.dumps(paths)}\n"
                               f"  InputTemplate: {json.dumps(template)}")
    return S3_PATTERN + target.split("    Targets:\n", 1)[1]


def test_static_input_with_a_number_value():
    bad = with_input('{"containerOverrides":[{"name":"job","environment":[{"name":"N","value":5}]}]}')
    assert found(bad, RULE) == [
        (f"{TARGET}/Input", "Rule: the ECS target's overrides containerOverrides[0].environment[0] (N) value is 5, not a string")
    ]


def test_static_input_unknown_field_and_unnamed_container():
    bad = with_input('{"containerOverride":[],"containerOverrides":[{"command":["run"]}]}')
    assert found(bad, RULE) == [
        (f"{TARGET}/Input", "Rule: the ECS target's overrides containerOverrides[0] has no container name"),
        (f"{TARGET}/Input", "Rule: the ECS target's overrides has 'containerOverride', which is not a TaskOverride field"),
    ]


def test_container_the_task_definition_does_not_have():
    bad = with_input('{"containerOverrides":[{"name":"other"}]}')
    assert found(bad, RULE) == [
        (f"{TARGET}/Input",
         "Rule: the ECS target's overrides containerOverrides[0] names container 'other', which the task definition does not have")
    ]


def test_s3_size_unquoted_arrives_as_a_number():
    bad = s3_rule({"size": "$.detail.object.size"},
                  '{"containerOverrides":[{"name":"job","environment":[{"name":"SIZE","value":<size>}]}]}')
    assert found(bad, RULE) == [
        (f"{TARGET}/InputTransformer/InputTemplate",
         "Rule: the ECS target's overrides for a 'Object Created' event containerOverrides[0].environment[0] "
         "(SIZE) value is 5, not a string")
    ]


def test_command_from_an_object_delivers_nothing():
    bad = s3_rule({"obj": "$.detail.object"}, '{"containerOverrides":[{"name":"job","command":["<obj>"]}]}')
    assert found(bad, RULE) == [
        (f"{TARGET}/InputTransformer/InputTemplate",
         "Rule: the ECS target's overrides: for a 'Object Created' event AWS would deliver nothing "
         "(the filled template is not JSON)")
    ]


def test_quoted_and_string_placeholders_pass():
    good = s3_rule({"size": "$.detail.object.size", "key": "$.detail.object.key"},
                   '{"containerOverrides":[{"name":"job","environment":[{"name":"SIZE","value":"<size>"},'
                   '{"name":"KEY","value":<key>}],"command":["run",<key>]}]}')
    assert found(good, RULE) == []


UNIVERSAL = """
Schedule:
  Type: AWS::Scheduler::Schedule
  Properties:
    ScheduleExpression: rate(1 day)
    FlexibleTimeWindow: {Mode: 'OFF'}
    Target:
      Arn: !Sub arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask
      RoleArn: arn:aws:iam::123456789012:role/invoke
      Input: !Sub
        - 'REQUEST'
        - TaskDefinitionArn: !Ref Task
"""
NETWORK_PASCAL = '"NetworkConfiguration":{"AwsvpcConfiguration":{"Subnets":["subnet-1"]}}'


def universal(request: str) -> str:
    return UNIVERSAL.replace("REQUEST", request)


def test_universal_target_request_in_camel_case_is_refused():
    """Scheduler's universal target takes the RunTask request in PascalCase: camelCase is refused at
    CreateSchedule ("missing field TaskDefinition"; public working configurations, unverified against AWS).
    "Parameters in Step Functions are expressed in PascalCase, even if the native service API is in
    camelCase" (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html)."""
    bad = universal('{"cluster":"c","launchType":"FARGATE","taskDefinition":"${TaskDefinitionArn}",'
                    '"networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-1"]}}}')
    assert found(bad, RULE) == [(
        "Resources/Schedule/Properties/Target/Input",
        "Schedule: Scheduler's universal RunTask target takes the request in PascalCase; cluster, launchType, "
        "taskDefinition, networkConfiguration, networkConfiguration.awsvpcConfiguration are camelCase",
    )]


def test_universal_target_overrides_in_pascal_case_are_checked():
    good = universal('{"Cluster":"c","LaunchType":"FARGATE","TaskDefinition":"${TaskDefinitionArn}",'
                     + NETWORK_PASCAL + ',"Overrides":{"ContainerOverrides":[{"Name":"job",'
                     '"Environment":[{"Name":"MODE","Value":"full"}]}]}}')
    assert found(good, RULE) == []
    bad = good.replace('"Value":"full"', '"Value":5')
    assert found(bad, RULE) == [(
        "Resources/Schedule/Properties/Target/Input",
        "Schedule: the ECS target's overrides containerOverrides[0].environment[0] (MODE) value is 5, not a string",
    )]

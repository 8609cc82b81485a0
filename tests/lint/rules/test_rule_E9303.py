"""E9303: AssignPublicIp ENABLED only on Fargate."""

from lint_case import found, rule_target

RULE = "E9303"
PUBLIC_IP = "Resources/Rule/Properties/Targets/0/EcsParameters/NetworkConfiguration/AwsVpcConfiguration/AssignPublicIp"
ENABLED = """
NetworkConfiguration:
  AwsVpcConfiguration:
    Subnets: [subnet-12345678]
    AssignPublicIp: ENABLED
"""


def test_public_ip_on_ec2_launch_type():
    assert found(rule_target("LaunchType: EC2", ENABLED), RULE) == [
        (PUBLIC_IP, "Rule: AssignPublicIp ENABLED but the ECS target runs on EC2 capacity; public IPs are only for Fargate tasks")
    ]


def test_public_ip_on_a_custom_capacity_provider():
    bad = rule_target("""
    CapacityProviderStrategy:
      - {CapacityProvider: my-asg-provider, Weight: 1}
    """, ENABLED)
    assert found(bad, RULE) == [
        (PUBLIC_IP, "Rule: AssignPublicIp ENABLED but the ECS target runs on EC2 capacity; public IPs are only for Fargate tasks")
    ]


def test_public_ip_on_fargate_and_fargate_spot():
    assert found(rule_target("LaunchType: FARGATE", ENABLED), RULE) == []
    spot = rule_target("""
    CapacityProviderStrategy:
      - {CapacityProvider: FARGATE_SPOT, Weight: 1}
    """, ENABLED)
    assert found(spot, RULE) == []

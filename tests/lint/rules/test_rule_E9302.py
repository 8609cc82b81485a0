"""E9302: LaunchType and CapacityProviderStrategy never together."""

from lint_case import NETWORK, found, rule_target

RULE = "E9302"


def test_both_launch_type_and_capacity_providers():
    bad = rule_target("""
    LaunchType: FARGATE
    CapacityProviderStrategy:
      - {CapacityProvider: FARGATE_SPOT, Weight: 1}
    """, NETWORK)
    assert found(bad, RULE) == [
        ("Resources/Rule/Properties/Targets/0/EcsParameters/CapacityProviderStrategy",
         "Rule: the ECS target sets both LaunchType and CapacityProviderStrategy; RunTask accepts only one")
    ]


def test_capacity_providers_alone():
    good = rule_target("""
    CapacityProviderStrategy:
      - {CapacityProvider: FARGATE_SPOT, Weight: 3}
      - {CapacityProvider: FARGATE, Weight: 1}
    """, NETWORK)
    assert found(good, RULE) == []

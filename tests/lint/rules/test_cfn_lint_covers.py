"""Checks the issue lists that cfn-lint's own rules already make, so batchjobs has no rule of its own."""

from lint_case import lint

SIX_TARGETS = """
Rule:
  Type: AWS::Events::Rule
  Properties:
    ScheduleExpression: rate(1 day)
    Targets:
""" + "".join(
    f"      - {{Id: t{i}, Arn: arn:aws:sqs:us-east-1:123456789012:q}}\n" for i in range(6)
)


def test_more_than_five_targets_on_a_rule_is_an_error():
    findings = [(f.rule_id, f.path) for f in lint(SIX_TARGETS, with_task=False)]
    assert ("E3032", "Resources/Rule/Properties/Targets") in findings


def test_stateful_resource_without_deletion_policies_is_reported():
    queue = "Queue:\n  Type: AWS::SQS::Queue\n  Properties:\n    SqsManagedSseEnabled: true\n"
    assert "I3011" in {f.rule_id for f in lint(queue, with_task=False)}

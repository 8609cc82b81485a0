"""W9501: every log group sets RetentionInDays."""

from lint_case import found

RULE = "W9501"
GROUP = """
Logs:
  Type: AWS::Logs::LogGroup
  DeletionPolicy: Retain
  UpdateReplacePolicy: Retain
  Properties:
    LogGroupName: /ecs/x
"""


def test_log_group_without_retention():
    assert found(GROUP, RULE, with_task=False) == [
        ("Resources/Logs/Properties", "Logs: log group without RetentionInDays keeps logs forever")
    ]


def test_log_group_with_retention():
    assert found(GROUP + "    RetentionInDays: 30\n", RULE, with_task=False) == []

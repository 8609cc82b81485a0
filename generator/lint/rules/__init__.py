"""Our cfn-lint rules: one rule per module, loaded by cfn-lint with ``append_rules``.

cfn-lint's ``load_plugins`` imports every file matching ``[A-Za-z1-9]*.py`` here and instantiates each
``CloudFormationLintRule`` subclass it finds; ``_helpers.py`` and this file are skipped by that pattern.
Rule ids: E91xx events/scheduler, E92xx IAM, E93xx ECS, E94xx SQS/SNS/DLQ, W95xx alarms/operations,
I96xx reminders about what lies outside the template (notes: reported, never a failure; see ``generator.lint``).
"""

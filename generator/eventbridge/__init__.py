"""EventBridge semantics as pure functions: schedules, event patterns, input transformers, sample events.

No AWS calls: everything here is checked against behaviour AWS recorded (see tests/eventbridge).
"""

"""EventBridge event patterns: validate them with AWS's rules and reasons, and match events against them.

The model is AWS's own (aws/event-ruler; operators as in
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html): a pattern compiles into one or more *sub-rules*
(``$or`` forks them), each a map from a dotted field path to the matchers allowed there. Values in the
same list are ORed, fields are ANDed. An event is flattened the same way: every leaf value (string,
number, boolean, null) under its dotted path, with array elements at their array's path.

Ground truth is the AWS-validated LocalStack template set; error texts are AWS's recorded ``Reason:``.

The work is split by stage: pattern_json (reading text and data strictly), pattern_operators (the match
operators), pattern_compile (fields and $or into sub-rules), pattern_match (an event against sub-rules).
This module is the entry point and keeps the names other modules import from it.
"""

from __future__ import annotations

import json

# The limits stay importable from here, where they were defined before the split (review/limits.py uses one).
from .pattern_compile import MAX_OR_COMBINATIONS, _compile  # noqa: F401
from .pattern_json import _TOO_DEEP, MAX_PATTERN_LENGTH, PatternError, _check_numbers, _load, loads_json
from .pattern_match import _flatten_event, _sub_rule_matches
from .pattern_operators import RECORDED_TOO_COMPLEX  # noqa: F401

__all__ = ["PatternError", "loads_json", "matches", "validate_pattern"]


def validate_pattern(pattern: dict | str) -> None:
    """Raise PatternError unless PutRule would accept ``pattern`` (a dict, or its JSON text)."""
    pattern = _load(pattern)
    try:
        compact = json.dumps(pattern, separators=(",", ":"), ensure_ascii=False)
    except RecursionError as err:
        raise PatternError(_TOO_DEEP) from err
    _check_numbers(pattern, "")
    if len(compact) > MAX_PATTERN_LENGTH:
        raise PatternError(f"Event pattern is {len(compact)} characters as compact JSON; AWS allows {MAX_PATTERN_LENGTH}")
    _compile(pattern)


def matches(pattern: dict, event: dict) -> bool:
    """Whether ``event`` matches ``pattern``. Assumes the pattern is valid (see validate_pattern)."""
    leaves = _flatten_event(event)
    return any(_sub_rule_matches(rule, leaves) for rule in _compile(_load(pattern)))

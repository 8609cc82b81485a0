"""Reading an event pattern as AWS's JSON parser does: strict JSON text, finite numbers, and the error type
every stage of pattern handling raises. Part of generator.eventbridge.pattern (see there for the model)."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_PATTERN_LENGTH = 4096  # BC-events EventPattern; checked on the compact JSON
# Python's recursion limit, not AWS's: a pattern nested this deeply is far over the 4096-character limit anyway.
_TOO_DEEP = f"Event pattern is nested too deeply to parse (AWS allows {MAX_PATTERN_LENGTH} characters in all)"


class PatternError(ValueError):
    """An invalid event pattern. ``str(err)`` is AWS's reason (the text after "Reason: ") where AWS has one."""


def loads_json(text: str) -> Any:
    """``json.loads`` held to JSON itself: Python also reads NaN, Infinity and -Infinity, and turns 1e400
    into infinity; AWS's parser takes none of them. Duplicate keys: the last one wins, as in AWS
    (LS complex_multi_key_*). Raises ValueError (json.JSONDecodeError for a syntax error) with the reason."""
    return json.loads(text, object_pairs_hook=dict, parse_constant=_not_json, parse_float=_json_float,
                      parse_int=_json_int)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is beyond the range of a double (it would be infinite)")
    return value


def _json_int(text: str) -> int:
    # More than 400 digits is far past a double's range (and past Python's int-conversion limit at 4300).
    value = int(text) if len(text) <= 400 else None
    if value is None or not _finite(value):
        shown = text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"
        raise ValueError(f"the number {shown} is beyond the range of a double (it would be infinite)")
    return value


def _finite(number: int | float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large to become a float
        return False


def _check_numbers(node: Any, path: str) -> None:
    """Patterns given as data (a YAML spec can say .inf or .nan) are held to what JSON can carry."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_numbers(value, path if key == "$or" else f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for item in node:
            _check_numbers(item, path)
    elif _is_number(node) and not _finite(node):
        if isinstance(node, int):
            what = f"a {len(str(abs(node)))}-digit number is beyond the range of a double"
        else:
            what = f"{'NaN' if math.isnan(node) else 'infinity'} is not a JSON number"
        raise PatternError(f"{path or 'pattern'}: {what}; pattern numbers must be finite")


def _load(pattern: dict | str) -> Any:
    if not isinstance(pattern, str):
        return pattern
    try:
        return loads_json(pattern)
    except json.JSONDecodeError as err:
        raise PatternError(f"Event pattern is not valid JSON: {err}") from err
    except RecursionError as err:
        raise PatternError(_TOO_DEEP) from err
    except ValueError as err:
        raise PatternError(f"Event pattern is not valid JSON: {err}") from err


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

"""The entries of a field's value list: exact values and the operators (prefix, suffix, equals-ignore-case,
wildcard, exists, numeric, cidr, anything-but), each checked with AWS's error texts and compiled into a
_Matcher. Part of generator.eventbridge.pattern (see there for the model)."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .pattern_json import PatternError, _finite, _is_number

# AWS rejects some wildcards as "Rule is too complex". event-ruler measures that on its compiled machine
# (MachineComplexityEvaluator: how many wildcard states one input can keep alive at once) against a threshold
# AWS does not publish, so we cannot compute it. The recorded data (LS test_events_patterns.snapshot.json)
# holds exactly one such rejection, content_wildcard_complex_EXC; we reject that pattern and nothing else,
# so no pattern AWS may accept (e.g. "*/*/*/*/*/*.png") is refused. The cost: a pattern AWS finds too
# complex but nobody recorded passes here and fails at deploy. (LocalStack rejects more than five '*', with a
# TODO to measure complexity instead; that count is its guess, not AWS's rule, and we do not copy it.)
RECORDED_TOO_COMPLEX = frozenset({"*:*:*:*:*:event-bus/*"})


@dataclass(frozen=True)
class _Matcher:
    """One entry of a field's value list. ``absent`` marks ``{"exists": false}``, which matches a missing
    field rather than a value; every other matcher tests one leaf value."""

    accepts: Callable[[Any], bool]
    absent: bool = False


def _exact(expected: Any) -> Callable[[Any], bool]:
    if isinstance(expected, str):
        address = _ip_or_none(expected)
        if address is not None:  # AWS compiles an IP literal to a one-address range
            return lambda value: value == expected or (isinstance(value, str) and _ip_or_none(value) == address)
        return lambda value: isinstance(value, str) and value == expected
    if _is_number(expected):
        # AWS matched pattern [300] against event 300.0 (LS number_comparison_float, validated 2025-10-15)
        # although the 2023 docs say 300 and 300.0 differ: we follow the recorded behaviour.
        return lambda value: _is_number(value) and value == expected
    # true, false, null: the same JSON literal only (booleans are not the numbers 1 and 0).
    return lambda value: type(value) is type(expected) and value == expected


def _string_argument(argument: Any, operator: str) -> str:
    if not isinstance(argument, str):
        raise PatternError(f"{operator} match pattern must be a string")
    return argument


def _affix_operator(operator: str, test: Callable[[str, str], bool]) -> Callable[[Any], _Matcher]:
    """prefix / suffix: a string, or {"equals-ignore-case": string}."""

    def compile_affix(argument: Any) -> _Matcher:
        if isinstance(argument, dict):
            if not argument:
                raise PatternError(f"{operator.capitalize()} expression name not found")
            inner, text = next(iter(argument.items()))
            if inner != "equals-ignore-case":
                raise PatternError(f"Unsupported {operator} pattern: {inner}")
            text = _string_argument(text, "equals-ignore-case").lower()
            if len(argument) > 1:
                raise PatternError("Only one key allowed in match expression")
            return _Matcher(lambda value: isinstance(value, str) and test(value.lower(), text))
        text = _string_argument(argument, operator)
        return _Matcher(lambda value: isinstance(value, str) and test(value, text))

    return compile_affix


def _equals_ignore_case(argument: Any) -> _Matcher:
    text = _string_argument(argument, "equals-ignore-case").lower()
    return _Matcher(lambda value: isinstance(value, str) and value.lower() == text)


def _wildcard(argument: Any) -> _Matcher:
    accepts = _wildcard_matcher(_string_argument(argument, "wildcard"))
    return _Matcher(lambda value: isinstance(value, str) and accepts(value))


def _check_wildcard(text: str) -> None:
    """Escapes: ``\\*`` is a literal star, ``\\\\`` a literal backslash, nothing else. ``**`` is rejected.
    "Too complex" is decided only for the recorded case: see RECORDED_TOO_COMPLEX."""
    position = 0
    after_wildcard = False  # the previous character was an unescaped '*' (an escaped one is a literal)
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 >= len(text) or text[position + 1] not in "*\\":
                raise PatternError(f"Invalid escape character at pos {position + 1}")
            position += 2
            after_wildcard = False
            continue
        if char == "*":
            if after_wildcard:
                raise PatternError(f"Consecutive wildcard characters at pos {position}")
        after_wildcard = char == "*"
        position += 1
    if text in RECORDED_TOO_COMPLEX:
        raise PatternError("Rule is too complex - try using fewer wildcard characters or fewer repeating "
                           "character sequences after a wildcard character")


def _wildcard_pieces(text: str) -> list[str]:
    """The literal text between unescaped stars, escapes resolved: ``a*b\\*c`` gives ``["a", "b*c"]``."""
    _check_wildcard(text)
    pieces = [""]
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            pieces[-1] += text[position + 1]
            position += 2
            continue
        if char == "*":
            pieces.append("")
        else:
            pieces[-1] += char
        position += 1
    return pieces


def _wildcard_matcher(text: str) -> Callable[[str], bool]:
    """Whether a whole string matches the wildcard ``text``, in linear time (no regex backtracking).

    The first piece must be a prefix and the last a suffix; each piece in between is found left to right
    with str.find, taking its earliest occurrence. Earliest is always safe: a star matches anything, so
    leaving more of the string for the pieces still to come can only help them."""
    pieces = _wildcard_pieces(text)
    if len(pieces) == 1:
        return lambda value: value == pieces[0]
    prefix, middle, suffix = pieces[0], pieces[1:-1], pieces[-1]

    def accepts(value: str) -> bool:
        end = len(value) - len(suffix)
        if end < len(prefix) or not value.startswith(prefix) or not value.endswith(suffix):
            return False
        position = len(prefix)
        for piece in middle:
            found = value.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
        return True

    return accepts


def _exists(argument: Any) -> _Matcher:
    if not isinstance(argument, bool):
        raise PatternError("exists match pattern must be either true or false.")
    if argument:
        return _Matcher(lambda value: True)  # any leaf, null included; objects are not leaves
    return _Matcher(lambda value: False, absent=True)


# Numbers compare as Python ints and IEEE doubles, exactly and with no range limit: the documented -5e9..5e9
# range and six-decimal precision of AWS's numeric matching are not modelled, as no recorded AWS case shows them.
def _numeric(argument: Any) -> _Matcher:
    if not isinstance(argument, list):
        raise PatternError("Value of numeric must be an array.")
    low, high = _numeric_bounds(argument)
    return _Matcher(lambda value: _is_number(value) and low(value) and high(value))


def _numeric_bounds(terms: list) -> tuple[Callable[[float], bool], Callable[[float], bool]]:
    """The two tests of a numeric expression, following AWS's grammar and its error texts:
    ``= n`` | (``>``|``>=``) n [(``<``|``<=``) m] | (``<``|``<=``) n."""
    if not terms or not isinstance(terms[0], str):
        raise PatternError(f"Invalid member in numeric match: {_json_text(terms[0]) if terms else ']'}")
    operator = terms[0]
    if operator not in ("=", "<", "<=", ">", ">="):
        raise PatternError(f"Unrecognized numeric range operator: {operator}")
    bound = _numeric_term(terms, 1, "equals" if operator == "=" else operator)
    anything: Callable[[float], bool] = lambda value: True  # noqa: E731
    if operator == "=":
        _no_more(terms, 2, "Too many elements in numeric expression")
        return (lambda value: value == bound), anything
    if operator in ("<", "<="):
        _no_more(terms, 2, "Too many elements in numeric expression")
        return anything, _upper(operator, bound)
    lower = (lambda value: value > bound) if operator == ">" else (lambda value: value >= bound)
    if len(terms) == 2:
        return lower, anything
    top_operator = terms[2]
    if not isinstance(top_operator, str):
        raise PatternError(f"Bad value in numeric range: {_json_text(top_operator)}")
    if top_operator not in ("<", "<="):
        raise PatternError(f"Bad numeric range operator: {top_operator}")
    top = _numeric_term(terms, 3, top_operator)
    _no_more(terms, 4, "Too many terms in numeric range expression")
    if bound >= top:
        raise PatternError(f"Bad numeric range: {bound} is not below {top}")
    return lower, _upper(top_operator, top)


def _numeric_term(terms: list, index: int, name: str) -> float:
    if index >= len(terms) or not _is_number(terms[index]) or not _finite(terms[index]):
        raise PatternError(f"Value of {name} must be numeric")
    return terms[index]


def _no_more(terms: list, length: int, message: str) -> None:
    if len(terms) > length:
        raise PatternError(message)


def _upper(operator: str, top: float) -> Callable[[float], bool]:
    return (lambda value: value < top) if operator == "<" else (lambda value: value <= top)


def _cidr(argument: Any) -> _Matcher:
    if not isinstance(argument, str):
        raise PatternError("prefix match pattern must be a string")  # sic: AWS's text for a non-string cidr
    address, slash, mask = argument.partition("/")
    if not slash or "/" in mask:
        raise PatternError("Malformed CIDR, one '/' required")
    if not mask.isdigit():
        raise PatternError("Malformed CIDR, mask bits must be an integer")
    if _ip_or_none(address) is None:
        raise PatternError(f"Nonstandard IP address: {address}")
    try:
        network = ipaddress.ip_network(argument, strict=False)
    except ValueError as err:
        raise PatternError(f"Malformed CIDR, mask bits out of range: {mask}") from err

    def accepts(value: Any) -> bool:
        ip = _ip_or_none(value) if isinstance(value, str) else None
        return ip is not None and ip.version == network.version and ip in network

    return _Matcher(accepts)


def _ip_or_none(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


# anything-but: the negation of a value set, prefix, suffix, equals-ignore-case or wildcard.
# It matches null and values of other types (LS content_anything_*_null, content_anything_prefix_int_value),
# but never a missing field: a matcher only ever sees values that are there.

_ANYTHING_BUT_SET_ERRORS = {
    "equals-ignore-case": "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
    "prefix": "prefix/suffix match pattern must be a string",
    "suffix": "prefix/suffix match pattern must be a string",
    "wildcard": "wildcard match pattern must be a string",
}
_ANYTHING_BUT_VALUE_ERROR = "Value of anything-but must be an array or single string/number value."


def _anything_but(argument: Any) -> _Matcher:
    if isinstance(argument, dict):
        return _anything_but_set(argument)
    if isinstance(argument, list):
        values = argument
        if any(not (isinstance(v, str) or _is_number(v)) for v in values):
            raise PatternError("Inside anything but list, start|null|boolean is not supported.")
        strings = [v for v in values if isinstance(v, str)]
        if not values or (strings and len(strings) != len(values)):
            raise PatternError(
                "Inside anything but list, either all values are number or string, mixed type is not supported")
    elif isinstance(argument, str) or _is_number(argument):
        values = [argument]
    else:
        raise PatternError(_ANYTHING_BUT_VALUE_ERROR)
    excluded = [_exact(value) for value in values]
    return _Matcher(lambda value: not any(test(value) for test in excluded))


def _anything_but_set(argument: dict) -> _Matcher:
    if not argument:
        raise PatternError("Anything-But expression name not found")
    operator, operand = next(iter(argument.items()))
    if operator not in _ANYTHING_BUT_SET_ERRORS:
        raise PatternError(f"Unsupported anything-but pattern: {operator}")
    if isinstance(operand, list):
        texts = operand
    elif isinstance(operand, str) or _is_number(operand):
        texts = [operand]
    else:
        raise PatternError(_ANYTHING_BUT_VALUE_ERROR)
    for text in texts:
        if not isinstance(text, str):
            raise PatternError(_ANYTHING_BUT_SET_ERRORS[operator])
        if operator in ("prefix", "suffix") and text == "":
            raise PatternError("Null prefix/suffix not allowed")
    if len(argument) > 1:
        raise PatternError("Too many elements in numeric expression")
    excluded = _excluded_strings(operator, texts)
    return _Matcher(lambda value: not (isinstance(value, str) and excluded(value)))


def _excluded_strings(operator: str, texts: list[str]) -> Callable[[str], bool]:
    if operator == "prefix":
        return lambda value: any(value.startswith(text) for text in texts)
    if operator == "suffix":
        return lambda value: any(value.endswith(text) for text in texts)
    if operator == "equals-ignore-case":
        lowered = {text.lower() for text in texts}
        return lambda value: value.lower() in lowered
    wildcards = [_wildcard_matcher(text) for text in texts]
    return lambda value: any(accepts(value) for accepts in wildcards)


_OPERATOR_COMPILERS: dict[str, Callable[[Any], _Matcher]] = {
    "prefix": _affix_operator("prefix", str.startswith),
    "suffix": _affix_operator("suffix", str.endswith),
    "equals-ignore-case": _equals_ignore_case,
    "wildcard": _wildcard,
    "anything-but": _anything_but,
    "numeric": _numeric,
    "cidr": _cidr,
    "exists": _exists,
}


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)

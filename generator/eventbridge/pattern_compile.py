"""Compiling (and so validating) an event pattern: its fields become sub-rules, maps from a dotted field path
to the matchers allowed there, and each $or forks them. Part of generator.eventbridge.pattern (see there for
the model)."""

from __future__ import annotations

from typing import Any

from .pattern_json import PatternError
from .pattern_operators import _OPERATOR_COMPILERS, _exact, _Matcher

MAX_OR_COMBINATIONS = 1000  # EBUG23: a rule may expand to at most 1000 combinations of $or branches

# Inside $or, these words cannot be field names (event-ruler RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
_OPERATORS = ("anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix", "wildcard")

_SubRule = dict[str, list[_Matcher]]


def _compile(pattern: Any) -> list[_SubRule]:
    if not isinstance(pattern, dict):
        raise PatternError("Filter is not an object")
    rules = _compile_object(pattern, "", [{}], inside_or=False)
    if len(rules) > MAX_OR_COMBINATIONS:
        raise PatternError(
            f"Event pattern expands to {len(rules)} combinations of $or branches; AWS allows {MAX_OR_COMBINATIONS}")
    return rules


def _compile_object(obj: dict, prefix: str, rules: list[_SubRule], *, inside_or: bool) -> list[_SubRule]:
    """Add obj's fields to every sub-rule; a ``$or`` replaces the sub-rules with one fork per branch."""
    if not obj:
        raise PatternError("Empty objects are not allowed")
    for key, value in obj.items():
        if key == "$or":
            rules = _compile_or(value, prefix, rules)
            continue
        if inside_or and key in _OPERATORS:
            raise PatternError(f"{key} is Ruler reserved fieldName which cannot be used inside $or.")
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            rules = _compile_object(value, path, rules, inside_or=inside_or)
        elif isinstance(value, list):
            matchers = _compile_values(value)
            for rule in rules:
                rule[path] = matchers  # a repeated path: the later one wins, as AWS does
        else:
            raise PatternError(f'"{key}" must be an object or an array')
    return rules


def _compile_or(branches: Any, prefix: str, rules: list[_SubRule]) -> list[_SubRule]:
    if not isinstance(branches, list):
        raise PatternError("It must be an Array followed with $or.")
    forked: list[_SubRule] = []
    for branch in branches:
        if not isinstance(branch, dict):
            raise PatternError("Only JSON object is allowed in array of $or relationship.")
        forked.extend(_compile_object(branch, prefix, [dict(rule) for rule in rules], inside_or=True))
        if len(forked) > MAX_OR_COMBINATIONS:  # stop early: the product can be astronomically large
            raise PatternError(
                f"Event pattern expands to more than {MAX_OR_COMBINATIONS} combinations of $or branches")
    if len(branches) < 2:
        raise PatternError("There must have at least 2 Objects in $or relationship.")
    return forked


def _compile_values(values: list) -> list[_Matcher]:
    if not values:
        raise PatternError("Empty arrays are not allowed")
    matchers = []
    for value in values:
        if isinstance(value, dict):
            matchers.append(_compile_operator(value))
        elif isinstance(value, list):
            raise PatternError("Match value must be String, number, true, false, or null")
        else:
            matchers.append(_Matcher(_exact(value)))
    return matchers


def _compile_operator(expression: dict) -> _Matcher:
    if not expression:
        raise PatternError("Match expression name not found")
    name, argument = next(iter(expression.items()))
    compile_one = _OPERATOR_COMPILERS.get(name)
    if compile_one is None:
        raise PatternError(f"Unrecognized match type {name}")  # names are case-sensitive: NUMERIC, EXISTS fail
    matcher = compile_one(argument)
    if len(expression) > 1:
        # AWS's parser reads the operator before noticing the extra key, so argument errors come first.
        raise PatternError("Too many elements in numeric expression" if name in ("numeric", "anything-but")
                           else "Only one key allowed in match expression")
    return matcher

"""Matching an event against compiled sub-rules: the event flattened to its leaves, and event-ruler's array
consistency. Part of generator.eventbridge.pattern (see there for the model)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pattern_compile import _SubRule


@dataclass(frozen=True)
class _Leaf:
    value: Any
    arrays: tuple[tuple[int, int], ...]  # (array id, index) for every array the value sits in


def _flatten_event(event: Any) -> dict[str, list[_Leaf]]:
    leaves: dict[str, list[_Leaf]] = {}
    array_ids = iter(range(1 << 62))
    for path, leaf in _walk(event, "", (), array_ids):
        leaves.setdefault(path, []).append(leaf)
    return leaves


def _walk(node: Any, path: str, arrays: tuple, array_ids: Iterator[int]) -> Iterator[tuple[str, _Leaf]]:
    """Leaves under their dotted paths. Event keys with dots join the same way as nesting does
    (LS dot_joining_event): {"a.b": 1} and {"a": {"b": 1}} both give path "a.b"."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else key, arrays, array_ids)
    elif isinstance(node, list):
        array_id = next(array_ids)
        for index, element in enumerate(node):
            yield from _walk(element, path, arrays + ((array_id, index),), array_ids)
    elif path:
        yield path, _Leaf(node, arrays)


def _sub_rule_matches(rule: _SubRule, leaves: dict[str, list[_Leaf]]) -> bool:
    """Every field must be satisfied, and the leaves chosen must agree on the element of any array they
    share: event-ruler's array consistency (its README's Anna/Jones example). A field satisfied by
    ``exists: false`` uses no leaf and constrains nothing."""
    choices: list[list[tuple]] = []
    for path, matchers in rule.items():
        present = leaves.get(path, [])
        options = [leaf.arrays for leaf in present
                   if any(not m.absent and m.accepts(leaf.value) for m in matchers)]
        if not present and any(m.absent for m in matchers):
            options.append(())
        if not options:
            return False
        choices.append(options)
    choices.sort(key=len)
    return _consistent(choices, 0, {})


def _consistent(choices: list[list[tuple]], field: int, chosen: dict[int, int]) -> bool:
    if field == len(choices):
        return True
    for arrays in choices[field]:
        if all(chosen.get(array_id, index) == index for array_id, index in arrays):
            if _consistent(choices, field + 1, {**chosen, **dict(arrays)}):
                return True
    return False

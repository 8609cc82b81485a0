"""resources: a validated ``StackSpec`` -> a troposphere ``Template``. Pure: no I/O, no AWS calls.

``stack.build_template`` calls the resource families in a fixed order; each family lives in its own
module and gets its logical IDs from ``names``.

This package file stays light on purpose: ``spec`` reads ``resources.names`` (plain data and functions) to
check logical IDs while a spec loads, and every verb loads specs, so importing ``generator.resources.names``
must not load troposphere and awacs. ``build_template`` and ``architecture`` are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .stack import architecture, build_template

__all__ = ["architecture", "build_template"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import stack

        return getattr(stack, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

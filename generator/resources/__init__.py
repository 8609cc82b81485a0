"""resources: a ``StackPlan`` -> a troposphere ``Template``. Pure: no I/O, no AWS calls.

``stack.build_template`` walks the plan (``generator.plan``) and calls the resource families in its order;
each family lives in its own module and takes its logical IDs and names from ``plan.names``. Nothing
before this stage imports it, so loading a spec never loads troposphere or awacs.
"""

from __future__ import annotations

from .stack import architecture, build_part, build_template

__all__ = ["architecture", "build_part", "build_template"]

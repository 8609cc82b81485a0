"""plan: a validated ``StackSpec`` -> a ``StackPlan``, every resource each job gets, decided once.

spec (YAML) -> model (``generator.model``: validated types) -> **plan** -> resources (troposphere) ->
template. The plan is pure data: logical IDs, CloudFormation types and purposes, physical names (task
family, log group, container). Whatever needs to know what a job gets reads it: the template build
(``resources.stack``), the logical-ID collision check (``collisions``), ``locate`` for run/status/logs,
``review`` and ``status``. Importing this package loads neither troposphere nor awacs.

``load_spec`` / ``load_specs`` are the loaders the verbs use: the model's, plus the checks that need the
plan (logical-ID collisions, CloudFormation's limits per template), reported at the spec's line like every other problem.
"""

from __future__ import annotations

from pathlib import Path

from ..model.load import load_environments as _load_environments, load_spec as _load_spec, load_specs as _load_specs
from ..model import StackSpec
from ..model.base import FieldError
from . import collisions, limits, run_control
from .forwarders import ForwardedTrigger, ForwarderPlan, plan_forwarders
from .jobs import ExistingQueue, JobPlan, Planned, StackPlan, TriggerPlan, plan_job, plan_stack

__all__ = [
    "ExistingQueue", "ForwardedTrigger", "ForwarderPlan", "JobPlan", "Planned", "StackPlan", "TriggerPlan",
    "load_environments", "load_spec", "load_specs", "plan_forwarders", "plan_job", "plan_stack", "plan_checks",
]


def plan_checks(spec: StackSpec) -> list[FieldError]:
    """What the model alone cannot see: problems of the plan, each at a field path of the spec."""
    plan = plan_stack(spec)
    # past a clash the plan's counts are not the template's: report the clash alone
    return collisions.check(plan) + run_control.check(plan) or limits.check(plan)


def load_spec(path: str | Path, *, text: str | None = None, env: str | None = None) -> StackSpec:
    """Read one spec and check it through to its plan. Raises SpecError naming file, line, column and field.
    A spec with `environments` needs ``env``: the stack of that environment."""
    return _load_spec(path, text=text, checks=(plan_checks,), env=env)


def load_environments(path: str | Path, *, text: str | None = None) -> list[StackSpec]:
    """Every environment's stack of one spec, checked through to its plan (one stack for a spec without any)."""
    return _load_environments(path, text=text, checks=(plan_checks,))


def load_specs(paths: list[Path]) -> list[tuple[Path, StackSpec]]:
    """Load every spec, reporting the problems of all files together (as ``model.load.load_specs``)."""
    return _load_specs(paths, checks=(plan_checks,))
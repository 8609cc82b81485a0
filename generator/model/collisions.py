"""Logical-ID collisions: no two resources of a stack's template may get one logical ID.

Kept apart on purpose: it is the one place the model reads the resources' names (resources/names.py,
imported lazily, plain data and functions), and a plan-stage check is to replace it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import FieldError

if TYPE_CHECKING:
    from .job import JobSpec


def pascal_case(name: str) -> str:
    """The logical-ID form of a name (the one resources/names.py gives it): `csv-analyzer` -> `CsvAnalyzer`."""
    from ..resources.names import pascal  # names.py is plain data and functions: no build dependencies load

    return pascal(name)


def logical_id_clash(names: list[str]) -> tuple[int, int] | None:
    """(earlier, later): the first two positions whose names become the same PascalCase logical ID."""
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        earlier = seen.setdefault(pascal_case(name), index)
        if earlier != index:
            return earlier, index
    return None


def check_logical_ids_unique(jobs: dict[str, JobSpec]) -> dict[str, JobSpec]:
    """No two resources of the template get one logical ID: job names and trigger names are joined in
    PascalCase, so a trigger named task-failed takes the job's task-failure rule's ID, and job report's
    trigger nightly-x job report-nightly's trigger x's. The IDs are the build's own (resources/names.py)."""
    from ..resources.names import stack_logical_ids

    seen: dict[str, Any] = {}
    for item in stack_logical_ids(jobs):
        earlier = seen.setdefault(item.id, item)
        if earlier is not item:
            raise _logical_id_collision(jobs, earlier, item)
    return jobs


def _logical_id_collision(jobs: dict[str, JobSpec], first: Any, second: Any) -> FieldError:
    """The error for two sources of one logical ID (``resources.names.LogicalId``), at the one written later
    in the spec: a job's own resources at its key, a trigger's at its name (or the trigger, if unnamed)."""
    order = list(jobs)

    def position(item: Any) -> tuple[int, int]:
        return (order.index(item.job) if item.job in jobs else -1, -1 if item.trigger is None else item.trigger)

    earlier, later = sorted((first, second), key=position)

    def trigger_words(item: Any) -> str:
        trigger = jobs[item.job].triggers[item.trigger]
        return f"trigger {trigger.name!r}" if trigger.name else f"trigger {item.trigger + 1} (default name trigger{item.trigger + 1})"

    if earlier.job is None:
        other = f"the stack's {earlier.what}"
    elif earlier.trigger is None:
        other = f"job {earlier.job}'s {earlier.what}"
    elif earlier.what in ("rule", "schedule"):
        other = f"job {earlier.job}'s {trigger_words(earlier)}"
    else:
        other = f"the {earlier.what} of job {earlier.job}'s {trigger_words(earlier)}"
    uses = f"gives logical ID {later.id}"
    if later.trigger is None:
        fix = "rename the job" + (" or that trigger" if earlier.trigger is not None else "")
        return FieldError(
            f"job name {later.job!r} {uses} to its {later.what}, which {other} already uses; {fix}", at=(later.job,)
        )
    trigger = jobs[later.job].triggers[later.trigger]
    if later.what not in ("rule", "schedule"):
        uses += f" (its {later.what})"
    if trigger.name:
        return FieldError(
            f"{trigger.name!r} {uses}, which {other} already uses; rename the trigger",
            at=(later.job, "triggers", later.trigger, "name"),
        )
    return FieldError(
        f"trigger {later.trigger + 1}'s default name 'trigger{later.trigger + 1}' {uses}, which {other} already "
        "uses; give the trigger a name",
        at=(later.job, "triggers", later.trigger),
    )

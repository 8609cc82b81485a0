"""No two resources of a template get one logical ID: checked on the plan, reported at the spec's line.

Logical IDs join job and trigger names in PascalCase, so different names can meet: jobs `a-b` and `aB`,
a trigger named `task-failed` (the job's task-failure rule is `<Job>TaskFailedRule`), or job report's
trigger `nightly-x` beside job report-nightly's trigger `x`. CloudFormation would refuse the template
(or one resource would silently replace the other in our own build), so the spec is refused instead,
at the name written later, naming the other.

Each check returns ``FieldError``s whose ``at`` is the full field path; the loader turns them into
``file:line:col`` problems (``model.load.load_spec(..., checks=...)``).
"""

from __future__ import annotations

from typing import Any

from ..model.base import FieldError
from . import names
from .jobs import Planned, StackPlan


def first_clash(items: list[str]) -> tuple[int, int] | None:
    """(earlier, later): the first two positions whose names become the same PascalCase logical-ID part."""
    seen: dict[str, int] = {}
    for index, name in enumerate(items):
        earlier = seen.setdefault(names.pascal(name), index)
        if earlier != index:
            return earlier, index
    return None


def check(plan: StackPlan) -> list[FieldError]:
    """Trigger names that clash within a job (every job), job names that clash; only when neither, the
    first logical ID two resources share."""
    problems = [problem for job in plan.jobs.values() if (problem := _trigger_names(job.name, job.spec))]
    jobs = list(plan.jobs)
    clash = first_clash(jobs)
    if clash:
        earlier, name = (jobs[i] for i in clash)
        problems.append(FieldError(
            f"job names {earlier!r} and {name!r} both become {names.pascal(name)!r} in logical IDs: rename one",
            at=("jobs", name),
        ))
    if problems:
        return problems
    # every stack-level ID is reserved, present or not: a job must not take one the stack may get later
    seen: dict[str, Planned] = {logical_id: Planned(logical_id, "", "stack resource") for logical_id in names.STACK_IDS}
    for item in (item for job in plan.jobs.values() for item in job.resources):
        earlier = seen.setdefault(item.id, item)
        if earlier is not item:
            return [_collision(plan.spec.jobs, earlier, item)]
    return []


def _trigger_names(job_name: str, job: Any) -> FieldError | None:
    trigger_names = job.trigger_names()
    clash = first_clash(trigger_names)
    if not clash:
        return None
    earlier, later = clash

    def called(index: int) -> str:
        own = job.triggers[index].name
        return f"trigger {index + 1}'s {'name' if own else 'default name'} {trigger_names[index]!r}"

    return FieldError(
        f"{called(later)} and {called(earlier)} both become {names.pascal(trigger_names[later])!r} in logical IDs: "
        "give the triggers distinct names",
        at=("jobs", job_name, "triggers", later),
    )


def _collision(jobs: dict[str, Any], first: Planned, second: Planned) -> FieldError:
    """The error for two sources of one logical ID, at the one written later in the spec: a job's own
    resources at its key, a trigger's at its name (or the trigger, if unnamed)."""
    order = list(jobs)

    def position(item: Planned) -> tuple[int, int]:
        return (order.index(item.job) if item.job in jobs else -1, -1 if item.trigger is None else item.trigger)

    earlier, later = sorted((first, second), key=position)

    def trigger_words(item: Planned) -> str:
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
            f"job name {later.job!r} {uses} to its {later.what}, which {other} already uses; {fix}", at=("jobs", later.job)
        )
    trigger = jobs[later.job].triggers[later.trigger]
    if later.what not in ("rule", "schedule"):
        uses += f" (its {later.what})"
    if trigger.name:
        return FieldError(
            f"{trigger.name!r} {uses}, which {other} already uses; rename the trigger",
            at=("jobs", later.job, "triggers", later.trigger, "name"),
        )
    return FieldError(
        f"trigger {later.trigger + 1}'s default name 'trigger{later.trigger + 1}' {uses}, which {other} already "
        "uses; give the trigger a name",
        at=("jobs", later.job, "triggers", later.trigger),
    )

"""CloudFormation's per-template limits, checked on the plan before anything is built.

A stack past 500 resources, 200 outputs or 200 parameters cannot be created, so its spec is bad input:
refused at the file's `jobs` (or the job's line, for a job's own stack under `split: per_job`) with the
count, the limit and the way out. The quotas and their source are in ``generator.template.quotas``
("Understand CloudFormation quotas",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
The byte size is known only once rendered: ``pipeline`` checks it (``too_large``).

Names under `split: per_job` are checked here too: a job's stack `<stack>-<job>` has at most 128
characters, and the task-failure rules the shared topic lets publish are named `<stack>-...` within 64.
"""

from __future__ import annotations

from ..model.base import FieldError
from ..model.limits import MAX_STACK_NAME
from ..template.quotas import MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_S3
from . import names
from .jobs import StackPlan
from .split import StackPart

WAY_OUT = "set `split: per_job` to give each job its own stack"
# the stack name leaves room in a 64-character rule name for `-`, a job's first letters, `-` and the hash
MAX_SPLIT_STACK_NAME = names.MAX_RULE_NAME - names.RULE_NAME_HASH - 2


def check(plan: StackPlan) -> list[FieldError]:
    problems = _names(plan)
    for part in plan.parts():
        where = ("jobs", part.job) if part.job else ("jobs",)
        for what, count, limit in (
            ("resources", part.resource_count, MAX_RESOURCES),
            ("outputs", len(part.outputs), MAX_OUTPUTS),
            ("parameters", len(part.parameters), MAX_PARAMETERS),
        ):
            if count > limit:
                problems.append(FieldError(_message(plan, part, what, count, limit), at=where))
    return problems


def _message(plan: StackPlan, part: StackPart, what: str, count: int, limit: int) -> str:
    text = f"stack {part.name} would have {count} {what}, over CloudFormation's {limit} per template"
    if part.job is not None:
        return text + ": give this job fewer triggers (or move some into another job)"
    if plan.split:
        return text
    return f"{text} ({len(plan.jobs)} jobs): {WAY_OUT}, or move jobs into another spec"


def too_large(part_name: str, size: int, split: bool) -> str | None:
    """The message for a rendered template over CloudFormation's 1 MB (None: within it)."""
    if size <= MAX_TEMPLATE_S3:
        return None
    text = f"the template of stack {part_name} would be {size:,} bytes, over CloudFormation's {MAX_TEMPLATE_S3:,}"
    return text + ("" if split else f": {WAY_OUT}, or move jobs into another spec")


def _names(plan: StackPlan) -> list[FieldError]:
    if not plan.split:
        return []
    stack = plan.spec.stack
    problems = []
    if plan.alarms and plan.spec.sns_topic_created and len(stack) > MAX_SPLIT_STACK_NAME:
        problems.append(FieldError(
            f"with split: per_job and alarms, a stack name has at most {MAX_SPLIT_STACK_NAME} characters (this one "
            f"has {len(stack)}): each job's task-failure rule is named `{stack}-...` within EventBridge's "
            f"{names.MAX_RULE_NAME}, so that the shared topic's policy can let exactly those rules publish",
            at=("stack",),
        ))
    for job in plan.jobs:
        name = names.job_stack_name(stack, job)
        if len(name) > MAX_STACK_NAME:
            problems.append(FieldError(
                f"with split: per_job this job's stack is {name!r}, {len(name)} characters: CloudFormation allows "
                f"{MAX_STACK_NAME}; shorten the job or stack name",
                at=("jobs", job),
            ))
    return problems

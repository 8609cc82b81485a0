"""Which stack each resource goes to: one stack, or with `split: per_job` a shared stack and one per job.

With `split: per_job` the stack `<stack>` holds what the jobs share (a created key and cluster, the alarm
topic and its policy, the schedule group and its alarm) and exports it; each job's stack `<stack>-<job>`
holds every resource of that job and imports what it uses (``Fn::ImportValue`` of `<stack>-<output>`).
A job's stack depends only on that job and the shared settings, so adding, removing or changing one job
changes no other job's template, and a job's retained log group never moves between stacks.

Export names are unique per account and Region, and a stack whose export another stack imports cannot be
deleted nor that export changed ("After another stack imports an output value, you can't delete the stack
that is exporting the output value or modify the exported output value",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html):
the shared values (ARNs and names of resources that are never replaced) do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import names
from .jobs import PARAMETER, Planned

if TYPE_CHECKING:
    from .jobs import StackPlan


@dataclass(frozen=True)
class StackPart:
    """One CloudFormation stack of a spec: its name, the job it holds (None: the shared or only stack), and
    the logical IDs of its resources (and parameters), outputs and imports."""

    name: str
    job: str | None
    resources: tuple[Planned, ...]
    outputs: tuple[str, ...]
    imports: tuple[str, ...] = ()  # export names it imports (`<stack>-<output>`)
    shared: bool = False  # the shared stack of a split spec

    @property
    def filename(self) -> str:
        """templates/<name>.yaml: a job's stack beside its shared stack, `<stack>-<job>.yaml`, so that a
        folder of templates stays one file per stack (as `deploy TEMPLATE` and `generate --check` read it)."""
        return f"{self.name}.yaml"

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.resources if item.kind == PARAMETER)

    @property
    def resource_count(self) -> int:
        return sum(1 for item in self.resources if item.kind != PARAMETER)


def shared_outputs(plan: "StackPlan") -> tuple[str, ...]:
    found: list[str] = []
    for item in plan.stack_resources:
        found.extend(names.SHARED_OUTPUTS.get(item.id, ()))
    return tuple(found)


def job_imports(plan: "StackPlan", job_name: str) -> tuple[str, ...]:
    """The shared exports a job's stack imports: only those its own resources use."""
    job = plan.jobs[job_name]
    present = {item.id for item in plan.stack_resources}
    wanted: list[str] = []
    if names.ENCRYPTION_KEY in present:
        wanted.append("EncryptionKeyArn")
    if names.CLUSTER in present:
        wanted.append("ClusterArn")  # (and ClusterName, read only where the job's tasks are tagged)
    if names.ALARM_TOPIC in present and job.alarms:
        wanted.append("AlarmTopicArn")
    if names.SCHEDULE_GROUP in present and job.uses_scheduler:
        wanted.append("ScheduleGroupName")
    return tuple(f"{plan.spec.stack}-{output}" for output in wanted)


def parts(plan: "StackPlan") -> list[StackPart]:
    if not plan.split:
        return [StackPart(plan.spec.stack, None, tuple(plan.resources()), tuple(plan.outputs()))]
    found = []
    if plan.stack_resources:
        found.append(StackPart(plan.spec.stack, None, plan.stack_resources, shared_outputs(plan), shared=True))
    for name, job in plan.jobs.items():
        found.append(StackPart(names.job_stack_name(plan.spec.stack, name), name, job.resources, job.outputs,
                               job_imports(plan, name)))
    return found

"""The plan of a run-controlled job (`timeout`, `task_retries`, `overlap: skip`): what it gets beyond a
direct-target job, its logical IDs and physical names. plan/jobs.py calls in here; a job that sets none
of the three fields gets nothing from this module, so its plan (and template) stay as they were.

What each resource does, and the AWS behaviour it relies on, is said in resources/state_machine.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model.base import FieldError
from .names import pascal

if TYPE_CHECKING:
    from .jobs import JobPlan, Planned, StackPlan

# Step Functions: "The name of the state machine ... must be 1-80 characters long"
# (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html, `name`)
MAX_STATE_MACHINE_NAME = 80
RUN_CONTROL_FIELDS = ("timeout", "task_retries", "overlap")


@dataclass(frozen=True)
class RunControlNames:
    """Logical IDs of a run-controlled job's extra resources."""

    job: str

    def _id(self, suffix: str) -> str:
        return f"{pascal(self.job)}{suffix}"

    @property
    def state_machine(self) -> str:
        return self._id("StateMachine")

    @property
    def state_machine_role(self) -> str:
        return self._id("StateMachineRole")

    @property
    def state_machine_log_group(self) -> str:
        return self._id("StateMachineLogGroup")

    @property
    def executions_failed_alarm(self) -> str:
        return self._id("ExecutionsFailedAlarm")

    @property
    def executions_timed_out_alarm(self) -> str:
        return self._id("ExecutionsTimedOutAlarm")


def state_machine_name(stack: str, job_name: str) -> str:
    """`<stack>-<job>`, like the task family: fixed, so the role can name the state machine's ARN without
    referring to the resource (the state machine refers to the role: a Ref back would be a cycle), and so
    `run` and `status` find it without the stack."""
    return f"{stack}-{job_name}"


def state_machine_log_group_name(stack: str, job_name: str) -> str:
    """Under /aws/vendedlogs/: CloudWatch Logs then covers the log delivery with one wildcard entry in its
    resource policy instead of one per log group (the policy is limited to 5,120 characters)."""
    return f"/aws/vendedlogs/states/{stack}-{job_name}"


def planned(job: JobPlan) -> list[Planned]:
    """The state machine, its role and log group (in build order); its two alarms come with the job's alarms."""
    from .jobs import Planned

    ids = RunControlNames(job.name)
    return [
        Planned(ids.state_machine_log_group, "AWS::Logs::LogGroup", "state machine log group", job.name),
        Planned(ids.state_machine_role, "AWS::IAM::Role", "state machine role", job.name),
        Planned(ids.state_machine, "AWS::StepFunctions::StateMachine", "state machine", job.name),
    ]


def planned_alarms(job: JobPlan) -> list[Planned]:
    from .jobs import Planned

    ids = RunControlNames(job.name)
    return [
        Planned(ids.executions_failed_alarm, "AWS::CloudWatch::Alarm", "executions-failed alarm", job.name),
        Planned(ids.executions_timed_out_alarm, "AWS::CloudWatch::Alarm", "executions-timed-out alarm", job.name),
    ]


def describe(job: Any) -> list[str]:
    """The state machine in words (review, and the template's Metadata), in the order it acts."""
    from ..model.run_control import retry_delays

    lines = []
    if job.skips_overlap:
        lines.append("skips the run (and records it) when another run of the job is still going")
    line = "runs the task and waits for it to stop"
    if job.timeout is not None:
        line += f"; stops it after {job.timeout}s (counts as failed, not retried)"
    lines.append(line)
    if job.task_retries:
        delays = ", ".join(f"{d}s" for d in retry_delays(job.task_retries))
        lines.append(f"runs a task that failed to start or exited non-zero again up to {job.task_retries} "
                     f"more time(s), after {delays}")
    return lines


def _field_set(job: Any) -> str:
    """The run-control field that makes the job run-controlled (for an error's position)."""
    for field in RUN_CONTROL_FIELDS:
        if getattr(job, field) not in (None, 0, "allow"):
            return field
    return RUN_CONTROL_FIELDS[0]


def check(plan: StackPlan) -> list[FieldError]:
    """A run-controlled job's state machine name fits Step Functions' 80 characters."""
    problems = []
    for name, job in plan.jobs.items():
        if not job.spec.run_controlled:
            continue
        machine = state_machine_name(plan.spec.stack, name)
        if len(machine) > MAX_STATE_MACHINE_NAME:
            problems.append(FieldError(
                f"the job's state machine would be named {machine!r} ({len(machine)} characters; Step Functions "
                f"allows {MAX_STATE_MACHINE_NAME}): shorten the stack or job name",
                at=("jobs", name, _field_set(job.spec)),
            ))
    return problems

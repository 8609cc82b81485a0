"""Run control: `timeout`, `task_retries` and `overlap`, the job fields that put a Step Functions state
machine between the job's triggers and its task.

EventBridge's `retry` (job_parts.RetrySpec) retries only the *call* to RunTask. Once a task has started,
nothing in a direct ECS target notices that it exits non-zero, hangs, or overlaps the previous run. Any of
these three fields therefore turns the job's targets into a STANDARD state machine around Step Functions'
`ecs:runTask.sync` integration, which waits for the task to stop (resources/state_machine.py says what it
does, and cites AWS). A job that sets none of them keeps today's direct ECS target, byte for byte.

The fields live here, in their own mix-in, so that model/job.py only lists it among its bases.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from .base import Duration, Strict
from .checks import parse_duration_seconds

# Step Functions: a STANDARD execution runs for at most one year; a task state's TimeoutSeconds is a
# positive integer. A batch job's run is capped here at 7 days, long past any sane batch run, which keeps
# the execution's own backstop timeout (attempts x timeout + backoff) far below the one-year limit.
MIN_TIMEOUT_SECONDS = 60
MAX_TIMEOUT_SECONDS = 7 * 24 * 3600
MAX_TASK_RETRIES = 10

# The backoff between attempts: Step Functions Retry, IntervalSeconds x BackoffRate^(n-1) before the n-th retry.
RETRY_INTERVAL_SECONDS = 60
RETRY_BACKOFF_RATE = 2.0


class RunControl(Strict):
    """Mixed into JobSpec (and so into `defaults`): the three run-control fields."""

    timeout: Duration | None = Field(
        None,
        description="Stop a task that runs longer than this and count the run as failed: 1m-168h, e.g. 30m, 2h "
        "(default: no limit). Runs the job through Step Functions.",
    )
    task_retries: int | None = Field(
        None,
        description="Run a task that fails to start or exits non-zero again, up to this many more times (0-10), "
        "after 1m, 2m, 4m, ... (default: none). Runs the job through Step Functions.",
    )
    overlap: Literal["allow", "skip"] | None = Field(
        None,
        description="skip: a trigger that fires while a run of the job is still going starts nothing and records "
        "that it skipped; allow (default): runs may overlap. skip runs the job through Step Functions.",
    )

    @field_validator("timeout", mode="before")
    @classmethod
    def _timeout(cls, value: Any) -> Any:
        if value is None:
            return None
        return parse_duration_seconds(value, minimum=MIN_TIMEOUT_SECONDS, maximum=MAX_TIMEOUT_SECONDS, what="timeout")

    @field_validator("task_retries")
    @classmethod
    def _retries(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_TASK_RETRIES:
            raise ValueError(f"{value} is out of range: task_retries must be between 0 and {MAX_TASK_RETRIES}")
        return value

    @property
    def run_controlled(self) -> bool:
        """The job runs through a state machine: it sets a timeout, retries, or `overlap: skip`.

        `task_retries: 0` and `overlap: allow` ask for nothing a direct target does not do, so they alone
        keep the direct target."""
        return self.timeout is not None or bool(self.task_retries) or self.overlap == "skip"

    @property
    def skips_overlap(self) -> bool:
        return self.overlap == "skip"


def retry_delays(retries: int) -> list[int]:
    """Seconds waited before each retry: 60, 120, 240, ... (Step Functions' IntervalSeconds x BackoffRate^n)."""
    return [int(RETRY_INTERVAL_SECONDS * RETRY_BACKOFF_RATE**n) for n in range(retries)]


def check_run_control(job: Any) -> None:
    """A run-controlled job starts one task per run: `runTask.sync` waits for "the task" and Step Functions
    documents nothing for a RunTask with Count above 1, so the two are not combined (unverified either way)."""
    from .base import FieldError

    if job.run_controlled and job.task_count != 1:
        raise FieldError(
            f"task_count {job.task_count} with timeout, task_retries or overlap: skip: a run through Step "
            "Functions starts exactly one task; drop task_count or the run-control fields",
            at=("task_count",),
        )

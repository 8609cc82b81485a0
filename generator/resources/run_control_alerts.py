"""A run-controlled job's alerts: the state machine's two alarms, and its failure rule (one alert per run).

resources/state_machine.py says what the state machine does; this is what tells the team when it fails.
`ExecutionsFailed`: a run failed after its retries, or its task timed out (the task state's timeout fails
the execution). `ExecutionsTimedOut`: the execution passed its own backstop limit. The failure rule watches
the state machine's executions, not each ECS task, so an attempt that a retry makes good alerts nobody.
"""

from __future__ import annotations

from typing import Any

from troposphere.cloudwatch import MetricDimension
from troposphere.events import InputTransformer, Rule, Target

from ..plan.names import JobNames
from ..plan.run_control import RunControlNames
from .alarms import _alarm
from .context import StackContext, why
from .state_machine import state_machine_arn


def add_state_machine_alarms(ctx: StackContext, job_name: str) -> None:
    ids = RunControlNames(job_name)
    dimensions = [MetricDimension(Name="StateMachineArn", Value=state_machine_arn(job_name))]
    _alarm(
        ctx, ids.executions_failed_alarm,
        f"{job_name}: a run failed (its task failed to start, exited non-zero after its retries, or timed out).",
        "AWS/States", "ExecutionsFailed", dimensions, "Sum",
        f"Tells the team that a run of job {job_name} failed after its retries.",
    )
    _alarm(
        ctx, ids.executions_timed_out_alarm,
        f"{job_name}: a run passed the execution's time limit (timeout x attempts + backoff).",
        "AWS/States", "ExecutionsTimedOut", dimensions, "Sum",
        f"Tells the team that a run of job {job_name} hung past its whole time limit.",
    )


def execution_failed_pattern(job_name: str) -> dict[str, Any]:
    """Executions of this state machine that ended badly
    (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html, "Step Functions Execution Status Change")."""
    return {
        "source": ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        "detail": {
            "stateMachineArn": [state_machine_arn(job_name)],
            "status": ["FAILED", "TIMED_OUT", "ABORTED"],
        },
    }


EXECUTION_FAILED_PATHS = {
    "execution": "$.detail.executionArn",
    "status": "$.detail.status",
    "error": "$.detail.error",
    "cause": "$.detail.cause",
}
EXECUTION_FAILED_MESSAGE = (
    '"Job <job> run <execution> ended <status>: <error> (after its retries). See status and the job logs."'
)


def add_execution_failed_rule(ctx: StackContext, job_name: str):
    """The job's failure alert for a run-controlled job: an execution that ended FAILED, TIMED_OUT or
    ABORTED, so a run whose task failed once and then succeeded on a retry notifies nothing."""
    return ctx.template.add_resource(
        Rule(
            JobNames(job_name).task_failed_rule,
            Description=f"Alert when a run of {job_name} fails after its retries, times out or is stopped",
            State="ENABLED",
            EventPattern=execution_failed_pattern(job_name),
            Targets=[
                Target(
                    Id="notify",
                    Arn=ctx.topic_arn,
                    InputTransformer=InputTransformer(
                        InputPathsMap=EXECUTION_FAILED_PATHS,
                        InputTemplate=EXECUTION_FAILED_MESSAGE.replace("<job>", job_name),
                    ),
                )
            ],
            Metadata=why(
                f"Job {job_name} runs through a state machine: this rule watches its executions, not each task, "
                "so an attempt that a retry makes good alerts nobody.",
                must=["Watches FAILED, TIMED_OUT and ABORTED executions of this job's state machine only"],
                mutable="review-required",
            ),
        )
    )

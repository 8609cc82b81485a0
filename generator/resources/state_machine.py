"""A run-controlled job's Step Functions state machine, its role, log group and alarms.

A job with `timeout`, `task_retries` or `overlap: skip` (model/run_control.py) is started through a
STANDARD state machine around Step Functions' "Run a Job" ECS integration, `ecs:runTask.sync`: Step
Functions calls RunTask and waits for the task to stop, so what the task does (exit code, duration) is
the state's outcome. Rules and schedules start executions instead of tasks; the execution input is the
RunTask overrides the target carried before, in the integration's PascalCase member names.

The definition, as data (``definition``), deterministic:

1. overlap skip: `CheckRunning` lists this state machine's RUNNING executions (`aws-sdk:sfn:listExecutions`,
   at most 2: this one and one more is enough to know) and `AnotherRunGoing` ends the execution in
   `Skipped` (a Pass state whose output records {"skipped": true, ...}; the execution *succeeds*, so
   nothing alarms) when any other is running. The race: two executions starting together may each see
   the other and both skip; they can never both run, as each lists after it has itself started
   (assuming ListExecutions reflects a started execution at once: unverified, AWS does not document the
   consistency of ListExecutions). A skipped run is never queued for later.
2. `RunTask`: `arn:aws:states:::ecs:runTask.sync`.
   - task_retries: a Retry on `States.TaskFailed` after 60s, 120s, 240s, ... (IntervalSeconds 60,
     BackoffRate 2, MaxAttempts = task_retries). `States.TaskFailed` is what the state raises when the
     task cannot be started (RunTask's Failures: "the task is failed with an AmazonECS.Unknown error",
     which States.TaskFailed matches) or when it stops with the essential container's non-zero exit code
     (as the brief for issue 11 says; the connect-ecs page below describes the .sync pattern, the exact
     error on a non-zero exit is unverified here). States.TaskFailed "matches any known error name except
     for States.Timeout", so a timed-out task is not retried: it counts as failed at once.
   - timeout: the state's TimeoutSeconds, per attempt. When a .sync task state times out, Step Functions
     stops the ECS task it started (its role holds ecs:StopTask for this) rather than abandoning it
     (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync; the
     StopTask on timeout is how the ECS IAM page explains ecs:StopTask, wording unverified).
   - the execution as a whole gets TimeoutSeconds = attempts x timeout + the backoff + 10 minutes: a
     backstop the ExecutionsTimedOut alarm reports (the task state's own timeout fails the execution,
     which ExecutionsFailed reports).

Notifications: the job's failure rule (alarms.add_task_failed_rule) watches this state machine's
executions that end FAILED, TIMED_OUT or ABORTED instead of each ECS task: a run that fails and then
succeeds on a retry notifies nothing; a run whose last attempt fails notifies once. `run --direct`
starts the task without the state machine, and then without retries and without a notification.

AWS: https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html ("Parameters in Step
Functions are expressed in PascalCase"; "If a non-empty Failures field is encountered, the task is
failed with an AmazonECS.Unknown error"); IAM: https://docs.aws.amazon.com/step-functions/latest/dg/ecs-iam.html;
error names: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
"""

from __future__ import annotations

from typing import Any

from awacs.aws import Action, Allow, Condition, Statement, StringEquals
from troposphere import GetAtt, Ref, Sub
from troposphere.logs import LogGroup
from troposphere.stepfunctions import (
    CloudWatchLogsLogGroup,
    LogDestination,
    LoggingConfiguration,
    StateMachine,
    TracingConfiguration,
)

from ..model import JobSpec
from ..model.run_control import RETRY_BACKOFF_RATE, RETRY_INTERVAL_SECONDS, retry_delays
from ..plan.names import JobNames
from ..plan.run_control import RunControlNames, describe, state_machine_log_group_name, state_machine_name
from .cluster import cluster_name
from .context import StackContext, why
from .iam import _role, run_task_grants
from .targets import pascal_case, propagates_tags, run_task_request

STATES = "states.amazonaws.com"
RUN_TASK_SYNC = "arn:${AWS::Partition}:states:::ecs:runTask.sync"
LIST_EXECUTIONS = "arn:${AWS::Partition}:states:::aws-sdk:sfn:listExecutions"
# The managed rule through which .sync learns that the task stopped (ecs-iam.html)
SYNC_RULE = "StepFunctionsGetEventsForECSTaskRule"
BACKSTOP_MARGIN_SECONDS = 600

# Step Functions' CloudWatch Logs delivery: "these actions ... do not support resource-level permissions"
# hence Resource "*" (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html, the IAM policy
# for logging; model/policy_rules.py lists them for lint rule E9202).
LOG_DELIVERY_ACTIONS = (
    "CreateLogDelivery",
    "GetLogDelivery",
    "UpdateLogDelivery",
    "DeleteLogDelivery",
    "ListLogDeliveries",
    "PutResourcePolicy",
    "DescribeResourcePolicies",
    "DescribeLogGroups",
)

CHECK_RUNNING, ANOTHER_RUN, SKIPPED, RUN_TASK = "CheckRunning", "AnotherRunGoing", "Skipped", "RunTask"


def state_machine_arn(job_name: str) -> Ref:
    """Ref of AWS::StepFunctions::StateMachine is its ARN."""
    return Ref(RunControlNames(job_name).state_machine)


def _named_state_machine_arn(ctx: StackContext, job_name: str) -> Sub:
    """The ARN from the fixed name: the role names it without a Ref (the state machine Refs the role)."""
    return Sub(
        "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"
        + state_machine_name(ctx.spec.stack, job_name)
    )


def run_task_parameters(ctx: StackContext, job: JobSpec) -> dict[str, Any]:
    """The RunTask request every other target sends (targets.run_task_request), in the integration's
    PascalCase; the overrides are the execution input. No Count: run control runs one task (model/run_control.py)."""
    params = pascal_case(run_task_request(ctx.spec, job, cluster="${ClusterArn}", task_definition="${TaskDefinitionArn}"))
    del params["Count"]
    params["Overrides.$"] = "$$.Execution.Input"
    return params


def execution_timeout(job: JobSpec) -> int | None:
    """The execution's backstop: every attempt's timeout, the waits between them, and a margin."""
    if job.timeout is None:
        return None
    retries = job.task_retries or 0
    return job.timeout * (retries + 1) + sum(retry_delays(retries)) + BACKSTOP_MARGIN_SECONDS


def definition(ctx: StackContext, job_name: str, job: JobSpec) -> dict[str, Any]:
    """The state machine's definition (Amazon States Language, JSONPath), placeholders ${...} filled by
    DefinitionSubstitutions."""
    run: dict[str, Any] = {
        "Type": "Task",
        "Comment": f"Run job {job_name}'s task and wait for it to stop",
        "Resource": "${RunTaskSync}",
        "Parameters": run_task_parameters(ctx, job),
    }
    if job.timeout is not None:
        run["TimeoutSeconds"] = job.timeout
    if job.task_retries:
        run["Retry"] = [{
            "ErrorEquals": ["States.TaskFailed"],
            "IntervalSeconds": RETRY_INTERVAL_SECONDS,
            "BackoffRate": RETRY_BACKOFF_RATE,
            "MaxAttempts": job.task_retries,
        }]
    run["End"] = True
    states: dict[str, Any] = {}
    if job.skips_overlap:
        states[CHECK_RUNNING] = {
            "Type": "Task",
            "Comment": "Other running executions of this state machine (this one is one of them)",
            "Resource": "${ListExecutions}",
            "Parameters": {"StateMachineArn.$": "$$.StateMachine.Id", "StatusFilter": "RUNNING", "MaxResults": 2},
            "ResultSelector": {"running.$": "States.ArrayLength($.Executions)"},
            "ResultPath": "$.overlap",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}],
            "Next": ANOTHER_RUN,
        }
        states[ANOTHER_RUN] = {
            "Type": "Choice",
            "Choices": [{"Variable": "$.overlap.running", "NumericGreaterThan": 1, "Next": SKIPPED}],
            "Default": RUN_TASK,
        }
        states[SKIPPED] = {
            "Type": "Pass",
            "Comment": "overlap: skip, and another run is still going",
            "Result": {"skipped": True, "reason": f"another run of job {job_name} was still running"},
            "End": True,
        }
    states[RUN_TASK] = run
    machine: dict[str, Any] = {
        "Comment": f"batchjobs: run control of job {job_name}",
        "StartAt": CHECK_RUNNING if job.skips_overlap else RUN_TASK,
        "States": states,
    }
    backstop = execution_timeout(job)
    if backstop is not None:
        machine["TimeoutSeconds"] = backstop
    return machine


def add_state_machine_log_group(ctx: StackContext, job_name: str, job: JobSpec) -> LogGroup:
    """Encrypted with the stack's key when it has one, as the job's own log group is (resources/logs.py); the
    key policy lets CloudWatch Logs use it for this name (resources/encryption.py). Unverified against AWS:
    that Step Functions' log delivery writes to a log group encrypted with a customer managed key with no
    more than that statement (the delivery is CloudWatch Logs' own; no source says otherwise)."""
    ids = RunControlNames(job_name)
    encrypted = {"KmsKeyId": ctx.kms_key_arn} if ctx.kms_key_arn is not None else {}
    return ctx.template.add_resource(
        LogGroup(
            ids.state_machine_log_group,
            DeletionPolicy="Retain",
            UpdateReplacePolicy="Retain",
            LogGroupName=state_machine_log_group_name(ctx.spec.stack, job_name),
            RetentionInDays=job.log_retention_days,
            **encrypted,
            **ctx.tag_props(job.tags),
            Metadata=why(
                f"Execution history of job {job_name}'s state machine (errors, without execution data), kept "
                f"{job.log_retention_days} days (log_retention_days).",
                mutable="free-to-tune",
                checkov_skips=None if encrypted else {
                    "CKV_AWS_158": "CloudWatch Logs encrypts all log data at rest by default (service-owned "
                    "keys). A KMS key must let logs.<region>.amazonaws.com use it, so the stack uses one only "
                    "when kms_key is set.",
                },
            ),
        )
    )


def state_machine_statements(ctx: StackContext, job_name: str, job: JobSpec) -> list[Statement]:
    """What Step Functions needs for `ecs:runTask.sync` (ecs-iam.html), scoped to this job:
    RunTask on this task definition in this cluster; PassRole on its two roles to ECS tasks; StopTask and
    DescribeTasks on the cluster's tasks (the doc's example uses "*" as the task ARN is unknown beforehand;
    both actions take the `task` resource type, so the cluster's tasks are enough); the managed rule
    StepFunctionsGetEventsForECSTaskRule; ListExecutions of this state machine for overlap: skip; log delivery."""
    ids = JobNames(job_name)
    tasks = Sub("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*", Cluster=cluster_name(ctx))
    statements = run_task_grants(ctx, ids) + [
        Statement(Effect=Allow, Action=[Action("ecs", "StopTask"), Action("ecs", "DescribeTasks")], Resource=[tasks]),
        Statement(
            Effect=Allow,
            Action=[Action("events", a) for a in ("PutTargets", "PutRule", "DescribeRule")],
            Resource=[Sub(f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/{SYNC_RULE}")],
        ),
    ]
    if propagates_tags(ctx.spec, job):
        statements.append(Statement(
            Effect=Allow,
            Action=[Action("ecs", "TagResource")],
            Resource=[tasks],
            Condition=Condition(StringEquals({"ecs:CreateAction": "RunTask"})),
        ))
    if job.skips_overlap:
        statements.append(Statement(
            Effect=Allow, Action=[Action("states", "ListExecutions")], Resource=[_named_state_machine_arn(ctx, job_name)]
        ))
    statements.append(Statement(Effect=Allow, Action=[Action("logs", a) for a in LOG_DELIVERY_ACTIONS], Resource=["*"]))
    return statements


def add_state_machine_role(ctx: StackContext, job_name: str, job: JobSpec):
    return _role(
        ctx,
        RunControlNames(job_name).state_machine_role,
        STATES,
        state_machine_statements(ctx, job_name, job),
        job,
        text=f"Step Functions assumes it to run job {job_name}'s task and wait for it (ecs:runTask.sync).",
        must=[
            "RunTask stays scoped to this task definition and cluster",
            "PassRole only for this job's two roles, only to ecs-tasks.amazonaws.com",
            "Log delivery actions are the only ones on '*' (AWS authorizes them on '*' alone)",
        ],
        mutable="review-required",
    )


def add_state_machine(ctx: StackContext, job_name: str, job: JobSpec) -> StateMachine:
    ids, machine_ids = JobNames(job_name), RunControlNames(job_name)
    substitutions: dict[str, Any] = {
        "ClusterArn": ctx.cluster_arn,
        "TaskDefinitionArn": Ref(ids.task_definition),
        "RunTaskSync": Sub(RUN_TASK_SYNC),
    }
    if job.skips_overlap:
        substitutions["ListExecutions"] = Sub(LIST_EXECUTIONS)
    props: dict[str, Any] = dict(
        StateMachineName=state_machine_name(ctx.spec.stack, job_name),
        StateMachineType="STANDARD",
        RoleArn=GetAtt(machine_ids.state_machine_role, "Arn"),
        Definition=definition(ctx, job_name, job),
        DefinitionSubstitutions=substitutions,
        LoggingConfiguration=LoggingConfiguration(
            Level="ERROR",
            IncludeExecutionData=False,
            Destinations=[LogDestination(CloudWatchLogsLogGroup=CloudWatchLogsLogGroup(
                LogGroupArn=GetAtt(machine_ids.state_machine_log_group, "Arn")
            ))],
        ),
        TracingConfiguration=TracingConfiguration(Enabled=False),
    )
    props.update(ctx.tag_props(job.tags))
    return ctx.template.add_resource(
        StateMachine(
            machine_ids.state_machine,
            Metadata=why(
                f"Runs job {job_name}: " + "; ".join(describe(job)) + ".",
                must=[
                    "Execution input is the RunTask overrides (PascalCase); the RunTask state waits (.sync)",
                    "Retries only States.TaskFailed: a timed-out task is not run again",
                ],
                mutable="review-required",
                checkov_skips={
                    "CKV_AWS_284": "X-Ray tracing is off: one ECS task per execution has nothing to trace; "
                    "execution history and error logs cover it.",
                    "CKV_AWS_285": "Execution history is logged (level ERROR, to its own log group); "
                    "execution data is left out of the logs as it carries the job's event values.",
                },
            ),
            **props,
        )
    )


def start_execution_statements(job_name: str, dead_letter_queues: list[Any], dead_letter_key: Any = None) -> list[Statement]:
    """A run-controlled job's rules and schedules may start executions of its state machine, nothing else
    (Scheduler: "Step Functions – StartExecution" is a templated target,
    https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html)."""
    statements = [
        Statement(Effect=Allow, Action=[Action("states", "StartExecution")], Resource=[state_machine_arn(job_name)])
    ]
    if dead_letter_queues:
        statements.append(Statement(Effect=Allow, Action=[Action("sqs", "SendMessage")], Resource=dead_letter_queues))
    if dead_letter_key is not None:
        statements.append(Statement(
            Effect=Allow,
            Action=[Action("kms", "GenerateDataKey"), Action("kms", "Decrypt")],
            Resource=[dead_letter_key],
            Condition=Condition(StringEquals({"kms:ViaService": Sub("sqs.${AWS::Region}.amazonaws.com")})),
        ))
    return statements


NO_OVERRIDES = "{}"  # the execution input of a trigger without overrides: RunTask gets empty Overrides
EXECUTION_INPUT_MUST = "Target starts the job's state machine; its input is the RunTask overrides in PascalCase"

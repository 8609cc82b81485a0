"""Alarms and failed-task alerts: what replaces the seed's non-existent `TaskExitCode` metric.

- per rule: `AWS/Events FailedInvocations` (RunTask could not be called: permissions, bad overrides)
- per DLQ: any visible message (an event was given up on)
- per Scheduler group: `AWS/Scheduler TargetErrorCount`
- per job: an "ECS Task State Change" rule for tasks that stopped with a non-zero exit code, never started or
  were interrupted on Fargate Spot, and a FailedInvocations alarm on that rule (its notice may not be delivered)
Metrics that are only published when non-zero need `TreatMissingData: notBreaching`.
"""

from __future__ import annotations

from troposphere import And, Equals, GetAtt, Ref, Select, Split
from troposphere.cloudwatch import Alarm, MetricDimension
from troposphere.events import InputTransformer, Rule, Target

from ..model import JobSpec, TriggerSpec
from ..triggers.event_pattern import bus_name
from ..plan import names
from .context import StackContext, why
from ..plan.jobs import ExistingQueue
from ..plan.names import JobNames
from .patterns import task_failed_pattern
from .task import family


def _alarm(ctx: StackContext, logical_id: str, description: str, namespace: str, metric: str,
           dimensions: list[MetricDimension], statistic: str, why_text: str, condition: str | None = None) -> Alarm:
    attributes = {"Condition": condition} if condition is not None else {}
    return ctx.template.add_resource(
        Alarm(
            logical_id,
            **attributes,
            AlarmDescription=description[:1024],
            Namespace=namespace,
            MetricName=metric,
            Dimensions=dimensions,
            Statistic=statistic,
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
            AlarmActions=[ctx.topic_arn],
            Metadata=why(why_text, mutable="free-to-tune"),
        )
    )


def add_failed_invocations_alarm(ctx: StackContext, job_name: str, trigger_name: str, trigger: TriggerSpec, rule: Rule) -> Alarm:
    bus = bus_name(trigger)
    if bus == "default":
        dimensions = [MetricDimension(Name="RuleName", Value=Ref(rule))]
    else:
        # custom-bus metrics carry both dimensions; the rule ARN is .../rule/<bus>/<name>
        dimensions = [
            MetricDimension(Name="EventBusName", Value=bus),
            MetricDimension(Name="RuleName", Value=Select(2, Split("/", GetAtt(rule, "Arn")))),
        ]
    return _alarm(
        ctx,
        JobNames(job_name).trigger_alarm(trigger_name),
        f"{job_name} ({trigger_name}): EventBridge could not start the task (RunTask failed: permissions, "
        "capacity or invalid overrides). Check the DLQ and the rule's target.",
        "AWS/Events",
        "FailedInvocations",
        dimensions,
        "Sum",
        f"Tells the team when {trigger_name} of job {job_name} fires but cannot start a task.",
    )


def add_dead_letter_queue_alarm(ctx: StackContext, job_name: str) -> Alarm:
    ids = JobNames(job_name)
    return _alarm(
        ctx,
        ids.dead_letter_queue_alarm,
        f"{job_name}: events are waiting in the dead-letter queue (a run was given up after retries).",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        [MetricDimension(Name="QueueName", Value=GetAtt(ids.dead_letter_queue, "QueueName"))],
        "Maximum",
        f"Tells the team that runs of job {job_name} were dropped and can be inspected or redriven.",
    )


def add_existing_dead_letter_queue_alarm(ctx: StackContext, job_name: str, queue: ExistingQueue) -> Alarm:
    """The same alarm on a queue the spec names by ARN. CloudWatch knows SQS queues by name, in the
    stack's own account and Region only: the alarm has a Condition that the stack is in the queue's
    account and Region, so a queue elsewhere is not mistaken for a same-named local one (it gets no
    alarm), and of same-named queues in several accounts or Regions at most one alarm exists."""
    queue_arn, region, account, queue_name = queue.arn, queue.region, queue.account, queue.name
    condition = names.in_account_and_region_condition(region, account)
    if condition not in ctx.template.conditions:
        ctx.template.add_condition(
            condition,
            And(Equals(Ref("AWS::Region"), region), Equals(Ref("AWS::AccountId"), account)),
        )
    ctx.warnings.append(
        f"dead-letter queue {queue_arn} (job {job_name}): its alarm exists only when the stack is deployed in "
        f"account {account}, Region {region} (condition {condition}): CloudWatch watches queues of the stack's own "
        "account and Region only, so deployed anywhere else nothing alarms on this queue; and the alarm counts "
        "every message in the queue, so it also fires on messages other producers send to it"
    )
    return _alarm(
        ctx,
        queue.alarm,
        f"{job_name}: events are waiting in the dead-letter queue {queue_arn} (a run was given up after retries).",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        [MetricDimension(Name="QueueName", Value=queue_name)],
        "Maximum",
        f"Tells the team that runs of job {job_name} were dropped into the existing queue {queue_name} "
        f"(dead_letter_queue names it; this stack does not create it), when the stack is in its Region and account ({region}, {account}).",
        condition=condition,
    )


def add_schedule_group_alarm(ctx: StackContext) -> Alarm:
    return _alarm(
        ctx,
        names.SCHEDULE_GROUP_ALARM,
        f"{ctx.spec.stack}: EventBridge Scheduler could not start a task (target errors).",
        "AWS/Scheduler",
        "TargetErrorCount",
        [MetricDimension(Name="ScheduleGroup", Value=ctx.schedule_group)],
        "Sum",
        "Tells the team when a schedule of this stack fires but its RunTask call fails.",
    )


# A JSON object whose event values are placeholders outside quotes: EventBridge inserts each as a JSON value,
# escaped, so a stoppedReason holding quotes or backslashes (`CannotPullContainerError: ... ref "repo:tag"`)
# arrives intact. Inside a quoted sentence it would be inserted unescaped ("EventBridge doesn't escape values
# extracted by Input Path", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues).
TASK_FAILED_MESSAGE = (
    '{"message":"A task of this job stopped with a failure; see the job logs for the exit code.",'
    '"group":<group>,"task":<task>,"stoppedReason":<reason>,"stopCode":<stopCode>,"cluster":<cluster>}'
)


def add_task_failed_rule(ctx: StackContext, job_name: str, job: JobSpec) -> Rule:
    ids = JobNames(job_name)
    if job.run_controlled:  # one alert per failed run, not per failed attempt (resources/state_machine.py)
        from .run_control_alerts import add_execution_failed_rule

        rule = add_execution_failed_rule(ctx, job_name)
        ctx.topic_publisher_rules.append(GetAtt(rule, "Arn"))
        return rule
    # split: named `<stack>-...`, the name the shared topic's policy lets publish (notifications.add_topic_policy)
    named = {"Name": names.task_failed_rule_name(ctx.split_from, job_name)} if ctx.split_from else {}
    rule = ctx.template.add_resource(
        Rule(
            ids.task_failed_rule,
            **named,
            Description=f"Alert when a {job_name} task stops with a non-zero exit code, fails to start or is interrupted on Spot",
            State="ENABLED",
            EventPattern=task_failed_pattern(ctx.cluster_arn, family(ctx, job_name)),
            Targets=[
                Target(
                    Id="notify",
                    Arn=ctx.topic_arn,
                    InputTransformer=InputTransformer(
                        InputPathsMap={
                            "group": "$.detail.group",
                            "task": "$.detail.taskArn",
                            "reason": "$.detail.stoppedReason",
                            "stopCode": "$.detail.stopCode",
                            "cluster": "$.detail.clusterArn",
                        },
                        InputTemplate=TASK_FAILED_MESSAGE,
                    ),
                )
            ],
            Metadata=why(
                f"ECS has no exit-code metric: this rule watches 'ECS Task State Change' for job {job_name}'s "
                "family on its cluster and notifies the topic.",
                must=["Pattern keeps the stopCode branch: tasks that never started have no exitCode, and a task "
                      "interrupted on Fargate Spot may exit 0"],
                mutable="review-required",
            ),
        )
    )
    ctx.topic_publisher_rules.append(GetAtt(rule, "Arn"))
    return rule


def add_task_failed_rule_alarm(ctx: StackContext, job_name: str, rule: Rule) -> Alarm:
    """FailedInvocations of the task-failure rule: a topic policy or key policy that refuses EventBridge
    drops every failure notice, and nothing else would show it. "FailedInvocations: The number of
    invocations that failed permanently. This doesn't include invocations that are retried"
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html); rules on the default bus
    publish it with the RuleName dimension, like the triggers' alarms above."""
    return _alarm(
        ctx,
        JobNames(job_name).task_failed_rule_alarm,
        f"{job_name}: EventBridge could not deliver a failed-task notice to the alarm topic (topic policy or "
        "key policy refuses events.amazonaws.com?). Task failures of this job are going unreported.",
        "AWS/Events",
        "FailedInvocations",
        [MetricDimension(Name="RuleName", Value=Ref(rule))],
        "Sum",
        f"Tells the team when the failed-task notices of job {job_name} cannot reach the topic (a broken topic "
        "policy would otherwise silence them).",
    )

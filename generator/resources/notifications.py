"""The stack's SNS topic for alarms and failed-task alerts, and who may publish to it."""

from __future__ import annotations

from awacs.aws import Action, Allow, ArnEquals, ArnLike, Condition, PolicyDocument, Principal, Statement, StringEquals
from troposphere import Ref, Sub
from troposphere.sns import Subscription, Topic, TopicPolicy

from ..plan import names
from .context import StackContext, why


def needs_topic(ctx: StackContext) -> bool:
    return any(job.alarms for job in ctx.spec.jobs.values())


def add_topic(ctx: StackContext) -> None:
    """Create the topic (or use `notifications.topic_arn`) before the alarms that point at it."""
    notifications = ctx.spec.notifications
    if not needs_topic(ctx):
        if notifications.email or notifications.topic_arn:
            ctx.warnings.append(
                "notifications are set but every job has alarms: false, so no alarm or failed-task rule exists "
                "and nothing is ever sent to them"
            )
        return
    if notifications.topic_arn:
        ctx.topic_arn = notifications.topic_arn
        ctx.warnings.append(
            f"topic {notifications.topic_arn}: its policy must let events.amazonaws.com and "
            "cloudwatch.amazonaws.com publish (and its key, if encrypted, let them use it)"
        )
        return
    props: dict = dict(DisplayName=f"batchjobs {ctx.spec.stack}"[:100], **ctx.tag_props())
    if notifications.email:
        props["Subscription"] = [Subscription(Protocol="email", Endpoint=address) for address in notifications.email]
    else:
        ctx.warnings.append(
            f"alarms go to topic {names.ALARM_TOPIC} with no subscribers, so nobody hears of failures: add "
            "notifications.email or notifications.topic_arn (or subscribe to the AlarmTopicArn output)"
        )
    if ctx.kms_key_arn is not None:
        props["KmsMasterKeyId"] = ctx.kms_key_arn
    topic = ctx.template.add_resource(
        Topic(
            names.ALARM_TOPIC,
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            Metadata=why(
                "Where this stack's alarms and failed-task alerts go"
                + (f" (e-mailed to {', '.join(notifications.email)})." if notifications.email else " (no subscribers yet)."),
                mutable="free-to-tune",
                checkov_skips=None if ctx.kms_key_arn is not None else {
                    "CKV_AWS_26": "Carries only alarm and task-stopped notices (no job data). The AWS-managed key "
                    "alias/aws/sns cannot be used: its key policy cannot let cloudwatch.amazonaws.com and "
                    "events.amazonaws.com use it, so alarms would silently fail to publish. Set kms_key to "
                    "encrypt with a customer-managed key.",
                },
            ),
            **props,
        )
    )
    ctx.topic_arn = Ref(topic)


def _may_publish(ctx: StackContext, sid: str, service: str, condition: Condition) -> Statement:
    """``service`` may publish to the stack's topic, under ``condition`` (which names the senders)."""
    return Statement(
        Sid=sid,
        Effect=Allow,
        Principal=Principal("Service", service),
        Action=[Action("sns", "Publish")],
        Resource=[ctx.topic_arn],
        Condition=condition,
    )


def add_topic_policy(ctx: StackContext) -> None:
    """Only this stack's failed-task rules and this stack's alarms may publish."""
    if not ctx.spec.sns_topic_created or not needs_topic(ctx):
        return
    in_account = StringEquals({"aws:SourceAccount": Ref("AWS::AccountId")})
    statements = [
        _may_publish(ctx, "StackAlarmsPublish", "cloudwatch.amazonaws.com", Condition([
            ArnLike({"aws:SourceArn": Sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:${AWS::StackName}-*")}),
            in_account,
        ]))
    ]
    if ctx.split_from is not None:
        # Split: the job stacks' task-failure rules, named `<stack>-...` (names.task_failed_rule_name), by name
        # prefix in this account, so that adding a job does not change this policy. EventBridge sets
        # aws:SourceArn (the rule) and aws:SourceAccount when it publishes to a topic (see the SNS statement of
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html).
        statements.append(_may_publish(ctx, "JobStackRulesPublish", "events.amazonaws.com", Condition([
            ArnLike({"aws:SourceArn": Sub(
                "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/" + ctx.split_from + "-*")}),
            in_account,
        ])))
    elif ctx.topic_publisher_rules:
        statements.append(_may_publish(ctx, "StackRulesPublish", "events.amazonaws.com",
                                       Condition(ArnEquals({"aws:SourceArn": ctx.topic_publisher_rules}))))
    ctx.template.add_resource(
        TopicPolicy(
            names.ALARM_TOPIC_POLICY,
            Topics=[ctx.topic_arn],
            PolicyDocument=PolicyDocument(Version="2012-10-17", Statement=statements),
            Metadata=why(
                "Lets this stack's alarms and failed-task rules publish, and nothing else.",
                must=["aws:SourceArn limits publishers to this stack"],
                mutable="review-required",
            ),
        )
    )

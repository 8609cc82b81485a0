"""Dead-letter queues, alarms, the failed-task rule, the topic and outputs."""

from pathlib import Path

from support import build_dict
from generator.eventbridge.pattern import matches

JOB = """
notifications: {email: [ops@example.com]}
jobs:
  worker:
    image: python:3.12-slim
    triggers:
      - s3_upload: {bucket: uploads}
      - schedule: rate(1 hour)
        dead_letter_queue: false
"""
CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/processing"


def test_dlq_is_standard_encrypted_and_only_its_rules_may_send():
    t = build_dict(JOB)
    queue = t["Resources"]["WorkerDeadLetterQueue"]
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    # the README's promise: logs outlive the stack, a DLQ does not
    assert (queue["DeletionPolicy"], queue["UpdateReplacePolicy"]) == ("Delete", "Delete")
    log_group = t["Resources"]["WorkerLogGroup"]
    assert (log_group["DeletionPolicy"], log_group["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert "FifoQueue" not in queue["Properties"]
    statement = t["Resources"]["WorkerDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert len(statement) == 1
    assert statement[0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement[0]["Condition"] == {"ArnEquals": {"aws:SourceArn": [{"Fn::GetAtt": ["WorkerTrigger1Rule", "Arn"]}]}}
    s3_target = t["Resources"]["WorkerTrigger1Rule"]["Properties"]["Targets"][0]
    assert s3_target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["WorkerDeadLetterQueue", "Arn"]}}
    assert "DeadLetterConfig" not in t["Resources"]["WorkerTrigger2Rule"]["Properties"]["Targets"][0]


def test_no_dead_letter_queue_and_existing_queue_arn():
    none = build_dict(JOB.replace("    triggers:", "    dead_letter_queue: false\n    triggers:").replace("        dead_letter_queue: false\n", ""))
    assert not [r for r in none["Resources"].values() if r["Type"] == "AWS::SQS::Queue"]
    arn = "arn:aws:sqs:us-east-1:123456789012:shared-dlq"
    existing = build_dict(JOB.replace("        dead_letter_queue: false", f"        dead_letter_queue: {arn}"))
    assert existing["Resources"]["WorkerTrigger2Rule"]["Properties"]["Targets"][0]["DeadLetterConfig"] == {"Arn": arn}


def test_existing_queue_gets_an_alarm_and_a_warning_naming_who_must_be_allowed_to_send():
    from generator.resources import build_template
    from support import spec_from

    arn = "arn:aws:sqs:us-east-1:123456789012:shared_dlq-1"
    text = JOB.replace("        dead_letter_queue: false", f"        dead_letter_queue: {arn}") + f"""
      - schedule: rate(1 day)
        timezone: Europe/Paris
        dead_letter_queue: {arn}
"""
    template, warnings = build_template(spec_from(text))
    t = template.to_dict()
    alarm = t["Resources"]["WorkerExistingDlqSharedDlq1Alarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": "shared_dlq-1"}]
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert t["Resources"]["WorkerDeadLetterQueueAlarm"]  # the job's own queue keeps its alarm
    [warning] = [w for w in warnings if arn in w and "is not created by this stack" in w]
    assert "events.amazonaws.com sqs:SendMessage with aws:SourceArn of rule(s) WorkerTrigger2Rule" in warning
    assert "role WorkerSchedulerRole (granted sqs:SendMessage on it) sends for schedule(s) WorkerTrigger3Schedule" in warning
    # no alarms for the job: none on the existing queue either, but the warning stays
    quiet, warnings = build_template(spec_from(text.replace("    image:", "    alarms: false\n    image:")))
    assert not [k for k in quiet.to_dict()["Resources"] if "Alarm" in k]
    assert [w for w in warnings if arn in w] == [warning]


def test_an_existing_queue_is_watched_only_where_the_stack_is_in_its_account_and_region():
    """CloudWatch's QueueName dimension names a queue of the stack's own account and Region: each alarm on
    a queue given by ARN has a Condition that the stack is there, one per distinct Region and account, so
    a same-named queue elsewhere neither gets watched by mistake nor gets a second alarm."""
    from itertools import product

    from generator.resources import build_template
    from generator.plan.names import in_account_and_region_condition
    from generator.pipeline import generate_one
    from support import spec_from

    here, there, other = ("us-east-1", "123456789012"), ("eu-west-1", "123456789012"), ("us-east-1", "210987654321")
    arns = [f"arn:aws:sqs:{region}:{account}:shared-dlq" for region, account in (here, there, other)]
    arns.append("arn:aws:sqs:us-east-1:123456789012:other-dlq")  # a second queue of one account and Region
    triggers = "".join(f"      - s3_upload: {{bucket: uploads}}\n        dead_letter_queue: {arn}\n" for arn in arns)
    spec = spec_from(f"jobs:\n  worker:\n    image: python:3.12-slim\n    triggers:\n{triggers}")
    template, warnings = build_template(spec)
    t = template.to_dict()

    def condition(region, account):
        return {"Fn::And": [{"Fn::Equals": [{"Ref": "AWS::Region"}, region]},
                            {"Fn::Equals": [{"Ref": "AWS::AccountId"}, account]}]}

    names = {pair: in_account_and_region_condition(*pair) for pair in (here, there, other)}
    assert names[here] == "StackInUsEast1Account123456789012"
    assert t["Conditions"] == {names[pair]: condition(*pair) for pair in (here, there, other)}
    alarms = {k: r for k, r in t["Resources"].items() if k.startswith("WorkerExistingDlq")}
    assert {k: (r["Condition"], r["Properties"]["Dimensions"]) for k, r in alarms.items()} == {
        "WorkerExistingDlqSharedDlqAlarm": (names[here], [{"Name": "QueueName", "Value": "shared-dlq"}]),
        "WorkerExistingDlqSharedDlqAlarm2": (names[there], [{"Name": "QueueName", "Value": "shared-dlq"}]),
        "WorkerExistingDlqSharedDlqAlarm3": (names[other], [{"Name": "QueueName", "Value": "shared-dlq"}]),
        "WorkerExistingDlqOtherDlqAlarm": (names[here], [{"Name": "QueueName", "Value": "other-dlq"}]),
    }
    # wherever the stack is deployed, each local queue has at most one alarm, and no alarm watches a queue
    # of another account or Region
    for region, account in product(("us-east-1", "eu-west-1", "ap-south-1"), ("123456789012", "210987654321")):
        watched = [r["Properties"]["AlarmDescription"] for r in alarms.values()
                   if r["Condition"] == names.get((region, account))]
        assert all(f":sqs:{region}:{account}:" in text for text in watched)
        queues = [r["Properties"]["Dimensions"][0]["Value"] for r in alarms.values() if r["Condition"] == names.get((region, account))]
        assert len(queues) == len(set(queues))
    for arn, pair in zip(arns, (here, there, other, here)):
        assert "it also fires on messages other producers send to it" in "\n".join(warnings)
        assert (f"dead-letter queue {arn} (job worker): its alarm exists only when the stack is deployed in "
                f"account {pair[1]}, Region {pair[0]}") in "\n".join(warnings)
    generated = generate_one(Path("config/x.yaml"), spec)  # cfn-lint and our rules take the conditions
    assert [f.format("x") for f in generated.findings] == []


def test_kms_key_encrypts_queue_topic_and_logs():
    t = build_dict("kms_key: {create: true}\n" + JOB)
    key = {"Fn::GetAtt": ["EncryptionKey", "Arn"]}
    assert t["Resources"]["WorkerDeadLetterQueue"]["Properties"]["KmsMasterKeyId"] == key
    assert "SqsManagedSseEnabled" not in t["Resources"]["WorkerDeadLetterQueue"]["Properties"]
    assert t["Resources"]["AlarmTopic"]["Properties"]["KmsMasterKeyId"] == key
    assert t["Resources"]["WorkerLogGroup"]["Properties"]["KmsKeyId"] == key


SCHEDULED = """
jobs:
  worker:
    image: python:3.12-slim
    triggers:
      - schedule: cron(0 2 * * ? *)
        timezone: Europe/Paris
"""


def _role_statements(t, role):
    return [s for p in t["Resources"][role]["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]


def test_scheduler_role_may_use_the_key_of_the_encrypted_dlq_it_sends_to():
    """Scheduler sends dead letters as the schedule's role: SendMessage to a queue encrypted with a
    customer-managed key also needs kms:GenerateDataKey and kms:Decrypt on that key."""
    t = build_dict("kms_key: {create: true}\n" + SCHEDULED)
    key = {"Fn::GetAtt": ["EncryptionKey", "Arn"]}
    assert t["Resources"]["WorkerDeadLetterQueue"]["Properties"]["KmsMasterKeyId"] == key
    kms = [s for s in _role_statements(t, "WorkerSchedulerRole") if s["Action"][0].startswith("kms:")]
    assert kms == [{
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Effect": "Allow",
        "Resource": [key],
        "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"}}},
    }]
    # the key policy lets IAM policies of the account grant that (its root statement)
    root = t["Resources"]["EncryptionKey"]["Properties"]["KeyPolicy"]["Statement"][0]
    assert root["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(root["Action"])
    # an existing key is used the same way
    existing = build_dict("kms_key: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n" + SCHEDULED)
    kms = [s for s in _role_statements(existing, "WorkerSchedulerRole") if s["Action"][0].startswith("kms:")]
    assert kms[0]["Resource"] == ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]


def test_scheduler_role_gets_no_key_without_kms_key_or_without_its_own_dlq():
    for text in (SCHEDULED, "kms_key: {create: true}\n" + SCHEDULED.replace("    triggers:", "    dead_letter_queue: false\n    triggers:")):
        t = build_dict(text)
        assert not [s for s in _role_statements(t, "WorkerSchedulerRole") if s["Action"][0].startswith("kms:")]


def test_failed_invocations_alarm_per_rule_and_dlq_alarm():
    t = build_dict(JOB)
    for rule in ("WorkerTrigger1Rule", "WorkerTrigger2Rule"):
        alarm = t["Resources"][rule.replace("Rule", "FailedInvocationsAlarm")]["Properties"]
        assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/Events", "FailedInvocations", "Sum")
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
        assert alarm["TreatMissingData"] == "notBreaching"
        assert alarm["Dimensions"] == [{"Name": "RuleName", "Value": {"Ref": rule}}]
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    dlq_alarm = t["Resources"]["WorkerDeadLetterQueueAlarm"]["Properties"]
    assert dlq_alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"


def test_the_failed_task_rule_has_its_own_failed_invocations_alarm():
    """A topic (or key) policy that refuses EventBridge drops every failed-task notice: only the rule's
    FailedInvocations shows it ("The number of invocations that failed permanently",
    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html; "Metrics that specify only
    the RuleName dimension refer to the default event bus")."""
    t = build_dict(JOB)
    alarm = t["Resources"]["WorkerTaskFailedRuleAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/Events", "FailedInvocations", "Sum")
    assert alarm["Dimensions"] == [{"Name": "RuleName", "Value": {"Ref": "WorkerTaskFailedRule"}}]
    assert (alarm["Threshold"], alarm["TreatMissingData"]) == (1, "notBreaching")
    assert "WorkerTaskFailedRuleAlarm" not in build_dict(JOB.replace("    triggers:", "    alarms: false\n    triggers:"))["Resources"]


def test_alarms_false_creates_no_alarms_and_no_topic():
    t = build_dict(JOB.replace("    triggers:", "    alarms: false\n    triggers:"))
    kinds = {r["Type"] for r in t["Resources"].values()}
    assert "AWS::CloudWatch::Alarm" not in kinds and "AWS::SNS::Topic" not in kinds
    assert "WorkerTaskFailedRule" not in t["Resources"]


def _stopped_event(**detail):
    base = {"clusterArn": CLUSTER_ARN, "group": "family:test-stack-worker", "lastStatus": "STOPPED",
            "stoppedReason": "Essential container in task exited", "stopCode": "EssentialContainerExited",
            "containers": [{"name": "worker", "exitCode": 1}]}
    base.update(detail)
    return {"version": "0", "id": "1", "detail-type": "ECS Task State Change", "source": "aws.ecs",
            "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
            "detail": base}


def test_task_failed_rule_fires_on_nonzero_exit_failure_to_start_or_spot_interruption_only():
    t = build_dict(JOB)
    rule = t["Resources"]["WorkerTaskFailedRule"]["Properties"]
    pattern = rule["EventPattern"]
    assert pattern["detail"]["clusterArn"][0] == {
        "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/processing"}
    pattern["detail"]["clusterArn"] = [CLUSTER_ARN]  # as CloudFormation resolves it
    assert matches(pattern, _stopped_event())
    assert not matches(pattern, _stopped_event(containers=[{"name": "worker", "exitCode": 0}], stopCode="EssentialContainerExited"))
    assert matches(pattern, _stopped_event(containers=[{"name": "worker"}], stopCode="TaskFailedToStart"))
    assert not matches(pattern, _stopped_event(lastStatus="RUNNING"))
    assert not matches(pattern, _stopped_event(group="family:someone-else"))
    # a Fargate Spot interruption is a failed run even when the container exits 0 on SIGTERM: "A task state
    # change event is generated when a task is using the FARGATE_SPOT capacity provider and is stopped due to
    # a Spot interruption" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html)
    assert matches(pattern, _stopped_event(containers=[{"name": "worker", "exitCode": 0}], stopCode="SpotInterruption",
                                           stoppedReason="Your Spot Task was interrupted."))
    # the two-minute notice itself (task still running) is not a failure yet
    assert not matches(pattern, _stopped_event(lastStatus="RUNNING", stopCode="SpotInterruption",
                                               containers=[{"name": "worker"}]))
    assert rule["Targets"][0]["Arn"] == {"Ref": "AlarmTopic"}
    policy = t["Resources"]["AlarmTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    rules_statement = [s for s in policy if s["Principal"] == {"Service": "events.amazonaws.com"}][0]
    assert rules_statement["Condition"]["ArnEquals"]["aws:SourceArn"] == [{"Fn::GetAtt": ["WorkerTaskFailedRule", "Arn"]}]
    assert t["Resources"]["AlarmTopic"]["Properties"]["Subscription"] == [{"Endpoint": "ops@example.com", "Protocol": "email"}]


def test_a_topic_without_subscribers_is_warned_about_and_has_no_empty_subscription_list():
    from generator.resources import build_template
    from support import spec_from

    template, warnings = build_template(spec_from(JOB.replace("notifications: {email: [ops@example.com]}\n", "")))
    assert "Subscription" not in template.to_dict()["Resources"]["AlarmTopic"]["Properties"]
    assert [w for w in warnings if w.startswith("alarms go to topic AlarmTopic with no subscribers")]
    _, warnings = build_template(spec_from(JOB))  # with e-mail subscribers: no such warning
    assert not [w for w in warnings if "no subscribers" in w]


def test_notifications_with_every_job_silent_are_warned_about():
    """With alarms: false everywhere there is no alarm, no failed-task rule and no topic: an e-mail written
    under notifications would never receive anything, so the user is told."""
    from generator.resources import build_template
    from support import spec_from

    silent = JOB.replace("  worker:\n", "  worker:\n    alarms: false\n")
    template, warnings = build_template(spec_from(silent))
    assert "AlarmTopic" not in template.resources
    assert [w for w in warnings if w.startswith("notifications are set but every job has alarms: false")]
    _, warnings = build_template(spec_from(JOB))  # alarms on: the topic exists, no such warning
    assert not [w for w in warnings if "alarms: false" in w]


def test_existing_topic_is_used_and_not_created():
    t = build_dict(JOB.replace("notifications: {email: [ops@example.com]}", "notifications: {topic_arn: 'arn:aws:sns:us-east-1:123456789012:ops'}"))
    assert "AlarmTopic" not in t["Resources"]
    assert t["Resources"]["WorkerTrigger1FailedInvocationsAlarm"]["Properties"]["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:ops"]


def test_outputs_are_exported_under_the_stack_name():
    t = build_dict(JOB)
    assert set(t["Outputs"]) == {"AlarmTopicArn", "WorkerDeadLetterQueue", "WorkerTaskDefinition",
                                 "WorkerTrigger1Rule", "WorkerTrigger2Rule"}
    for name, output in t["Outputs"].items():
        assert output["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-" + name}}


def test_template_context_names_the_real_spec_file_and_what_the_stack_has():
    from pathlib import Path

    from generator.resources.context import CONTEXT_KEY
    from generator.pipeline import generate_one
    from support import spec_from

    spec = spec_from("""
notifications: {topic_arn: "arn:aws:sns:us-east-1:123456789012:ops"}
jobs:
  worker:
    image: python:3.12-slim
    alarms: false
    dead_letter_queue: false
    triggers:
      - schedule: cron(0 7 * * ? *)
        timezone: Europe/Paris
""", name="config/analyzer.yaml")
    generated = generate_one(Path("config/analyzer.yaml"), spec)  # stack test-stack, file analyzer.yaml
    context = json_metadata(generated.text)[CONTEXT_KEY]
    assert context["must"][0] == "Generated by batchjobs from config/analyzer.yaml: edit the spec, not this file"
    assert context["arch"] == "schedule -> EventBridge Scheduler schedule -> Fargate RunTask; no alarms"

    t = build_dict(JOB.replace("      - s3_upload: {bucket: uploads}",
                               "      - s3_upload: {bucket: uploads}\n        environment: {KEY: $.detail.object.key}"))
    assert t["Metadata"][CONTEXT_KEY]["arch"] == (
        "S3 Object Created -> EventBridge rule / schedule -> EventBridge rule -> Fargate RunTask "
        "(event data via input transformer); DLQ; alarms + failed-task rule -> new SNS topic"
    )


def json_metadata(text: str) -> dict:
    from cfn_flip import to_json
    import json

    return json.loads(to_json(text))["Metadata"]


def test_key_policy_lets_eventbridge_use_the_key_without_source_conditions():
    """"Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not supported for
    EventBridge-to-encrypted topics" (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html):
    EventBridge gets a statement of its own without them; CloudWatch (alarms) keeps the condition."""
    t = build_dict("kms_key: {create: true}\n" + JOB)
    statements = t["Resources"]["EncryptionKey"]["Properties"]["KeyPolicy"]["Statement"]
    by_service = {}
    for s in statements:
        services = s["Principal"].get("Service")
        for service in services if isinstance(services, list) else [services]:
            by_service.setdefault(str(service), []).append(s)
    events, = by_service["events.amazonaws.com"]
    assert events["Principal"] == {"Service": "events.amazonaws.com"} and "Condition" not in events
    assert events["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    cloudwatch, = by_service["cloudwatch.amazonaws.com"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Fn::Sub": "${AWS::AccountId}"}}}


def test_targets_in_another_region_are_asserted_in_the_templates_rules():
    """"The targets you associate with a rule must be in the same Region as the rule"
    (https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification): a topic or dead-letter
    queue named by ARN pins the stack's Region, checked by CloudFormation before it creates anything."""
    text = ('notifications: {topic_arn: "arn:aws:sns:eu-west-1:123456789012:ops"}\n'
            + JOB.replace("notifications: {email: [ops@example.com]}\n", "").replace(
                "    triggers:", "    dead_letter_queue: arn:aws:sqs:eu-west-1:123456789012:shared-dlq\n    triggers:"))
    t = build_dict(text)
    assert t["Rules"]["TargetsInStackRegion"]["Assertions"] == [{
        "Assert": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]},
        "AssertDescription": (
            "dead-letter queue arn:aws:sqs:eu-west-1:123456789012:shared-dlq (job worker); notifications.topic_arn "
            "arn:aws:sns:eu-west-1:123456789012:ops are in eu-west-1: EventBridge rule targets must be in the "
            "rule's Region, so deploy this stack in eu-west-1"),
    }]
    # the template still lints clean (cfn-lint and our rules read the Rules section)
    from generator.pipeline import generate_one
    from support import spec_from

    generated = generate_one(Path("config/x.yaml"), spec_from(text))
    assert [f.format("x") for f in generated.findings] == []
    # nothing named by ARN: no Rules section
    assert "Rules" not in build_dict(JOB)

"""Every name in a generated template comes from here: logical IDs, and the physical names AWS sees.

IDs derive from the names users write (job and trigger names), never from list positions alone, so
adding or removing a job leaves the other jobs' resources untouched.
"""

from __future__ import annotations


def pascal(name: str) -> str:
    """`csv-analyzer` -> `CsvAnalyzer` (hyphen-separated parts, each capitalised; the rest kept)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-") if part)


# stack-level resources
CLUSTER = "Cluster"
ALARM_TOPIC = "AlarmTopic"
ALARM_TOPIC_POLICY = "AlarmTopicPolicy"
ENCRYPTION_KEY = "EncryptionKey"
SCHEDULE_GROUP = "ScheduleGroup"
SCHEDULE_GROUP_ALARM = "ScheduleGroupTargetErrorsAlarm"
# the template `Rules` entry asserting the stack's Region (targets named by ARN are there): not a resource
TARGETS_REGION_RULE = "TargetsInStackRegion"
STACK_IDS = (CLUSTER, ALARM_TOPIC, ALARM_TOPIC_POLICY, ENCRYPTION_KEY, SCHEDULE_GROUP, SCHEDULE_GROUP_ALARM)
# with `split: per_job`, what the shared stack exports for the job stacks (exported as `<stack>-<output>`),
# by the resource that gives it
SHARED_OUTPUTS = {
    ENCRYPTION_KEY: ("EncryptionKeyArn",),
    CLUSTER: ("ClusterArn", "ClusterName"),
    ALARM_TOPIC: ("AlarmTopicArn",),
    SCHEDULE_GROUP: ("ScheduleGroupName",),
}


class JobNames:
    """Logical IDs of one job's resources."""

    def __init__(self, job_name: str):
        self.job = job_name
        self.base = pascal(job_name)

    def _id(self, suffix: str) -> str:
        return f"{self.base}{suffix}"

    @property
    def image_parameter(self) -> str:
        return self._id("Image")

    @property
    def log_group(self) -> str:
        return self._id("LogGroup")

    @property
    def task_definition(self) -> str:
        return self._id("TaskDefinition")

    @property
    def execution_role(self) -> str:
        return self._id("ExecutionRole")

    @property
    def task_role(self) -> str:
        return self._id("TaskRole")

    @property
    def events_role(self) -> str:
        return self._id("EventsRole")

    @property
    def scheduler_role(self) -> str:
        return self._id("SchedulerRole")

    @property
    def dead_letter_queue(self) -> str:
        return self._id("DeadLetterQueue")

    @property
    def dead_letter_queue_policy(self) -> str:
        return self._id("DeadLetterQueuePolicy")

    @property
    def dead_letter_queue_alarm(self) -> str:
        return self._id("DeadLetterQueueAlarm")

    @property
    def task_failed_rule(self) -> str:
        return self._id("TaskFailedRule")

    @property
    def task_failed_rule_alarm(self) -> str:
        """FailedInvocations of the task-failure rule (never a trigger's alarm: those end in FailedInvocationsAlarm)."""
        return self._id("TaskFailedRuleAlarm")

    def trigger(self, trigger_name: str, *, scheduler: bool) -> str:
        return self._id(pascal(trigger_name) + ("Schedule" if scheduler else "Rule"))

    def trigger_bus_policy(self, trigger_name: str) -> str:
        """The statement of the bus policy letting a trigger's `from_account` put events on its bus."""
        return self._id(pascal(trigger_name) + "BusPolicy")

    def trigger_alarm(self, trigger_name: str) -> str:
        return self._id(pascal(trigger_name) + "FailedInvocationsAlarm")

    def existing_dead_letter_queue_alarm(self, queue_name: str) -> str:
        """The alarm on a queue the spec names by ARN: from the queue's name (letters and digits only)."""
        return self._id("ExistingDlq" + "".join(pascal(part) for part in queue_name.replace("_", "-").split("-")) + "Alarm")


def in_account_and_region_condition(region: str, account: str) -> str:
    """The template Condition that the stack is deployed in ``account`` and ``region``: an alarm on a queue
    the spec names by ARN exists only there (CloudWatch knows SQS queues by name, in the stack's own account
    and Region). One per distinct pair, shared by every job: `StackInUsEast1Account123456789012`.

    It ends in the account's 12 digits, so it is never a resource's or parameter's logical ID: those end in
    a word (Rule, Alarm, Image, ...) or, numbered, in Alarm and a small number."""
    return f"StackIn{pascal(region)}Account{account}"


MAX_STATEMENT_ID = 64  # EventBusPolicy StatementId: 1-64 of [a-zA-Z0-9-_] (PutPermission API reference)


MAX_RULE_NAME = 64  # EventBridge rule Name: 1-64 of [.-_A-Za-z0-9] (PutRule API reference)


def _at_most(whole: str, limit: int) -> str:
    """``whole``, or when longer than ``limit`` its start and a hash of all of it (still unique)."""
    import hashlib

    if len(whole) <= limit:
        return whole
    digest = hashlib.sha256(whole.encode()).hexdigest()[:8]
    return f"{whole[: limit - 9]}-{digest}"


def bus_policy_statement_id(stack: str, logical_id: str) -> str:
    """The bus policy statement's ID, unique on the bus across stacks: `<stack>-<logical ID>`, cut to 64
    characters with a hash of the whole when longer (statements of one bus share one namespace: a second
    stack writing the same ID would replace the first's statement)."""
    return _at_most(f"{stack}-{logical_id}", MAX_STATEMENT_ID)


def forwarder_rule_name(stack: str, logical_id: str) -> str:
    """The forwarder rule's name in the producer account, fixed (not CloudFormation's random one) so that
    the job stack's bus policy can name the rule that may send: `<stack>-<logical ID>`."""
    return _at_most(f"{stack}-{logical_id}", MAX_RULE_NAME)


def forwarder_stack_name(stack: str, producer: str) -> str:
    """The forwarder's stack in the producer account: `<stack>-forwarder` (one per job stack there)."""
    return f"{stack}-forwarder"


def forwarder_file(stack: str, producer: str) -> str:
    """Where generate writes the forwarder template for one producer, relative to the templates folder."""
    return f"forwarders/{stack}-{producer}.yaml"


def task_family(stack: str, job_name: str) -> str:
    """The task definition family `<stack>-<job>`: RunTask's default group is `family:<this>`, which the
    task-failure rule filters on, and `status` lists tasks by it."""
    return f"{stack}-{job_name}"


def log_group_name(stack: str, job_name: str) -> str:
    """The job's log group `/ecs/<stack>/<job>` (a fixed name: `logs` finds it without the stack)."""
    return f"/ecs/{stack}/{job_name}"


def job_stack_name(stack: str, job_name: str) -> str:
    """With `split: per_job`, the stack of one job: `<stack>-<job>`. Its export names, and the physical names
    CloudFormation generates for its resources, start with `<stack>-` (the shared stack's policies rely on it)."""
    return f"{stack}-{job_name}"


# a rule's name: at most 64 characters of [.-_A-Za-z0-9]
# (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html, Name)
MAX_RULE_NAME = 64
RULE_NAME_HASH = 8


def task_failed_rule_name(stack: str, job_name: str) -> str:
    """With `split: per_job`, the task-failure rule's physical name: `<stack>-<job>-failed`, or when that is
    over 64 characters `<stack>-<job, cut>-<8 hex digits of the job name>`. It always starts with `<stack>-`:
    the shared topic's policy lets EventBridge publish for rules named so (``plan.limits`` checks the stack
    name leaves room)."""
    import hashlib

    name = f"{stack}-{job_name}-failed"
    if len(name) <= MAX_RULE_NAME:
        return name
    digest = hashlib.sha256(job_name.encode("utf-8")).hexdigest()[:RULE_NAME_HASH]
    return f"{stack}-{job_name}"[: MAX_RULE_NAME - RULE_NAME_HASH - 1] + "-" + digest


def container_name(job_name: str) -> str:
    """The job's only container: RunTask overrides name it (`containerOverrides[].name`)."""
    return job_name

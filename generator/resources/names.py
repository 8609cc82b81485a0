"""Every logical ID in a generated template comes from here.

IDs derive from the names users write (job and trigger names), never from list positions alone, so
adding or removing a job leaves the other jobs' resources untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
STACK_IDS = (CLUSTER, ALARM_TOPIC, ALARM_TOPIC_POLICY, ENCRYPTION_KEY, SCHEDULE_GROUP, SCHEDULE_GROUP_ALARM)


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

    def trigger(self, trigger_name: str, *, scheduler: bool) -> str:
        return self._id(pascal(trigger_name) + ("Schedule" if scheduler else "Rule"))

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


@dataclass(frozen=True)
class LogicalId:
    """One logical ID of a template (a resource or a parameter), and what gives it."""

    id: str
    what: str  # e.g. "task-failure rule", "rule", "failed-invocations alarm"
    job: str | None = None  # None: a stack-level resource
    trigger: int | None = None  # the index of the trigger whose name is part of the ID


def job_logical_ids(job_name: str, job: Any) -> list[LogicalId]:
    """Every logical ID the build gives job ``job_name`` (a validated ``JobSpec``), in build order.

    Follows resources/stack.py's ``_build_job``: which resources a job gets depends on its triggers (rule or
    Scheduler, own or existing dead-letter queue) and on ``alarms``. tests/model/test_spec_logical_ids.py checks the two agree.
    """
    ids = JobNames(job_name)

    def job_id(logical_id: str, what: str) -> LogicalId:
        return LogicalId(logical_id, what, job_name)

    found = [
        job_id(ids.image_parameter, "image parameter"),
        job_id(ids.log_group, "log group"),
        job_id(ids.execution_role, "execution role"),
        job_id(ids.task_role, "task role"),
        job_id(ids.task_definition, "task definition"),
    ]
    triggers = list(zip(job.trigger_names(), job.triggers))
    if any(t.dead_letter_queue is True for _, t in triggers):
        found.append(job_id(ids.dead_letter_queue, "dead-letter queue"))
    existing_queues: list[str] = []
    for index, (name, trigger) in enumerate(triggers):
        scheduler = trigger.uses_scheduler
        found.append(LogicalId(ids.trigger(name, scheduler=scheduler), "schedule" if scheduler else "rule", job_name, index))
        if not scheduler and job.alarms:
            found.append(LogicalId(ids.trigger_alarm(name), "failed-invocations alarm", job_name, index))
        if isinstance(trigger.dead_letter_queue, str) and trigger.dead_letter_queue not in existing_queues:
            existing_queues.append(trigger.dead_letter_queue)
    if any(not t.uses_scheduler for _, t in triggers):
        found.append(job_id(ids.events_role, "events role"))
    if any(t.uses_scheduler for _, t in triggers):
        found.append(job_id(ids.scheduler_role, "scheduler role"))
    if any(t.dead_letter_queue is True and not t.uses_scheduler for _, t in triggers):
        found.append(job_id(ids.dead_letter_queue_policy, "dead-letter queue policy"))
    if job.alarms:
        if any(t.dead_letter_queue is True for _, t in triggers):
            found.append(job_id(ids.dead_letter_queue_alarm, "dead-letter queue alarm"))
        numbered: set[str] = set()
        for queue_arn in existing_queues:
            queue_name = queue_arn.rsplit(":", 1)[-1]
            logical_id = base = ids.existing_dead_letter_queue_alarm(queue_name)
            number = 1
            while logical_id in numbered:  # as resources/alarms.py numbers one queue name in two accounts or Regions
                number += 1
                logical_id = f"{base}{number}"
            numbered.add(logical_id)
            found.append(job_id(logical_id, f"alarm on dead-letter queue {queue_name}"))
        found.append(job_id(ids.task_failed_rule, "task-failure rule"))
    return found


def stack_logical_ids(jobs: dict[str, Any]) -> list[LogicalId]:
    """Every logical ID of the template of a stack with these jobs (name -> validated ``JobSpec``): the
    stack-level ones (all of ``STACK_IDS``, whether or not the stack has them), then each job's in order."""
    found = [LogicalId(logical_id, "stack resource") for logical_id in STACK_IDS]
    for job_name, job in jobs.items():
        found.extend(job_logical_ids(job_name, job))
    return found

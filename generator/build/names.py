"""Every logical ID in a generated template comes from here.

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

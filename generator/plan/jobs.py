"""The plan of a stack: every resource, parameter and output its template gets, decided once.

A ``StackPlan`` is pure data computed from a validated ``StackSpec``: for each job, which resources it
gets (rule or Scheduler schedule per trigger, own or existing dead-letter queue, alarms), their logical
IDs, CloudFormation types and purposes, and the physical names AWS sees (task family, log group,
container). ``resources/stack.py`` walks it to build the template; the logical-ID collision check,
``locate`` (run, status, logs), ``review`` and ``status`` read it instead of re-deciding what a job gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import names, run_control
from .names import JobNames

PARAMETER = "AWS::CloudFormation::Parameter"  # not a resource type: marks the image parameter in the plan

# the stack-level resources, in build order (the topic policy after the jobs), with their types
STACK_KINDS = {
    names.ENCRYPTION_KEY: "AWS::KMS::Key",
    names.CLUSTER: "AWS::ECS::Cluster",
    names.ALARM_TOPIC: "AWS::SNS::Topic",
    names.SCHEDULE_GROUP: "AWS::Scheduler::ScheduleGroup",
    names.SCHEDULE_GROUP_ALARM: "AWS::CloudWatch::Alarm",
    names.ALARM_TOPIC_POLICY: "AWS::SNS::TopicPolicy",
}


@dataclass(frozen=True)
class Planned:
    """One logical ID of the template (a resource or the image parameter), and what gives it."""

    id: str
    kind: str  # CloudFormation resource type, or PARAMETER
    what: str  # its purpose in words: "rule", "log group", "failed-invocations alarm", ...
    job: str | None = None  # None: a stack-level resource
    trigger: int | None = None  # the index of the trigger whose name is part of the ID


@dataclass(frozen=True)
class TriggerPlan:
    """One trigger: a rule (with its FailedInvocations alarm when the job has alarms) or a Scheduler schedule."""

    index: int
    name: str  # its own name, or `trigger<N>`
    spec: Any  # TriggerSpec
    scheduler: bool
    resource: str  # the rule's or schedule's logical ID
    alarm: str | None  # the rule's FailedInvocations alarm
    bus_policy: str | None = None  # with from_account: the bus policy statement letting those accounts put events

    @property
    def bus_name(self) -> str:
        """The bus the rule listens on, by name (`default`, or the name of `event_bus`'s name or ARN)."""
        bus = self.spec.event_bus
        return bus.rsplit("/", 1)[-1] if bus.startswith("arn:") else bus

    @property
    def own_dead_letter_queue(self) -> bool:
        return self.spec.dead_letter_queue is True

    @property
    def existing_dead_letter_queue(self) -> str | None:
        """The ARN of a queue this stack does not own, if the trigger names one."""
        queue = self.spec.dead_letter_queue
        return queue if isinstance(queue, str) else None


@dataclass(frozen=True)
class ExistingQueue:
    """A dead-letter queue the spec names by ARN, the triggers sending to it, and its alarm."""

    arn: str
    rules: tuple[str, ...]  # logical IDs of the rules that send to it
    schedules: tuple[str, ...]  # ... and of the schedules
    alarm: str | None  # None: the job has alarms off

    @property
    def region(self) -> str:
        return self.arn.split(":")[3]

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]

    @property
    def name(self) -> str:
        return self.arn.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class JobPlan:
    name: str
    spec: Any  # JobSpec
    stack: str
    triggers: tuple[TriggerPlan, ...]
    existing_queues: tuple[ExistingQueue, ...]

    @cached_property
    def ids(self) -> JobNames:
        return JobNames(self.name)

    @property
    def family(self) -> str:
        return names.task_family(self.stack, self.name)

    @property
    def log_group(self) -> str:
        return names.log_group_name(self.stack, self.name)

    @property
    def container(self) -> str:
        return names.container_name(self.name)

    @property
    def alarms(self) -> bool:
        return bool(self.spec.alarms)

    @property
    def own_dead_letter_queue(self) -> bool:
        return any(t.own_dead_letter_queue for t in self.triggers)

    @property
    def run_controlled(self) -> bool:
        """Its triggers start a Step Functions state machine (plan/run_control.py), not the task."""
        return bool(self.spec.run_controlled)

    @property
    def uses_rules(self) -> bool:
        return any(not t.scheduler for t in self.triggers)

    @property
    def uses_scheduler(self) -> bool:
        return any(t.scheduler for t in self.triggers)

    @property
    def rules_to_own_queue(self) -> tuple[TriggerPlan, ...]:
        """Rules sending to the job's own queue: its policy names exactly them (EventBridge sends as itself)."""
        return tuple(t for t in self.triggers if t.own_dead_letter_queue and not t.scheduler)

    @property
    def scheduler_uses_own_queue(self) -> bool:
        """Scheduler sends as the job's Scheduler role, which then needs the queue (and its key)."""
        return any(t.own_dead_letter_queue and t.scheduler for t in self.triggers)

    @cached_property
    def resources(self) -> tuple[Planned, ...]:
        """Every logical ID this job gives the template, in build order (as resources/stack.py builds them)."""
        ids = self.ids

        def own(logical_id: str, kind: str, what: str) -> Planned:
            return Planned(logical_id, kind, what, self.name)

        found = [
            own(ids.image_parameter, PARAMETER, "image parameter"),
            own(ids.log_group, "AWS::Logs::LogGroup", "log group"),
            own(ids.execution_role, "AWS::IAM::Role", "execution role"),
            own(ids.task_role, "AWS::IAM::Role", "task role"),
            own(ids.task_definition, "AWS::ECS::TaskDefinition", "task definition"),
        ]
        if self.run_controlled:
            found.extend(run_control.planned(self))
        if self.own_dead_letter_queue:
            found.append(own(ids.dead_letter_queue, "AWS::SQS::Queue", "dead-letter queue"))
        for trigger in self.triggers:
            if trigger.scheduler:
                found.append(Planned(trigger.resource, "AWS::Scheduler::Schedule", "schedule", self.name, trigger.index))
            else:
                found.append(Planned(trigger.resource, "AWS::Events::Rule", "rule", self.name, trigger.index))
            if trigger.alarm:
                found.append(Planned(trigger.alarm, "AWS::CloudWatch::Alarm", "failed-invocations alarm", self.name, trigger.index))
            if trigger.bus_policy:
                found.append(Planned(trigger.bus_policy, "AWS::Events::EventBusPolicy", "event bus policy",
                                     self.name, trigger.index))
        if self.uses_rules:
            found.append(own(ids.events_role, "AWS::IAM::Role", "events role"))
        if self.uses_scheduler:
            found.append(own(ids.scheduler_role, "AWS::IAM::Role", "scheduler role"))
        if self.rules_to_own_queue:
            found.append(own(ids.dead_letter_queue_policy, "AWS::SQS::QueuePolicy", "dead-letter queue policy"))
        if self.alarms:
            if self.own_dead_letter_queue:
                found.append(own(ids.dead_letter_queue_alarm, "AWS::CloudWatch::Alarm", "dead-letter queue alarm"))
            for queue in self.existing_queues:
                found.append(own(queue.alarm, "AWS::CloudWatch::Alarm", f"alarm on dead-letter queue {queue.name}"))
            if self.run_controlled:
                found.extend(run_control.planned_alarms(self))
            found.append(own(ids.task_failed_rule, "AWS::Events::Rule", "task-failure rule"))
            found.append(own(ids.task_failed_rule_alarm, "AWS::CloudWatch::Alarm", "task-failure rule's failed-invocations alarm"))
        return tuple(found)

    @property
    def outputs(self) -> tuple[str, ...]:
        """Logical IDs of the job's stack outputs (each exported as `<stack name>-<ID>`)."""
        found = [self.ids.task_definition]
        if self.run_controlled:
            found.append(run_control.RunControlNames(self.name).state_machine)
        if self.own_dead_letter_queue:
            found.append(self.ids.dead_letter_queue)
        found.extend(t.resource for t in self.triggers)
        return tuple(found)


@dataclass(frozen=True)
class StackPlan:
    spec: Any  # StackSpec
    jobs: dict[str, JobPlan]

    @property
    def uses_scheduler(self) -> bool:
        return any(job.uses_scheduler for job in self.jobs.values())

    @property
    def alarms(self) -> bool:
        """Some job has alarms on: the stack then has a topic (its own, or `notifications.topic_arn`)."""
        return any(job.alarms for job in self.jobs.values())

    @cached_property
    def stack_resources(self) -> tuple[Planned, ...]:
        """The stack-level resources this stack has, in build order."""
        spec = self.spec
        present = {
            names.ENCRYPTION_KEY: spec.kms_key is not None and spec.kms_key.arn is None,
            names.CLUSTER: not (spec.cluster.arn or spec.cluster.name),
            names.ALARM_TOPIC: self.alarms and spec.sns_topic_created,
            names.SCHEDULE_GROUP: self.uses_scheduler,
            names.SCHEDULE_GROUP_ALARM: self.uses_scheduler and self.alarms,
            names.ALARM_TOPIC_POLICY: self.alarms and spec.sns_topic_created,
        }
        return tuple(Planned(logical_id, kind, "stack resource") for logical_id, kind in STACK_KINDS.items() if present[logical_id])

    def resources(self) -> list[Planned]:
        """Every logical ID of the template in build order: the stack's resources, each job's, and last the
        topic policy (it names every job's task-failure rule)."""
        last = [item for item in self.stack_resources if item.id == names.ALARM_TOPIC_POLICY]
        found = [item for item in self.stack_resources if item.id != names.ALARM_TOPIC_POLICY]
        for job in self.jobs.values():
            found.extend(job.resources)
        return found + last

    def outputs(self) -> list[str]:
        found = [output for job in self.jobs.values() for output in job.outputs]
        if self.alarms and self.spec.sns_topic_created:
            found.append("AlarmTopicArn")
        return found

    @property
    def split(self) -> bool:
        """`split: per_job`: the shared resources in stack `<stack>`, each job in stack `<stack>-<job>`."""
        return self.spec.split == "per_job"

    def stack_of(self, item: Planned) -> str:
        """The name of the stack ``item`` goes to."""
        if not self.split or item.job is None:
            return self.spec.stack
        return names.job_stack_name(self.spec.stack, item.job)

    def parts(self) -> list["StackPart"]:
        """The stacks this spec deploys as, in deploy order: one; or with `split: per_job` the shared stack
        (when it has resources) and then one per job, in spec order."""
        from .split import parts

        return parts(self)


from .split import StackPart  # noqa: E402  (StackPart reads Planned, defined above)


def plan_job(stack: str, job_name: str, job: Any) -> JobPlan:
    ids = JobNames(job_name)
    triggers = []
    senders: dict[str, tuple[list[str], list[str]]] = {}  # queue ARN -> (rules, schedules), in spec order
    for index, (trigger_name, trigger) in enumerate(zip(job.trigger_names(), job.triggers)):
        scheduler = bool(trigger.uses_scheduler)
        resource = ids.trigger(trigger_name, scheduler=scheduler)
        alarm = ids.trigger_alarm(trigger_name) if not scheduler and job.alarms else None
        bus_policy = ids.trigger_bus_policy(trigger_name) if trigger.from_account else None
        triggers.append(TriggerPlan(index, trigger_name, trigger, scheduler, resource, alarm, bus_policy))
        if isinstance(trigger.dead_letter_queue, str):
            senders.setdefault(trigger.dead_letter_queue, ([], []))[1 if scheduler else 0].append(resource)
    queues = []
    numbered: set[str] = set()
    for arn, (rules, schedules) in senders.items():
        alarm = None
        if job.alarms:
            # one queue name in two accounts or Regions: the second alarm is numbered
            alarm = base = ids.existing_dead_letter_queue_alarm(arn.rsplit(":", 1)[-1])
            number = 1
            while alarm in numbered:
                number += 1
                alarm = f"{base}{number}"
            numbered.add(alarm)
        queues.append(ExistingQueue(arn, tuple(rules), tuple(schedules), alarm))
    return JobPlan(job_name, job, stack, tuple(triggers), tuple(queues))


def plan_stack(spec: Any) -> StackPlan:
    """The plan of a validated ``StackSpec``. Pure; raises nothing (collisions are checked by ``collisions``)."""
    return StackPlan(spec, {name: plan_job(spec.stack, name, job) for name, job in spec.jobs.items()})

"""The plan of the forwarder stacks: for each producer of a cross-account trigger (`from_account`), the
small stack to deploy in that account, which sends the trigger's events to the bus of the job's account.

A forwarder is its own stack (its own template, deployed with the producer account's credentials), so
it has its own plan and build path (resources/forwarder.py) instead of being a special case of the job
stack's. One per (job stack, producer): every cross-account trigger of the stack that names the producer
gets one rule in it, and one role sends for all of them.

Where it goes: ``templates/forwarders/<stack>-<producer>.yaml`` (``names.forwarder_file``). With
environments (templates/<env>/...), the same relative path goes under the environment's folder, as each
environment's job account differs: the forwarder's target is a parameter (JobAccountId) or the bus ARN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import names
from .jobs import PARAMETER, JobPlan, Planned, StackPlan, TriggerPlan

ROLE = "ForwarderRole"
JOB_ACCOUNT_PARAMETER = "JobAccountId"


@dataclass(frozen=True)
class ForwardedTrigger:
    """One trigger's rule in the producer account: the trigger's pattern, sent on to the job's bus."""

    job: str
    trigger: TriggerPlan
    rule: str  # its logical ID: <Job><Trigger>ForwardRule
    pattern: dict[str, Any]

    stack: str = ""

    @property
    def name(self) -> str:
        """The rule's name in the producer account (the job stack's bus policy names it)."""
        return names.forwarder_rule_name(self.stack, self.rule)

    @property
    def target_bus(self) -> str | None:
        """The bus ARN when `event_bus` is one; None: the job account's bus of that name (JobAccountId)."""
        bus = self.trigger.spec.event_bus
        return bus if bus.startswith("arn:") else None


@dataclass(frozen=True)
class ForwarderPlan:
    stack: str  # the job stack's name
    producer: str  # an account ID or an Organizations ID
    rules: tuple[ForwardedTrigger, ...]

    @property
    def filename(self) -> str:
        return names.forwarder_file(self.stack, self.producer)

    @property
    def stack_name(self) -> str:
        return names.forwarder_stack_name(self.stack, self.producer)

    @property
    def is_organization(self) -> bool:
        return self.producer.startswith("o-")

    @property
    def needs_job_account(self) -> bool:
        """Some target is a bus named, not given by ARN: the job's account is a parameter."""
        return any(rule.target_bus is None for rule in self.rules)

    @property
    def resources(self) -> tuple[Planned, ...]:
        found = []
        if self.needs_job_account:
            found.append(Planned(JOB_ACCOUNT_PARAMETER, PARAMETER, "job account parameter"))
        found.append(Planned(ROLE, "AWS::IAM::Role", "forwarder role"))
        for rule in self.rules:
            found.append(Planned(rule.rule, "AWS::Events::Rule", "forwarder rule", rule.job, rule.trigger.index))
        return tuple(found)


def forward_rule_id(job: JobPlan, trigger: TriggerPlan) -> str:
    return job.ids.trigger(trigger.name, scheduler=False).removesuffix("Rule") + "ForwardRule"


def plan_forwarders(plan: StackPlan) -> list[ForwarderPlan]:
    """The forwarders of a stack, by producer (in sorted order, for stable output)."""
    by_producer: dict[str, list[ForwardedTrigger]] = {}
    for job in plan.jobs.values():
        for trigger in job.triggers:
            for producer in trigger.spec.from_account or ():
                pattern = dict(trigger.spec.rule_pattern() or {})
                if not producer.startswith("o-"):
                    pattern["account"] = [producer]  # on the producer's bus: only its own events
                by_producer.setdefault(producer, []).append(
                    ForwardedTrigger(job.name, trigger, forward_rule_id(job, trigger), pattern, plan.spec.stack))
    return [ForwarderPlan(plan.spec.stack, producer, tuple(rules)) for producer, rules in sorted(by_producer.items())]

"""What a stack gets for cross-account triggers: the bus policy statement that lets the producers put
events on the bus a trigger's rule listens on, and the assertion that the stack's account is the account of
the cluster or bus ARNs it was given (an ECS target must be in the rule's account).

The bus policy is ``AWS::Events::EventBusPolicy`` with ``Statement``: one statement per resource, under
its own ``StatementId`` ("To enable multiple AWS accounts to put events to your event bus, run
PutPermission once for each of these accounts",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbuspolicy.html),
so it adds to the policy of a bus other stacks also grant on, the default bus included. Not
``AWS::EventsV2::ResourcePolicy``: it owns the bus's whole policy and "If the bus already has a default
policy, creating this resource fails"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-eventsv2-resourcepolicy.html),
nor ``AWS::Events::EventBus``'s ``Policy``: the default bus is not a resource a stack can own.
"""

from __future__ import annotations

from typing import Any

from troposphere import Equals, Ref, Sub
from troposphere.events import EventBusPolicy

from ..model.accounts import arn_account
from ..plan import JobPlan, TriggerPlan
from ..plan.forwarders import forward_rule_id
from ..plan.names import bus_policy_statement_id, forwarder_rule_name
from .context import StackContext, why

PUT_EVENTS = "events:PutEvents"


def bus_arn(trigger: TriggerPlan) -> Any:
    """The ARN of the bus the trigger's rule listens on: `event_bus` when an ARN, else the stack's own."""
    bus = trigger.spec.event_bus
    if bus.startswith("arn:"):
        return bus
    return Sub(f"arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{bus}")


def pinned(pattern: dict[str, Any], key: str) -> list[str] | None:
    """The values a pattern allows for an envelope field, when it lists plain strings only (else None)."""
    values = pattern.get(key)
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return sorted(set(values))
    return None


def statement(trigger: TriggerPlan, resource: Any, rule_name: str) -> dict[str, Any]:
    """Exactly the producers may put events, only through their forwarder rule ``rule_name``, and (when the
    pattern pins them) only of the trigger's sources and detail types.

    - The rule: `aws:SourceArn`, as AWS's example that "only allows events if they match a rule specified
      for the event bus in account 111122223333" (``ArnEquals`` on ``aws:SourceArn``, the rules' ARNs,
      https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-example-policy-restrict-rule.html).
      A rule on the default bus has the ARN `arn:PARTITION:events:REGION:ACCOUNT:rule/NAME`.
    - Sources and detail types: the condition keys `events:source` and `events:detail-type`, as in AWS's
      example ("grants the account 111122223333 permission to publish events ... but only for events with a
      source value set to com.exampleCorp.webStore and a detail-type set to newOrderCreated",
      https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-example-policy-cross-account-custom-bus-source.html),
      both with ``ForAllValues:StringEquals`` as one version of that page has it: should a forwarded
      event not carry the keys (the example is about PutEvents calls; unverified for a rule's delivery), the
      set is empty and the rule's ARN still limits what comes in.
    - An Organizations ID grants its member accounts with `aws:PrincipalOrgID` ("specifying Principal as
      "*" and specifying the AWS organization ID in Condition", the EventBusPolicy reference above); the
      rule's account is then any (``ArnLike`` with `*`)."""
    spec = trigger.spec
    pattern = spec.rule_pattern() or {}
    condition: dict[str, Any] = {}
    rule_arn = "arn:${{AWS::Partition}}:events:${{AWS::Region}}:{account}:rule/" + rule_name
    if spec.producer_organizations:
        principal: Any = "*"
        condition["StringEquals"] = {"aws:PrincipalOrgID": list(spec.producer_organizations)}
        condition["ArnLike"] = {"aws:SourceArn": Sub(rule_arn.format(account="*"))}
    else:
        principal = {"AWS": [Sub(f"arn:${{AWS::Partition}}:iam::{account}:root") for account in spec.producer_accounts]}
        condition["ArnEquals"] = {"aws:SourceArn": [Sub(rule_arn.format(account=a)) for a in spec.producer_accounts]}
    pinned_keys = {key: values for key, values in
                   (("events:source", pinned(pattern, "source")), ("events:detail-type", pinned(pattern, "detail-type")))
                   if values}
    if pinned_keys:
        condition["ForAllValues:StringEquals"] = pinned_keys
    return {"Effect": "Allow", "Principal": principal, "Action": PUT_EVENTS, "Resource": resource, "Condition": condition}


def add_bus_policy(ctx: StackContext, job: JobPlan, trigger: TriggerPlan) -> EventBusPolicy:
    who = ", ".join(trigger.spec.from_account)
    return ctx.template.add_resource(
        EventBusPolicy(
            trigger.bus_policy,
            Metadata=why(
                f"Lets {who} put the events of job {job.name}'s trigger {trigger.name} on bus {trigger.bus_name}: "
                f"their forwarder rules (generate writes them to templates/forwarders/) send them here.",
                must=["Names exactly the trigger's from_account and their forwarder rule, and only its pinned sources "
                      "and detail types"],
                mutable="review-required",
            ),
            EventBusName=trigger.bus_name,
            StatementId=bus_policy_statement_id(job.stack, trigger.bus_policy),
            Statement=statement(trigger, bus_arn(trigger), forwarder_rule_name(job.stack, forward_rule_id(job, trigger))),
        )
    )


def foreign_arns(ctx: StackContext, jobs: list[JobPlan]) -> list[tuple[str, str]]:
    """(what, ARN) of the ARNs in another account than possibly the stack's, which the rules need in the
    stack's own account: `cluster.arn` (when a rule targets it) and bus ARNs, in spec order, once each."""
    found: list[tuple[str, str]] = []
    if ctx.spec.cluster.arn and any(job.uses_rules for job in jobs):
        found.append(("cluster.arn", ctx.spec.cluster.arn))
    for job in jobs:
        for trigger in job.triggers:
            arn = trigger.spec.event_bus
            if arn.startswith("arn:") and all(arn != seen for _, seen in found):
                found.append((f"jobs.{job.name}.triggers[{trigger.index}].event_bus", arn))
    return found


def add_account_assertions(ctx: StackContext, jobs: list[JobPlan]) -> None:
    """The template's Rules: the stack is deployed in the account of each such ARN, or CloudFormation
    refuses it before any change (an ECS target must be in the rule's account: ECS is not among the
    cross-account targets of EventBridge, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html).
    The generator cannot compare them with the stack's account, which is known only at deploy time.

    Rules run "before CloudFormation creates or updates any resources"
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html); the docs
    show rules over parameters only, so that `Ref: AWS::AccountId` (a pseudo parameter) resolves in an
    assertion is unverified here (cfn-lint accepts it)."""
    accounts: dict[str, list[str]] = {}
    for what, arn in foreign_arns(ctx, jobs):
        accounts.setdefault(arn_account(arn), []).append(what)
    for account, whats in sorted(accounts.items()):
        ctx.template.add_rule(f"StackInAccount{account}", {
            "Assertions": [{
                "Assert": Equals(Ref("AWS::AccountId"), account),
                "AssertDescription": f"{' and '.join(whats)} {'is' if len(whats) == 1 else 'are'} in account {account}: "
                "deploy this stack there (EventBridge runs ECS tasks only in the rule's own account)",
            }],
        })

"""What a reviewer reads about cross-account triggers: who may put events on which bus (the stack's bus
policy statements), and each forwarder stack to deploy in a producer account, with its rules and role."""

from __future__ import annotations

from typing import Any

from ..plan import plan_forwarders, plan_stack


def cross_account_lines(spec: Any) -> list[str]:
    """One line per bus policy statement, then per forwarder and its rules; [] without from_account."""
    plan = plan_stack(spec)
    lines = []
    for job in plan.jobs.values():
        for trigger in job.triggers:
            if trigger.bus_policy:
                lines.append(f"{trigger.bus_policy}: {', '.join(trigger.spec.from_account)} may events:PutEvents on bus "
                             f"{trigger.bus_name} (job {job.name}, trigger {trigger.name})")
    for forwarder in plan_forwarders(plan):
        where = f"accounts of organization {forwarder.producer}" if forwarder.is_organization else f"account {forwarder.producer}"
        target = "parameter JobAccountId" if forwarder.needs_job_account else "the bus ARN"
        lines.append(f"forwarder templates/{forwarder.filename}: deploy in {where} as stack {forwarder.stack_name} "
                     f"(`batchjobs deploy SPEC --forwarder {forwarder.producer} --profile ...`); job account from {target}")
        for rule in forwarder.rules:
            lines.append(f"  {rule.rule}: job {rule.job}'s trigger {rule.trigger.name} -> bus {rule.trigger.bus_name} of the "
                         "job account, as ForwarderRole (events:PutEvents on that bus only)")
    return lines

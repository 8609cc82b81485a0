"""Cross-account triggers: `from_account`, and the ARNs whose account must be the rule's.

EventBridge cannot start an ECS task in another account: the AWS services a rule may target in another
account are API Gateway, Kinesis Data Streams, Lambda, SNS and SQS ("EventBridge supports sending events
to the following targets in other AWS accounts: Amazon API Gateway APIs, Amazon Kinesis Data Streams
streams, Lambda functions, Amazon SNS topics, Amazon SQS queues",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html), and event buses.
So events of another account are forwarded by a rule there to a bus of the job's account
("On the sender account, set up one or more rules that have the receiver account's event bus as the
target ... On the receiver account, set up one or more rules that match events that come from the sender
account", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html), and the job's
rule listens on that bus.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .arns import CLUSTER_ARN_RE, EVENT_BUS_RE
from .base import FieldError

if TYPE_CHECKING:
    from .trigger import TriggerSpec

ACCOUNT_RE = re.compile(r"^\d{12}$")
# an AWS Organizations ID: "o-" and 10 to 32 lowercase letters or digits, the pattern of `Id` in
# https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (as remembered and as
# public schemas of aws:PrincipalOrgID give it: unverified here)
ORGANIZATION_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
ACCOUNT_OR_ORGANIZATION = r"^(\d{12}|o-[a-z0-9]{10,32})$"  # what editors check (JSON Schema)


def is_organization(value: str) -> bool:
    return value.startswith("o-")


def check_from_account(value: Any) -> Any:
    """`from_account`: one account ID or Organizations ID, or a list of them, as quoted strings; kept as a
    tuple in the spec's order. A bare number is refused: YAML reads `012345678901` as 12345678901 (and
    numbers with a leading 0 as octal), so an unquoted account ID may not be the one meant."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError("give at least one account ID (or leave from_account out)")
    seen: set[str] = set()
    for index, item in enumerate(items):
        at = (index,) if isinstance(value, list) else ()
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise FieldError(f"{item!r} is not an account ID: write the 12 digits in quotes, e.g. \"210987654321\"", at=at)
        if isinstance(item, int):
            raise FieldError(
                f"{item} is a YAML number: quote the account ID (\"{item:012d}\") so that YAML keeps it as written",
                at=at,
            )
        if not (ACCOUNT_RE.match(item) or ORGANIZATION_RE.match(item)):
            raise FieldError(
                f"{item!r} is neither a 12-digit AWS account ID nor an AWS Organizations ID (o-abcdef1234)", at=at
            )
        if item in seen:
            raise FieldError(f"{item} is listed twice", at=at)
        seen.add(item)
    if len({is_organization(item) for item in items}) > 1:
        raise ValueError(
            "list account IDs or Organizations IDs, not both: one bus policy statement names either accounts or "
            "organizations (aws:PrincipalOrgID); an organization already includes its member accounts"
        )
    return tuple(items)


def check_cross_account(trigger: TriggerSpec) -> None:
    """`from_account` only on triggers started by events, whose pattern does not set `account` itself."""
    if not trigger.from_account:
        return
    from .. import triggers as trigger_kinds

    kind = trigger_kinds.KINDS[trigger.kind]
    if not kind.started_by_events:
        raise FieldError(
            f"from_account only applies to triggers started by events (s3_upload, event_pattern): a {kind.name} "
            "trigger runs in the job's own account",
            at=("from_account",),
        )
    if isinstance(trigger.event_pattern, dict) and "account" in trigger.event_pattern:
        raise FieldError(
            "the pattern matches `account` and from_account sets it too: leave `account` out of the pattern "
            "(from_account adds it)",
            at=("event_pattern", "account"),
        )
    if trigger.event_bus.startswith("arn:") and EVENT_BUS_RE.match(trigger.event_bus):
        owner = arn_account(trigger.event_bus)
        if owner in trigger.from_account:
            raise FieldError(
                f"event_bus is in account {owner}, which from_account names as a producer: the bus the job's rule "
                "listens on is in the job's account",
                at=("from_account", trigger.from_account.index(owner)) if len(trigger.from_account) > 1 else ("from_account",),
            )


def arn_account(arn: str) -> str:
    return arn.split(":")[4]


def check_accounts_agree(jobs: dict[str, Any], cluster: Any) -> None:
    """An ECS target must be in the rule's account: a cluster ARN and a bus ARN that name two accounts can
    never work together, and a producer account cannot be the one running the tasks.

    What can be compared here is compared; that the stack is deployed in the ARNs' account (unknown at
    generate time) is asserted by the template's Rules section (resources/accounts.py)."""
    cluster_arn = getattr(cluster, "arn", None) if cluster is not None else None
    if not cluster_arn or not CLUSTER_ARN_RE.match(cluster_arn):
        return
    owner = arn_account(cluster_arn)
    for job_name, job in jobs.items():
        for index, trigger in enumerate(job.triggers):
            if trigger.event_bus.startswith("arn:") and arn_account(trigger.event_bus) != owner:
                raise FieldError(
                    f"event_bus is in account {arn_account(trigger.event_bus)} but cluster.arn in account {owner}: "
                    "EventBridge cannot run an ECS task in another account than the rule's "
                    "(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-cross-account.html); "
                    "use a bus of the cluster's account, and from_account to receive the other account's events",
                    at=(job_name, "triggers", index, "event_bus"),
                )
            accounts = trigger.from_account or ()
            if owner in accounts:
                at: tuple = (job_name, "triggers", index, "from_account")
                raise FieldError(
                    f"from_account names {owner}, the account of cluster.arn, where the job runs: its events "
                    "need no forwarding; leave it out",
                    at=at + ((accounts.index(owner),) if len(accounts) > 1 else ()),
                )

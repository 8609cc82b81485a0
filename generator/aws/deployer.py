"""Deploying a template through a change set: the AWS half of `batchjobs deploy`, below the verb.

Split as the SAM CLI splits its deploy (command -> deploy context -> deployer): the verb parses arguments
and prints results; ``Deployer`` talks to CloudFormation (through ``cloudformation``, the only module
calling boto3 here): the stack's state, the change set (a reviewed one reused, or a new one), its
execution, the events while it runs, and the deadline. Progress lines go to ``say`` as they come.

The flow is the one `aws cloudformation deploy` follows: CreateChangeSet, wait, ExecuteChangeSet, wait
for the stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from ..errors import CheckFailed
from ..template.parameters import template_defaults
from ..template.quotas import MAX_TEMPLATE_BODY
from . import cloudformation as cfn
from .session import Aws

POLL_SECONDS = 2.0
CHANGE_SET_PREFIX = "batchjobs-"
_clock = time.monotonic  # the deadline's clock (tests replace it)


@dataclass(frozen=True)
class StackState:
    """The stack before the deploy: its status (None: no such stack) and its parameter values."""

    name: str
    status: str | None
    previous: dict[str, str | None] = field(default_factory=dict)  # {} when it is being created

    @property
    def creating(self) -> bool:
        # A stack in REVIEW_IN_PROGRESS was made by a change set never executed: it is still created, not updated
        # (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html, ChangeSetType)
        return self.status in (None, "REVIEW_IN_PROGRESS")


@dataclass(frozen=True)
class ChangeSet:
    id: str  # its ARN, as CreateChangeSet returned it (or ListChangeSets, for a reviewed one)
    changes: list[dict[str, Any]]  # DescribeChangeSet's Changes, every page


@dataclass(frozen=True)
class Outcome:
    status: str  # the stack's final status
    failed: list[dict[str, Any]]  # events of resources that failed, oldest first

    @property
    def succeeded(self) -> bool:
        return not cfn.is_failure(self.status)


def request_digest(text: str, parameters: list[dict[str, Any]], capabilities: list[str]) -> str:
    """What a change set was made from (template, parameters, capabilities), carried in its Description
    so that a later deploy can tell a reviewed change set of the same request from a stale one."""
    blob = json.dumps({"template": text, "parameters": parameters, "capabilities": capabilities}, sort_keys=True)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


def event_line(event: dict[str, Any]) -> str:
    stamp = event["Timestamp"].astimezone(timezone.utc).strftime("%H:%M:%S")
    reason = event.get("ResourceStatusReason") or ""
    line = f"{stamp}  {event.get('ResourceStatus', ''):<28} {event.get('ResourceType', ''):<28} {event.get('LogicalResourceId', '')}"
    return f"{line}  {reason}" if reason else line


class Deployer:
    """One deploy of one stack; every wait ends by ``timeout`` seconds after it starts."""

    def __init__(self, aws: Aws, stack: str, say: Callable[[str], None], timeout: float):
        self.aws = aws
        self.stack = stack
        self.say = say
        self.timeout = timeout
        self.deadline = _clock() + timeout
        self._defaults: dict[str, Any] | None = None

    def state(self) -> StackState:
        """The stack as it is; CheckFailed when it cannot be deployed to now: a failed creation
        (ROLLBACK_COMPLETE) can only be deleted, and one operation at a time runs on a stack
        (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html)."""
        existing = cfn.describe_stack(self.aws, self.stack)
        status = existing["StackStatus"] if existing else None
        if status == "ROLLBACK_COMPLETE":
            raise CheckFailed(f"deploy {self.stack}: the stack is ROLLBACK_COMPLETE (its creation failed): "
                              "delete it, then deploy again")
        if status and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
            raise CheckFailed(f"deploy {self.stack}: the stack is {status}: wait until it settles")
        state = StackState(self.stack, status)
        if state.creating:
            return state
        previous = {p["ParameterKey"]: p.get("ParameterValue") for p in (existing or {}).get("Parameters", [])}
        return StackState(self.stack, status, previous)

    def deployed_defaults(self) -> dict[str, Any]:
        """The Defaults of the template the stack was last deployed from, read once (GetTemplate), when asked."""
        if self._defaults is None:
            self._defaults = template_defaults(cfn.original_template(self.aws, self.stack), self.stack)
        return self._defaults

    def runs(self, state: StackState, text: str, parameters: list[dict[str, Any]]) -> bool:
        """The stack runs this very template with these parameter values, so there is nothing to deploy
        (GetTemplate's Original stage is the template as it was sent)."""
        if state.creating or cfn.original_template(self.aws, self.stack) != text:
            return False
        return all(p.get("UsePreviousValue") or state.previous.get(p["ParameterKey"]) == p.get("ParameterValue")
                   for p in parameters)

    def change_set(self, state: StackState, text: str, parameters: list[dict[str, Any]], capabilities: list[str],
                   *, source: str, s3_bucket: str | None) -> ChangeSet | None:
        """The change set to execute, described with every change: one made earlier from this same request
        while the stack is in review, else a new one. None when there is nothing to change."""
        digest = request_digest(text, parameters, capabilities)
        reviewed = self._settle_review(digest) if state.status == "REVIEW_IN_PROGRESS" else None
        if reviewed is not None:
            change_set_id = reviewed["ChangeSetId"]
        else:
            request: dict[str, Any] = dict(
                StackName=self.stack,
                ChangeSetName=CHANGE_SET_PREFIX + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S"),
                ChangeSetType="CREATE" if state.creating else "UPDATE",
                Parameters=parameters,
                Capabilities=capabilities,
                Description=f"batchjobs deploy {source[:900]} [{digest}]",
            )
            if len(text.encode("utf-8")) > MAX_TEMPLATE_BODY:
                request["TemplateURL"] = cfn.upload_template(self.aws, s3_bucket, self.stack, text)
            else:
                request["TemplateBody"] = text
            self.say(f"{self.stack}: creating change set ({request['ChangeSetType']})")
            created = cfn.create_change_set(self.aws, **request)
            if created is None:
                return None
            change_set_id = created["Id"]
        described = cfn.wait_change_set(self.aws, self.stack, change_set_id, delay=POLL_SECONDS,
                                        timeout=max(1.0, self.deadline - _clock()))
        if cfn.is_no_changes(described):
            cfn.delete_change_set(self.aws, self.stack, change_set_id)
            return None
        if described["Status"] != "CREATE_COMPLETE":
            cfn.delete_change_set(self.aws, self.stack, change_set_id)
            raise CheckFailed(f"deploy {self.stack}: the change set failed: "
                              f"{described.get('StatusReason') or described['Status']}")
        return ChangeSet(change_set_id, described.get("Changes", []))

    def _settle_review(self, digest: str) -> dict[str, Any] | None:
        """A stack in REVIEW_IN_PROGRESS (created by `--no-execute-changeset`, never executed): the batchjobs
        change set made from this same request, to execute as reviewed; every other batchjobs change set of
        the stack is stale and deleted, so that a new one replaces it."""
        ours = [cs for cs in cfn.list_change_sets(self.aws, self.stack)
                if str(cs.get("ChangeSetName", "")).startswith(CHANGE_SET_PREFIX)]
        reuse = next((cs for cs in ours if cs.get("Status") == "CREATE_COMPLETE" and cs.get("ExecutionStatus") == "AVAILABLE"
                      and digest in (cs.get("Description") or "")), None)
        for cs in ours:
            if cs is not reuse:
                cfn.delete_change_set(self.aws, self.stack, cs["ChangeSetId"])
                self.say(f"{self.stack}: deleted stale change set {cs['ChangeSetName']} (made from another template or parameters)")
        if reuse is not None:
            self.say(f"{self.stack}: using change set {reuse['ChangeSetName']}, made earlier from this same template and parameters")
        return reuse

    def execute(self, change_set: ChangeSet) -> Outcome:
        """Execute the change set and follow the stack's events until it settles."""
        marker = cfn.latest_event_id(self.aws, self.stack)
        cfn.execute_change_set(self.aws, self.stack, change_set.id)
        final, events = self.watch(marker, len(change_set.changes))
        failed = [e for e in events if e.get("ResourceStatus", "").endswith("_FAILED") and e.get("LogicalResourceId") != self.stack]
        return Outcome(final, failed)

    def watch(self, after_event_id: str | None, total: int) -> tuple[str, list[dict[str, Any]]]:
        """Say the stack's events as they come, with a progress line, until the stack settles; past the
        deadline stop waiting: CheckFailed (CloudFormation goes on)."""
        seen: list[dict[str, Any]] = []
        done: set[str] = set()
        while True:
            events = cfn.stack_events(self.aws, self.stack, after_event_id)
            for event in events:
                self.say(event_line(event))
                logical = event.get("LogicalResourceId")
                if logical and logical != self.stack and cfn.is_terminal(event.get("ResourceStatus", "")):
                    done.add(logical)
            if events:
                after_event_id = events[-1]["EventId"]
                seen.extend(events)
            status = cfn.describe_stack(self.aws, self.stack)["StackStatus"]
            if total:
                self.say(f"[{min(len(done), total)}/{total} resources] {self.stack}: {status}")
            if cfn.is_terminal(status):
                return status, seen
            if _clock() >= self.deadline:
                raise CheckFailed(
                    f"deploy {self.stack}: still {status} after {duration(self.timeout)} (--timeout): CloudFormation goes "
                    f"on without us; follow it with `aws cloudformation describe-stack-events --stack-name {self.stack}` "
                    "or in the console"
                )
            time.sleep(POLL_SECONDS)

    def outputs(self) -> list[dict[str, Any]]:
        return sorted(cfn.describe_stack(self.aws, self.stack).get("Outputs") or [], key=lambda o: o["OutputKey"])

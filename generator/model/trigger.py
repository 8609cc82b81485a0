"""A trigger: what starts a job (one of the kinds in generator/triggers), and what each run overrides."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from pydantic import Field, field_validator, model_validator

from .. import triggers as trigger_kinds  # the table; read when a trigger is checked (see triggers/__init__.py)
from ..triggers.event_pattern import check_event_bus, check_event_pattern
from ..triggers.s3_upload import S3UploadSpec
from ..triggers.schedule import check_schedule, check_timezone, parse_flexible_window, parse_instant
from .accounts import ACCOUNT_OR_ORGANIZATION, check_cross_account, check_from_account, is_organization
from .base import Duration, Strict, checked
from .checks import check_dead_letter_queue, check_env_names
from .job_parts import RetrySpec
from .transforms import resolve_local_times
from .trigger_checks import check_event_values, check_kind, check_override_syntax, check_trigger_name
from .value_template import Placeholder, parse_value


class TriggerSpec(Strict):
    """What starts the job: exactly one of schedule, s3_upload or event_pattern."""

    name: str | None = Field(
        None, description="Stable name for this trigger (logical IDs use it; default trigger1, trigger2, ...)."
    )
    schedule: str | None = Field(
        None,
        description="cron(m h dom mon dow yr), rate(n unit), a 5-field Unix cron, @daily etc., @every 90m, or at(...).",
    )
    timezone: str | None = Field(None, description="IANA time zone for cron/at (needs EventBridge Scheduler).")
    start: datetime | None = Field(
        None, description="First time the schedule may run (ISO 8601; without an offset: in timezone, else UTC; Scheduler)."
    )
    end: datetime | None = Field(
        None, description="Last time the schedule may run (ISO 8601; without an offset: in timezone, else UTC; Scheduler)."
    )
    flexible_window: Duration | None = Field(None, description="Let Scheduler start up to this late, e.g. 15m (1m-24h).")
    s3_upload: S3UploadSpec | None = Field(None, description="Run on S3 Object Created events.")
    event_pattern: dict[str, Any] | None = Field(None, description="Any EventBridge event pattern.")
    event_bus: str = Field("default", description="Event bus name or ARN for event_pattern triggers.")
    from_account: tuple[str, ...] | None = Field(
        None,
        description='The events come from this AWS account (12 digits, quoted) or Organizations ID (o-...), or a list: '
        "the stack lets them put events on the bus and generate writes a forwarder template for each account.",
        json_schema_extra={"anyOf": [{"type": "string", "pattern": ACCOUNT_OR_ORGANIZATION},
                                      {"type": "array", "items": {"type": "string", "pattern": ACCOUNT_OR_ORGANIZATION},
                                       "minItems": 1}]},
    )
    environment: dict[str, str] = Field(
        default_factory=dict,
        description='Per-run environment overrides; a value starting with "$." is read from the event, '
        '"{$.path}" and "{aws.events.rule-name}" placeholders mix event fields into text.',
    )
    command: list[str] | None = Field(
        None, description='Per-run command override; items may be "$." event paths or hold "{$.path}" placeholders.')
    enabled: bool = Field(True, description="false deploys the trigger disabled.")
    retry: RetrySpec | None = Field(None, description="Overrides the job's retry for this trigger.")
    dead_letter_queue: bool | str | None = Field(
        None, description="Overrides the job's dead_letter_queue for this trigger (true, false or a queue ARN)."
    )

    # -- field checks
    _name = checked(check_trigger_name, "name")
    _schedule = checked(check_schedule, "schedule")
    _timezone = checked(check_timezone, "timezone")
    _instant = checked(parse_instant, "start", "end", mode="before")
    _window = checked(parse_flexible_window, "flexible_window", mode="before")

    @field_validator("environment")
    @classmethod
    def _environment(cls, values: dict[str, Any]) -> dict[str, str]:
        return check_override_syntax(check_env_names(values))

    _command = checked(check_override_syntax, "command")
    _bus = checked(check_event_bus, "event_bus")
    _from_account = checked(check_from_account, "from_account", mode="before")
    _dlq = checked(check_dead_letter_queue, "dead_letter_queue", mode="before")
    _pattern = checked(check_event_pattern, "event_pattern")

    # -- cross-field checks (local times first: the kind's checks compare instants)
    @model_validator(mode="after")
    def _one_kind(self):
        resolve_local_times(self)
        check_kind(self)
        return self

    @model_validator(mode="after")
    def _cross_account(self):
        check_cross_account(self)
        return self

    @model_validator(mode="after")
    def _event_values(self):
        check_event_values(self)
        return self

    # -- derived facts later stages use
    def override_items(self) -> list[tuple[tuple[str, str | int], str]]:
        """Each override value with where it is written: (("environment", NAME) or ("command", i), value)."""
        return [(("environment", k), v) for k, v in self.environment.items()] + [
            (("command", i), v) for i, v in enumerate(self.command or [])
        ]

    def override_values(self) -> list[str]:
        return list(self.environment.values()) + list(self.command or [])

    def override_fields(self) -> list[tuple[tuple[str, str | int], Placeholder]]:
        """Each field an override value reads at run time (event paths and `{aws.…}` built-ins), with where
        it is written, in order, repeats included."""
        return [(where, part) for where, value in self.override_items() for part in parse_value(value)
                if isinstance(part, Placeholder)]

    def event_paths(self) -> list[str]:
        """The event paths the override values read ('$.' values and '{$.…}' placeholders), in order,
        repeats included."""
        return [f.ref for _, f in self.override_fields() if not f.is_builtin]

    def run_time_refs(self) -> list[str]:
        """Everything the overrides read when the trigger fires: event paths and built-ins."""
        return [f.ref for _, f in self.override_fields()]

    @property
    def producer_accounts(self) -> tuple[str, ...]:
        """The account IDs of `from_account` (without Organizations IDs), in the spec's order."""
        return tuple(a for a in self.from_account or () if not is_organization(a))

    @property
    def producer_organizations(self) -> tuple[str, ...]:
        return tuple(a for a in self.from_account or () if is_organization(a))

    def rule_pattern(self) -> dict[str, Any] | None:
        """The event pattern of the trigger's rule: its kind's, and with `from_account` the producer accounts
        in `account` (every event carries the account it came from: the forwarded event keeps it). With an
        Organizations ID the accounts are not known, so `account` is not matched (the bus policy limits who
        may put events). None: the kind is not started by events."""
        kind = trigger_kinds.KINDS[self.kind]
        if not kind.started_by_events:
            return None
        pattern = kind.event_pattern(self)
        if self.from_account and not self.producer_organizations:
            pattern = {**pattern, "account": list(self.producer_accounts)}
        return pattern

    @property
    def kind(self) -> str:
        """The kind's name (its field: schedule, s3_upload, event_pattern); ``KINDS[kind]`` says the rest."""
        return next(name for name in trigger_kinds.KINDS if getattr(self, name) is not None)

    @cached_property
    def aws_schedule(self):
        """The schedule compiled to AWS's syntax (``AwsSchedule``), once; only for schedule triggers."""
        from ..eventbridge.schedule import to_aws

        return to_aws(self.schedule)

    @property
    def uses_scheduler(self) -> bool:
        """An EventBridge Scheduler schedule runs it, not an EventBridge rule (the kind decides)."""
        return trigger_kinds.KINDS[self.kind].uses_scheduler(self)

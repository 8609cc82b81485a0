"""The job spec as typed, validated objects: the single source of truth for every later stage.

Each field is declared once, with its default and a one-line doc (the JSON Schema is generated from
these). Checks are small named validators that raise ``ValueError`` with a message that says what is
wrong and what is allowed; ``load.py`` adds the file, line and field path.

After validation nothing is ``None``-means-default: ``StackSpec`` resolves job defaults into each job
and each job's retry / dead-letter settings into each trigger.
"""

from __future__ import annotations

import difflib
import json
import re
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Annotated, Any, Callable, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator

from .fargate import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, describe_memory_choices
from .policy_rules import REQUIRED_CONDITIONS, action_matches, is_wildcard_action, needs_scoped_resource

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# a Docker image reference: [registry[:port]/]repository[:tag][@sha256:digest]
IMAGE_RE = re.compile(
    r"^(?:[A-Za-z0-9.-]+(?::\d+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$"
)
# Amazon ECR private registries: ACCOUNT.dkr.ecr.REGION.amazonaws.com (.cn in China), its FIPS endpoint
# dkr.ecr-fips, and the dual-stack endpoints ACCOUNT.dkr-ecr[-fips].REGION.on.aws; then the repository,
# a tag, a digest, or a tag and a digest (the digest is what is pulled).
ECR_IMAGE_RE = re.compile(
    r"^(?P<account>\d{12})\.(?:dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?"
    r"|dkr-ecr(?:-fips)?\.(?P<dual_stack_region>[a-z0-9-]+)\.on\.aws)/"
    r"(?P<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
# a registry host that names ECR: such an image must parse as one, or it would get no pull permissions
ECR_HOST_HINT_RE = re.compile(
    r"^(?:[^/]*dkr[.-]ecr[^/]*|[^/]*\becr\b[^/]*\.(?:amazonaws\.com(?:\.cn)?|on\.aws))(?::\d+)?/", re.IGNORECASE
)
SQS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$")
SNS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
CLUSTER_ARN_RE = re.compile(r"^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster/[A-Za-z0-9_-]{1,255}$")
# the loose shape editors check (JSON Schema); the model checks each kind exactly (check_secret_reference)
SECRET_ARN_RE = re.compile(
    r"^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:\d{12}:parameter/.+|secretsmanager:[a-z0-9-]+:\d{12}:secret:.+)$"
)
# ECS `valueFrom` for Secrets Manager: the secret's ARN, optionally followed by
# `:json-key:version-stage:version-id` (all three positions, each may be empty). The secret's own ARN ends
# in `-` and 6 random characters that a "partial ARN" leaves out.
SECRETS_MANAGER_VALUE_RE = re.compile(
    r"^(?P<arn>arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(?P<name>[A-Za-z0-9/_+=.@-]{1,512}))"
    r"(?::(?P<json_key>[^:]*):(?P<version_stage>[^:]*):(?P<version_id>[^:]*))?$"
)
SECRET_RANDOM_SUFFIX_RE = re.compile(r"-[A-Za-z0-9]{6}$")
# An SSM parameter's ARN: `parameter/` then the name without its leading `/` (`/app/token` ->
# `parameter/app/token`); a `:version` or `:label` selector may follow.
SSM_PARAMETER_VALUE_RE = re.compile(
    r"^(?P<arn>arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/(?P<name>[A-Za-z0-9_.-][A-Za-z0-9_./-]{0,2047}))"
    r"(?::(?P<selector>[A-Za-z0-9_.-]{1,100}))?$"
)
EVENT_BUS_RE = re.compile(r"^([\w/.-]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus/[\w/.-]+)$")
DURATION_RE = re.compile(r"^(\d+)\s*(s|m|h)$")
EVENT_PATH_PREFIX = "$."

MAX_TRIGGERS_PER_JOB = 100
# Names go into logical IDs (at most 255 characters), export names (`<stack>-<output logical ID>`, at most
# 255), the task family (`<stack>-<job>`, 255), the log group (`/ecs/<stack>/<job>`, 512) and log streams
# (`<job>/<job>/<task id>`, 512). With a stack name of up to 128 characters the longest, a schedule's export
# name, is 128 + 1 + 64 + 48 + len("Schedule") = 249; the longest logical ID (a trigger's alarm) is 134.
MAX_JOB_NAME = 64
MAX_TRIGGER_NAME = 48
# Top-level event fields that are always strings (EventBridge event structure reference)
ENVELOPE_STRING_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region")
# A scheduled rule's event: the envelope (all strings: "source" aws.events, "detail-type" Scheduled Event),
# the rule's ARN as resources[0], and an empty detail.
SCHEDULED_RULE_EVENT_PATHS = tuple(f"$.{name}" for name in ENVELOPE_STRING_FIELDS) + ("$.resources[0]",)
# EventBridge Scheduler sends no event; what it has instead are context attributes it fills into the input.
SCHEDULER_CONTEXT_ATTRIBUTES = {
    "$.time": "<aws.scheduler.scheduled-time>",  # the time the schedule fired for, 2027-01-01T09:00:00Z
    "$.id": "<aws.scheduler.execution-id>",
    "$.resources[0]": "<aws.scheduler.schedule-arn>",
}
PLACEHOLDER_RE = re.compile(r"<[^<>]*>")
MAX_EVENT_VALUES_PER_TRIGGER = 100  # an InputTransformer's InputPathsMap takes at most 100 entries
MAX_OVERRIDES_CHARS = 8192  # RunTask: the overrides JSON is at most 8192 characters

# How durations look in the JSON Schema: seconds, or a number with s / m / h.
Duration = Annotated[
    int,
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\d+\s*(s|m|h)$"}]}),
]


class FieldError(ValueError):
    """A ValueError that points below the field its validator checks.

    ``at`` is the rest of the path (a key, an index) that ``load.py`` appends to the field's path,
    so that the message lands on the exact line, e.g. ``secrets.DB_PASSWORD`` rather than ``secrets``.
    """

    def __init__(self, message: str, *, at: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.at = at


class Strict(BaseModel):
    """Base: unknown fields are errors, values are not silently coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def parse_duration_seconds(value: Any, *, minimum: int, maximum: int, what: str) -> int:
    """`90s`, `15m`, `1h` or a number of seconds -> seconds, within [minimum, maximum]."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (write e.g. 90s, 15m, 1h or a number of seconds)")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (match := DURATION_RE.match(value.strip())):
        seconds = int(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2)]
    else:
        raise ValueError(f"{value!r} is not a duration (write e.g. 90s, 15m, 1h or a number of seconds)")
    if not minimum <= seconds <= maximum:
        raise ValueError(f"{value!r} is out of range: {what} must be between {minimum}s and {maximum}s")
    return seconds


def check_name(value: str, what: str) -> str:
    if not NAME_RE.match(value):
        raise ValueError(f"{value!r} is not a valid {what}: use letters, digits and hyphens, starting with a letter")
    return value


def check_env_names(values: dict[str, str]) -> dict[str, str]:
    for key in values:
        if not ENV_NAME_RE.match(key):
            raise FieldError(
                f"{key!r} is not a valid environment variable name (letters, digits and _, not starting with a digit)",
                at=(key,),
            )
    return values


def check_tags(values: dict[str, str]) -> dict[str, str]:
    """AWS tag limits: at most 50 tags, keys up to 128 characters, values up to 256, no aws: prefix."""
    if len(values) > 50:
        raise ValueError(f"{len(values)} tags: AWS allows at most 50 per resource")
    for key, value in values.items():
        if not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise FieldError(f"{key!r} is not a tag key you can set (1-128 characters, not starting with aws:)", at=(key,))
        if len(value) > 256:
            raise FieldError(f"tag {key!r}: a tag value has at most 256 characters", at=(key,))
    return values


# --------------------------------------------------------------------------------------------------
# Stack-level parts


class ClusterSpec(Strict):
    """The ECS cluster the tasks run on: an existing one by `name` or `arn`, or `create: true`."""

    name: str | None = Field(None, description="Name of an existing cluster in the stack's account and Region.")
    arn: str | None = Field(None, description="ARN of an existing cluster.")
    create: bool = Field(False, description="Create a cluster in this stack (Container Insights on).")

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("name", "arn") if getattr(self, k)] + (["create"] if self.create else [])
        if len(given) != 1:
            got = f" (got {' and '.join(given)})" if given else ""
            raise ValueError(f"give exactly one of name, arn or create: true{got}")
        if self.arn and not CLUSTER_ARN_RE.match(self.arn):
            raise FieldError(
                f"{self.arn!r} is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)", at=("arn",)
            )
        if self.name and not re.match(r"^[A-Za-z0-9_-]{1,255}$", self.name):
            raise FieldError(
                f"{self.name!r} is not a valid cluster name (letters, digits, hyphens, underscores)", at=("name",)
            )
        return self


class NetworkSpec(Strict):
    """Where the Fargate tasks' network interfaces go (awsvpc)."""

    subnets: list[str] = Field(..., min_length=1, max_length=16, description="Subnet IDs (1-16).")
    security_groups: list[str] = Field(..., min_length=1, max_length=5, description="Security group IDs (1-5).")
    assign_public_ip: bool = Field(False, description="Give tasks a public IP (needed in public subnets without NAT).")

    @field_validator("subnets")
    @classmethod
    def _subnets(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            if not re.match(r"^subnet-[0-9a-f]{8,17}$", value):
                raise FieldError(f"{value!r} is not a subnet ID (subnet-0123abcd)", at=(index,))
        return values

    @field_validator("security_groups")
    @classmethod
    def _security_groups(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            if not re.match(r"^sg-[0-9a-f]{8,17}$", value):
                raise FieldError(f"{value!r} is not a security group ID (sg-0123abcd)", at=(index,))
        return values


class NotificationsSpec(Strict):
    """Where alarms and failed-task alerts go: a new topic with e-mail subscriptions, or an existing topic."""

    email: list[str] = Field(default_factory=list, description="Addresses subscribed to the stack's new SNS topic.")
    topic_arn: str | None = Field(None, description="An existing SNS topic to notify instead of creating one.")

    @model_validator(mode="after")
    def _one_kind(self):
        if self.email and self.topic_arn:
            raise ValueError("give either email or topic_arn, not both")
        if self.topic_arn and not SNS_ARN_RE.match(self.topic_arn):
            raise FieldError(
                f"{self.topic_arn!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", at=("topic_arn",)
            )
        for index, address in enumerate(self.email):
            if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", address):
                raise FieldError(f"{address!r} is not an e-mail address", at=("email", index))
        return self


class KmsKeySpec(Strict):
    """A customer-managed KMS key for the DLQs, the topic and the log groups."""

    arn: str | None = Field(None, description="ARN of an existing customer-managed key.")
    create: bool = Field(False, description="Create a key in this stack, with the key policy the services need.")

    @model_validator(mode="after")
    def _exactly_one(self):
        if bool(self.arn) == self.create:
            raise ValueError("give exactly one of arn or create: true")
        if self.arn and not KMS_ARN_RE.match(self.arn):
            raise FieldError(f"{self.arn!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", at=("arn",))
        return self


# --------------------------------------------------------------------------------------------------
# Job parts


class RetrySpec(Strict):
    """How EventBridge retries a RunTask call that failed (not a task that exited non-zero)."""

    attempts: int = Field(185, ge=0, le=185, description="Retry attempts, 0-185 (AWS default 185).")
    max_event_age: Duration = Field(86400, description="Give up after this long: 60s-24h, e.g. 15m, 1h (default 24h).")

    @field_validator("max_event_age", mode="before")
    @classmethod
    def _age(cls, value: Any) -> int:
        return parse_duration_seconds(value, minimum=60, maximum=86400, what="max_event_age")


_IAM_BASE_OPERATORS = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
)
# IAM User Guide, "IAM JSON policy elements: Condition operators": each with ...IfExists and set qualifiers
IAM_CONDITION_OPERATORS = frozenset(
    f"{qualifier}{operator}{suffix}"
    for operator in _IAM_BASE_OPERATORS
    for suffix in ("", "IfExists")
    for qualifier in ("", "ForAllValues:", "ForAnyValue:")
) | {"Null"}


class StatementSpec(Strict):
    """One extra IAM statement for the task role."""

    effect: Literal["Allow", "Deny"] = Field("Allow", description="Allow (default) or Deny.")
    actions: list[str] = Field(..., min_length=1, description="IAM actions, e.g. dynamodb:PutItem. No '*' actions.")
    resources: list[str] = Field(..., min_length=1, description="Resource ARNs the actions apply to.")
    conditions: dict[str, dict[str, Any]] = Field(default_factory=dict, description="IAM condition block.")

    @field_validator("actions")
    @classmethod
    def _actions(cls, values: list[str]) -> list[str]:
        for index, action in enumerate(values):
            if is_wildcard_action(action):
                raise FieldError(f"{action!r} grants every action: name the actions the job needs", at=(index,))
            if not re.match(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$", action):
                raise FieldError(f"{action!r} is not an IAM action (service:Action)", at=(index,))
        return values

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for operator in values:
            if operator not in IAM_CONDITION_OPERATORS:
                close = difflib.get_close_matches(operator, sorted(IAM_CONDITION_OPERATORS), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else " (e.g. StringEquals, ArnLike, Bool)"
                raise FieldError(f"{operator!r} is not an IAM condition operator{hint}", at=(operator,))
        return values

    @field_validator("resources")
    @classmethod
    def _resources(cls, values: list[str]) -> list[str]:
        for index, resource in enumerate(values):
            if resource != "*" and not re.match(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$", resource):
                raise FieldError(f"{resource!r} is not an ARN (arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE)", at=(index,))
        return values

    @model_validator(mode="after")
    def _least_privilege(self):
        """The checks lint rules E9202-E9204 make on the template, made here where the statement was written."""
        if self.effect != "Allow":
            return self
        if "*" in self.resources:
            scoped = [a for a in self.actions if needs_scoped_resource(a)]
            if scoped:
                raise FieldError(
                    f"resource '*' for {', '.join(scoped)}, which AWS lets you scope to ARNs: name the resources "
                    "('*' is only for actions such as ecr:GetAuthorizationToken that AWS authorizes on '*' alone)",
                    at=("resources", self.resources.index("*")),
                )
        statement = {"Condition": self.conditions}
        for required in REQUIRED_CONDITIONS:
            granting = [i for i, a in enumerate(self.actions) if action_matches(a, required.action)]
            if granting and not required.holds(statement):
                operators = " or ".join(required.operators)
                raise FieldError(
                    f"{self.actions[granting[0]]!r} without a condition on {required.key} ({operators}, not '*') "
                    f"{required.risk}: add e.g. conditions: {{{required.operators[0]}: {{{required.key}: ...}}}}",
                    at=("actions", granting[0]),
                )
        return self


def _s3_location(value: str) -> str:
    bucket, _, prefix = value.partition("/")
    if not BUCKET_RE.match(bucket) or ".." in bucket:
        raise ValueError(f"{bucket!r} is not a valid S3 bucket name")
    if prefix and not prefix.endswith("/"):
        raise ValueError(f"{value!r}: a prefix must end with '/' (write {value}/)")
    if "*" in value:
        raise ValueError(f"{value!r}: no wildcards; write the bucket or bucket/prefix/")
    return value


class PermissionsSpec(Strict):
    """What the task itself may do (its task role). Nothing else is granted."""

    s3_read: list[str] = Field(default_factory=list, description="bucket or bucket/prefix/: s3:GetObject on the objects.")
    s3_write: list[str] = Field(default_factory=list, description="bucket or bucket/prefix/: s3:PutObject on the objects.")
    statements: list[StatementSpec] = Field(default_factory=list, description="Any other IAM statements.")

    @field_validator("s3_read", "s3_write")
    @classmethod
    def _locations(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            try:
                _s3_location(value)
            except ValueError as err:
                raise FieldError(str(err), at=(index,)) from None
        return values


class S3UploadSpec(Strict):
    """Run when an object is created in a bucket (S3 'Object Created' events via EventBridge)."""

    bucket: str = Field(..., description="The bucket; it must have EventBridge notifications turned on.")
    prefix: str | None = Field(None, description="Only keys starting with this.")
    suffix: str | None = Field(None, description="Only keys ending with this.")
    key_wildcard: str | None = Field(None, description="Only keys matching this wildcard ('*' = any characters).")

    @field_validator("bucket")
    @classmethod
    def _bucket(cls, value: str) -> str:
        if not BUCKET_RE.match(value):
            raise ValueError(f"{value!r} is not a valid S3 bucket name")
        return value

    @field_validator("prefix", "suffix", "key_wildcard")
    @classmethod
    def _not_empty(cls, value: str | None) -> str | None:
        if value == "":
            raise ValueError("must not be empty (leave it out to match every key)")
        return value

    @model_validator(mode="after")
    def _wildcard_alone(self):
        if self.key_wildcard and (self.prefix or self.suffix):
            raise ValueError("key_wildcard cannot be combined with prefix or suffix: put them into the wildcard")
        return self


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
    environment: dict[str, str] = Field(
        default_factory=dict, description='Per-run environment overrides; a value starting with "$." is read from the event.'
    )
    command: list[str] | None = Field(None, description='Per-run command override; items may be "$." event paths.')
    enabled: bool = Field(True, description="false deploys the trigger disabled.")
    retry: RetrySpec | None = Field(None, description="Overrides the job's retry for this trigger.")
    dead_letter_queue: bool | str | None = Field(
        None, description="Overrides the job's dead_letter_queue for this trigger (true, false or a queue ARN)."
    )

    # -- field checks
    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        check_name(value, "trigger name")
        if len(value) > MAX_TRIGGER_NAME:
            raise ValueError(
                f"a trigger name has at most {MAX_TRIGGER_NAME} characters (this one has {len(value)}): it is part "
                "of logical IDs and of the stack's export names, which CloudFormation limits to 255 characters"
            )
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from ..eventbridge.schedule import ScheduleError, to_aws

        try:
            to_aws(value)
        except ScheduleError as err:
            raise ValueError(f"{value!r} is not a valid schedule: {err}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone name (e.g. Europe/Paris, America/New_York)") from None
        return value

    @field_validator("start", "end", mode="before")
    @classmethod
    def _instant(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not an ISO 8601 date-time (2027-01-01T09:00:00Z)") from None
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        return value  # without a zone: a local time of the trigger's timezone (resolved in _one_kind)

    @field_validator("flexible_window", mode="before")
    @classmethod
    def _window(cls, value: Any) -> int | None:
        if value is None:
            return None
        seconds = parse_duration_seconds(value, minimum=60, maximum=86400, what="flexible_window")
        if seconds % 60:
            raise ValueError(f"{value!r}: flexible_window is counted in whole minutes")
        return seconds // 60

    @field_validator("environment")
    @classmethod
    def _environment(cls, values: dict[str, Any]) -> dict[str, str]:
        return check_env_names(values)

    @field_validator("event_bus")
    @classmethod
    def _bus(cls, value: str) -> str:
        if not EVENT_BUS_RE.match(value):
            raise ValueError(f"{value!r} is not an event bus name or ARN")
        return value

    @field_validator("dead_letter_queue", mode="before")
    @classmethod
    def _dlq(cls, value: Any) -> Any:
        return check_dead_letter_queue(value)

    @field_validator("event_pattern")
    @classmethod
    def _pattern(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        from ..eventbridge.pattern import PatternError, validate_pattern

        try:
            validate_pattern(value)
        except PatternError as err:
            raise FieldError(
                f"not a valid event pattern: {str(err).rstrip('.')}",
                at=_failing_part(value, validate_pattern, PatternError),
            ) from None
        for key in ENVELOPE_STRING_FIELDS:
            for index, matcher in enumerate(value.get(key) if isinstance(value.get(key), list) else []):
                if not isinstance(matcher, (str, dict)):
                    raise FieldError(
                        f"{json.dumps(matcher)} can never match: every EventBridge event carries {key} as a "
                        f"string; quote it ({json.dumps(json.dumps(matcher))})",
                        at=(key, index),
                    )
        return value

    # -- cross-field checks
    def _resolve_local_times(self) -> None:
        """`start`/`end` without a zone are wall-clock times where the schedule runs: in `timezone`, or UTC.

        Scheduler's StartDate/EndDate are instants, so each becomes one; a local time that a daylight-saving
        change skips or repeats has no single instant and must be written with its offset.
        """
        zone = ZoneInfo(self.timezone) if self.timezone else timezone.utc
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is None or value.tzinfo is not None:
                continue
            earlier, later = value.replace(tzinfo=zone), value.replace(tzinfo=zone, fold=1)
            round_trip = earlier.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
            if round_trip != value:
                raise FieldError(
                    f"{value.isoformat()} does not exist in {self.timezone} (the clocks skip it): "
                    "write another time, or one with an offset",
                    at=(name,),
                )
            if earlier.utcoffset() != later.utcoffset():
                raise FieldError(
                    f"{value.isoformat()} happens twice in {self.timezone} (the clocks go back): write it with "
                    f"its offset, e.g. {earlier.isoformat()} or {later.isoformat()}",
                    at=(name,),
                )
            object.__setattr__(self, name, earlier)

    @model_validator(mode="after")
    def _one_kind(self):
        self._resolve_local_times()
        kinds = [k for k in ("schedule", "s3_upload", "event_pattern") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a trigger needs exactly one of schedule, s3_upload or event_pattern"
                + (f" (got {', '.join(kinds)})" if kinds else "")
            )
        scheduler_only = [k for k in ("timezone", "start", "end", "flexible_window") if getattr(self, k) is not None]
        if scheduler_only and self.schedule is None:
            raise FieldError(
                f"{scheduler_only[0]} only applies to schedule triggers: remove it from this {kinds[0]} trigger",
                at=(scheduler_only[0],),
            )
        if self.event_bus != "default" and self.event_pattern is None:
            raise FieldError(
                "event_bus only applies to event_pattern triggers (S3 uploads and schedules use the default bus)",
                at=("event_bus",),
            )
        if self.schedule is not None and self.aws_schedule.kind == "at":
            dates = [k for k in ("start", "end") if getattr(self, k) is not None]
            if dates:
                raise FieldError(
                    f"{dates[0]} does not apply to at(): Scheduler ignores StartDate and EndDate for one-time "
                    "schedules; remove it (at() already names the one time it runs)",
                    at=(dates[0],),
                )
        if self.start and self.end and self.start >= self.end:
            raise FieldError("start must be before end", at=("end",))
        if self.schedule is not None and self.aws_schedule.kind == "cron":
            self._check_cron_runs()
        return self

    def _check_cron_runs(self) -> None:
        """AWS accepts a cron that no date satisfies (February 31st) or whose runs all fall outside start/end;
        it is never what the user meant, so it is refused. Judged from start (or the earliest year a cron
        can name), not from today: the same spec must give the same answer on any day."""
        from ..eventbridge.schedule import next_runs

        after = self.start or datetime(1970, 1, 1, tzinfo=timezone.utc)
        runs = next_runs(self.schedule, count=1, after=after - timedelta(seconds=1), timezone=self.timezone or "UTC")
        if not runs:
            where = " after start" if self.start else ""
            raise FieldError(
                f"{self.aws_schedule.expression} never runs{where}: no date matches its day-of-month, month, "
                "day-of-week and year fields together", at=("schedule",))
        if self.end and runs[0] >= self.end:
            raise FieldError(
                f"{self.aws_schedule.expression} never runs between start and end (its first run"
                f"{' after start' if self.start else ''} is {runs[0].isoformat()})", at=("end",))

    @model_validator(mode="after")
    def _event_values(self):
        event_paths = self.event_paths()
        if event_paths and self.schedule is not None:
            self._check_schedule_paths()
        for where, value in self._override_items():
            container = _known_container_path(value, self.kind)
            if container:
                raise FieldError(
                    f"{value!r} is {container} in every such event: ECS needs a string and EventBridge would "
                    "deliver nothing; name a field inside it (e.g. $.detail.object.key)",
                    at=where,
                )
        if event_paths and not (self.schedule is not None and self.uses_scheduler):
            # Fixed values are written into the InputTransformer template, where <name> is a placeholder.
            for where, value in self._override_items():
                if not value.startswith(EVENT_PATH_PREFIX) and PLACEHOLDER_RE.search(value):
                    raise FieldError(
                        f"{value!r}: '<...>' in a fixed value would be read as an input-transformer placeholder "
                        "when other values come from the event; remove the angle brackets",
                        at=where,
                    )
        if len(event_paths) > MAX_EVENT_VALUES_PER_TRIGGER:
            raise ValueError(
                f"{len(event_paths)} values are read from the event ('$.' paths in environment and command); "
                f"an EventBridge input transformer takes at most {MAX_EVENT_VALUES_PER_TRIGGER}: "
                "split the trigger or pass the whole event path once"
            )
        return self

    def _check_schedule_paths(self) -> None:
        """A scheduled rule reads its event's envelope; a Scheduler schedule only its context attributes."""
        for where, value in self._override_items():
            if not value.startswith(EVENT_PATH_PREFIX):
                continue
            if self.uses_scheduler and value not in SCHEDULER_CONTEXT_ATTRIBUTES:
                raise FieldError(
                    f"{value!r}: this schedule runs on EventBridge Scheduler (timezone, start, end, flexible_window "
                    "or at() need it), which sends no event: only $.time (the scheduled time), $.id (the "
                    "execution ID) and $.resources[0] (the schedule's ARN) are available; write a fixed value",
                    at=where,
                )
            if not self.uses_scheduler and value not in SCHEDULED_RULE_EVENT_PATHS:
                raise FieldError(
                    f"{value!r}: a scheduled rule's event has only the envelope ($.time, $.id, $.account, "
                    "$.region, $.source, $.detail-type, $.version; the rule's ARN in $.resources[0]) and an "
                    "empty detail; write one of those or a fixed value",
                    at=where,
                )

    def _override_items(self) -> list[tuple[tuple[str, str | int], str]]:
        return [(("environment", k), v) for k, v in self.environment.items()] + [
            (("command", i), v) for i, v in enumerate(self.command or [])
        ]

    # -- derived facts later stages use
    def override_values(self) -> list[str]:
        return list(self.environment.values()) + list(self.command or [])

    def event_paths(self) -> list[str]:
        """The override values read from the event ('$.' paths), in order, repeats included."""
        return [v for v in self.override_values() if v.startswith(EVENT_PATH_PREFIX)]

    @property
    def kind(self) -> str:
        return "schedule" if self.schedule is not None else "s3_upload" if self.s3_upload else "event_pattern"

    @cached_property
    def aws_schedule(self):
        """The schedule compiled to AWS's syntax (``AwsSchedule``), once; only for schedule triggers."""
        from ..eventbridge.schedule import to_aws

        return to_aws(self.schedule)

    @property
    def uses_scheduler(self) -> bool:
        """EventBridge Scheduler is needed for time zones, start/end, flexible windows and at()."""
        if self.schedule is None:
            return False
        # docs/job-spec.md: any of timezone, start, end, flexible_window (or at()) means Scheduler. A spec's
        # timezone is kept even where a rule would run the same times (a rate, Etc/UTC), so the deployed
        # schedule says what the spec says; `batchjobs schedule` tells what AWS itself requires.
        needs = (self.timezone, self.start, self.end, self.flexible_window)
        return any(v is not None for v in needs) or self.aws_schedule.needs_scheduler


# Event paths that are objects or lists: a quoted object placeholder makes EventBridge drop the event.
CONTAINER_PATHS = {
    "$.detail": "an object",
    "$.resources": "a list",
}
S3_CONTAINER_PATHS = {"$.detail.bucket": "an object", "$.detail.object": "an object"}


def _known_container_path(value: str, kind: str) -> str | None:
    path = value.rstrip(".")
    return CONTAINER_PATHS.get(path) or (S3_CONTAINER_PATHS.get(path) if kind == "s3_upload" else None)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def run_task_overrides(
    container: str, trigger: "TriggerSpec", render_value: Callable[[str], str] = json.dumps
) -> str:
    """The RunTask `overrides` JSON a trigger sends, each value rendered by ``render_value``.

    By default the values are written as in the spec (event paths unexpanded): that is what the 8,192
    character limit is checked on. The generator renders event paths as transformer placeholders.
    """
    override = [f'"name":{json.dumps(container)}']
    if trigger.environment:
        pairs = ",".join(
            f'{{"name":{json.dumps(name)},"value":{render_value(value)}}}' for name, value in trigger.environment.items()
        )
        override.append(f'"environment":[{pairs}]')
    if trigger.command is not None:
        override.append(f'"command":[{",".join(render_value(item) for item in trigger.command)}]')
    return '{"containerOverrides":[{' + ",".join(override) + "}]}"


def _failing_part(pattern: dict[str, Any], validate, error: type[Exception], path: tuple = ()) -> tuple:
    """Where in an invalid pattern the problem is: the first field whose value is invalid on its own.

    Only used to point at a line; the message is the whole pattern's. () when no single field is to blame.
    """
    for key, value in pattern.items():
        if isinstance(value, dict) and not key.startswith("$"):
            found = _failing_part(value, validate, error, path + (key,))
            if found:
                return found
            continue
        try:
            validate({key: value})
        except error:
            return path + (key,)
    return ()


def check_secret_reference(value: str) -> str:
    """A `secrets` value ECS can resolve: an SSM parameter ARN, or a Secrets Manager secret ARN (full or
    partial, i.e. without the random suffix) with an optional `:json-key:version-stage:version-id` tail."""
    if ":secretsmanager:" in value:
        match = SECRETS_MANAGER_VALUE_RE.match(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a Secrets Manager secret ARN as ECS takes it: "
                "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf, optionally followed by "
                ":JSON_KEY:VERSION_STAGE:VERSION_ID (all three positions, each may be empty, e.g. ':password::')"
            )
        if match["version_stage"] and match["version_id"]:
            raise ValueError(f"{value!r}: give a version stage or a version ID, not both")
        return value
    if ":ssm:" in value:
        if re.match(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter//", value):
            fixed = value.replace("parameter//", "parameter/", 1)
            raise ValueError(
                f"{value!r}: a parameter's ARN drops the leading '/' of its name (/app/token is "
                f"...:parameter/app/token): write {fixed}"
            )
        if not SSM_PARAMETER_VALUE_RE.match(value):
            raise ValueError(
                f"{value!r} is not an SSM parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME, "
                "NAME of letters, digits and _ . - /)"
            )
        return value
    raise ValueError(
        f"{value!r} is not the ARN of an SSM parameter or a Secrets Manager secret "
        "(arn:aws:ssm:REGION:ACCOUNT:parameter/NAME or arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)"
    )


def secret_policy_resource(value: str) -> str:
    """The IAM resource ARN that a `secrets` value needs GetSecretValue / GetParameters on.

    Secrets Manager: the secret's own ARN, without the json-key/stage/version tail ECS reads; a partial
    ARN (no `-XXXXXX` random suffix) becomes `NAME-??????`, AWS's recommended way to match the real ARN.
    A name that ends in `-` and six letters or digits is read as full, as Secrets Manager itself does.
    SSM: the parameter's ARN, without a `:version` / `:label` selector.
    """
    match = SECRETS_MANAGER_VALUE_RE.match(value)
    if match:
        arn = match["arn"]
        return arn if SECRET_RANDOM_SUFFIX_RE.search(match["name"]) else f"{arn}-??????"
    match = SSM_PARAMETER_VALUE_RE.match(value)
    if match:
        return match["arn"]
    raise ValueError(f"{value!r} is not a secret reference (the model checks this)")


def check_dead_letter_queue(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and SQS_ARN_RE.match(value):
        return value
    if isinstance(value, str) and re.match(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,75}\.fifo$", value):
        raise ValueError(
            f"{value!r}: EventBridge dead-letter queues must be standard queues, not FIFO "
            "(use true for a new standard queue, or a standard queue's ARN)"
        )
    raise ValueError(
        f"{value!r}: dead_letter_queue is true (a new queue), false, or an SQS queue ARN "
        "(arn:aws:sqs:REGION:ACCOUNT:NAME)"
    )


CapacityWeights = dict[Literal["fargate", "fargate_spot"], int]


class JobSpec(Strict):
    """One batch job: a Fargate task definition and the triggers that run it."""

    image: str = Field(..., description="Container image URI; becomes the <JobName>Image parameter's default.")
    cpu: int = Field(256, description="Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (default 256).")
    memory: int = Field(512, description="Task memory in MiB, a value Fargate offers for the cpu (default 512).")
    command: list[str] | None = Field(None, description="Container command (default: the image's CMD).")
    environment: dict[str, str] = Field(default_factory=dict, description="Environment variables (string values).")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="NAME: ARN of an SSM parameter or a Secrets Manager secret."
    )
    ephemeral_storage_gib: int | None = Field(None, ge=21, le=200, description="Task ephemeral storage, 21-200 GiB (default 20).")
    architecture: Literal["x86_64", "arm64"] = Field("x86_64", description="CPU architecture of the image.")
    capacity: Literal["fargate", "fargate_spot"] | CapacityWeights = Field(
        "fargate", description="fargate (default), fargate_spot, or weights {fargate: 1, fargate_spot: 3}."
    )
    task_count: int = Field(1, ge=1, le=10, description="Tasks started per trigger, 1-10 (default 1).")
    platform_version: str = Field("LATEST", description="Fargate platform version (default LATEST).")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on the job's resources and tasks.")
    log_retention_days: int = Field(30, description="CloudWatch Logs retention in days (default 30).")
    alarms: bool = Field(True, description="Alarms and failed-task alerts for this job (default true).")
    permissions: PermissionsSpec = Field(default_factory=PermissionsSpec, description="What the task may do.")
    retry: RetrySpec = Field(default_factory=RetrySpec, description="RunTask retry policy for every trigger.")
    dead_letter_queue: bool | str = Field(
        True, description="true (default): a new encrypted SQS DLQ; false; or an existing queue ARN."
    )
    triggers: list[TriggerSpec] = Field(..., min_length=1, max_length=MAX_TRIGGERS_PER_JOB, description="What runs the job.")

    @field_validator("image")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not IMAGE_RE.match(value):
            raise ValueError(
                f"{value!r} is not an image reference: write REPOSITORY[:TAG] or REPOSITORY@sha256:DIGEST, "
                "e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest"
            )
        if ECR_HOST_HINT_RE.match(value) and not ECR_IMAGE_RE.match(value):
            raise ValueError(
                f"{value!r} names an Amazon ECR registry but is not an ECR image URI, so the execution role "
                "could not be given pull permissions: write ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY"
                "[:TAG][@sha256:DIGEST] (12-digit account; dkr.ecr-fips or ACCOUNT.dkr-ecr.REGION.on.aws also work)"
            )
        return value

    @field_validator("cpu")
    @classmethod
    def _cpu(cls, value: int) -> int:
        if value not in FARGATE_MEMORY_BY_CPU:
            choices = ", ".join(str(c) for c in FARGATE_MEMORY_BY_CPU)
            raise ValueError(f"{value} is not a Fargate CPU value ({choices})")
        return value

    @field_validator("environment")
    @classmethod
    def _environment(cls, values: dict[str, Any]) -> dict[str, str]:
        return check_env_names(values)

    @field_validator("secrets")
    @classmethod
    def _secrets(cls, values: dict[str, Any]) -> dict[str, str]:
        check_env_names(values)
        for key, arn in values.items():
            try:
                check_secret_reference(arn)
            except ValueError as err:
                raise FieldError(str(err), at=(key,)) from None
        return values

    @field_validator("capacity", mode="before")
    @classmethod
    def _capacity(cls, value: Any) -> Any:
        if value in ("fargate", "fargate_spot"):
            return value
        if isinstance(value, dict):
            unknown = [k for k in value if k not in ("fargate", "fargate_spot")]
            if unknown:
                raise ValueError(f"unknown capacity provider {unknown[0]!r} (fargate, fargate_spot)")
            if not all(isinstance(w, int) and not isinstance(w, bool) and 0 <= w <= 1000 for w in value.values()):
                raise ValueError("capacity weights are whole numbers from 0 to 1000")
            if not any(value.values()):
                raise ValueError("at least one capacity weight must be above 0")
            return dict(sorted(value.items()))
        raise ValueError(f"{value!r}: capacity is fargate, fargate_spot or weights like {{fargate: 1, fargate_spot: 3}}")

    @field_validator("platform_version")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value != "LATEST" and not re.match(r"^\d+\.\d+\.\d+$", value):
            raise ValueError(f"{value!r} is not a Fargate platform version (LATEST or e.g. 1.4.0)")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, values: dict[str, Any]) -> dict[str, str]:
        return check_tags(values)

    @field_validator("log_retention_days")
    @classmethod
    def _retention(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(f"{value} is not a retention CloudWatch Logs accepts ({', '.join(map(str, LOG_RETENTION_DAYS))})")
        return value

    @field_validator("dead_letter_queue", mode="before")
    @classmethod
    def _dlq(cls, value: Any) -> Any:
        return check_dead_letter_queue(value)

    # -- checks of the whole job (defaults merged in)
    @model_validator(mode="after")
    def _whole_job(self):
        self._check_fargate_size()
        self._resolve_trigger_defaults()
        return self

    def _check_fargate_size(self) -> None:
        if self.memory not in FARGATE_MEMORY_BY_CPU[self.cpu]:
            raise FieldError(
                f"cpu {self.cpu} with memory {self.memory} is not a Fargate size: with cpu {self.cpu} memory is "
                f"{describe_memory_choices(self.cpu)} MiB",
                at=("memory",),
            )
        if self.cpu >= 8192 and self.platform_version != "LATEST" and _version(self.platform_version) < (1, 4, 0):
            raise FieldError(f"cpu {self.cpu} needs platform_version 1.4.0 or later (or LATEST)", at=("platform_version",))
        if self.secrets and self.platform_version != "LATEST":
            version = _version(self.platform_version)
            for key, value in self.secrets.items():
                match = SECRETS_MANAGER_VALUE_RE.match(value)
                selects = bool(match and any(match[g] for g in ("json_key", "version_stage", "version_id")))
                needed = (1, 4, 0) if selects else (1, 3, 0)
                if version < needed:
                    what = "a JSON key or version of a secret" if selects else "secrets"
                    least = ".".join(map(str, needed))
                    raise FieldError(
                        f"Fargate injects {what} from platform version {least} on: with platform_version "
                        f"{self.platform_version} the task cannot start (use {least} or later, or LATEST)",
                        at=("secrets", key),
                    )

    def _resolve_trigger_defaults(self) -> None:
        """Each trigger without its own retry / dead_letter_queue takes the job's: later stages never see None."""
        triggers = []
        for trigger in self.triggers:
            updates: dict[str, Any] = {}
            if trigger.retry is None:
                updates["retry"] = self.retry
            if trigger.dead_letter_queue is None:
                updates["dead_letter_queue"] = self.dead_letter_queue
            triggers.append(trigger.model_copy(update=updates) if updates else trigger)
        object.__setattr__(self, "triggers", triggers)

    # -- derived facts
    @property
    def ecr_image(self) -> re.Match | None:
        return ECR_IMAGE_RE.match(self.image)

    def trigger_names(self) -> list[str]:
        """Each trigger's stable name: its own, or trigger<N> by position."""
        return [t.name or f"trigger{i}" for i, t in enumerate(self.triggers, start=1)]


class JobDefaults(JobSpec):
    """`defaults`: any job field, none required. Each field is checked here, where it is written (even if
    every job overrides it); checks that need a whole job run on each job once the defaults are merged in."""

    image: str | None = Field(None, description="Container image URI for every job that does not set its own.")
    triggers: list[TriggerSpec] | None = Field(
        None, min_length=1, max_length=MAX_TRIGGERS_PER_JOB, description="Triggers for every job that does not set its own."
    )

    @model_validator(mode="after")
    def _whole_job(self):
        return self


class StackSpec(Strict):
    """One YAML file in config/: one CloudFormation stack."""

    stack: str = Field(..., description="Stack name: letters, digits and hyphens.")
    description: str | None = Field(None, description="Template description.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags on every resource that takes tags.")
    cluster: ClusterSpec = Field(..., description="name, arn, or create: true.")
    network: NetworkSpec = Field(..., description="Subnets, security groups, public IP.")
    notifications: NotificationsSpec = Field(
        default_factory=NotificationsSpec, description="email: [...] or topic_arn (default: a topic, no subscribers)."
    )
    kms_key: KmsKeySpec | None = Field(None, description="Customer-managed key: an ARN, or create: true.")
    defaults: JobDefaults = Field(default_factory=JobDefaults, description="Any job field, inherited by every job.")
    jobs: dict[str, JobSpec] = Field(..., min_length=1, description="The jobs, by name.")

    @field_validator("stack")
    @classmethod
    def _stack(cls, value: str) -> str:
        check_name(value, "stack name")
        if len(value) > 128:
            raise ValueError("a stack name has at most 128 characters")
        return value

    @field_validator("kms_key", mode="before")
    @classmethod
    def _kms_shorthand(cls, value: Any) -> Any:
        return {"arn": value} if isinstance(value, str) else value

    @field_validator("tags")
    @classmethod
    def _tags(cls, values: dict[str, Any]) -> dict[str, str]:
        return check_tags(values)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 1024:
            raise ValueError("a template description has at most 1024 characters")
        return value

    @field_validator("jobs")
    @classmethod
    def _job_names(cls, jobs: dict[str, JobSpec]) -> dict[str, JobSpec]:
        for name in jobs:
            try:
                check_name(name, "job name")
            except ValueError as err:
                raise FieldError(str(err), at=(name,)) from None
            if len(name) > MAX_JOB_NAME:
                raise FieldError(
                    f"a job name has at most {MAX_JOB_NAME} characters (this one has {len(name)}): it is part of "
                    "logical IDs, export names, the task family and the log group name, which AWS limits in length",
                    at=(name,),
                )
        return jobs

    @field_validator("jobs")
    @classmethod
    def _variables_set_once(cls, jobs: dict[str, JobSpec], info: ValidationInfo) -> dict[str, JobSpec]:
        """A variable is in environment or in secrets, not both: ECS refuses such a task definition, and a
        RunTask whose overrides set a secret's name as an environment variable.

        Checked here, where `defaults` are known: of two clashing entries the error points at the one the job
        wrote itself (an entry equal to the default's is taken for the default) and names the other."""
        defaults = info.data.get("defaults")

        def written(job_name: str, field: str, key: str) -> str:
            inherited = defaults is not None and getattr(defaults, field).get(key, object()) == getattr(jobs[job_name], field)[key]
            return f"defaults.{field}.{key}" if inherited else f"jobs.{job_name}.{field}.{key}"

        for name, job in jobs.items():
            for key in job.secrets:
                if key not in job.environment:
                    continue
                secret, variable = written(name, "secrets", key), written(name, "environment", key)
                if secret.startswith("defaults.") and not variable.startswith("defaults."):
                    at, other = "environment", secret
                else:
                    at, other = "secrets", variable
                raise FieldError(
                    f"{key!r} is also set in {other}: ECS refuses a task definition that sets one variable in both "
                    "environment and secrets; keep one",
                    at=(name, at, key),
                )
            for index, trigger in enumerate(job.triggers):
                for key in trigger.environment:
                    if key in job.secrets:
                        raise FieldError(
                            f"{key!r} is a secret of the job ({written(name, 'secrets', key)}): ECS refuses a RunTask "
                            "whose overrides set a secret's name as an environment variable, so every run of this "
                            "trigger would fail; rename the variable",
                            at=(name, "triggers", index, "environment", key),
                        )
        return jobs

    @field_validator("jobs")
    @classmethod
    def _overrides_fit(cls, jobs: dict[str, JobSpec]) -> dict[str, JobSpec]:
        for name, job in jobs.items():
            for index, trigger in enumerate(job.triggers):
                size = len(run_task_overrides(name, trigger))
                if size > MAX_OVERRIDES_CHARS:
                    raise FieldError(
                        f"the environment and command overrides of this trigger make {size} characters of RunTask "
                        f"overrides; AWS allows {MAX_OVERRIDES_CHARS}: move fixed values into the job's environment",
                        at=(name, "triggers", index),
                    )
        return jobs

    @property
    def sns_topic_created(self) -> bool:
        """The stack makes its own alarm topic unless notifications name an existing one."""
        return self.notifications.topic_arn is None

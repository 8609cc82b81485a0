"""The job spec as typed, validated objects: the single source of truth for every later stage.

Each field is declared once, with its default and a one-line doc (the JSON Schema is generated from
these). Checks are small named validators that raise ``ValueError`` with a message that says what is
wrong and what is allowed; ``load.py`` adds the file, line and field path.

After validation nothing is ``None``-means-default: ``StackSpec`` resolves job defaults into each job
and each job's retry / dead-letter settings into each trigger.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .fargate import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, describe_memory_choices

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ECR_IMAGE_RE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*)(?::(?P<tag>[\w][\w.-]{0,127})|@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
SQS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$")
SNS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
CLUSTER_ARN_RE = re.compile(r"^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster/[A-Za-z0-9_-]{1,255}$")
SECRET_ARN_RE = re.compile(
    r"^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:\d{12}:parameter/.+|secretsmanager:[a-z0-9-]+:\d{12}:secret:.+)$"
)
EVENT_BUS_RE = re.compile(r"^([\w/.-]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus/[\w/.-]+)$")
DURATION_RE = re.compile(r"^(\d+)\s*(s|m|h)$")
EVENT_PATH_PREFIX = "$."

MAX_TRIGGERS_PER_JOB = 100


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


def check_string_map(values: dict[str, Any], what: str) -> dict[str, str]:
    for key, value in values.items():
        if not isinstance(value, str):
            raise ValueError(
                f"{what} {key!r} must be a string, got {type(value).__name__} {value!r}: quote it in YAML"
            )
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
            raise ValueError("give exactly one of name, arn or create: true")
        if self.arn and not CLUSTER_ARN_RE.match(self.arn):
            raise ValueError(f"{self.arn!r} is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)")
        if self.name and not re.match(r"^[A-Za-z0-9_-]{1,255}$", self.name):
            raise ValueError(f"{self.name!r} is not a valid cluster name (letters, digits, hyphens, underscores)")
        return self


class NetworkSpec(Strict):
    """Where the Fargate tasks' network interfaces go (awsvpc)."""

    subnets: list[str] = Field(..., min_length=1, max_length=16, description="Subnet IDs (1-16).")
    security_groups: list[str] = Field(..., min_length=1, max_length=5, description="Security group IDs (1-5).")
    assign_public_ip: bool = Field(False, description="Give tasks a public IP (needed in public subnets without NAT).")

    @field_validator("subnets")
    @classmethod
    def _subnets(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^subnet-[0-9a-f]{8,17}$", value):
                raise ValueError(f"{value!r} is not a subnet ID (subnet-0123abcd)")
        return values

    @field_validator("security_groups")
    @classmethod
    def _security_groups(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^sg-[0-9a-f]{8,17}$", value):
                raise ValueError(f"{value!r} is not a security group ID (sg-0123abcd)")
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
            raise ValueError(f"{self.topic_arn!r} is not an SNS topic ARN")
        for address in self.email:
            if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", address):
                raise ValueError(f"{address!r} is not an e-mail address")
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
            raise ValueError(f"{self.arn!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
        return self


# --------------------------------------------------------------------------------------------------
# Job parts


class RetrySpec(Strict):
    """How EventBridge retries a RunTask call that failed (not a task that exited non-zero)."""

    attempts: int = Field(185, ge=0, le=185, description="Retry attempts, 0-185 (AWS default 185).")
    max_event_age: Annotated[int, Field(description="Give up after this long: 60s-24h, e.g. 15m, 1h (default 24h).")] = 86400

    @field_validator("max_event_age", mode="before")
    @classmethod
    def _age(cls, value: Any) -> int:
        return parse_duration_seconds(value, minimum=60, maximum=86400, what="max_event_age")


class StatementSpec(Strict):
    """One extra IAM statement for the task role."""

    effect: Literal["Allow", "Deny"] = Field("Allow", description="Allow (default) or Deny.")
    actions: list[str] = Field(..., min_length=1, description="IAM actions, e.g. dynamodb:PutItem. No '*' actions.")
    resources: list[str] = Field(..., min_length=1, description="Resource ARNs the actions apply to.")
    conditions: dict[str, dict[str, Any]] = Field(default_factory=dict, description="IAM condition block.")

    @field_validator("actions")
    @classmethod
    def _actions(cls, values: list[str]) -> list[str]:
        for action in values:
            if action == "*" or action.endswith(":*"):
                raise ValueError(f"{action!r} grants every action: name the actions the job needs")
            if not re.match(r"^[a-z0-9-]+:[A-Za-z0-9*]+$", action):
                raise ValueError(f"{action!r} is not an IAM action (service:Action)")
        return values

    @field_validator("resources")
    @classmethod
    def _resources(cls, values: list[str]) -> list[str]:
        for resource in values:
            if resource != "*" and not resource.startswith("arn:"):
                raise ValueError(f"{resource!r} is not an ARN")
        return values


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
        return [_s3_location(v) for v in values]


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
    start: datetime | None = Field(None, description="First time the schedule may run (ISO 8601; Scheduler).")
    end: datetime | None = Field(None, description="Last time the schedule may run (ISO 8601; Scheduler).")
    flexible_window: Annotated[int | None, Field(description="Let Scheduler start up to this late, e.g. 15m (1m-24h).")] = None
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
        return None if value is None else check_name(value, "trigger name")

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
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

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
        for key in values:
            if not ENV_NAME_RE.match(key):
                raise ValueError(f"{key!r} is not a valid environment variable name")
        return check_string_map(values, "environment variable")

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
            raise ValueError(f"not a valid event pattern: {err}") from None
        return value

    # -- cross-field checks
    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("schedule", "s3_upload", "event_pattern") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a trigger needs exactly one of schedule, s3_upload or event_pattern"
                + (f" (got {', '.join(kinds)})" if kinds else "")
            )
        scheduler_only = [k for k in ("timezone", "start", "end", "flexible_window") if getattr(self, k) is not None]
        if scheduler_only and self.schedule is None:
            raise ValueError(f"{', '.join(scheduler_only)} only apply to schedule triggers")
        if self.event_bus != "default" and self.event_pattern is None:
            raise ValueError("event_bus only applies to event_pattern triggers (S3 and schedules use the default bus)")
        if self.start and self.end and self.start >= self.end:
            raise ValueError("start must be before end")
        if self.schedule is not None:
            event_paths = [v for v in self.override_values() if v.startswith(EVENT_PATH_PREFIX)]
            if event_paths:
                raise ValueError(f"{event_paths[0]!r}: a schedule has no event to read '$.' paths from")
        return self

    # -- derived facts later stages use
    def override_values(self) -> list[str]:
        return list(self.environment.values()) + list(self.command or [])

    @property
    def kind(self) -> str:
        return "schedule" if self.schedule is not None else "s3_upload" if self.s3_upload else "event_pattern"

    @property
    def aws_schedule(self):
        """The schedule compiled to AWS's syntax (``AwsSchedule``); only for schedule triggers."""
        from ..eventbridge.schedule import to_aws

        return to_aws(self.schedule)

    @property
    def uses_scheduler(self) -> bool:
        """EventBridge Scheduler is needed for time zones, start/end, flexible windows and at()."""
        if self.schedule is None:
            return False
        needs = (self.timezone, self.start, self.end, self.flexible_window)
        return any(v is not None for v in needs) or self.aws_schedule.needs_scheduler


def check_dead_letter_queue(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and SQS_ARN_RE.match(value):
        return value
    raise ValueError(f"{value!r}: dead_letter_queue is true, false or an SQS queue ARN")


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
    def _image(cls, value: str) -> str:
        if not value.strip() or any(c.isspace() for c in value):
            raise ValueError(f"{value!r} is not an image URI")
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
        for key in values:
            if not ENV_NAME_RE.match(key):
                raise ValueError(f"{key!r} is not a valid environment variable name")
        return check_string_map(values, "environment variable")

    @field_validator("secrets")
    @classmethod
    def _secrets(cls, values: dict[str, Any]) -> dict[str, str]:
        check_string_map(values, "secret")
        for key, arn in values.items():
            if not ENV_NAME_RE.match(key):
                raise ValueError(f"{key!r} is not a valid environment variable name")
            if not SECRET_ARN_RE.match(arn):
                raise ValueError(
                    f"secret {key!r}: {arn!r} is not the ARN of an SSM parameter or a Secrets Manager secret"
                )
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
        return check_string_map(values, "tag")

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

    @model_validator(mode="after")
    def _resolve(self):
        allowed = FARGATE_MEMORY_BY_CPU[self.cpu]
        if self.memory not in allowed:
            raise ValueError(
                f"cpu {self.cpu} with memory {self.memory} is not a Fargate size: with cpu {self.cpu} memory is "
                f"{describe_memory_choices(self.cpu)} MiB"
            )
        if self.cpu >= 8192 and self.platform_version not in ("LATEST",) and self.platform_version < "1.4.0":
            raise ValueError(f"cpu {self.cpu} needs platform_version 1.4.0 or later")
        # Resolve trigger-level defaults from the job: later stages never see None here.
        triggers = []
        for trigger in self.triggers:
            updates = {}
            if trigger.retry is None:
                updates["retry"] = self.retry
            if trigger.dead_letter_queue is None:
                updates["dead_letter_queue"] = self.dead_letter_queue
            triggers.append(trigger.model_copy(update=updates) if updates else trigger)
        object.__setattr__(self, "triggers", triggers)
        names = [t.name for t in triggers if t.name]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"trigger name {duplicates[0]!r} is used twice")
        return self

    # -- derived facts
    @property
    def ecr_image(self) -> re.Match | None:
        return ECR_IMAGE_RE.match(self.image)

    @property
    def uses_spot_or_weights(self) -> bool:
        return self.capacity != "fargate"

    def trigger_names(self) -> list[str]:
        """Each trigger's stable name: its own, or trigger<N> by position."""
        return [t.name or f"trigger{i}" for i, t in enumerate(self.triggers, start=1)]


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
    defaults: dict[str, Any] = Field(default_factory=dict, description="Any job field, inherited by every job.")
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
        return check_string_map(values, "tag")

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
            check_name(name, "job name")
        return jobs

    @property
    def sns_topic_created(self) -> bool:
        return self.notifications.topic_arn is None

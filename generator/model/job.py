"""A job: a Fargate task definition and the triggers that run it; and `defaults`, any job field."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from .base import Strict, checked
from .checks import check_dead_letter_queue, check_env_names, check_tags
from .job_checks import (
    ECR_IMAGE_RE,
    check_capacity,
    check_cpu,
    check_fargate_size,
    check_image,
    check_log_retention,
    check_platform_version,
    check_kms_key_arn,
    check_secrets,
)
from .job_parts import PermissionsSpec, RetrySpec
from .limits import MAX_TRIGGERS_PER_JOB
from .run_control import RunControl, check_run_control
from .transforms import resolve_trigger_defaults
from .trigger import TriggerSpec

CapacityWeights = dict[Literal["fargate", "fargate_spot"], int]


class JobSpec(RunControl, Strict):
    """One batch job: a Fargate task definition and the triggers that run it."""

    image: str = Field(..., description="Container image URI; becomes the <JobName>Image parameter's default.")
    cpu: int = Field(256, description="Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (default 256).")
    memory: int = Field(512, description="Task memory in MiB, a value Fargate offers for the cpu (default 512).")
    command: list[str] | None = Field(None, description="Container command (default: the image's CMD).")
    environment: dict[str, str] = Field(default_factory=dict, description="Environment variables (string values).")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="NAME: ARN of an SSM parameter or a Secrets Manager secret."
    )
    secrets_kms_keys: list[str] = Field(
        default_factory=list,
        description="ARNs of the customer-managed KMS keys that encrypt the job's secrets (kms:Decrypt for ECS).",
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

    _image = checked(check_image, "image")
    _cpu = checked(check_cpu, "cpu")
    _environment = checked(check_env_names, "environment")
    _secrets_kms_keys = checked(check_kms_key_arn, "secrets_kms_keys", items=True)
    _secrets = checked(check_secrets, "secrets")
    _capacity = checked(check_capacity, "capacity", mode="before")
    _platform = checked(check_platform_version, "platform_version")
    _tags = checked(check_tags, "tags")
    _retention = checked(check_log_retention, "log_retention_days")
    _dlq = checked(check_dead_letter_queue, "dead_letter_queue", mode="before")

    # -- checks of the whole job (defaults merged in), then its triggers take its retry and DLQ
    @model_validator(mode="after")
    def _whole_job(self):
        check_fargate_size(self)
        check_run_control(self)
        resolve_trigger_defaults(self)
        return self

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

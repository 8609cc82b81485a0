"""The stack: one YAML file in config/, one CloudFormation stack; the root of the model."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator

from .accounts import check_accounts_agree
from .base import Strict, checked
from .checks import check_tags
from .job import JobDefaults, JobSpec
from .stack_checks import (
    check_description,
    check_job_names,
    check_overrides_fit,
    check_stack_name,
    check_variables_set_once,
)
from .stack_parts import ClusterSpec, KmsKeySpec, NetworkSpec, NotificationsSpec


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
    split: Literal["none", "per_job"] = Field(
        "none",
        description="none: one stack. per_job: what the jobs share in stack `<stack>`, each job in its own stack "
        "`<stack>-<job>` (for fleets past CloudFormation's 500 resources or 1 MB per template).",
    )
    kms_key: KmsKeySpec | None = Field(None, description="Customer-managed key: an ARN, or create: true.")
    defaults: JobDefaults = Field(default_factory=JobDefaults, description="Any job field, inherited by every job.")
    jobs: dict[str, JobSpec] = Field(..., min_length=1, description="The jobs, by name.")
    # set by the loader for a spec with `environments` (model/environments.py): which one this stack is
    _environment: Any = PrivateAttr(None)

    _stack = checked(check_stack_name, "stack")

    @field_validator("kms_key", mode="before")
    @classmethod
    def _kms_shorthand(cls, value: Any) -> Any:
        return {"arn": value} if isinstance(value, str) else value

    _tags = checked(check_tags, "tags")
    _description = checked(check_description, "description")
    _job_names = checked(check_job_names, "jobs")

    @field_validator("jobs")
    @classmethod
    def _variables_set_once(cls, jobs: dict[str, JobSpec], info: ValidationInfo) -> dict[str, JobSpec]:
        return check_variables_set_once(jobs, info.data.get("defaults"))

    _overrides_fit = checked(check_overrides_fit, "jobs")

    @field_validator("jobs")
    @classmethod
    def _accounts_agree(cls, jobs: dict[str, JobSpec], info: ValidationInfo) -> dict[str, JobSpec]:
        check_accounts_agree(jobs, info.data.get("cluster"))
        return jobs

    @property
    def sns_topic_created(self) -> bool:
        """The stack makes its own alarm topic unless notifications name an existing one."""
        return self.notifications.topic_arn is None

    @property
    def environment(self) -> Any:
        """The ``Environment`` (name, account, region) this stack is of, or None for a spec without environments."""
        return self._environment

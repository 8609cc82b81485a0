"""A job's parts: how its triggers retry, and what its task may do."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import Duration, Strict, checked
from .checks import check_s3_location, each, parse_duration_seconds
from .permission_checks import check_action, check_condition_operators, check_least_privilege, check_resource


class RetrySpec(Strict):
    """How EventBridge retries a RunTask call that failed (not a task that exited non-zero)."""

    attempts: int = Field(185, ge=0, le=185, description="Retry attempts, 0-185 (AWS default 185).")
    max_event_age: Duration = Field(86400, description="Give up after this long: 60s-24h, e.g. 15m, 1h (default 24h).")

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
    def _actions(cls, values: list[str], info: ValidationInfo) -> list[str]:
        effect = info.data.get("effect", "Allow")  # declared before actions: validated first
        return each(values, lambda action: check_action(action, effect))

    _conditions = checked(check_condition_operators, "conditions")
    _resources = checked(check_resource, "resources", items=True)

    @model_validator(mode="after")
    def _least_privilege(self):
        check_least_privilege(self)
        return self


class PermissionsSpec(Strict):
    """What the task itself may do (its task role). Nothing else is granted."""

    s3_read: list[str] = Field(default_factory=list, description="bucket or bucket/prefix/: s3:GetObject on the objects.")
    s3_write: list[str] = Field(default_factory=list, description="bucket or bucket/prefix/: s3:PutObject on the objects.")
    statements: list[StatementSpec] = Field(default_factory=list, description="Any other IAM statements.")

    _locations = checked(check_s3_location, "s3_read", "s3_write", items=True)

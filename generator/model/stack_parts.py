"""The stack's own parts: where tasks run (cluster, network), where alerts go, which key encrypts."""

from __future__ import annotations

from pydantic import Field, model_validator

from .base import Strict, checked
from .stack_checks import check_cluster, check_kms_key, check_notifications, check_security_group, check_subnet


class ClusterSpec(Strict):
    """The ECS cluster the tasks run on: an existing one by `name` or `arn`, or `create: true`."""

    name: str | None = Field(None, description="Name of an existing cluster in the stack's account and Region.")
    arn: str | None = Field(None, description="ARN of an existing cluster.")
    create: bool = Field(False, description="Create a cluster in this stack (Container Insights on).")

    @model_validator(mode="after")
    def _exactly_one(self):
        check_cluster(self)
        return self


class NetworkSpec(Strict):
    """Where the Fargate tasks' network interfaces go (awsvpc)."""

    subnets: list[str] = Field(..., min_length=1, max_length=16, description="Subnet IDs (1-16).")
    security_groups: list[str] = Field(..., min_length=1, max_length=5, description="Security group IDs (1-5).")
    assign_public_ip: bool = Field(False, description="Give tasks a public IP (needed in public subnets without NAT).")

    _subnets = checked(check_subnet, "subnets", items=True)
    _security_groups = checked(check_security_group, "security_groups", items=True)


class NotificationsSpec(Strict):
    """Where alarms and failed-task alerts go: a new topic with e-mail subscriptions, or an existing topic."""

    email: list[str] = Field(default_factory=list, description="Addresses subscribed to the stack's new SNS topic.")
    topic_arn: str | None = Field(None, description="An existing SNS topic to notify instead of creating one.")

    @model_validator(mode="after")
    def _one_kind(self):
        check_notifications(self)
        return self


class KmsKeySpec(Strict):
    """A customer-managed KMS key for the DLQs, the topic and the log groups."""

    arn: str | None = Field(None, description="ARN of an existing customer-managed key.")
    create: bool = Field(False, description="Create a key in this stack, with the key policy the services need.")

    @model_validator(mode="after")
    def _exactly_one(self):
        check_kms_key(self)
        return self

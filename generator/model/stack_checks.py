"""Checks of the stack and its parts: the cluster, the network, notifications, the KMS key, and the checks
that need every job at once (job names, variables set twice, the size of each trigger's RunTask overrides).

Each takes the values (or the part) as written and returns them, or raises ``ValueError`` /
``FieldError``; ``StackSpec`` and its parts (stack.py, stack_parts.py) call them from thin validators.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .arns import CLUSTER_ARN_RE, KMS_ARN_RE, SNS_ARN_RE
from .base import FieldError
from .checks import check_name
from .limits import MAX_DESCRIPTION, MAX_JOB_NAME, MAX_STACK_NAME
from .run_task import MAX_OVERRIDES_CHARS, run_task_overrides

if TYPE_CHECKING:
    from .job import JobSpec
    from .stack_parts import ClusterSpec, KmsKeySpec, NotificationsSpec

CLUSTER_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
SUBNET_RE = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_RE = re.compile(r"^sg-[0-9a-f]{8,17}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- the stack's parts


def check_cluster(cluster: ClusterSpec) -> None:
    given = [k for k in ("name", "arn") if getattr(cluster, k)] + (["create"] if cluster.create else [])
    if len(given) != 1:
        got = f" (got {' and '.join(given)})" if given else ""
        raise ValueError(f"give exactly one of name, arn or create: true{got}")
    if cluster.arn and not CLUSTER_ARN_RE.match(cluster.arn):
        raise FieldError(
            f"{cluster.arn!r} is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME)", at=("arn",)
        )
    if cluster.name and not CLUSTER_NAME_RE.match(cluster.name):
        raise FieldError(
            f"{cluster.name!r} is not a valid cluster name (letters, digits, hyphens, underscores)", at=("name",)
        )


def check_subnet(value: str) -> str:
    if not SUBNET_RE.match(value):
        raise ValueError(f"{value!r} is not a subnet ID (subnet-0123abcd)")
    return value


def check_security_group(value: str) -> str:
    if not SECURITY_GROUP_RE.match(value):
        raise ValueError(f"{value!r} is not a security group ID (sg-0123abcd)")
    return value


def check_notifications(notifications: NotificationsSpec) -> None:
    if notifications.email and notifications.topic_arn:
        raise ValueError("give either email or topic_arn, not both")
    if notifications.topic_arn and not SNS_ARN_RE.match(notifications.topic_arn):
        raise FieldError(
            f"{notifications.topic_arn!r} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", at=("topic_arn",)
        )
    for index, address in enumerate(notifications.email):
        if not EMAIL_RE.match(address):
            raise FieldError(f"{address!r} is not an e-mail address", at=("email", index))


def check_kms_key(key: KmsKeySpec) -> None:
    if bool(key.arn) == key.create:
        raise ValueError("give exactly one of arn or create: true")
    if key.arn and not KMS_ARN_RE.match(key.arn):
        raise FieldError(f"{key.arn!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", at=("arn",))


# -- the stack


def check_stack_name(value: str) -> str:
    check_name(value, "stack name")
    if len(value) > MAX_STACK_NAME:
        raise ValueError(f"a stack name has at most {MAX_STACK_NAME} characters")
    return value


def check_description(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_DESCRIPTION:
        raise ValueError(f"a template description has at most {MAX_DESCRIPTION} characters")
    return value


def check_job_names(jobs: dict[str, JobSpec]) -> dict[str, JobSpec]:
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


def check_variables_set_once(jobs: dict[str, JobSpec], defaults: Any) -> dict[str, JobSpec]:
    """A variable is in environment or in secrets, not both: ECS refuses such a task definition, and a
    RunTask whose overrides set a secret's name as an environment variable.

    Checked where `defaults` are known: of two clashing entries the error points at the one the job wrote
    itself (an entry equal to the default's is taken for the default) and names the other."""

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


def check_overrides_fit(jobs: dict[str, JobSpec]) -> dict[str, JobSpec]:
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

"""Checks of a job: its image, its Fargate size and platform, its capacity, its secrets, its trigger names.

Field checks take the value as written; whole-job checks (``check_fargate_size``, ``check_trigger_names``)
take the job once defaults are merged in. ``JobSpec`` (job.py) calls them from thin validators.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .arns import KMS_ARN_RE, check_secret_reference, selects_part_of_secret
from .base import FieldError
from .checks import check_env_names
from .fargate import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS, describe_memory_choices

if TYPE_CHECKING:
    from .job import JobSpec

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
PLATFORM_VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
CAPACITY_PROVIDERS = ("fargate", "fargate_spot")


def check_image(value: str | None) -> str | None:
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


def check_cpu(value: int) -> int:
    if value not in FARGATE_MEMORY_BY_CPU:
        choices = ", ".join(str(c) for c in FARGATE_MEMORY_BY_CPU)
        raise ValueError(f"{value} is not a Fargate CPU value ({choices})")
    return value


def check_kms_key_arn(value: str) -> str:
    """A KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`): IAM policies match keys by key ARN, not alias."""
    if not KMS_ARN_RE.match(value):
        raise ValueError(
            f"{value!r} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID; an alias cannot be granted in IAM)"
        )
    return value


def check_secrets(values: dict[str, Any]) -> dict[str, str]:
    check_env_names(values)
    for key, arn in values.items():
        try:
            check_secret_reference(arn)
        except ValueError as err:
            raise FieldError(str(err), at=(key,)) from None
    return values


def check_capacity(value: Any) -> Any:
    """fargate, fargate_spot, or weights per provider (returned sorted by provider)."""
    if value in CAPACITY_PROVIDERS:
        return value
    if isinstance(value, dict):
        unknown = [k for k in value if k not in CAPACITY_PROVIDERS]
        if unknown:
            raise ValueError(f"unknown capacity provider {unknown[0]!r} (fargate, fargate_spot)")
        if not all(isinstance(w, int) and not isinstance(w, bool) and 0 <= w <= 1000 for w in value.values()):
            raise ValueError("capacity weights are whole numbers from 0 to 1000")
        if not any(value.values()):
            raise ValueError("at least one capacity weight must be above 0")
        return dict(sorted(value.items()))
    raise ValueError(f"{value!r}: capacity is fargate, fargate_spot or weights like {{fargate: 1, fargate_spot: 3}}")


def check_platform_version(value: str) -> str:
    if value != "LATEST" and not PLATFORM_VERSION_RE.match(value):
        raise ValueError(f"{value!r} is not a Fargate platform version (LATEST or e.g. 1.4.0)")
    return value


def check_log_retention(value: int) -> int:
    if value not in LOG_RETENTION_DAYS:
        raise ValueError(f"{value} is not a retention CloudWatch Logs accepts ({', '.join(map(str, LOG_RETENTION_DAYS))})")
    return value


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _spot_weight(job: JobSpec) -> int:
    if job.capacity == "fargate_spot":
        return 1
    return job.capacity.get("fargate_spot", 0) if isinstance(job.capacity, dict) else 0


def check_platform_features(job: JobSpec) -> None:
    """Features a pinned platform version below their minimum cannot run (every run would fail)."""
    if job.platform_version == "LATEST":
        return
    version = _version(job.platform_version)
    if job.ephemeral_storage_gib is not None and version < (1, 4, 0):
        # "For tasks using the Fargate launch type, the task requires the following platforms: Linux platform
        # version 1.4.0 or later." (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html)
        raise FieldError(
            f"Fargate gives ephemeral_storage_gib from platform version 1.4.0 on: with platform_version "
            f"{job.platform_version} the task cannot start (use 1.4.0 or later, or LATEST)",
            at=("platform_version",),
        )
    if _spot_weight(job) > 0:
        # "FARGATE_SPOT supports Linux tasks with the X86_64 architecture on platform version 1.3.0 or later.
        # FARGATE_SPOT supports Linux tasks with the ARM64 architecture on platform version 1.4.0 or later."
        # (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html)
        least = (1, 4, 0) if job.architecture == "arm64" else (1, 3, 0)
        if version < least:
            text = ".".join(map(str, least))
            raise FieldError(
                f"Fargate Spot runs {job.architecture} tasks from platform version {text} on: with platform_version "
                f"{job.platform_version} the Spot runs cannot start (use {text} or later, or LATEST)",
                at=("platform_version",),
            )


def check_fargate_size(job: JobSpec) -> None:
    """A cpu/memory pair Fargate offers, and a platform version that can run the size and inject the secrets."""
    if job.memory not in FARGATE_MEMORY_BY_CPU[job.cpu]:
        raise FieldError(
            f"cpu {job.cpu} with memory {job.memory} is not a Fargate size: with cpu {job.cpu} memory is "
            f"{describe_memory_choices(job.cpu)} MiB",
            at=("memory",),
        )
    if job.cpu >= 8192 and job.platform_version != "LATEST" and _version(job.platform_version) < (1, 4, 0):
        raise FieldError(f"cpu {job.cpu} needs platform_version 1.4.0 or later (or LATEST)", at=("platform_version",))
    check_platform_features(job)
    if job.secrets and job.platform_version != "LATEST":
        version = _version(job.platform_version)
        for key, value in job.secrets.items():
            selects = selects_part_of_secret(value)
            needed = (1, 4, 0) if selects else (1, 3, 0)
            if version < needed:
                what = "a JSON key or version of a secret" if selects else "secrets"
                least = ".".join(map(str, needed))
                raise FieldError(
                    f"Fargate injects {what} from platform version {least} on: with platform_version "
                    f"{job.platform_version} the task cannot start (use {least} or later, or LATEST)",
                    at=("secrets", key),
                )


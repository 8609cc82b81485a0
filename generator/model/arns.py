"""ARNs a spec may name, and how a `secrets` value reads: which ARN ECS resolves and which one IAM must allow.

The loose ``*_RE`` shapes are also what the JSON Schema gives editors (model/schema.py); the model checks
secrets exactly (``check_secret_reference``).
"""

from __future__ import annotations

import re

SQS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$")
SNS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
CLUSTER_ARN_RE = re.compile(r"^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster/[A-Za-z0-9_-]{1,255}$")
EVENT_BUS_RE = re.compile(r"^([\w/.-]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus/[\w/.-]+)$")
# any resource of an IAM statement: `*` or arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
RESOURCE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$")
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
SSM_PARAMETER_DOUBLE_SLASH_RE = re.compile(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter//")


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
        if SSM_PARAMETER_DOUBLE_SLASH_RE.match(value):
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


def selects_part_of_secret(value: str) -> bool:
    """The value names a JSON key, version stage or version ID of a Secrets Manager secret."""
    match = SECRETS_MANAGER_VALUE_RE.match(value)
    return bool(match and any(match[g] for g in ("json_key", "version_stage", "version_id")))


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

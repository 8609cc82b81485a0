"""The JSON Schema of a job spec, for editors (``# yaml-language-server: $schema=job-spec.schema.json``).

Generated from the pydantic model, then given what the model checks in validators but a JSON Schema can
also say (value lists, name patterns, ARN shapes, "exactly one trigger kind"), so that editors complete
and flag the common mistakes. The model stays the judge: ``load_spec`` checks everything this schema
checks and more (Fargate cpu/memory pairs, schedules, event patterns, logical-ID clashes, limits).

``batchjobs schema`` prints it; ``config/job-spec.schema.json`` is that output, and a test keeps them equal.
"""

from __future__ import annotations

import copy
from typing import Any

from .fargate import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS
from ..triggers import KINDS
from .arns import CLUSTER_ARN_RE, KMS_ARN_RE, SECRET_ARN_RE, SNS_ARN_RE, SQS_ARN_RE
from .checks import ENV_NAME_RE, NAME_RE
from .job_checks import IMAGE_RE
from .limits import MAX_JOB_NAME, MAX_STACK_NAME, MAX_TRIGGER_NAME
from .stack import StackSpec
from .stack_checks import CLUSTER_NAME_RE, SECURITY_GROUP_RE, SUBNET_RE

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "batchjobs job spec"
DESCRIPTION = "One YAML file in config/: one CloudFormation stack of ECS Fargate batch jobs and their triggers."

ENV_NAME = ENV_NAME_RE.pattern
TRIGGER_KINDS = tuple(KINDS)  # the table of trigger kinds (generator/triggers), in its order

# ($defs model, property) -> keywords added to that property's schema
PROPERTY_EXTRAS: dict[tuple[str, str], dict[str, Any]] = {
    ("StackSpec", "stack"): {"pattern": NAME_RE.pattern, "maxLength": MAX_STACK_NAME},
    ("StackSpec", "jobs"): {"propertyNames": {"pattern": NAME_RE.pattern, "maxLength": MAX_JOB_NAME}},
    ("ClusterSpec", "name"): {"pattern": CLUSTER_NAME_RE.pattern},
    ("NetworkSpec", "subnets"): {"items": {"type": "string", "pattern": SUBNET_RE.pattern}},
    ("NetworkSpec", "security_groups"): {"items": {"type": "string", "pattern": SECURITY_GROUP_RE.pattern}},
    ("JobSpec", "image"): {"pattern": IMAGE_RE.pattern},
    ("JobSpec", "cpu"): {"enum": list(FARGATE_MEMORY_BY_CPU)},
    ("JobSpec", "log_retention_days"): {"enum": list(LOG_RETENTION_DAYS)},
    ("JobSpec", "environment"): {"propertyNames": {"pattern": ENV_NAME}},
    ("JobSpec", "secrets"): {
        "propertyNames": {"pattern": ENV_NAME},
        "additionalProperties": {"type": "string", "pattern": SECRET_ARN_RE.pattern},
    },
    ("JobSpec", "platform_version"): {"pattern": r"^(LATEST|\d+\.\d+\.\d+)$"},
    ("TriggerSpec", "name"): {
        "anyOf": [{"type": "string", "pattern": NAME_RE.pattern, "maxLength": MAX_TRIGGER_NAME}, {"type": "null"}]
    },
    ("TriggerSpec", "environment"): {"propertyNames": {"pattern": ENV_NAME}},
}
ARN_PROPERTIES: dict[tuple[str, str], str] = {
    ("ClusterSpec", "arn"): CLUSTER_ARN_RE.pattern,
    ("NotificationsSpec", "topic_arn"): SNS_ARN_RE.pattern,
    ("KmsKeySpec", "arn"): KMS_ARN_RE.pattern,
}


def json_schema() -> dict[str, Any]:
    """The job spec's JSON Schema (draft 2020-12). Deterministic: dump it with ``sort_keys=True``."""
    schema = StackSpec.model_json_schema()
    defs = schema["$defs"]
    for (model, prop), extra in PROPERTY_EXTRAS.items():
        _owner(schema, model)["properties"][prop].update(extra)
    for (model, prop), pattern in ARN_PROPERTIES.items():
        defs[model]["properties"][prop]["anyOf"] = [{"type": "string", "pattern": pattern}, {"type": "null"}]
    _dead_letter_queue(defs)
    _capacity(defs["JobSpec"])
    _trigger_kinds(defs["TriggerSpec"])
    _kms_key_shorthand(schema)
    _job_defaults(schema)
    _environments(schema)
    schema.pop("title", None)
    return {"$schema": DRAFT, "title": TITLE, "description": DESCRIPTION, **schema}


def _owner(schema: dict[str, Any], model: str) -> dict[str, Any]:
    return schema if model == "StackSpec" else schema["$defs"][model]


def _dead_letter_queue(defs: dict[str, Any]) -> None:
    """true (a new queue), false, or an existing queue's ARN."""
    for model in ("JobSpec", "TriggerSpec"):
        prop = defs[model]["properties"]["dead_letter_queue"]
        prop["anyOf"] = [{"type": "boolean"}, {"type": "string", "pattern": SQS_ARN_RE.pattern}] + (
            [{"type": "null"}] if model == "TriggerSpec" else []
        )


def _capacity(job: dict[str, Any]) -> None:
    """Weights are whole numbers 0-1000, at least one provider."""
    weights = job["properties"]["capacity"]["anyOf"][1]
    weights["additionalProperties"] = {"type": "integer", "minimum": 0, "maximum": 1000}
    weights["minProperties"] = 1


def _trigger_kinds(trigger: dict[str, Any]) -> None:
    """Exactly one trigger kind: schedule, s3_upload or event_pattern (``KINDS``)."""
    trigger["oneOf"] = [{"required": [kind]} for kind in TRIGGER_KINDS]


def _kms_key_shorthand(schema: dict[str, Any]) -> None:
    """`kms_key: arn:...` is short for `kms_key: {arn: arn:...}`."""
    prop = schema["properties"]["kms_key"]
    prop["anyOf"] = [{"$ref": "#/$defs/KmsKeySpec"}, {"type": "string", "pattern": KMS_ARN_RE.pattern}, {"type": "null"}]


def _job_defaults(schema: dict[str, Any]) -> None:
    """`defaults` takes any job field, none of them required."""
    defaults = copy.deepcopy(schema["$defs"]["JobSpec"])
    defaults.pop("required", None)
    defaults["title"] = "JobDefaults"
    defaults["description"] = "Any job field; every job inherits the ones it does not set (maps merge key by key)."
    schema["$defs"]["JobDefaults"] = defaults
    description = schema["properties"]["defaults"].get("description")
    schema["properties"]["defaults"] = {"$ref": "#/$defs/JobDefaults", "description": description}


def _environments(schema: dict[str, Any]) -> None:
    """`environments`: name -> overrides of stack fields and, under `jobs`, of job fields (model/environments.py)."""
    from .environments import ACCOUNT_RE, ENV_NAME_RE, MAX_ENV_NAME, OVERRIDABLE, REGION_RE

    props = schema["properties"]
    overrides: dict[str, Any] = {
        "account": {"type": "string", "pattern": ACCOUNT_RE.pattern, "description": "The AWS account (12 digits) deploy checks."},
        "region": {"type": "string", "pattern": REGION_RE.pattern, "description": "The Region deploy checks, e.g. eu-west-1."},
    }
    for field in OVERRIDABLE:
        if field == "jobs":
            overrides["jobs"] = {"type": "object", "description": "Job name -> any job fields; triggers: a list, each naming the trigger it changes.",
                                 "additionalProperties": {"type": "object"}}
        else:
            overrides[field] = {"description": props[field].get("description")}
    props["environments"] = {
        "type": "object",
        "description": "Environment name -> overrides (any stack field, jobs by name) and its account/region; "
                       "each environment is its own stack <stack>-<env>.",
        "propertyNames": {"pattern": ENV_NAME_RE.pattern, "maxLength": MAX_ENV_NAME},
        "additionalProperties": {"anyOf": [{"type": "object", "properties": overrides, "additionalProperties": False},
                                           {"type": "null"}]},
    }

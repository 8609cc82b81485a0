"""What EventBridge delivers to a target, where the generator depends on it: which event fields are strings,
which are objects or lists, and what a schedule has instead of an event.

Plain data. The trigger kinds (generator/triggers) say which of these their events have; the model checks
a spec's `$.` paths against them, and resources/overrides.py quotes input-transformer placeholders by them.
"""

from __future__ import annotations

# A value read from the event is an input path: JSONPath from the event's root, as InputPathsMap takes it
# (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
EVENT_PATH_PREFIX = "$."

# Top-level event fields that are always strings (EventBridge event structure reference,
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html)
ENVELOPE_STRING_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region")
ENVELOPE_STRING_PATHS = frozenset(f"$.{name}" for name in ENVELOPE_STRING_FIELDS)

# Event paths that are objects or lists in every event: a quoted object placeholder makes EventBridge drop
# the event, and ECS wants strings anyway.
ENVELOPE_CONTAINER_PATHS = {
    "$.detail": "an object",
    "$.resources": "a list",
}

# A scheduled rule's event: the envelope (all strings: "source" aws.events, "detail-type" Scheduled Event),
# the rule's ARN as resources[0], and an empty detail.
SCHEDULED_RULE_EVENT_PATHS = tuple(f"$.{name}" for name in ENVELOPE_STRING_FIELDS) + ("$.resources[0]",)

# EventBridge Scheduler sends no event; what it has instead are context attributes it fills into the input.
SCHEDULER_CONTEXT_ATTRIBUTES = {
    "$.time": "<aws.scheduler.scheduled-time>",  # the time the schedule fired for, 2027-01-01T09:00:00Z
    "$.id": "<aws.scheduler.execution-id>",
    "$.resources[0]": "<aws.scheduler.schedule-arn>",
}

# S3 "Object Created" (S3 user guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html):
# the envelope and these detail fields are strings; `detail.object.size` is a number.
S3_OBJECT_CREATED_STRING_PATHS = ENVELOPE_STRING_PATHS | {
    "$.detail.bucket.name", "$.detail.object.key", "$.detail.object.etag", "$.detail.object.version-id",
    "$.detail.object.sequencer", "$.detail.reason", "$.detail.request-id", "$.detail.requester",
    "$.detail.source-ip-address",
}
S3_OBJECT_CREATED_CONTAINER_PATHS = {"$.detail.bucket": "an object", "$.detail.object": "an object"}

# Values AWS itself provides, written `{aws.…}` in a spec. On a rule, EventBridge's predefined variables
# ("aws.events.rule-arn — The Amazon Resource Name (ARN) of the EventBridge rule. aws.events.rule-name — The
# Name of the EventBridge rule. aws.events.event.ingestion-time — The time at which the event was received by
# EventBridge. This is an ISO 8601 timestamp", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-predefined).
RULE_BUILTINS = {
    "aws.events.rule-name": "the rule's name",
    "aws.events.rule-arn": "the rule's ARN",
    "aws.events.event.ingestion-time": "when EventBridge received the event (ISO 8601)",
}
# "aws.events.event — The original event payload as JSON without the detail field. Can only be used as a
# value for a JSON field, as its contents are not escaped" (same page): an object, never an ECS string.
RULE_OBJECT_BUILTINS = ("aws.events.event", "aws.events.event.json")
# On a Scheduler schedule, its context attributes ("EventBridge Scheduler replaces each keyword with its
# respective value when your schedule invokes the target",
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
SCHEDULER_BUILTINS = {
    "aws.scheduler.scheduled-time": "the time the schedule fired for, e.g. 2022-03-22T18:59:43Z",
    "aws.scheduler.schedule-arn": "the schedule's ARN",
    "aws.scheduler.execution-id": "the ID of this invocation, e.g. d32c5kddcf5bb8c3",
    "aws.scheduler.attempt-number": "the attempt number of this invocation, e.g. 1",
}

# Values whose text can never hold `"`, `\` or a control character, so that EventBridge may insert them into
# the middle of a JSON string (it does not escape what it puts there) and the overrides stay valid JSON:
# the built-ins (names and ARNs, ISO times, IDs, numbers) and the envelope fields whose content AWS fixes
# ("id – A UUID", "account – The 12-digit AWS account ID", "time", "region", "version – Currently 0":
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
TEXT_SAFE_BUILTINS = frozenset(RULE_BUILTINS) | frozenset(SCHEDULER_BUILTINS)
ENVELOPE_TEXT_SAFE_PATHS = frozenset({"$.version", "$.id", "$.account", "$.time", "$.region"})
# S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): "Bucket names can consist only of
# lowercase letters, numbers, periods (.), and hyphens (-)" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
# the size a number, the etag, version ID and sequencer opaque tokens without quotes; `source` is aws.s3 and
# `detail-type` Object Created, the bucket ARN in resources[0]. The object KEY is not: "You can use any UTF-8
# character in an object key name", `"` and `\` included (object key naming guidelines,
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
S3_OBJECT_CREATED_TEXT_SAFE_PATHS = ENVELOPE_TEXT_SAFE_PATHS | {
    "$.source", "$.detail-type", "$.resources[0]", "$.detail.version", "$.detail.bucket.name",
    "$.detail.object.size", "$.detail.object.etag", "$.detail.object.version-id", "$.detail.object.sequencer",
    "$.detail.request-id", "$.detail.requester", "$.detail.source-ip-address", "$.detail.reason",
}
# Every field of an S3 Object Created event, for did-you-mean on a path that is not one of them.
S3_OBJECT_CREATED_PATHS = S3_OBJECT_CREATED_STRING_PATHS | S3_OBJECT_CREATED_TEXT_SAFE_PATHS | {
    "$.resources[0]", "$.detail.version", "$.detail.object.size",
}
S3_OBJECT_CREATED_NUMBER_PATHS = frozenset({"$.detail.object.size"})


class EventShape:
    """What is known of one AWS event type: its string fields, those safe inside text, its object / list
    fields, and (when ``complete``) every field it has, so that a path outside them is a typo."""

    def __init__(self, strings: frozenset[str], text_safe: frozenset[str], containers: dict[str, str],
                 complete: frozenset[str] | None = None):
        self.strings, self.text_safe, self.containers, self.complete = strings, text_safe, containers, complete


S3_OBJECT_CREATED = EventShape(
    frozenset(S3_OBJECT_CREATED_STRING_PATHS), S3_OBJECT_CREATED_TEXT_SAFE_PATHS,
    dict(S3_OBJECT_CREATED_CONTAINER_PATHS), frozenset(S3_OBJECT_CREATED_PATHS))

# ECS "Task State Change" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html):
# these detail fields are strings; `containers` and `attachments` are lists, `overrides` an object. Not a
# complete list (fields are added over time), so other paths are not refused.
ECS_TASK_STATE_CHANGE = EventShape(
    ENVELOPE_STRING_PATHS | {f"$.detail.{name}" for name in (
        "clusterArn", "taskArn", "taskDefinitionArn", "lastStatus", "desiredStatus", "stoppedReason", "stopCode",
        "group", "launchType", "availabilityZone", "platformVersion", "cpu", "memory", "startedBy", "createdAt",
        "startedAt", "stoppingAt", "stoppedAt", "pullStartedAt", "pullStoppedAt", "connectivity")},
    ENVELOPE_TEXT_SAFE_PATHS | {f"$.detail.{name}" for name in (
        "clusterArn", "taskArn", "taskDefinitionArn", "lastStatus", "desiredStatus", "stopCode", "launchType",
        "availabilityZone", "createdAt", "startedAt", "stoppedAt", "version")},
    {"$.detail.containers": "a list", "$.detail.attachments": "a list", "$.detail.overrides": "an object"})

# An event pattern that pins source and detail-type to one of these gets that type's shape.
PINNED_SHAPES = {("aws.s3", "Object Created"): S3_OBJECT_CREATED,
                 ("aws.ecs", "ECS Task State Change"): ECS_TASK_STATE_CHANGE}


def pinned_shape(pattern: dict) -> EventShape | None:
    """The shape of the only AWS event type a pattern can match: its source and detail-type each one value."""
    source, detail_type = pattern.get("source"), pattern.get("detail-type")
    if (isinstance(source, list) and len(source) == 1 and isinstance(detail_type, list) and len(detail_type) == 1
            and isinstance(source[0], str) and isinstance(detail_type[0], str)):
        return PINNED_SHAPES.get((source[0], detail_type[0]))
    return None

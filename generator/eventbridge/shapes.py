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

"""AWS limits the model holds a spec to, where AWS would otherwise fail late (at deploy time or at run time)."""

from __future__ import annotations

MAX_TRIGGERS_PER_JOB = 100
# Names go into logical IDs (at most 255 characters), export names (`<stack>-<output logical ID>`, at most
# 255), the task family (`<stack>-<job>`, 255), the log group (`/ecs/<stack>/<job>`, 512) and log streams
# (`<job>/<job>/<task id>`, 512). With a stack name of up to 128 characters the longest, a schedule's export
# name, is 128 + 1 + 64 + 48 + len("Schedule") = 249; the longest logical ID (a trigger's alarm) is 134.
MAX_STACK_NAME = 128
MAX_JOB_NAME = 64
MAX_TRIGGER_NAME = 48
MAX_EVENT_VALUES_PER_TRIGGER = 100  # an InputTransformer's InputPathsMap takes at most 100 entries
MAX_TAGS = 50  # tags per resource
MAX_DESCRIPTION = 1024  # a template's Description

"""Transforms: what the model fills in once a spec is valid, so that later stages never see
None-means-default or a time without its zone.

Each runs from a model validator (pydantic keeps them attached to their types) and sets fields with
``object.__setattr__``, as the types are frozen.
"""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .base import FieldError

if TYPE_CHECKING:
    from .job import JobSpec
    from .trigger import TriggerSpec


def resolve_local_times(trigger: TriggerSpec) -> None:
    """`start`/`end` without a zone are wall-clock times where the schedule runs: in `timezone`, or UTC.

    Scheduler's StartDate/EndDate are instants, so each becomes one; a local time that a daylight-saving
    change skips or repeats has no single instant and must be written with its offset.
    """
    zone = ZoneInfo(trigger.timezone) if trigger.timezone else timezone.utc
    for name in ("start", "end"):
        value = getattr(trigger, name)
        if value is None or value.tzinfo is not None:
            continue
        earlier, later = value.replace(tzinfo=zone), value.replace(tzinfo=zone, fold=1)
        round_trip = earlier.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
        if round_trip != value:
            raise FieldError(
                f"{value.isoformat()} does not exist in {trigger.timezone} (the clocks skip it): "
                "write another time, or one with an offset",
                at=(name,),
            )
        if earlier.utcoffset() != later.utcoffset():
            raise FieldError(
                f"{value.isoformat()} happens twice in {trigger.timezone} (the clocks go back): write it with "
                f"its offset, e.g. {earlier.isoformat()} or {later.isoformat()}",
                at=(name,),
            )
        object.__setattr__(trigger, name, earlier)


def resolve_trigger_defaults(job: JobSpec) -> None:
    """Each trigger without its own retry / dead_letter_queue takes the job's: later stages never see None.

    A trigger's `retry` merges key by key with the job's, as a job's does with `defaults`: `retry:
    {attempts: 2}` on a trigger keeps the job's `max_event_age`, not EventBridge's 24 h default."""
    triggers = []
    for trigger in job.triggers:
        updates: dict[str, Any] = {}
        if trigger.retry is None:
            updates["retry"] = job.retry
        else:
            inherited = {key: getattr(job.retry, key) for key in type(job.retry).model_fields
                         if key not in trigger.retry.model_fields_set}
            if inherited:
                updates["retry"] = trigger.retry.model_copy(update=inherited)
        if trigger.dead_letter_queue is None:
            updates["dead_letter_queue"] = job.dead_letter_queue
        triggers.append(trigger.model_copy(update=updates) if updates else trigger)
    object.__setattr__(job, "triggers", triggers)

"""CloudWatch Logs: a job's log streams and their events."""

from __future__ import annotations

from typing import Any, Iterator

from .session import Aws, call, paginate


def streams(aws: Aws, group: str, prefix: str, since_ms: int) -> list[dict[str, Any]]:
    """Streams with events after ``since_ms``, newest first (by last event)."""
    found = paginate(f"describe log streams of {group}", aws.client("logs"), "describe_log_streams", "logStreams",
                     logGroupName=group, logStreamNamePrefix=prefix)

    def last_event(stream: dict[str, Any]) -> int:
        return stream.get("lastEventTimestamp") or stream.get("creationTime") or 0

    return sorted((s for s in found if last_event(s) >= since_ms), key=last_event, reverse=True)


def stream_events(aws: Aws, group: str, stream: str, since_ms: int) -> Iterator[dict[str, Any]]:
    """A stream's events from ``since_ms``, oldest first."""
    logs = aws.client("logs")
    kwargs: dict[str, Any] = dict(logGroupName=group, logStreamName=stream, startTime=since_ms, startFromHead=True)
    while True:
        page = call(f"get log events of {group} {stream}", logs.get_log_events, **kwargs)
        yield from page.get("events", [])
        token = page.get("nextForwardToken")
        if not page.get("events") or not token or token == kwargs.get("nextToken"):
            return
        kwargs["nextToken"] = token


def filter_events(aws: Aws, group: str, prefix: str, since_ms: int) -> list[dict[str, Any]]:
    """Every event of the group's streams starting with ``prefix`` from ``since_ms``, oldest first."""
    events = paginate(f"filter log events of {group}", aws.client("logs"), "filter_log_events", "events",
                      logGroupName=group, logStreamNamePrefix=prefix, startTime=since_ms)
    return sorted(events, key=lambda e: (e.get("timestamp", 0), e.get("eventId", "")))

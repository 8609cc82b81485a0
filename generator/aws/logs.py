"""CloudWatch Logs: a job's log streams and their events."""

from __future__ import annotations

from typing import Any, Iterator

from .session import Aws, call


def streams(aws: Aws, group: str, prefix: str, since_ms: int) -> list[dict[str, Any]]:
    """Streams with events after ``since_ms``, newest first (by last event)."""
    logs = aws.client("logs")
    found: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = dict(logGroupName=group, logStreamNamePrefix=prefix)
    while True:
        page = call(f"describe log streams of {group}", logs.describe_log_streams, **kwargs)
        found += page.get("logStreams", [])
        token = page.get("nextToken")
        if not token or token == kwargs.get("nextToken"):
            break
        kwargs["nextToken"] = token
    recent = [s for s in found if (s.get("lastEventTimestamp") or s.get("creationTime") or 0) >= since_ms]
    recent.sort(key=lambda s: s.get("lastEventTimestamp") or s.get("creationTime") or 0, reverse=True)
    return recent


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
    logs = aws.client("logs")
    kwargs: dict[str, Any] = dict(logGroupName=group, logStreamNamePrefix=prefix, startTime=since_ms)
    events: list[dict[str, Any]] = []
    while True:
        page = call(f"filter log events of {group}", logs.filter_log_events, **kwargs)
        events += page.get("events", [])
        token = page.get("nextToken")
        if not token or token == kwargs.get("nextToken"):
            break
        kwargs["nextToken"] = token
    events.sort(key=lambda e: (e.get("timestamp", 0), e.get("eventId", "")))
    return events

"""CloudWatch Logs: a job's log streams and their events."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

from .session import Aws, call, paginate


def _prefixed(prefix: str | None) -> dict[str, str]:
    # logStreamNamePrefix is optional in both requests ("Filters the results to include only events from log
    # streams that have names starting with this prefix",
    # https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html): left out,
    # every stream of the group is read
    return {"logStreamNamePrefix": prefix} if prefix else {}


def streams(aws: Aws, group: str, prefix: str | None, since_ms: int) -> list[dict[str, Any]]:
    """Streams with events after ``since_ms``, newest first (by last event); ``prefix`` None: all of them."""
    found = paginate(f"describe log streams of {group}", aws.client("logs"), "describe_log_streams", "logStreams",
                     logGroupName=group, **_prefixed(prefix))

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


def filter_events(aws: Aws, group: str, prefix: str | None, since_ms: int) -> list[dict[str, Any]]:
    """Every event of the group's streams starting with ``prefix`` (None: all) from ``since_ms``, oldest first."""
    events = paginate(f"filter log events of {group}", aws.client("logs"), "filter_log_events", "events",
                      logGroupName=group, startTime=since_ms, **_prefixed(prefix))
    return sorted(events, key=lambda e: (e.get("timestamp", 0), e.get("eventId", "")))


# --- a job's log lines, task by task, and following new ones ---------------------------------------------


@dataclass(frozen=True)
class LogLine:
    # <prefix>/<container>/<task id>, as the awslogs driver names streams
    # (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html)
    stream: str
    timestamp: int  # ms since the epoch
    message: str

    @property
    def task(self) -> str:
        return self.stream.rsplit("/", 1)[-1]

    @property
    def time(self) -> str:
        return stamp(self.timestamp)

    def as_dict(self) -> dict[str, Any]:
        return {"task": self.task, "stream": self.stream, "timestamp": self.timestamp, "time": self.time,
                "message": self.message}


def stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def job_lines(aws: Aws, group: str, prefix: str | None, since_ms: int) -> list[LogLine]:
    """The lines of every stream with events since ``since_ms``: newest task first, each task's lines in order."""
    return [LogLine(s["logStreamName"], e["timestamp"], e["message"].rstrip("\n"))
            for s in streams(aws, group, prefix, since_ms)
            for e in stream_events(aws, group, s["logStreamName"], since_ms)]


def follow(aws: Aws, group: str, prefix: str | None, shown: list[LogLine], since_ms: int, pause: float) -> Iterator[LogLine]:
    """New lines as they come, after those ``shown``, polling every ``pause`` seconds until interrupted.

    FilterLogEvents is asked again from the newest timestamp seen (startTime is inclusive: "events with a
    timestamp before this time are not returned",
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html), so the
    lines of that millisecond come back: those already given are skipped."""
    seen = {(line.stream, line.timestamp, line.message) for line in shown}
    last = max([since_ms, *(line.timestamp for line in shown)])
    while True:
        time.sleep(pause)
        for event in filter_events(aws, group, prefix, last):
            line = LogLine(event["logStreamName"], event["timestamp"], event["message"].rstrip("\n"))
            key = (line.stream, line.timestamp, line.message)
            if key in seen:
                continue
            seen.add(key)
            last = max(last, line.timestamp)
            yield line

"""`batchjobs logs JOB [--since 1h] [--follow]`: the job's CloudWatch Logs, newest task first."""

from __future__ import annotations

import argparse
import json
import re
import time
from datetime import datetime, timezone

from ..errors import UsageError

HELP = "a job's container logs from CloudWatch Logs, newest task first (--follow for new lines)"
FOLLOW_SECONDS = 2.0
SINCE_RE = re.compile(r"^(\d+)\s*([smhd])$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import add_job_arguments

    add_job_arguments(parser)
    parser.add_argument("--since", default="1h", help="how far back: 30m, 1h, 2d, or an ISO 8601 time (default 1h)")
    parser.add_argument("--follow", "-f", action="store_true", help="keep printing new lines until interrupted")
    add_aws_arguments(parser, read=True)


def since_ms(text: str, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    match = SINCE_RE.match(text.strip())
    if match:
        seconds = int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
        return int(now.timestamp() * 1000) - seconds * 1000
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since {text}: write a duration (30m, 1h, 2d) or an ISO 8601 time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() * 1000)


def _stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _task_of(stream: str) -> str:
    return stream.rsplit("/", 1)[-1]  # <prefix>/<container>/<task id>


def run(args: argparse.Namespace, io) -> int:
    from ..aws import logs
    from ..aws.session import Aws
    from ..locate import locate_job, log_group_of

    start = since_ms(args.since)
    located = locate_job(args.job, args.config, args.stack_name)
    group = log_group_of(located)
    prefix = f"{located.job_name}/"
    aws = Aws.from_args(args)

    last = start
    records = []
    for stream in logs.streams(aws, group, prefix, start):
        name = stream["logStreamName"]
        for event in logs.stream_events(aws, group, name, start):
            records.append({"task": _task_of(name), "stream": name, "timestamp": event["timestamp"],
                            "time": _stamp(event["timestamp"]), "message": event["message"].rstrip("\n")})
            last = max(last, event["timestamp"])
    if args.output == "json" and not args.follow:
        io.out(json.dumps(records, indent=2))
        return 0
    current = None
    for record in records:
        if record["task"] != current:
            current = record["task"]
            io.out(f"== task {current} ({record['stream']})")
        io.out(f"{record['time']}  {record['message']}")
    if not records:
        io.err(f"no log events in {group} since {_stamp(start)}")
    if not args.follow:
        return 0

    seen = {f"{r['stream']}:{r['timestamp']}:{r['message']}" for r in records}
    io.err(f"following {group} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(FOLLOW_SECONDS)
            for event in logs.filter_events(aws, group, prefix, last):
                key = f"{event['logStreamName']}:{event['timestamp']}:{event['message'].rstrip(chr(10))}"
                if key in seen:
                    continue
                seen.add(key)
                last = max(last, event["timestamp"])
                task = _task_of(event["logStreamName"])
                if args.output == "json":
                    io.out(json.dumps({"task": task, "stream": event["logStreamName"], "timestamp": event["timestamp"],
                                       "time": _stamp(event["timestamp"]), "message": event["message"].rstrip("\n")}))
                else:
                    io.out(f"{_stamp(event['timestamp'])}  [{task}]  {event['message'].rstrip(chr(10))}")
    except KeyboardInterrupt:
        return 0

"""`batchjobs logs JOB [--since 1h] [--follow] [--executions]`: the job's CloudWatch Logs, newest task first
(or, with --executions, its state machine's log: the errors of its executions, for a job with run control).

This module parses arguments and prints; reading and following the lines is generator.aws.logs'.
"""

from __future__ import annotations

import argparse
import json
import re
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
    parser.add_argument("--executions", action="store_true",
                        help="the state machine's log instead (run control: the errors of its executions)")
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


def _execution_log_group(located) -> str:
    from ..plan.run_control import state_machine_log_group_name

    if not located.job.run_controlled:
        raise UsageError(f"job {located.job_name} has no run control (timeout, task_retries or overlap: skip): its "
                         "triggers start the task directly, so there is no execution log; drop --executions")
    return state_machine_log_group_name(located.spec.stack, located.job_name)


def run(args: argparse.Namespace, io) -> int:
    from ..aws import logs
    from ..aws.session import Aws
    from ..locate import locate_job, log_group_of

    start = since_ms(args.since)
    located = locate_job(args.job, args.config, args.stack_name, args.env)
    if args.executions:
        group, prefix = _execution_log_group(located), None  # every stream: the log delivery names them
    else:
        group, prefix = log_group_of(located), f"{located.job_name}/"
    aws = Aws.from_args(args)

    lines = logs.job_lines(aws, group, prefix, start)
    if args.output == "json" and not args.follow:
        io.out(json.dumps([line.as_dict() for line in lines], indent=2))
        return 0
    current = None
    for line in lines:
        if line.task != current:
            current = line.task
            io.out(f"== task {current} ({line.stream})")
        io.out(f"{line.time}  {line.message}")
    if not lines:
        io.err(f"no log events in {group} since {logs.stamp(start)}")
    if not args.follow:
        return 0

    io.err(f"following {group} (Ctrl-C to stop)")
    try:
        for line in logs.follow(aws, group, prefix, lines, start, FOLLOW_SECONDS):
            io.out(json.dumps(line.as_dict()) if args.output == "json" else f"{line.time}  [{line.task}]  {line.message}")
    except KeyboardInterrupt:
        return 0
    return 0

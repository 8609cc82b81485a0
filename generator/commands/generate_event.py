"""``batchjobs generate-event KIND ...``: print a sample event, like ``sam local generate-event``."""

from __future__ import annotations

import argparse
import json

from ..errors import UsageError

HELP = "print a sample event: s3-upload (S3 Object Created) or ecs-task-stopped (ECS Task State Change)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    s3 = kinds.add_parser("s3-upload", help="S3 'Object Created' as EventBridge delivers it",
                          description="S3 'Object Created' as EventBridge delivers it")
    s3.add_argument("--bucket", required=True)
    s3.add_argument("--key", required=True)
    s3.add_argument("--size", type=int, default=5, help="object size in bytes (default 5)")
    s3.add_argument("--region", default="ca-central-1")
    s3.add_argument("--account", default="111122223333")
    ecs = kinds.add_parser("ecs-task-stopped", help="ECS 'Task State Change' for a STOPPED task",
                           description="ECS 'Task State Change' for a STOPPED task")
    ecs.add_argument("--cluster-arn", required=True, help="arn:aws:ecs:REGION:ACCOUNT:cluster/NAME")
    ecs.add_argument("--family", required=True, help="task definition family")
    ecs.add_argument("--exit-code", type=int, help="the container's exit code; omit for a task that never started")
    ecs.add_argument("--container", default="job", help="container name (default job)")


def run(args: argparse.Namespace, io) -> int:
    from ..eventbridge.samples import ecs_task_state_change, s3_object_created

    if args.kind == "s3-upload":
        if args.size < 0:
            raise UsageError(f"--size must be 0 or more, not {args.size}")
        event = s3_object_created(args.bucket, args.key, args.size, region=args.region, account=args.account)
    else:
        try:
            event = ecs_task_state_change(args.cluster_arn, args.family, args.exit_code,
                                          container_name=args.container)
        except ValueError as err:
            raise UsageError(f"--cluster-arn: {err}") from err
    io.out(json.dumps(event, indent=2))
    return 0

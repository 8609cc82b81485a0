"""`batchjobs run JOB [--env K=V ...] [--direct]`: run the job now, with its cluster, network and overrides.

A run-controlled job (timeout, task_retries, overlap: skip) starts an execution of its state machine, so
the run gets its timeout, retries and overlap check; `--direct` calls RunTask instead (none of those)."""

from __future__ import annotations

import argparse
import json

from ..errors import UsageError

HELP = ("run a job now (RunTask with its cluster, network and environment overrides, or a Step Functions "
        "execution for a job with timeout/task_retries/overlap); prints the task or execution ARNs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import add_job_arguments

    add_job_arguments(parser)
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment override for this run (repeatable)")
    parser.add_argument("--direct", action="store_true",
                        help="a job with timeout/task_retries/overlap: RunTask directly, without its state machine")
    add_aws_arguments(parser, read=True)


def parse_env(items: list[str]) -> dict[str, str]:
    from ..model.checks import ENV_NAME_RE

    env: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not ENV_NAME_RE.match(key):
            raise UsageError(f"--env {item}: write NAME=VALUE with a valid variable name")
        env[key] = value
    return env


def run(args: argparse.Namespace, io) -> int:
    from ..aws import ecs
    from ..aws.cloudformation import stack_resources
    from ..aws.session import Aws
    from ..resources.targets import run_task_request
    from ..locate import cluster_of, locate_job, physical_id

    env = parse_env(args.env)
    located = locate_job(args.job, args.config, args.stack_name)
    job = located.job
    aws = Aws.from_args(args)
    resources = stack_resources(aws, located.stack_name)
    if job.run_controlled and not args.direct:
        return _start_execution(located, aws, resources, env, args, io)
    overrides = None
    if env:
        overrides = {"containerOverrides": [
            {"name": located.plan.container, "environment": [{"name": k, "value": v} for k, v in env.items()]}]}
    request = run_task_request(
        located.spec,
        job,
        cluster=cluster_of(located, resources),
        task_definition=physical_id(resources, located.plan.ids.task_definition, located.stack_name),
        overrides=overrides,
    )
    request["startedBy"] = "batchjobs-run"
    io.err(f"{located.job_name}: running {request['taskDefinition']} on {request['cluster']}")
    tasks = ecs.run_task(aws, **request)
    if args.output == "json":
        io.out(json.dumps([{"taskArn": t["taskArn"], "lastStatus": t.get("lastStatus")} for t in tasks], indent=2))
    else:
        for task in tasks:
            io.out(task["taskArn"])
    return 0


def _start_execution(located, aws, resources, env: dict[str, str], args: argparse.Namespace, io) -> int:
    """The execution input is what a trigger sends: the RunTask overrides in PascalCase, `{}` for none."""
    from ..aws import states
    from ..locate import physical_id
    from ..plan.run_control import RunControlNames

    execution_input: dict = {}
    if env:
        execution_input = {"ContainerOverrides": [
            {"Name": located.plan.container, "Environment": [{"Name": k, "Value": v} for k, v in env.items()]}]}
    machine = physical_id(resources, RunControlNames(located.job_name).state_machine, located.stack_name)
    io.err(f"{located.job_name}: starting an execution of {machine} (run control; --direct runs the task alone)")
    started = states.start_execution(aws, machine, execution_input)
    if args.output == "json":
        io.out(json.dumps({"executionArn": started["executionArn"]}, indent=2))
    else:
        io.out(started["executionArn"])
    return 0

"""`batchjobs run JOB [--env NAME] [--env K=V ...]`: RunTask now, with the job's cluster, network and overrides.

`--env` is both the environment (a NAME, for a spec with `environments`) and, as before, a variable for this
run (KEY=VALUE): an environment name has no `=`."""

from __future__ import annotations

import argparse
import json

from ..errors import UsageError

HELP = "run a job now (RunTask with its cluster, network and environment overrides); prints the task ARNs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import add_job_arguments

    add_job_arguments(parser, env=False)
    parser.add_argument("--env", action="append", default=[], metavar="NAME|KEY=VALUE",
                        help="the environment (NAME, for a spec with `environments`), or a variable for this run "
                             "(KEY=VALUE, repeatable)")
    add_aws_arguments(parser, read=True)


def parse_env(items: list[str]) -> dict[str, str]:
    from ..model.checks import ENV_NAME_RE

    env: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            continue  # an environment's name: see environment_of
        if not ENV_NAME_RE.match(key):
            raise UsageError(f"--env {item}: write NAME=VALUE with a valid variable name")
        env[key] = value
    return env


def environment_of(items: list[str]) -> str | None:
    """The one --env without `=`: the spec's environment."""
    names = [item for item in items if "=" not in item]
    if len(names) > 1:
        raise UsageError(f"--env {' and --env '.join(names)}: name one environment (a variable is KEY=VALUE)")
    return names[0] if names else None


def run(args: argparse.Namespace, io) -> int:
    from ..aws import ecs
    from ..aws.cloudformation import stack_resources
    from ..aws.session import Aws
    from ..resources.targets import run_task_request
    from ..locate import cluster_of, locate_job, physical_id

    env = parse_env(args.env)
    located = locate_job(args.job, args.config, args.stack_name, environment_of(args.env))
    job = located.job
    aws = Aws.from_args(args)
    resources = stack_resources(aws, located.stack_name)
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

"""`batchjobs run JOB [--env NAME] [--trigger NAME [--event FILE]] [--set K=V ...] [--direct]`: run the job now,
with its cluster, network and overrides; with --trigger, exactly the overrides that trigger sends (for
--event, or for its own event when it is a schedule), as simulate renders them from the template's Input /
InputTransformer.

`--env NAME` is the environment (for a spec with `environments`), as on every verb; `--set KEY=VALUE` a variable
for this run. `--env KEY=VALUE`, this verb's way before environments, is still read as a variable, with a
note to write `--set` (an environment name has no `=`, so the two never mix up).

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

    add_job_arguments(parser, env=False)
    parser.add_argument("--trigger", metavar="NAME",
                        help="send exactly the overrides this trigger sends (its name, or trigger1, trigger2...)")
    parser.add_argument("--event", metavar="FILE",
                        help="with --trigger: the event to replay (JSON file, or - for stdin), "
                             "e.g. from `batchjobs generate-event s3-upload`")
    parser.add_argument("--env", action="append", default=[], metavar="NAME",
                        help="the environment, for a spec with `environments` (KEY=VALUE here is read as --set)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="variables",
                        help="a variable for this run (repeatable; applied after the trigger's)")
    parser.add_argument("--direct", action="store_true",
                        help="a job with timeout/task_retries/overlap: RunTask directly, without its state machine")
    add_aws_arguments(parser, read=True)


def parse_env(items: list[str], flag: str = "--env") -> dict[str, str]:
    """The KEY=VALUE items (each of --set, and those of --env: see the module docstring)."""
    from ..model.checks import ENV_NAME_RE

    env: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            if flag == "--set":
                raise UsageError(f"--set {item}: write KEY=VALUE")
            continue  # an environment's name: see environment_of
        if not ENV_NAME_RE.match(key):
            raise UsageError(f"{flag} {item}: write KEY=VALUE with a valid variable name")
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
    if env:
        io.err("note: --env KEY=VALUE is read as a variable for this run; write --set KEY=VALUE (--env names the "
               "environment of a spec with `environments`)")
    env.update(parse_env(args.variables, "--set"))
    if args.event is not None and args.trigger is None:
        raise UsageError("--event replays an event through a trigger: name it with --trigger")
    located = locate_job(args.job, args.config, args.stack_name, environment_of(args.env))
    job = located.job
    overrides = trigger_overrides_for(located, args.trigger, args.event, io) if args.trigger else None
    overrides = with_environment(overrides, located.plan.container, env)
    aws = Aws.from_args(args)
    resources = located.resources(lambda stack: stack_resources(aws, stack))
    if job.run_controlled and not args.direct:
        return _start_execution(located, aws, resources, overrides, args, io)
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


def _start_execution(located, aws, resources, overrides: dict | None, args: argparse.Namespace, io) -> int:
    """The execution input is what a trigger sends: the RunTask overrides in PascalCase, `{}` for none."""
    from ..aws import states
    from ..locate import physical_id
    from ..model.run_task import CAMEL_KEYS, PASCAL_KEYS
    from ..plan.run_control import RunControlNames

    pascal = dict(zip(CAMEL_KEYS, PASCAL_KEYS))

    def renamed(value):
        if isinstance(value, dict):
            return {pascal.get(k, k): renamed(v) for k, v in value.items()}
        return [renamed(v) for v in value] if isinstance(value, list) else value

    execution_input = renamed(overrides) if overrides else {}
    machine = physical_id(resources, RunControlNames(located.job_name).state_machine, located.stack_name)
    io.err(f"{located.job_name}: starting an execution of {machine} (run control; --direct runs the task alone)")
    started = states.start_execution(aws, machine, execution_input)
    if args.output == "json":
        io.out(json.dumps({"executionArn": started["executionArn"]}, indent=2))
    else:
        io.out(started["executionArn"])
    return 0


def trigger_overrides_for(located, trigger_name: str, event_file: str | None, io) -> dict | None:
    """What the trigger sends: for ``event_file``, or for a schedule's own run. Refuses an event the trigger
    would not start on, and one for which EventBridge would deliver nothing."""
    from ..errors import CheckFailed
    from ..eventbridge.pattern import matches
    from ..simulate import trigger_overrides, trigger_pattern
    from . import parse_json, read_input

    names = located.job.trigger_names()
    if trigger_name not in names:
        raise UsageError(f"--trigger {trigger_name}: job {located.job_name} has triggers {', '.join(names)}")
    trigger = located.job.triggers[names.index(trigger_name)]
    pattern = trigger_pattern(trigger)
    event = None
    if event_file is not None:
        event = parse_json(read_input(event_file, io, "event"), event_file, "event")
        if not isinstance(event, dict):
            raise UsageError(f"{event_file}: an event is a JSON object")
        if pattern is None:
            raise UsageError(f"--event: trigger {trigger_name} is a schedule, which is not started by events")
        if not matches(pattern, event):
            raise CheckFailed(f"{event_file}: trigger {trigger_name} does not match this event, so it would not "
                              "run the job (batchjobs simulate shows why)")
    elif pattern is not None and trigger.event_paths():
        raise UsageError(f"--trigger {trigger_name} reads the event ({', '.join(sorted(set(trigger.event_paths())))}): "
                         "give it one with --event FILE (e.g. batchjobs generate-event s3-upload --bucket B --key K)")
    overrides, problem = trigger_overrides(located.spec, located.job_name, trigger_name, event)
    if problem:
        raise CheckFailed(f"trigger {trigger_name}: {problem}")
    return overrides


def with_environment(overrides: dict | None, container: str, env: dict[str, str]) -> dict | None:
    """``overrides`` with the --env values set on the container (replacing the trigger's of the same name)."""
    if not env:
        return overrides
    overrides = json.loads(json.dumps(overrides)) if overrides else {}
    entries = overrides.setdefault("containerOverrides", [])
    entry = next((e for e in entries if e.get("name") == container), None)
    if entry is None:
        entry = {"name": container}
        entries.append(entry)
    pairs = {pair["name"]: pair["value"] for pair in entry.get("environment", [])}
    pairs.update(env)
    entry["environment"] = [{"name": k, "value": v} for k, v in pairs.items()]
    return overrides

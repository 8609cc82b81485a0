"""`batchjobs simulate CONFIG --event FILE [--run]`: which triggers match, and what each would send."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

from ..errors import BatchjobsError, CheckFailed, UsageError
from . import parse_json, read_input, source_name

HELP = "show which triggers an event starts and the exact RunTask overrides each sends (--run: run it locally)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", type=Path, help="spec file")
    parser.add_argument("--env", metavar="NAME", help="the environment, for a spec with `environments` (required there)")
    parser.add_argument("--event", required=True, help="event JSON file, or - for stdin")
    parser.add_argument("--run", action="store_true", help="run each matched job locally with docker, as RunTask would")
    parser.add_argument("--output", choices=["text", "json"], default="text")


def _read_event(name: str, io) -> dict:
    event = parse_json(read_input(name, io, "event"), name, "event")
    if not isinstance(event, dict):
        raise UsageError(f"{source_name(name)}: an event is a JSON object")
    return event


def run(args: argparse.Namespace, io) -> int:
    from ..simulate import missing_event_fields, simulate
    from ..plan import load_spec

    if not args.config.is_file():
        raise UsageError(f"no such config file: {args.config}")
    spec = load_spec(args.config, env=args.env)
    event = _read_event(args.event, io)
    missing = missing_event_fields(event)
    if missing:
        io.err(f"warning: {args.event}: the event has no {', '.join(missing)}: EventBridge events always do")
    result = simulate(spec, event)

    if args.output == "json":
        io.out(json.dumps([o.to_dict() for o in result.outcomes], indent=2, sort_keys=True))
    else:
        for outcome in result.outcomes:
            status = "MATCH   " if outcome.matched else "no match"
            note = f" ({outcome.note})" if outcome.note else ""
            io.out(f"{status} {outcome.job}/{outcome.trigger} [{outcome.kind}]{note}")
            if outcome.matched and outcome.delivered and outcome.execution_input is not None:
                io.out(f"         Step Functions execution input: {json.dumps(outcome.execution_input, sort_keys=True)}")
            if (outcome.matched or outcome.overrides) and outcome.delivered:
                sent = json.dumps(outcome.overrides, sort_keys=True) if outcome.overrides else "no overrides (the task definition as is)"
                io.out(f"         RunTask overrides: {sent}")
    if not result.matched:
        raise CheckFailed("no trigger matches this event")
    if args.run:
        for outcome in result.matched:
            if outcome.delivered:
                _run_locally(spec, outcome, io)
    return 0


def _run_locally(spec, outcome, io) -> None:
    from ..simulate import container_environment

    docker = shutil.which("docker")
    if docker is None:
        raise BatchjobsError("simulate --run: docker is not on PATH: install Docker or drop --run")
    job = spec.jobs[outcome.job]
    environment, command = container_environment(spec, outcome)
    platform = "linux/arm64" if job.architecture == "arm64" else "linux/amd64"
    argv = [docker, "run", "--rm", "--platform", platform]
    for name, value in sorted(environment.items()):
        argv += ["-e", f"{name}={value}"]
    argv.append(job.image)
    argv += command or []
    if job.secrets:
        io.err(f"warning: {outcome.job}: secrets ({', '.join(sorted(job.secrets))}) are not passed to local runs")
    io.err(f"running {outcome.job} locally: {' '.join(argv[1:])}")
    completed = subprocess.run(argv, stdin=subprocess.DEVNULL)
    if completed.returncode != 0:
        raise CheckFailed(f"simulate --run: {outcome.job} exited with {completed.returncode}")

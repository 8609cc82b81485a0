"""The ``batchjobs`` command line. ``main`` is the only place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass, field
from typing import TextIO

from . import __version__
from .errors import BatchjobsError, ExitStatus, SpecError

# verb -> module under generator.commands (see its HELP, add_arguments, run)
COMMANDS: dict[str, str] = {
    "generate": "generate",
    "lint": "lint",
    "schema": "schema",
    "schedule": "schedule",
    "match": "match",
    "generate-event": "generate_event",
    "simulate": "simulate",
    "review": "review",
    "deploy": "deploy",
    "publish": "publish",
    "run": "run",
    "status": "status",
    "logs": "logs",
}


@dataclass
class IO:
    """Where a command writes. Tests replace these streams."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str = "") -> None:
        print(text, file=self.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message but never a traceback."""


def _available_commands() -> dict[str, object]:
    modules = {}
    for verb, module_name in COMMANDS.items():
        try:
            modules[verb] = importlib.import_module(f"generator.commands.{module_name}")
        except ModuleNotFoundError as err:
            if err.name != f"generator.commands.{module_name}":
                raise
    return modules


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = _Parser(prog="batchjobs", description="ECS Fargate batch jobs from YAML specs, as CloudFormation.")
    parser.add_argument("--version", action="version", version=f"batchjobs {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of unexpected errors")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND")
    modules = _available_commands()
    for verb, module in modules.items():
        verb_parser = sub.add_parser(verb, help=module.HELP, description=module.HELP)
        module.add_arguments(verb_parser)
    return parser, modules


def main(argv: list[str] | None = None, io: IO | None = None) -> int:
    io = io or IO()
    parser, modules = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2), already printed
        return int(exit_.code or 0)
    if not args.verb:
        parser.print_help(io.stderr)
        return ExitStatus.BAD_INPUT
    try:
        return int(modules[args.verb].run(args, io))
    except BatchjobsError as err:
        io.err(str(err) if isinstance(err, SpecError) else f"error: {err}")
        return int(err.exit_status)
    except KeyboardInterrupt:
        io.err("interrupted")
        return 130
    except Exception as err:  # noqa: BLE001 - the one place that catches everything
        if args.debug:
            raise
        io.err(f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)")
        return ExitStatus.INTERNAL_ERROR  # not 0/1/2: a script must not read a crash as "no match"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""`batchjobs generate [CONFIG ...] [--out DIR] [--check]`: config/*.yaml -> DIR/<stack>.yaml (DIR/<env>/<stack>.yaml
for each environment of a spec with `environments`), lint-clean."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import CheckFailed, UsageError

HELP = "generate CloudFormation templates from job specs (each linted before it is written)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("configs", nargs="*", type=Path, metavar="CONFIG", help="spec files (default: config/*.yaml)")
    parser.add_argument("--out", type=Path, default=Path("templates"), help="output folder (default: templates/)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming every stale template")


def config_paths(given: list[Path]) -> list[Path]:
    if given:
        missing = [str(p) for p in given if not p.is_file()]
        if missing:
            raise UsageError(f"no such config file: {', '.join(missing)}")
        return given
    from ..locate import config_files

    return config_files(hint="name the spec files")


def run(args: argparse.Namespace, io) -> int:
    from ..fsutil import write_all_atomic
    from ..pipeline import generate_one
    from ..plan import load_specs

    specs = load_specs(config_paths(args.configs))
    generated = [generate_one(path, spec) for path, spec in specs]

    for item in generated:
        for warning in item.warnings:
            io.err(f"warning: {item.source}: {warning}")
        for note in item.notes:  # e.g. I9601: a bucket must send its events to EventBridge
            io.err("note: " + note.format(str(args.out / item.filename)))
    failing = [(g, f) for g in generated for f in g.findings]
    if failing:
        for item, finding in failing:
            io.err(finding.format(str(args.out / item.filename)))
        raise CheckFailed(
            f"{len(failing)} lint finding(s) in generated templates; nothing was written"
        )

    if args.check:
        stale = []
        for item in generated:
            target = args.out / item.filename
            try:
                current = _same(target, item.text)
            except OSError as err:
                raise UsageError(f"cannot read {target}: {err.strerror or err}") from None
            if not current:
                stale.append(f"{target} (from {item.source})")
        if not args.configs:
            expected = {g.filename for g in generated}
            stale += [f"{p} (no config/ spec has stack {p.stem})" for p in sorted(args.out.glob("*.yaml")) if p.name not in expected]
            stale += _stale_environments(generated, args.out, expected)
        if stale:
            for line in stale:
                io.err(f"stale: {line}")
            raise CheckFailed(f"{len(stale)} template(s) differ from their specs: run `batchjobs generate`")
        io.out(f"{len(generated)} template(s) up to date")
        return 0

    # all or nothing: every template is written to a temporary file before any is renamed into place
    targets = [(args.out / item.filename, item.text) for item in generated]
    try:
        changed = [(target, text) for target, text in targets if not _same(target, text)]
        write_all_atomic(changed)
    except OSError as err:
        raise UsageError(f"cannot write {err.filename or args.out}: {err.strerror or err}; nothing was written") from None
    for target, text in targets:
        io.out(f"{target}: {'written' if (target, text) in changed else 'unchanged'}")
    return 0


def _same(target: Path, text: str) -> bool:
    return target.is_file() and target.read_text(encoding="utf-8") == text


def _stale_environments(generated, out: Path, expected: set[str]) -> list[str]:
    """templates/<env>/<stack>.yaml of an environment a spec no longer defines."""
    stacks = {g.spec.environment.stack for g in generated if g.spec.environment}
    return [f"{p} (no environment {p.parent.name} in the spec of stack {p.stem})" for p in sorted(out.glob("*/*.yaml"))
            if p.stem in stacks and p.relative_to(out).as_posix() not in expected]

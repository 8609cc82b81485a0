"""`batchjobs generate [CONFIG ...] [--out DIR] [--check]`: config/*.yaml -> DIR/<stack>.yaml (DIR/<env>/<stack>.yaml
for each environment of a spec with `environments`), lint-clean, and for cross-account triggers
DIR/forwarders/<stack>-<producer>.yaml (one per producer account)."""

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
    from ..pipeline import generate_all, remember_linted, start_lints
    from ..plan import load_specs
    from ..template.quotas import MAX_TEMPLATE_BODY

    paths = config_paths(args.configs)
    with start_lints(paths) as lints:  # a spec changed since it was last linted: cfn-lint loads while specs are read
        generated = generate_all(load_specs(paths), lints=lints)

    owners: dict[str, Path] = {}
    for item in generated:  # `a` split into `a-b` beside a spec whose stack is `a-b`
        other = owners.setdefault(item.stack_name, item.source)
        if other != item.source:
            raise UsageError(f"{item.source}: stack {item.stack_name} is also a stack of {other} (split: per_job names "
                             "each job's stack <stack>-<job>): rename the stack or the job")
    said: set[tuple[Path, str]] = set()  # a split spec's stacks share warnings (e.g. the key's): say each once
    for item in generated:
        for warning in item.warnings:
            if (item.source, warning) not in said:
                said.add((item.source, warning))
                io.err(f"warning: {item.source}: {warning}")
        if item.size > MAX_TEMPLATE_BODY:
            io.err(f"note: {args.out / item.filename}: {item.size:,} bytes, over the {MAX_TEMPLATE_BODY:,} CloudFormation "
                   "takes inline: deploy it with --s3-bucket BUCKET (batchjobs deploy uploads it there)")
        for filename, _, _, notes in outputs(item):
            for note in notes:  # e.g. I9601: a bucket must send its events to EventBridge
                io.err("note: " + note.format(str(args.out / filename)))
    failing = [(filename, f) for g in generated for filename, _, findings, _ in outputs(g) for f in findings]
    if failing:
        for filename, finding in failing:
            io.err(finding.format(str(args.out / filename)))
        raise CheckFailed(
            f"{len(failing)} lint finding(s) in generated templates; nothing was written"
        )

    if args.check:
        stale = []
        for item in generated:
            for filename, text, _, _ in outputs(item):
                target = args.out / filename
                try:
                    current = _same(target, text)
                except OSError as err:
                    raise UsageError(f"cannot read {target}: {err.strerror or err}") from None
                if not current:
                    stale.append(f"{target} (from {item.source})")
        if not args.configs:
            expected = {filename for g in generated for filename, _, _, _ in outputs(g)}
            stale += [f"{p} (no config/ spec has stack {p.stem})" for p in sorted(args.out.glob("*.yaml")) if p.name not in expected]
            stale += [f"{p} (no config/ spec has a trigger from that account)"
                      for p in sorted(args.out.glob("forwarders/*.yaml")) if f"forwarders/{p.name}" not in expected]
            stale += _stale_environments(generated, args.out, expected)
        if stale:
            for line in stale:
                io.err(f"stale: {line}")
            raise CheckFailed(f"{len(stale)} template(s) differ from their specs: run `batchjobs generate`")
        io.out(f"{len(generated)} template(s) up to date")
        remember_linted(paths)
        return 0

    # all or nothing: every template is written to a temporary file before any is renamed into place
    targets = [(args.out / filename, text) for item in generated for filename, text, _, _ in outputs(item)]
    try:
        changed = [(target, text) for target, text in targets if not _same(target, text)]
        write_all_atomic(changed)
    except OSError as err:
        raise UsageError(f"cannot write {err.filename or args.out}: {err.strerror or err}; nothing was written") from None
    written = {target for target, _ in changed}
    for target, _ in targets:
        io.out(f"{target}: {'written' if target in written else 'unchanged'}")
    remember_linted(paths)
    return 0


def outputs(item) -> list[tuple[str, str, list, list]]:
    """(file name under --out, text, lint findings, notes): the stack's template, then its forwarders'."""
    return [(item.filename, item.text, item.findings, item.notes)] + [
        (f.filename, f.text, f.findings, f.notes) for f in item.forwarders
    ]


def _same(target: Path, text: str) -> bool:
    return target.is_file() and target.read_text(encoding="utf-8") == text


def _stale_environments(generated, out: Path, expected: set[str]) -> list[str]:
    """templates/<env>/<stack>.yaml of an environment a spec no longer defines."""
    stacks = {g.spec.environment.stack for g in generated if g.spec.environment}
    return [f"{p} (no environment {p.parent.name} in the spec of stack {p.stem})" for p in sorted(out.glob("*/*.yaml"))
            if p.stem in stacks and p.relative_to(out).as_posix() not in expected]

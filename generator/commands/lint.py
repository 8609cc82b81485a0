"""`batchjobs lint [TEMPLATE ...]`: cfn-lint (informational rules on) plus our own rules."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import CheckFailed, UsageError

HELP = "lint templates with cfn-lint and batchjobs' own rules (default: templates/*.yaml)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("templates", nargs="*", type=Path, metavar="TEMPLATE")


def run(args: argparse.Namespace, io) -> int:
    from ..lint import shared_linter

    paths = args.templates or sorted(Path("templates").glob("*.yaml"))
    if not paths:
        raise UsageError("no templates/*.yaml found: name the templates to lint")
    linter = shared_linter()
    total = 0
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"{path}: cannot read: {err.strerror}") from None
        findings = linter.lint_text(text)
        for finding in findings:
            io.out(finding.format(str(path)))
        total += len(findings)
    if total:
        raise CheckFailed(f"{total} finding(s) in {len(paths)} template(s)")
    io.out(f"{len(paths)} template(s): no findings")
    return 0

"""`batchjobs lint [TEMPLATE ...]`: cfn-lint (informational rules on) plus our own rules; our I-rules' findings
are notes (printed, exit 0)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import CheckFailed, UsageError

HELP = "lint templates with cfn-lint and batchjobs' own rules (default: templates/*.yaml and templates/<env>/*.yaml)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("templates", nargs="*", type=Path, metavar="TEMPLATE")


def run(args: argparse.Namespace, io) -> int:
    from ..lint.pool import check_texts

    # templates/<env>/<stack>.yaml: the stacks of a spec's environments
    paths = args.templates or sorted(Path("templates").glob("*.yaml")) + sorted(Path("templates").glob("*/*.yaml"))
    if not paths:
        raise UsageError("no templates/*.yaml found: name the templates to lint")
    texts = []
    for path in paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise UsageError(f"{path}: cannot read: {err.strerror}") from None
    total = notes = 0
    for path, result in zip(paths, check_texts(texts)):  # cached results reused, the rest linted in parallel
        for finding in result.findings:
            io.out(finding.format(str(path)))
        for note in result.notes:  # our informational rules: a reminder, not a failure
            io.out("note: " + note.format(str(path)))
        total += len(result.findings)
        notes += len(result.notes)
    noted = f"; {notes} note(s)" if notes else ""
    if total:
        raise CheckFailed(f"{total} finding(s) in {len(paths)} template(s){noted}")
    io.out(f"{len(paths)} template(s): no findings{noted}")
    return 0

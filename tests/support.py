"""Helpers shared by every test folder: `from support import run_cli, build_dict, ...`."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


def load_data(name: str) -> Any:
    """One of the recorded-behaviour files in tests/data/ (their sources: tests/data/README.md)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def run_cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run `batchjobs ARGS` in-process: (exit code, stdout, stderr)."""
    from generator.cli import IO, main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), IO(stdout=out, stderr=err, stdin=io.StringIO(stdin)))
    return code, out.getvalue(), err.getvalue()


BASE_SPEC = """\
stack: test-stack
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
"""


def spec_from(text: str, tmp_path: Path | None = None, name: str = "spec.yaml"):
    """A StackSpec from YAML text (dedented); BASE_SPEC supplies stack/cluster/network unless given."""
    from generator.plan import load_spec

    text = textwrap.dedent(text)
    if not text.lstrip().startswith("stack:"):
        text = BASE_SPEC + text
    return load_spec(name, text=text)


def build_dict(text: str) -> dict:
    """The generated template as a plain dict, for a spec written in YAML."""
    from generator.resources import build_template

    template, _ = build_template(spec_from(text))
    return template.to_dict()

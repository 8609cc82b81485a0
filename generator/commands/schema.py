"""``batchjobs schema``: print the JSON Schema of the job spec (kept at config/job-spec.schema.json)."""

from __future__ import annotations

import argparse
import json

HELP = "print the JSON Schema of the job spec (also kept at config/job-spec.schema.json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: the schema is the same on every run."""


def render() -> str:
    """The schema exactly as printed and committed: sorted keys, two-space indent, a final newline."""
    from ..model.schema import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def run(args: argparse.Namespace, io) -> int:
    io.stdout.write(render())
    return 0

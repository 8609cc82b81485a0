"""Every complete spec in docs/job-spec.md (a ```yaml block with a `stack:` line) loads and generates a
lint-clean template: the reference shows only examples that work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.pipeline import generate_stacks
from generator.plan import load_environments

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "job-spec.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)


def examples() -> list[tuple[str, str]]:
    found = []
    for match in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        text = match.group(1)
        stack = re.search(r"^stack: (\S+)", text, re.M)
        if stack:
            found.append((stack.group(1), text))
    return found


def test_the_reference_has_examples():
    assert len(examples()) >= 5


@pytest.mark.parametrize("name,text", [pytest.param(n, t, id=n) for n, t in examples()])
def test_example_generates_lint_clean(name: str, text: str):
    path = Path(f"docs/{name}.yaml")
    # each environment's stacks, and each stack of a split example
    generated = [item for spec in load_environments(path, text=text) for item in generate_stacks(path, spec)]
    assert [f.format(item.filename) for item in generated for f in item.findings] == []

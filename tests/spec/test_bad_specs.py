"""Every bad spec a user could really write gets one clear message: file:line:col, field path, a fix.

Each case is ``tests/bad_specs/<case>.yaml`` next to ``<case>.expected``, the exact text ``batchjobs
generate tests/bad_specs/<case>.yaml`` prints on stderr (run from the repository root).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))


def _engine_landed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


# Cases whose checks live in the eventbridge engine (schedules, patterns).
NEEDS_ENGINE = {
    "generator.eventbridge.schedule": ("cron_", "rate_", "at_", "schedule_"),
    "generator.eventbridge.pattern": ("pattern_",),
}


def _param(path: Path):
    marks = [
        pytest.mark.xfail(strict=True, reason="eventbridge engine not landed")
        for module, prefixes in NEEDS_ENGINE.items()
        if path.stem.startswith(prefixes) and not _engine_landed(module)
    ]
    return pytest.param(path, id=path.stem, marks=marks[:1])


def test_there_is_a_case_for_every_category():
    assert len(CASES) >= 35
    for path in CASES:
        assert path.with_suffix(".expected").is_file(), f"{path.name} has no .expected file"


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_bad_spec_message(path: Path, monkeypatch):
    monkeypatch.chdir(ROOT)  # messages name the file as given: tests/bad_specs/<case>.yaml
    expected = path.with_suffix(".expected").read_text().rstrip("\n")
    with pytest.raises(SpecError) as caught:  # any other exception fails the test
        load_spec(path.relative_to(ROOT).as_posix())
    actual = str(caught.value)
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""))
    assert actual == expected, f"message differs from {path.stem}.expected:\n{diff}"
    for problem in caught.value.problems:
        assert problem.file == f"tests/bad_specs/{path.name}"
        assert problem.line is not None, f"{problem}: no line number"

"""Every bad spec a user could really write gets one clear message: file:line:col, field path, a fix.

Each case is ``tests/bad_specs/<case>.yaml`` next to ``<case>.expected``, the exact text ``batchjobs
generate tests/bad_specs/<case>.yaml`` prints on stderr (run from the repository root).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.plan import load_spec

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "bad_specs").glob("*.yaml"))


def test_there_is_a_case_for_every_category():
    assert len(CASES) >= 35
    for path in CASES:
        assert path.with_suffix(".expected").is_file(), f"{path.name} has no .expected file"


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in CASES])
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


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in CASES])
def test_generate_exits_2_with_the_message_and_writes_nothing(path: Path, monkeypatch, tmp_path):
    from support import run_cli

    monkeypatch.chdir(ROOT)
    out_dir = tmp_path / "templates"
    out_dir.mkdir()
    (out_dir / "keep.yaml").write_text("untouched\n")
    code, out, err = run_cli("generate", path.relative_to(ROOT).as_posix(), "--out", str(out_dir))
    assert code == 2
    assert err == path.with_suffix(".expected").read_text().rstrip("\n") + "\n"
    assert "Traceback" not in err and out == ""
    assert [p.name for p in out_dir.iterdir()] == ["keep.yaml"]
    assert (out_dir / "keep.yaml").read_text() == "untouched\n"

"""Golden cases: tests/golden/<case>/spec.yaml must generate exactly tests/golden/<case>/template.yaml.

The whole path runs (spec -> model -> build -> render -> lint), as the generate command does. After an
intended change, `python -m pytest tests/resources/test_golden.py --update-golden` rewrites the templates;
review their diff like code.
"""

import difflib
from pathlib import Path

import pytest

from generator.pipeline import generate_one
from generator.plan import load_spec

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.yaml").is_file())


@pytest.mark.parametrize("case", CASES)
def test_golden_template(case, request):
    spec_path = GOLDEN / case / "spec.yaml"
    expected_path = GOLDEN / case / "template.yaml"
    generated = generate_one(spec_path, load_spec(spec_path))
    assert [f.format(case) for f in generated.findings] == []
    if request.config.getoption("--update-golden"):
        expected_path.write_text(generated.text)
    expected = expected_path.read_text() if expected_path.exists() else ""
    if generated.text != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), generated.text.splitlines(keepends=True),
            fromfile=f"{case}/template.yaml", tofile="generated",
        ))
        pytest.fail(f"{case}: generated template differs (run with --update-golden if intended):\n{diff}")


def test_there_are_golden_cases():
    assert len(CASES) >= 3

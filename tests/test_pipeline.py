"""generator/pipeline.py: render_stacks is generate_stacks without the lint."""

from __future__ import annotations

from generator.lint import Linter
from generator.pipeline import generate_stacks, render_stacks
from generator.plan import load_spec
from support import REPO

SPEC = REPO / "tests" / "lint" / "data" / "speedups" / "specs" / "split.yaml"


def test_render_stacks_gives_generates_text_and_lints_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path / "cache"))
    spec = load_spec(SPEC)
    linted = generate_stacks(SPEC, spec)

    def no_lint(self, text):
        raise AssertionError("render_stacks linted a template")

    monkeypatch.setattr(Linter, "check_text", no_lint)
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path / "empty"))  # nothing cached: a lint would show
    rendered = render_stacks(SPEC, spec)
    assert [(r.filename, r.text) for r in rendered] == [(g.filename, g.text) for g in linted]
    assert len(rendered) > 1 and all(r.findings == [] and r.notes == [] for r in rendered)

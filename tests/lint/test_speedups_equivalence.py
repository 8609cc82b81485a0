"""generator/lint/speedups.py changes how much CPU cfn-lint spends, never what it finds.

A corpus is linted with the speed-ups off and then on, each time by a fresh Linter, and cfn-lint's matches
must be the same, in order, with rule, message, start and end positions and path (our ``LintResult`` is made
from nothing else). The corpus: the committed templates, the golden templates, the templates generated from
the full spec and from a split (one stack per job) spec, every template our lint-rule tests lint (harvested
from tests/lint/rules), and templates in data/speedups/ built to break as many cfn-lint rules as they can
(property errors, bad Ref/GetAtt/Sub/Join/Select/FindInMap/If, conditions, outputs, parameters, structure,
a SAM transform).
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from generator.lint import Linter, LintResult, is_note, speedups

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RULE_TESTS = HERE / "rules"
BROKEN = sorted((HERE / "data" / "speedups").glob("*.yaml"))

pytestmark = pytest.mark.skipif(not (speedups.supported() and speedups.sources_checked()),
                                reason="the speed-ups apply to the cfn-lint 1.58.0 they were checked against only")


class _Recorder:
    """Stands in for the shared Linter in the rule tests: keeps each template, lints nothing."""

    def __init__(self):
        self.texts: list[str] = []

    def check_text(self, text: str) -> LintResult:
        self.texts.append(text)
        return LintResult([], [])

    def lint_text(self, text: str) -> list:
        return self.check_text(text).findings


def _rule_test_templates(monkeypatch) -> list[str]:
    """Every template that a test in tests/lint/rules lints through lint_case (its assertions fail here: no matter)."""
    monkeypatch.syspath_prepend(str(RULE_TESTS))
    lint_case = importlib.import_module("lint_case")
    recorder = _Recorder()
    monkeypatch.setattr(lint_case, "shared_linter", lambda: recorder)
    for path in sorted(RULE_TESTS.glob("test_*.py")):
        module = importlib.import_module(path.stem)
        for name, test in sorted(vars(module).items()):
            if name.startswith("test_") and callable(test) and not inspect.signature(test).parameters:
                try:
                    test()
                except Exception:  # noqa: BLE001 - an assertion on the recorder's empty result
                    pass
    return recorder.texts


def _generated() -> dict[str, str]:
    """The templates of the full spec and of a split spec, rendered as `generate` does (lint left to the test)."""
    from generator.pipeline import render_stacks
    from generator.plan import load_spec

    out = {}
    for spec_path in (HERE / "specs" / "full.yaml", HERE / "data" / "speedups" / "specs" / "split.yaml"):
        for generated in render_stacks(spec_path, load_spec(spec_path)):
            out[f"generated:{spec_path.stem}:{generated.filename}"] = generated.text
            for forwarder in generated.forwarders:
                out[f"generated:{spec_path.stem}:{forwarder.filename}"] = forwarder.text
    return out


def corpus(monkeypatch) -> dict[str, str]:
    texts = {str(p.relative_to(REPO)): p.read_text() for p in sorted((REPO / "templates").rglob("*.yaml"))}
    texts.update({str(p.relative_to(REPO)): p.read_text() for p in sorted((REPO / "tests" / "golden").glob("*/template.yaml"))})
    texts.update(_generated())
    texts.update({f"rule-test:{i}": text for i, text in enumerate(_rule_test_templates(monkeypatch))})
    texts.update({str(p.relative_to(REPO)): p.read_text() for p in BROKEN})
    return texts


def _matches(linter: Linter, text: str) -> list[tuple]:
    """cfn-lint's matches as it yields them, every field we or a user could see."""
    from cfnlint.runner.template.runner import run_template_by_data

    from generator.template.read import decode

    template, errors = decode(text)
    matches = errors or list(run_template_by_data(template, linter._config, linter._rules))  # noqa: SLF001
    return [
        (m.rule.id, m.message, m.linenumber, m.columnnumber, m.linenumberend, m.columnnumberend,
         tuple(getattr(m, "path", None) or ()))
        for m in matches
    ]


def _lint_all(texts: dict[str, str]) -> dict[str, list[tuple]]:
    linter = Linter()
    return {name: _matches(linter, text) for name, text in texts.items()}


def test_findings_are_the_same_with_and_without_the_speedups(monkeypatch):
    texts = corpus(monkeypatch)
    was_installed = speedups.installed()
    try:
        speedups.uninstall()
        monkeypatch.setenv(speedups.ENV, "off")
        plain = _lint_all(texts)
        assert not speedups.installed()

        monkeypatch.delenv(speedups.ENV)
        hits, indexed = speedups.stats["create_hits"], speedups.stats["dispatch_indexed"]
        fast = _lint_all(texts)
        assert speedups.installed()
        # each speed-up was in play for every template
        assert speedups.stats["create_hits"] > hits + len(texts)
        assert speedups.stats["dispatch_indexed"] > indexed + len(texts)
    finally:
        speedups.uninstall()
        if was_installed:
            speedups.install()

    differing = [name for name in texts if plain[name] != fast[name]]
    assert differing == []

    # the corpus is worth something: it makes many different rules fire, ours and cfn-lint's
    fired = {match[0] for matches in plain.values() for match in matches}
    assert len(texts) > 80
    assert len(fired) >= 60, sorted(fired)
    assert {"E9201", "E9301", "E9404", "I9601", "W9501"} <= fired
    assert {"E1010", "E1019", "E1020", "E3002", "E3003", "E3012", "E6101", "E8003"} <= fired
    # and the templates we generate are in it, clean both ways
    generated = [name for name in texts if name.startswith(("generated:", "templates/", "tests/golden/"))]
    assert len(generated) >= 12
    assert [name for name in generated if any(not is_note(match[0]) for match in plain[name])] == []

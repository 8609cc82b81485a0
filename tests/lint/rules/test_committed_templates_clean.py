"""The committed templates pass cfn-lint (informational rules on) and every rule of ours (notes aside)."""

from pathlib import Path

import pytest

from generator.lint import shared_linter

TEMPLATES = sorted((Path(__file__).resolve().parents[3] / "templates").glob("*.yaml"))


def test_our_rules_are_loaded():
    from generator.lint.rules import __file__ as rules_init

    ids = {p.name.split("_", 1)[0] for p in Path(rules_init).parent.glob("[A-Z]*.py")}
    assert {"E9101", "E9201", "E9202", "E9203", "E9204", "E9301", "E9302", "E9303",
            "E9401", "E9402", "E9403", "E9404", "W9501", "I9601"} <= ids
    loaded = {str(rule_id) for rule_id in shared_linter()._rules.data}  # noqa: SLF001
    assert ids <= loaded


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_committed_template_has_zero_findings(path):
    assert shared_linter().lint_text(path.read_text()) == []

"""lint: cfn-lint (with its informational rules) plus our own rules, in-process, one runner reused.

cfn-lint's one-shot ``api.lint`` reloads every rule on each call (seconds); ``Linter`` loads them once
and lints any number of templates with them.

Every finding fails (cfn-lint's informational ones too, e.g. I3011), except those of our own I-rules
(I96xx): they are reminders about things outside the template, reported as notes that never fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"
DEFAULT_REGIONS = ("us-east-1",)
# our rules' ids, from their module names (cfn-lint loads the files matching [A-Za-z1-9]*.py)
OUR_RULE_IDS = frozenset(p.name.split("_", 1)[0] for p in RULES_DIR.glob("[A-Za-z1-9]*.py"))


def is_note(rule_id: str) -> bool:
    """An informational rule of ours: reported, never a failure (cfn-lint's own I-rules still fail)."""
    return rule_id.startswith("I") and rule_id in OUR_RULE_IDS


@dataclass(frozen=True)
class Finding:
    rule_id: str
    message: str
    line: int
    column: int
    path: str

    def format(self, filename: str) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"{filename}:{self.line}:{self.column}: {self.rule_id} {self.message}{where}"


@dataclass(frozen=True)
class LintResult:
    findings: list[Finding]  # each fails the template
    notes: list[Finding]  # our informational rules' reminders: printed, never a failure


class Linter:
    """Loads cfn-lint's rules and ours once; ``lint_text`` checks one template."""

    def __init__(self, regions: tuple[str, ...] = DEFAULT_REGIONS):
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner.cli import Runner

        from . import speedups

        speedups.install()  # same findings, less CPU (see speedups.py; BATCHJOBS_LINT_SPEEDUPS=off skips it)
        self._config = ConfigMixIn(
            regions=list(regions),
            include_checks=["I"],
            append_rules=[str(RULES_DIR)],
        )
        self._rules = Runner(self._config).rules
        speedups.install_rules(self._rules.data)

    def lint_text(self, text: str) -> list[Finding]:
        """The findings that fail the template (notes left out: see ``check_text``)."""
        return self.check_text(text).findings

    def check_text(self, text: str) -> "LintResult":
        """Findings that fail the template, and our informational notes, each sorted by position."""
        from cfnlint.runner.template.runner import run_template_by_data

        from ..template.read import decode

        template, errors = decode(text)  # the reader review and deploy use, positions kept
        matches = errors or list(run_template_by_data(template, self._config, self._rules))
        findings = {
            Finding(
                rule_id=m.rule.id,
                message=m.message,
                line=m.linenumber,
                column=m.columnnumber,
                path="/".join(str(p) for p in (getattr(m, "path", None) or [])),
            )
            for m in matches
        }
        ordered = sorted(findings, key=lambda f: (f.line, f.column, f.rule_id, f.message))
        return LintResult([f for f in ordered if not is_note(f.rule_id)], [f for f in ordered if is_note(f.rule_id)])


_shared: Linter | None = None


def shared_linter() -> Linter:
    """One Linter per process: loading the rules is the slow part."""
    global _shared
    if _shared is None:
        _shared = Linter()
    return _shared

"""lint: cfn-lint (with its informational rules) plus our own rules, in-process, one runner reused.

cfn-lint's one-shot ``api.lint`` reloads every rule on each call (seconds); ``Linter`` loads them once
and lints any number of templates with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"
DEFAULT_REGIONS = ("us-east-1",)


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


class Linter:
    """Loads cfn-lint's rules and ours once; ``lint_text`` checks one template."""

    def __init__(self, regions: tuple[str, ...] = DEFAULT_REGIONS):
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner.cli import Runner

        self._config = ConfigMixIn(
            regions=list(regions),
            include_checks=["I"],
            append_rules=[str(RULES_DIR)],
        )
        self._rules = Runner(self._config).rules

    def lint_text(self, text: str) -> list[Finding]:
        from cfnlint.decode.decode import decode_str
        from cfnlint.runner.template.runner import run_template_by_data

        template, errors = decode_str(text)
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
        return sorted(findings, key=lambda f: (f.line, f.column, f.rule_id, f.message))


_shared: Linter | None = None


def shared_linter() -> Linter:
    """One Linter per process: loading the rules is the slow part."""
    global _shared
    if _shared is None:
        _shared = Linter()
    return _shared

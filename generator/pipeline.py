"""spec -> model -> resources -> render -> lint, for one config file. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding
from .model import StackSpec


@dataclass
class Generated:
    source: Path
    spec: StackSpec
    text: str
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # each fails the template
    notes: list[Finding] = field(default_factory=list)  # our informational rules' reminders (I96xx): never fail

    @property
    def filename(self) -> str:
        return f"{self.spec.stack}.yaml"


def source_label(path: Path) -> str:
    """`config/x.yaml` whatever the working directory, so output does not depend on where it ran."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def generate_one(path: Path, spec: StackSpec) -> Generated:
    return generate_all([(path, spec)])[0]


def generate_all(specs: list[tuple[Path, StackSpec]]) -> list[Generated]:
    """Every spec's template, in order, linted together: cached results reused, the rest linted in parallel
    (generator/lint/pool.py); the same results as linting each on its own."""
    from .lint.pool import check_texts
    from .resources import build_template
    from .resources.render import render_yaml

    built = []
    for path, spec in specs:
        source = source_label(path)
        template, warnings = build_template(spec, source)
        built.append((path, spec, render_yaml(template, source), warnings))
    results = check_texts([text for _, _, text, _ in built])
    return [
        Generated(path, spec, text, warnings, result.findings, result.notes)
        for (path, spec, text, warnings), result in zip(built, results)
    ]

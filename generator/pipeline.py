"""spec -> model -> plan -> resources -> render -> lint, for one config file. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding
from .model import StackSpec


@dataclass
class GeneratedForwarder:
    """The template of one producer account's forwarder (plan/forwarders.py)."""

    producer: str
    filename: str  # relative to the templates folder: forwarders/<stack>-<producer>.yaml
    stack_name: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


@dataclass
class Generated:
    source: Path
    spec: StackSpec
    text: str
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # each fails the template
    notes: list[Finding] = field(default_factory=list)  # our informational rules' reminders (I96xx): never fail
    forwarders: list[GeneratedForwarder] = field(default_factory=list)  # one per from_account producer

    @property
    def filename(self) -> str:
        return f"{self.spec.stack}.yaml"


def source_label(path: Path) -> str:
    """`config/x.yaml` whatever the working directory, so output does not depend on where it ran."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def generate_one(path: Path, spec: StackSpec) -> Generated:
    return generate_all([(path, spec)])[0]


def generate_all(specs: list[tuple[Path, StackSpec]]) -> list[Generated]:
    """Every spec's template and its forwarders' templates, in order, linted together: cached results reused,
    the rest linted in parallel (generator/lint/pool.py); the same results as linting each on its own."""
    from .lint.pool import check_texts
    from .plan import plan_forwarders, plan_stack
    from .resources import build_template
    from .resources.forwarder import build_forwarder_template
    from .resources.render import render_yaml

    built = []
    texts: list[str] = []
    for path, spec in specs:
        source = source_label(path)
        template, warnings = build_template(spec, source)
        text = render_yaml(template, source)
        forwarders = [(plan, render_yaml(build_forwarder_template(plan, source), source))
                      for plan in plan_forwarders(plan_stack(spec))]
        built.append((path, spec, text, warnings, forwarders))
        texts += [text, *(forwarder_text for _, forwarder_text in forwarders)]
    results = iter(check_texts(texts))
    generated = []
    for path, spec, text, warnings, forwarders in built:
        result = next(results)
        found = []
        for plan, forwarder_text in forwarders:
            checked = next(results)
            found.append(GeneratedForwarder(plan.producer, plan.filename, plan.stack_name, forwarder_text,
                                            checked.findings, checked.notes))
        generated.append(Generated(path, spec, text, warnings, result.findings, result.notes, found))
    return generated

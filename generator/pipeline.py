"""spec -> model -> resources -> render -> lint, for one config file. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding, shared_linter
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
    from .resources import build_template
    from .resources.render import render_yaml

    source = source_label(path)
    template, warnings = build_template(spec, source)
    text = render_yaml(template, source)
    result = shared_linter().check_text(text)
    return Generated(path, spec, text, warnings, result.findings, result.notes, generate_forwarders(spec, source))


def generate_forwarders(spec: StackSpec, source: str) -> list[GeneratedForwarder]:
    from .plan import plan_forwarders, plan_stack
    from .resources.forwarder import build_forwarder_template
    from .resources.render import render_yaml

    found = []
    for plan in plan_forwarders(plan_stack(spec)):
        text = render_yaml(build_forwarder_template(plan, source), source)
        result = shared_linter().check_text(text)
        found.append(GeneratedForwarder(plan.producer, plan.filename, plan.stack_name, text, result.findings, result.notes))
    return found

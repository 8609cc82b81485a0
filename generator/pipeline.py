"""spec -> model -> resources -> render -> lint, for one config file. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding, shared_linter
from .model import StackSpec
from .model.environments import METADATA_KEY


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
        """Under the templates folder: `<stack>.yaml`, or `<env>/<stack>.yaml` for an environment's stack."""
        env = self.spec.environment
        return env.template_path if env else f"{self.spec.stack}.yaml"


def source_label(path: Path) -> str:
    """`config/x.yaml` whatever the working directory, so output does not depend on where it ran."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def generate_one(path: Path, spec: StackSpec) -> Generated:
    from .resources import build_template
    from .resources.render import render_yaml

    source = source_label(path)
    template, warnings = build_template(spec, source)
    if spec.environment:  # which environment, account and Region this template is for: `deploy TEMPLATE` checks them
        template.set_metadata({METADATA_KEY: spec.environment.metadata()})
    text = render_yaml(template, source)
    result = shared_linter().check_text(text)
    return Generated(path, spec, text, warnings, result.findings, result.notes)

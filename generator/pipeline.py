"""spec -> model -> resources -> render -> lint, for one config file. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding, shared_linter
from .model import StackSpec


@dataclass
class Generated:
    source: Path
    spec: StackSpec
    text: str
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # each fails the template
    notes: list[Finding] = field(default_factory=list)  # our informational rules' reminders (I96xx): never fail
    stack: str | None = None  # the stack it deploys as (None: the spec's)

    @property
    def stack_name(self) -> str:
        return self.stack or self.spec.stack

    @property
    def filename(self) -> str:
        return f"{self.stack_name}.yaml"

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


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
    return Generated(path, spec, text, warnings, result.findings, result.notes)


def generate_stacks(path: Path, spec: StackSpec) -> list[Generated]:
    """Every template of one spec, in deploy order: one, or with `split: per_job` the shared stack's and one
    per job (``StackPlan.parts``). Each is refused as bad input (SpecError at the spec's `jobs`) past
    CloudFormation's 1 MB."""
    from .plan import plan_stack

    plan = plan_stack(spec)
    if not plan.split:
        found = [generate_one(path, spec)]
    else:
        from .resources import build_part
        from .resources.render import render_yaml

        source = source_label(path)
        found = []
        for part in plan.parts():
            template, warnings = build_part(spec, part, source, plan)
            text = render_yaml(template, source)
            result = shared_linter().check_text(text)
            found.append(Generated(path, spec, text, warnings, result.findings, result.notes, stack=part.name))
    _refuse_too_large(path, plan.split, found)
    return found


def _refuse_too_large(path: Path, split: bool, found: list[Generated]) -> None:
    from .errors import Problem, SpecError
    from .model.load import parse_yaml
    from .plan.limits import too_large

    problems = [(item, message) for item in found if (message := too_large(item.stack_name, item.size, split))]
    if not problems:
        return
    _, positions = parse_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    _, position = positions.locate(("jobs",), key=True)
    line, column = position or (None, None)
    raise SpecError([Problem(str(path), "jobs", message, line, column) for _, message in problems])

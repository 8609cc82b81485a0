"""spec -> model -> plan -> resources -> render -> lint, for config files. Used by generate, deploy and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lint import Finding
from .model import StackSpec
from .model.environments import METADATA_KEY


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
    stack: str | None = None  # the stack it deploys as (None: the spec's; a split spec's parts are named)

    @property
    def stack_name(self) -> str:
        return self.stack or self.spec.stack

    @property
    def filename(self) -> str:
        """Under the templates folder: `<stack>.yaml`, or `<env>/<stack>.yaml` for an environment's stack (a
        split spec's parts by their own stack names)."""
        env = self.spec.environment
        if env and self.stack is None:
            return env.template_path
        return f"{env.name}/{self.stack_name}.yaml" if env else f"{self.stack_name}.yaml"

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


def source_label(path: Path) -> str:
    """`config/x.yaml` whatever the working directory, so output does not depend on where it ran."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def generate_one(path: Path, spec: StackSpec) -> Generated:
    """The spec's (first) template: the only one, or a split spec's shared stack's."""
    return generate_all([(path, spec)])[0]


def generate_stacks(path: Path, spec: StackSpec) -> list[Generated]:
    """Every template of one spec, in deploy order (with `split: per_job`: the shared stack's, then one per job)."""
    return generate_all([(path, spec)])


def generate_all(specs: list[tuple[Path, StackSpec]]) -> list[Generated]:
    """Every template of every spec, in deploy order, each spec's forwarders with its first, all linted
    together: cached results reused, the rest linted in parallel (generator/lint/pool.py), the same results
    as linting each on its own. A template past CloudFormation's 1 MB is refused as bad input (SpecError
    at the spec's `jobs`) before anything is linted."""
    from .lint.pool import check_texts
    from .plan import plan_forwarders, plan_stack
    from .resources import build_part, build_template
    from .resources.forwarder import build_forwarder_template
    from .resources.render import render_yaml

    built: list[Generated] = []
    for path, spec in specs:
        source = source_label(path)
        plan = plan_stack(spec)
        if plan.split:
            parts = []
            for part in plan.parts():
                template, warnings = build_part(spec, part, source, plan)
                parts.append(Generated(path, spec, render_yaml(_for_environment(template, spec), source), warnings,
                                       stack=part.name))
        else:
            template, warnings = build_template(spec, source)
            parts = [Generated(path, spec, render_yaml(_for_environment(template, spec), source), warnings)]
        _refuse_too_large(path, plan.split, parts)
        parts[0].forwarders = [
            GeneratedForwarder(forwarder.producer, forwarder.filename, forwarder.stack_name,
                               render_yaml(build_forwarder_template(forwarder, source), source))
            for forwarder in plan_forwarders(plan)
        ]
        built += parts
    linted: list = [item for generated in built for item in (generated, *generated.forwarders)]
    for item, result in zip(linted, check_texts([item.text for item in linted])):
        item.findings, item.notes = result.findings, result.notes
    return built


def _for_environment(template, spec: StackSpec):
    """An environment's template says which environment, account and Region it is for (`deploy TEMPLATE`
    checks them), beside the Context the build wrote."""
    if spec.environment:
        template.set_metadata({**template.metadata, METADATA_KEY: spec.environment.metadata()})
    return template


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

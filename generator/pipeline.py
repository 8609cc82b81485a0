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


def render_stacks(path: Path, spec: StackSpec) -> list[Generated]:
    """``generate_stacks`` without linting: the templates' text only (for measuring and testing the linter
    itself; their findings and notes are left empty)."""
    from .memo import TemplateMemo

    return _generate_all([(path, spec)], TemplateMemo.default(), None)


def generate_all(specs: list[tuple[Path, StackSpec]], *, lints=None) -> list[Generated]:
    """Every template of every spec, in deploy order, each spec's forwarders with its first, all linted
    together: cached results reused, the rest linted in parallel as they are produced
    (generator/lint/pool.py), the same results as linting each on its own. A template whose inputs have not
    changed is not built again (generator/memo.py). A template past CloudFormation's 1 MB is refused
    as bad input (SpecError at the spec's `jobs`). ``lints``: the lint batch to add to (one whose workers
    were started early, say); default a new one."""
    from .lint.pool import Batch
    from .memo import TemplateMemo

    with Batch() if lints is None else lints as lints:  # an error stops the workers at once
        return _generate_all(specs, TemplateMemo.default(), lints)


def _generate_all(specs: list[tuple[Path, StackSpec]], memo, lints) -> list[Generated]:
    """``lints`` None: nothing is linted."""
    from .plan import plan_forwarders, plan_stack

    built: list[Generated] = []
    linted: list[Generated | GeneratedForwarder] = []  # in the order given to ``lints``

    def lint(item):  # each as soon as it is rendered: the first that needs linting starts the workers
        if lints is not None:
            lints.add(item.text)
            linted.append(item)

    for path, spec in specs:
        source = source_label(path)
        plan = plan_stack(spec)
        keys = _memo_keys(spec, plan, source)
        parts = []
        for part in plan.parts():
            text, warnings = memo.render(keys(part), lambda: _build(spec, plan, part, source))
            parts.append(Generated(path, spec, text, warnings, stack=part.name if plan.split else None))
            lint(parts[-1])
        _refuse_too_large(path, plan.split, parts)
        parts[0].forwarders = [
            GeneratedForwarder(forwarder.producer, forwarder.filename, forwarder.stack_name,
                               memo.render(keys(forwarder), lambda: (_build_forwarder(forwarder, source), []))[0])
            for forwarder in plan_forwarders(plan)
        ]
        for forwarder in parts[0].forwarders:
            lint(forwarder)
        built += parts
    for item, result in zip(linted, lints.results() if lints is not None else []):
        item.findings, item.notes = result.findings, result.notes
    return built


def _build(spec: StackSpec, plan, part, source: str) -> tuple[str, list[str]]:
    from .resources import build_part
    from .resources.render import render_yaml

    template, warnings = build_part(spec, part, source, plan)
    return render_yaml(_for_environment(template, spec), source), warnings


def _build_forwarder(forwarder, source: str) -> str:
    from .resources.forwarder import build_forwarder_template
    from .resources.render import render_yaml

    return render_yaml(build_forwarder_template(forwarder, source), source)


def _memo_keys(spec: StackSpec, plan, source: str):
    """The memo key of each of the spec's templates, from exactly what builds it: a whole stack from the spec;
    a split spec's job stack from the stack's settings and that job's plan (resources/split.py
    build_job_stack reads nothing else); a forwarder from its plan. A split spec's shared stack reads every
    job (what they share): it is one template, built each time (None)."""
    from .plan.forwarders import ForwarderPlan
    from .memo import Encoded, key_for

    settings = Encoded.of_model(spec, without=("jobs",)) if plan.split else None

    def key(item) -> str | None:
        if isinstance(item, ForwarderPlan):
            return key_for("forwarder", item, source)
        if not plan.split:
            return key_for("stack", spec, source)
        if item.shared:
            return None
        return key_for("job", settings, plan.jobs[item.job], item, source)

    return key


def start_lints(paths: list[Path]):
    """The lint batch for generating ``paths``: its workers already started (cfn-lint loading on another core
    while the specs are read and built) when a file is not one whose templates were all linted before
    (``remember_linted``); otherwise they start at the first template that needs linting, if any. Only a
    question of when: the results are the same."""
    from .lint.pool import Batch

    lints = Batch()
    if not all(_linted_before(path) for path in paths):
        lints.start()
    return lints


def remember_linted(paths: list[Path]) -> None:
    """Every template of ``paths`` was linted (and its result cached): see ``start_lints``."""
    for path in paths:
        key = _spec_key(path)
        if key is not None:
            _spec_store().put(key, {})


def _linted_before(path: Path) -> bool:
    key = _spec_key(path)
    return key is not None and _spec_store().get(key) is not None


def _spec_key(path: Path) -> str | None:
    import hashlib

    from .lint.cache import linter_digest

    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(f"{linter_digest()}\0{source_label(path)}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _spec_store():
    from .store import Store, cache_root

    root = cache_root()
    return Store(root / "specs" if root is not None else None, 1)


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

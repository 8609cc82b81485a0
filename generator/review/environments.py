"""How the environments of one spec differ: "what does prod have that dev does not".

Each environment's template is compared with the first environment's (in spec order) by the same
``diff_templates`` that compares a template with its revision, after the one difference every pair has
(the stack name `<stack>-<env>` inside names, families and log groups) is written `<stack>-<env>` in
both. What is left is what the overrides made: resources only one side has, properties that differ
(with both values), parameter defaults (the image) and permissions one side grants and the other does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .broadening import Broadening, broadened_permissions
from .diff import StackDiff, diff_templates
from .template import show

MAX_VALUES_SHOWN = 12


@dataclass(frozen=True)
class EnvironmentInfo:
    name: str
    stack: str  # the deployed stack, <stack>-<env>
    account: str | None
    region: str | None
    template: str  # where generate writes it, e.g. templates/prod/reports.yaml


@dataclass
class EnvironmentPair:
    base: str  # the first environment
    other: str
    only_base: list[tuple[str, str]] = field(default_factory=list)  # (logical ID, type)
    only_other: list[tuple[str, str]] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)  # "Resource.Properties.Cpu: '256' -> '1024'"
    more_in_other: list[Broadening] = field(default_factory=list)  # permissions `other` grants and `base` does not
    more_in_base: list[Broadening] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.only_base or self.only_other or self.differs or self.more_in_other or self.more_in_base)


@dataclass
class EnvironmentComparison:
    stack: str  # the spec's own stack name
    source: str
    environments: list[EnvironmentInfo]
    pairs: list[EnvironmentPair]


def compare_environments(stack: str, source: str, envs: list[tuple[EnvironmentInfo, dict[str, Any]]]) -> EnvironmentComparison:
    """``envs``: each environment with its generated template (a plain dict), in spec order."""
    normal = [(info, _neutral(template, info.stack, stack)) for info, template in envs]
    (base, base_template), others = normal[0], normal[1:]
    pairs = []
    for info, template in others:
        diff = diff_templates(base_template, template, base.name)
        pair = EnvironmentPair(base.name, info.name, only_other=list(diff.added),
                               only_base=[(r.resource, r.resource_type) for r in diff.removed])
        pair.differs = _values(diff, base_template, template) + _parameters(base_template, template)
        pair.more_in_other = diff.broadened + [b for b in diff.new_permissions]
        pair.more_in_base = broadened_permissions(template, base_template)[0]
        pairs.append(pair)
    return EnvironmentComparison(stack, source, [info for info, _ in envs], pairs)


def _neutral(value: Any, env_stack: str, stack: str) -> Any:
    """The template with its environment's stack name written `<stack>-<env>`."""
    if isinstance(value, str):
        return re.sub(rf"\b{re.escape(env_stack)}\b", f"{stack}-<env>", value)
    if isinstance(value, dict):
        return {k: _neutral(v, env_stack, stack) for k, v in value.items()}
    if isinstance(value, list):
        return [_neutral(v, env_stack, stack) for v in value]
    return value


def _values(diff: StackDiff, base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    out = []
    for change in diff.changed:
        if change.metadata_only:
            continue  # the `why` notes follow the values; the values are shown
        shown = [p for p in change.paths if not p.startswith("Metadata")]
        for path in shown[:MAX_VALUES_SHOWN]:
            clean = path.split(" (")[0]
            before = _get(base["Resources"][change.resource], clean)
            after = _get(other["Resources"][change.resource], clean)
            out.append(f"{change.resource}.{clean}: {_show(before)} -> {_show(after)}")
        if len(shown) > MAX_VALUES_SHOWN:
            out.append(f"{change.resource}: and {len(shown) - MAX_VALUES_SHOWN} more")
    return out


def _parameters(base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    old, new = base.get("Parameters") or {}, other.get("Parameters") or {}
    return [f"parameter {name} default: {_show((old[name] or {}).get('Default'))} -> {_show((new[name] or {}).get('Default'))}"
            for name in sorted(old.keys() & new.keys()) if (old[name] or {}).get("Default") != (new[name] or {}).get("Default")]


_MISSING = object()


def _get(value: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            value = value[index] if isinstance(value, list) and index < len(value) else _MISSING
        else:
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def _show(value: Any) -> str:
    return "(not set)" if value is _MISSING or value is None else show(value)


# --- rendering -------------------------------------------------------------------------------------


def _where(env: EnvironmentInfo) -> str:
    account = f"account {env.account}" if env.account else "any account"
    region = env.region or "any Region"
    return f"stack {env.stack} in {account}, {region} ({env.template})"


def _pair_lines(pair: EnvironmentPair) -> list[tuple[str, list[str]]]:
    """(heading, items) per kind of difference, empty kinds left out."""
    sections = [
        (f"only in {pair.other}", [f"{rid} ({kind})" for rid, kind in pair.only_other]),
        (f"only in {pair.base}", [f"{rid} ({kind})" for rid, kind in pair.only_base]),
        (f"set differently ({pair.base} -> {pair.other})", pair.differs),
        (f"permissions {pair.other} grants that {pair.base} does not", [str(b) for b in pair.more_in_other]),
        (f"permissions {pair.base} grants that {pair.other} does not", [str(b) for b in pair.more_in_base]),
    ]
    return [(heading, items) for heading, items in sections if items]


def render_text(comparisons: list[EnvironmentComparison]) -> str:
    out: list[str] = []
    for c in comparisons:
        out += ["", f"environments of {c.stack} ({c.source}): {', '.join(e.name for e in c.environments)}"]
        out += [f"  {e.name}: {_where(e)}" for e in c.environments]
        for pair in c.pairs:
            out.append(f"  {pair.other} compared with {pair.base}" + (": the same but for the stack name" if pair.same else ""))
            for heading, items in _pair_lines(pair):
                out.append(f"    {heading} ({len(items)})")
                out.extend(f"      {item}" for item in items)
    return "\n".join(out) + "\n" if out else ""


def render_markdown(comparisons: list[EnvironmentComparison]) -> str:
    out: list[str] = []
    for c in comparisons:
        out += ["", f"## Environments of `{c.stack}` (`{c.source}`)", ""]
        out += [f"- **{e.name}**: {_where(e)}" for e in c.environments]
        for pair in c.pairs:
            out += ["", f"### {pair.other} compared with {pair.base}", ""]
            if pair.same:
                out.append("The same but for the stack name.")
            for heading, items in _pair_lines(pair):
                out += [f"**{heading}** ({len(items)})", ""] + [f"- `{item}`" for item in items] + [""]
    return "\n".join(out) + "\n" if out else ""

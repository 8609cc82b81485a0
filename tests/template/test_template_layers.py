"""The layers keep their direction: verbs (generator/commands) on top, nothing below imports a verb; boto3
only in generator/aws; generator/template pure (no AWS, no verb). Checked on every import statement,
including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator"


def imported(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def modules(*, outside: tuple[str, ...] = (), inside: str = "") -> list[Path]:
    found = sorted((PACKAGE / inside).rglob("*.py"))
    return [p for p in found if not any(p.relative_to(PACKAGE).as_posix().startswith(o) for o in outside)]


def test_the_resolver_sees_relative_imports():
    assert "generator.template.read" in imported(PACKAGE / "template" / "parameters.py")
    assert "generator.aws.cloudformation" in imported(PACKAGE / "aws" / "deployer.py")


@pytest.mark.parametrize("path", modules(outside=("commands/", "cli.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_nothing_below_the_verbs_imports_a_verb(path):
    assert not [name for name in imported(path) if name.startswith("generator.commands")]


def test_boto3_only_in_generator_aws():
    offenders = {p.relative_to(PACKAGE).as_posix() for p in modules(outside=("aws/",))
                 if any(n.split(".")[0] in ("boto3", "botocore") for n in imported(p))}
    assert offenders == set()


def test_the_template_stage_is_pure():
    offenders = {p.name: sorted(n for n in imported(p) if n.startswith(("generator.aws", "generator.commands", "boto3")))
                 for p in modules(inside="template")}
    assert {name: found for name, found in offenders.items() if found} == {}

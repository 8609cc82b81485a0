"""The table of trigger kinds (generator/triggers) and the model layer it belongs to.

One row per kind is what the other stages read instead of branching on kind names, so the table must
agree with the spec's fields and the JSON Schema, and the model layer must load in any order and import
nothing from a later stage.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from generator.model import TriggerSpec
from generator.model.schema import json_schema
from generator.triggers import KINDS, SOURCES, one_of
from support import spec_from

ROOT = Path(__file__).resolve().parents[2]
MODEL_LAYER = [*sorted((ROOT / "generator" / "model").glob("*.py")),
               *sorted((ROOT / "generator" / "triggers").glob("*.py")),
               ROOT / "generator" / "eventbridge" / "shapes.py"]
LATER_STAGES = ("resources", "plan", "review", "commands", "lint", "aws", "pipeline", "simulate", "locate")


def _imports(path: Path) -> list[str]:
    """The generator modules ``path`` imports, as absolute names (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found += [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name.startswith("generator.")]


@pytest.mark.parametrize("path", MODEL_LAYER, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_model_layer_imports_no_later_stage(path):
    later = [name for name in _imports(path) if name.split(".")[1] in LATER_STAGES]
    assert later == [], f"{path.name} imports a later stage: data flows one way (spec -> model -> plan -> resources)"


@pytest.mark.parametrize("first", [
    "generator.model", "generator.triggers", "generator.triggers.schedule", "generator.triggers.s3_upload",
    "generator.model.base", "generator.model.schema", "generator.eventbridge.shapes",
])
def test_the_model_loads_whichever_module_is_imported_first(first):
    # the model's TriggerSpec imports the kinds' spec types, and the kinds import model.base: both ways round
    code = (f"import {first}; from generator.model import load_spec; "
            "print([t.kind for t in load_spec('config/csv-analyzer.yaml').jobs['csv-analyzer'].triggers])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['s3_upload']"


def test_every_kind_is_a_trigger_field_and_a_schema_choice():
    assert list(KINDS) == ["schedule", "s3_upload", "event_pattern"]  # the order error messages list them in
    assert all(name in TriggerSpec.model_fields for name in KINDS)
    assert json_schema()["$defs"]["TriggerSpec"]["oneOf"] == [{"required": [name]} for name in KINDS]
    assert one_of() == "schedule, s3_upload or event_pattern"
    assert SOURCES == {name: kind.source for name, kind in KINDS.items()}


@pytest.mark.parametrize("trigger, kind, scheduler", [
    ("{schedule: rate(1 hour)}", "schedule", False),
    ("{schedule: rate(1 hour), timezone: Europe/Paris}", "schedule", True),
    ("{schedule: 'at(2027-01-01T00:00:00)'}", "schedule", True),
    ("{s3_upload: {bucket: uploads}}", "s3_upload", False),
    ("{event_pattern: {source: [my.app]}}", "event_pattern", False),
])
def test_each_trigger_reads_its_kind_from_the_table(trigger, kind, scheduler):
    parsed = spec_from(f"jobs:\n  j:\n    image: busybox:1\n    triggers:\n      - {trigger}\n").jobs["j"].triggers[0]
    assert parsed.kind == kind
    assert parsed.uses_scheduler is scheduler
    row = KINDS[kind]
    assert row.started_by_events is (kind != "schedule")
    words = row.words(parsed)
    assert words.line and words.sentence and words.label


def test_a_kinds_options_are_refused_on_other_kinds_in_table_order():
    # schedule's options are checked before event_pattern's, as the table lists them
    with pytest.raises(Exception) as caught:
        spec_from("jobs:\n  j:\n    image: busybox:1\n    triggers:\n"
                  "      - {s3_upload: {bucket: uploads}, timezone: UTC, event_bus: other}\n")
    assert "timezone only applies to schedule triggers: remove it from this s3_upload trigger" in str(caught.value)

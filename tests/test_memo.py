"""Templates remembered by their inputs (generator/memo.py, used by pipeline.generate_all).

A remembered template is byte-identical to a fresh build, an unchanged job is not built again, a changed job
(or code) is, and anything the encoding does not know is built rather than keyed loosely.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import pipeline, resources
from generator.plan import load_specs, plan_stack
from generator import memo
from generator.memo import Encoded, TemplateMemo, Unencodable, canonical, key_for
from support import REPO

FLEET = """\
stack: fleet
cluster: {name: production}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
notifications: {email: [ops@example.com]}
split: per_job
jobs:
"""


def fleet_job(index: int, cpu: int = 256) -> str:
    return (f"  job-{index}:\n    image: busybox:{index}\n    cpu: {cpu}\n    memory: {cpu * 2}\n"
            f"    triggers:\n      - schedule: rate({index + 2} hours)\n")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def builds(monkeypatch):
    """The stacks built (not taken from the memo), by name."""
    built: list[str] = []
    real = resources.build_part

    def build_part(spec, part, *args, **kwargs):
        built.append(part.name)
        return real(spec, part, *args, **kwargs)

    monkeypatch.setattr(resources, "build_part", build_part)
    return built


def generate(paths: list[Path]) -> dict[str, tuple[str, list[str]]]:
    return {item.filename: (item.text, item.warnings) for item in pipeline.generate_all(load_specs(paths))}


def examples() -> list[Path]:
    return sorted((REPO / "config").glob("*.yaml")) + sorted((REPO / "tests" / "golden").glob("*/spec.yaml"))


def test_remembered_templates_are_the_fresh_builds(cache, builds, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setenv("BATCHJOBS_CACHE_DIR", "off")
        fresh = generate(examples())
    builds.clear()
    first = generate(examples())  # fills the memo
    assert first == fresh and len(builds) == len(fresh)
    builds.clear()
    assert generate(examples()) == fresh
    # only a split spec's shared stack is built each time (it reads every job); the rest come from the memo
    split = {spec.stack for _, spec in load_specs(examples()) if plan_stack(spec).split}
    assert builds == sorted(split, key=builds.index) and len(fresh) > len(split)


def test_one_changed_job_is_the_only_job_built_again(cache, builds, tmp_path):
    path = tmp_path / "config" / "fleet.yaml"
    path.parent.mkdir()
    path.write_text(FLEET + "".join(fleet_job(i) for i in range(5)))
    before = generate([path])
    builds.clear()
    path.write_text(FLEET + "".join(fleet_job(i, cpu=512 if i == 3 else 256) for i in range(5)))
    after = generate([path])
    assert builds == ["fleet", "fleet-job-3"]  # the shared stack (built each time) and the changed job
    assert [name for name in after if after[name] != before[name]] == ["fleet-job-3.yaml"]


def test_a_code_change_is_a_new_key(cache, builds, tmp_path, monkeypatch):
    path = tmp_path / "fleet.yaml"
    path.write_text(FLEET + fleet_job(1))
    generate([path])
    builds.clear()
    monkeypatch.setattr(memo, "code_digest", lambda: "another version of the code")
    generate([path])
    assert builds == ["fleet", "fleet-job-1"]


def test_a_damaged_entry_is_built_again(cache, builds, tmp_path):
    path = tmp_path / "fleet.yaml"
    path.write_text(FLEET + fleet_job(1))
    expected = generate([path])
    for entry in (cache / "templates").rglob("*.json"):
        entry.write_text(entry.read_text().replace("busybox:1", "busybox:2"))
    builds.clear()
    assert generate([path]) == expected
    assert builds == ["fleet", "fleet-job-1"]


def test_the_memo_off_holds_nothing(tmp_path):
    off = TemplateMemo(None)
    off.put("ab" * 32, "text", [])
    assert off.get("ab" * 32) is None
    assert off.render("ab" * 32, lambda: ("built", ["w"])) == ("built", ["w"])


def test_canonical_tells_apart_what_json_would_merge():
    values = [1, 1.0, True, "1", None, [1], (1,), {"a": 1}, ["dict", [["a", 1]]], 0.0, -0.0,
              datetime(2024, 1, 1), datetime(2024, 1, 1, tzinfo=timezone.utc)]
    encoded = [repr(canonical(value)) for value in values]
    assert len(set(encoded)) == len(values)


@dataclass(frozen=True)
class Point:
    x: int
    y: object = None


def test_canonical_of_shared_objects_and_sets_is_deterministic():
    shared = Point(1)
    assert canonical([shared, shared]) == ["list", [canonical(Point(1)), ["seen", 0]]]
    assert canonical([Point(1), Point(1)]) == ["list", [canonical(Point(1)), canonical(Point(1))]]
    assert canonical({"b", "a", "c"}) == ["set", ["a", "b", "c"]]


def test_sets_encode_the_same_under_any_hash_seed():
    code = "from generator.memo import canonical; print(repr(canonical({'x%d' % i for i in range(50)})))"
    outputs = {
        subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO)),
                       capture_output=True, text=True, check=True).stdout
        for seed in ("0", "1", "2")
    }
    assert len(outputs) == 1


def test_what_has_no_canonical_form_is_built_not_keyed():
    with pytest.raises(Unencodable):
        canonical(Point(1, object()))
    assert key_for("job", Point(1, object())) is None
    assert key_for("job", Encoded(None)) is None
    assert key_for("job", Point(1)) != key_for("job", Point(2)) and key_for("job", Point(1)) == key_for("job", Point(1))


def test_a_model_field_left_out_is_not_in_the_key():
    spec = load_specs([REPO / "config" / "daily-data-processor.yaml"])[0][1]
    other = spec.model_copy(update={"jobs": {}})
    assert Encoded.of_model(spec, without=("jobs",)) == Encoded.of_model(other, without=("jobs",))
    assert Encoded.of_model(spec) != Encoded.of_model(other)


def test_keys_are_the_same_in_every_process():
    """A key made in one run must be found by the next, whatever its hash seed (or the memo never hits)."""
    code = (
        "import sys; from pathlib import Path; from generator.plan import load_specs, plan_stack;"
        "from generator.pipeline import _memo_keys;"
        "paths = [Path(p) for p in sys.argv[1:]];"
        "[print(_memo_keys(s, plan_stack(s), p.name)(part)) for p, s in load_specs(paths) for part in plan_stack(s).parts()]"
    )
    paths = [str(p) for p in examples()]
    outputs = {
        subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True,
                       env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO))).stdout
        for seed in ("0", "1", "random")
    }
    assert len(outputs) == 1
    keys = outputs.pop().split()
    assert len(keys) >= len(paths) and all(len(key) == 64 or key == "None" for key in keys)

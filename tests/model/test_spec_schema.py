"""The committed JSON Schema is what `batchjobs schema` prints, and it agrees with the examples."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.cli import IO, main
from generator.plan import load_spec
from generator.model.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "config" / "job-spec.schema.json"
EXAMPLES = sorted((ROOT / "config").glob("*.yaml"))


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COMMITTED.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_command_prints_the_committed_file():
    out, err = io.StringIO(), io.StringIO()
    assert main(["schema"], IO(stdout=out, stderr=err)) == 0
    assert err.getvalue() == ""
    assert out.getvalue() == COMMITTED.read_text(), "run `batchjobs schema > config/job-spec.schema.json`"


def test_schema_is_deterministic_and_self_described():
    schema = json_schema()
    assert json.dumps(schema, sort_keys=True) == json.dumps(json_schema(), sort_keys=True)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "batchjobs job spec"
    assert "$id" not in schema
    assert set(schema["required"]) == {"stack", "cluster", "network", "jobs"}


def test_defaults_is_a_job_with_nothing_required():
    schema = json_schema()
    assert schema["properties"]["defaults"]["$ref"] == "#/$defs/JobDefaults"
    defaults, job = schema["$defs"]["JobDefaults"], schema["$defs"]["JobSpec"]
    assert "required" not in defaults
    assert set(defaults["properties"]) == set(job["properties"])
    assert set(job["required"]) == {"image", "triggers"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_validate(path: Path):
    errors = [e.message for e in _validator().iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


DELETE = object()


def _example(stack: dict | None = None, job: dict | None = None) -> dict:
    """config/csv-analyzer.yaml with some stack-level and job-level fields changed (or DELETEd)."""
    data = yaml.safe_load((ROOT / "config" / "csv-analyzer.yaml").read_text())
    for target, changes in ((data, stack or {}), (data["jobs"]["csv-analyzer"], job or {})):
        for field, value in changes.items():
            if value is DELETE:
                del target[field]
            else:
                target[field] = value
    return data


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"job": {"image": DELETE}}, id="missing image"),
        pytest.param({"job": {"cpu": 300}}, id="cpu not a Fargate value"),
        pytest.param({"job": {"enviroment": {"A": "b"}}}, id="misspelled field"),
        pytest.param({"stack": {"defaults": {"log_retention": 30}}}, id="misspelled default"),
        pytest.param({"job": {"log_retention_days": 8}}, id="retention CloudWatch does not accept"),
        pytest.param({"job": {"triggers": [{"schedule": "rate(1 day)", "s3_upload": {"bucket": "b-b-b"}}]}}, id="two kinds"),
        pytest.param({"job": {"secrets": {"PASSWORD": "/prod/db"}}}, id="secret not an ARN"),
        pytest.param({"stack": {"stack": "csv_analyzer"}}, id="stack name underscore"),
        pytest.param({"job": {"retry": {"max_event_age": "2d"}}}, id="bad duration"),
    ],
)
def test_schema_rejects_bad_specs(changes):
    assert list(_validator().iter_errors(_example(**changes))), "the schema accepted a bad spec"


def test_schema_accepts_what_the_model_accepts():
    data = _example(
        stack={"kms_key": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        job={
            "retry": {"attempts": 0, "max_event_age": 900},
            "capacity": {"fargate": 1, "fargate_spot": 3},
            "dead_letter_queue": "arn:aws:sqs:us-east-1:123456789012:csv-dlq",
        },
    )
    load_spec("csv-analyzer.yaml", text=yaml.safe_dump(data))  # the model accepts it too
    assert [e.message for e in _validator().iter_errors(data)] == []

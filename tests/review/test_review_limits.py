"""Limits: each check's value and limit, flagged over or within 10%."""

from __future__ import annotations

import pytest

from support import run_cli

from generator.review.limits import LimitCheck, check_limits

LONG = "x" * 7600


@pytest.mark.parametrize("value, status", [(0, "ok"), (7372, "ok"), (7373, "near"), (8192, "near"), (8193, "over")])
def test_status_is_near_from_90_percent_and_over_above_the_limit(value, status):
    assert LimitCheck("r", "input template", value, 8192).status == status


def test_a_transformer_template_near_8192_is_flagged(git_project):
    git_project.edit_spec("environment: {INPUT_KEY: $.detail.object.key}",
                          f"environment: {{INPUT_KEY: $.detail.object.key, NOTES: {LONG}}}")
    code, out, err = run_cli("review", "--now", "2025-03-01T00:00:00Z")
    assert code == 0, err
    flagged = [line.strip() for line in out.splitlines() if line.startswith("  NEAR") or line.startswith("  OVER")]
    assert len(flagged) == 1
    assert flagged[0].startswith("NEAR  ReportUploadsRule target run-report: input template: 7,")
    assert flagged[0].endswith(" of 8,192 characters")
    assert "Limits (1 flagged of " in out

    _, markdown, _ = run_cli("review", "--now", "2025-03-01T00:00:00Z", "--format", "markdown")
    limits = markdown.split("### Limits\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert limits[0] == "| resource | limit | value | max | status |"
    assert limits[2].startswith("| `ReportUploadsRule target run-report` | input template | 7,")
    assert limits[2].endswith(" | 8,192 characters | near (>=90%) |")


def test_nothing_flagged_on_the_seed_stack(in_tmp_project):
    _, out, _ = run_cli("review", "config/csv-analyzer.yaml", "--now", "2025-03-01T00:00:00Z")
    assert "Limits (0 flagged of 13)" in out
    assert "  ok    CsvAnalyzerTrigger1Rule target run-csv-analyzer: input transformer variables: 2 of 100" in out


def rule(targets: list[dict], pattern: dict | None = None) -> dict:
    props = {"Targets": targets}
    if pattern is not None:
        props["EventPattern"] = pattern
    return {"Type": "AWS::Events::Rule", "Properties": props}


def test_targets_variables_pattern_and_template_size():
    paths = {f"v{i}": f"$.detail.v{i}" for i in range(101)}
    template = {"Resources": {
        "Busy": rule([{"Id": f"t{i}", "Arn": "a"} for i in range(6)]),
        "Wide": rule([{"Id": "run", "Arn": "a", "InputTransformer": {"InputPathsMap": paths, "InputTemplate": "{}"},
                       }], {"source": ["x" * 4000]}),
        "Fixed": rule([{"Id": "run", "Arn": "a", "Input": "y" * 9000}]),
    }}
    text = "z" * 52_000
    flagged = {(c.subject, c.what): (c.status, str(c)) for c in check_limits(template, text, "s") if c.flagged}
    assert flagged == {
        ("template", "body size"): ("over", "template: body size: 52,000 of 51,200 bytes (deploy through S3: batchjobs "
                                    "deploy --s3-bucket B, or aws cloudformation deploy --s3-bucket B)"),
        ("Busy", "targets"): ("over", "Busy: targets: 6 of 5 (use one rule per target)"),
        ("Wide", "event pattern"): ("near", "Wide: event pattern: 4,015 of 4,096 characters"),
        ("Wide target run", "input transformer variables"): (
            "over", "Wide target run: input transformer variables: 101 of 100 (read fewer values from the event)"),
        ("Fixed target run", "constant input"): (
            "over", "Fixed target run: constant input: 9,000 of 8,192 characters (move fixed values into the job's environment)"),
    }


def test_pattern_size_fills_in_pseudo_parameters():
    pattern = {"detail": {"clusterArn": [{"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/c"}]}}
    (check,) = [c for c in check_limits({"Resources": {"R": rule([], pattern)}}, "", "s") if c.what == "event pattern"]
    resolved = '{"detail":{"clusterArn":["arn:aws-us-gov:ecs:ap-southeast-5:123456789012:cluster/c"]}}'
    assert (check.value, check.estimated) == (len(resolved), True)
    assert str(check).startswith("R: event pattern: ~")

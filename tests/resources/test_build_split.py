"""`split: per_job`: the shared stack and one stack per job, each lint-clean, each exactly as planned; a job's
template depends only on that job and the shared settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate_stacks
from generator.plan import load_spec, plan_stack
from generator.plan.jobs import PARAMETER
from generator.resources import build_part
from generator.template.read import read_template as parse_template
from support import run_cli

SPEC = """\
stack: fleet
cluster: {create: true}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
kms_key: {create: true}
split: per_job
defaults:
  dead_letter_queue: true
jobs:
  nightly:
    image: busybox
    triggers:
      - schedule: cron(0 3 * * ? *)
        timezone: Europe/Paris
  hourly:
    image: busybox
    triggers:
      - schedule: rate(1 hour)
  uploads:
    image: busybox
    alarms: false
    triggers:
      - s3_upload: {bucket: incoming}
"""


def spec_at(tmp_path: Path, text: str = SPEC, name: str = "fleet.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path, load_spec(path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path, spec = spec_at(tmp_path_factory.mktemp("split"))
    return {item.stack_name: item for item in generate_stacks(path, spec)}


def test_one_shared_stack_then_one_stack_per_job_each_lint_clean(generated):
    assert list(generated) == ["fleet", "fleet-nightly", "fleet-hourly", "fleet-uploads"]
    assert [g.filename for g in generated.values()] == ["fleet.yaml", "fleet-nightly.yaml", "fleet-hourly.yaml", "fleet-uploads.yaml"]
    assert {name: g.findings for name, g in generated.items()} == {name: [] for name in generated}


def test_each_template_has_exactly_its_parts_resources_and_outputs(tmp_path):
    _, spec = spec_at(tmp_path)
    for part in plan_stack(spec).parts():
        template, _ = build_part(spec, part)
        assert [*template.parameters, *template.resources] == [item.id for item in part.resources], part.name
        assert {n: r.resource_type for n, r in template.resources.items()} == {
            item.id: item.kind for item in part.resources if item.kind != PARAMETER}
        assert sorted(template.outputs) == sorted(part.outputs), part.name


def test_the_shared_stack_holds_what_the_jobs_share_and_exports_it(generated):
    shared = parse_template(generated["fleet"].text)
    assert sorted(shared["Resources"]) == ["AlarmTopic", "AlarmTopicPolicy", "Cluster", "EncryptionKey", "ScheduleGroup",
                                           "ScheduleGroupTargetErrorsAlarm"]
    assert sorted(shared["Outputs"]) == ["AlarmTopicArn", "ClusterArn", "ClusterName", "EncryptionKeyArn", "ScheduleGroupName"]
    assert "Parameters" not in shared


def test_job_stacks_import_only_the_shared_values_they_use(generated):
    def imports(name):
        found = set()

        def walk(node):
            if isinstance(node, dict):
                if "Fn::ImportValue" in node:
                    found.add(node["Fn::ImportValue"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(parse_template(generated[name].text)["Resources"])
        return found

    common = {"fleet-EncryptionKeyArn", "fleet-ClusterArn"}  # and ClusterName where tasks are tagged
    assert imports("fleet-nightly") == common | {"fleet-AlarmTopicArn", "fleet-ScheduleGroupName"}
    assert imports("fleet-hourly") == common | {"fleet-AlarmTopicArn"}
    assert imports("fleet-uploads") == common  # no alarms: no topic
    # a job stack's own template names no other job
    for name in ("fleet-nightly", "fleet-hourly", "fleet-uploads"):
        others = {"nightly", "hourly", "uploads"} - {name.split("-", 1)[1]}
        assert not any(other in generated[name].text for other in others), name


def test_the_topic_policy_lets_this_stacks_named_rules_publish_and_names_no_job(generated):
    shared = parse_template(generated["fleet"].text)
    statements = shared["Resources"]["AlarmTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    rules = next(s for s in statements if s["Principal"] == {"Service": "events.amazonaws.com"})
    assert rules["Condition"] == {
        "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/fleet-*"}},
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
    }
    job = parse_template(generated["fleet-nightly"].text)
    assert job["Resources"]["NightlyTaskFailedRule"]["Properties"]["Name"] == "fleet-nightly-failed"


def templates_of(tmp_path: Path, text: str) -> dict[str, str]:
    path, spec = spec_at(tmp_path, text)
    return {g.filename: g.text for g in generate_stacks(path, spec)}


def test_changing_adding_or_removing_a_job_changes_only_its_own_template(tmp_path):
    before = templates_of(tmp_path, SPEC)
    changed = templates_of(tmp_path, SPEC.replace("rate(1 hour)", "rate(2 hours)"))
    assert [name for name in before if before[name] != changed[name]] == ["fleet-hourly.yaml"]

    added = templates_of(tmp_path, SPEC + "  another:\n    image: busybox\n    triggers:\n      - schedule: rate(5 minutes)\n")
    assert set(added) - set(before) == {"fleet-another.yaml"}
    assert all(added[name] == before[name] for name in before)

    removed = templates_of(tmp_path, SPEC.split("  uploads:")[0])
    assert set(before) - set(removed) == {"fleet-uploads.yaml"}
    assert all(removed[name] == before[name] for name in removed)


def test_without_split_nothing_changes(tmp_path):
    from generator.pipeline import generate_one

    text = SPEC.replace("split: per_job\n", "")
    path, spec = spec_at(tmp_path, text)
    (one,) = generate_stacks(path, spec)
    assert one.stack_name == "fleet" and one.text == generate_one(path, spec).text


def test_existing_cluster_topic_and_key_are_used_directly(tmp_path):
    text = (SPEC.replace("cluster: {create: true}", "cluster: {name: processing}")
            .replace("kms_key: {create: true}", "kms_key: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            .replace("defaults:", "notifications: {topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts'}\ndefaults:"))
    found = templates_of(tmp_path, text)
    # only the schedule group is shared
    assert sorted(parse_template(found["fleet.yaml"])["Resources"]) == ["ScheduleGroup", "ScheduleGroupTargetErrorsAlarm"]
    assert "ImportValue" not in found["fleet-hourly.yaml"]
    assert "arn:aws:sns:us-east-1:123456789012:alerts" in found["fleet-hourly.yaml"]


def test_generate_writes_and_checks_every_stack(tmp_path):
    path, _ = spec_at(tmp_path)
    out = tmp_path / "templates"
    code, stdout, err = run_cli("generate", str(path), "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.glob("*.yaml")) == ["fleet-hourly.yaml", "fleet-nightly.yaml", "fleet-uploads.yaml", "fleet.yaml"]
    assert run_cli("generate", str(path), "--out", str(out), "--check")[0] == 0


def test_a_job_stack_clashing_with_another_specs_stack_is_refused(tmp_path):
    path, _ = spec_at(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(SPEC.replace("stack: fleet", "stack: fleet-hourly").replace("split: per_job\n", ""))
    code, _, err = run_cli("generate", str(path), str(other), "--out", str(tmp_path / "out"))
    assert code == 2 and "stack fleet-hourly is also a stack of" in err, err


def test_tagged_tasks_read_the_created_clusters_name_from_the_shared_stack(tmp_path):
    path, spec = spec_at(tmp_path, SPEC.replace("split: per_job\n", "split: per_job\ntags: {team: data}\n"))
    found = {g.filename: g for g in generate_stacks(path, spec)}
    assert all(not g.findings for g in found.values())
    assert "!ImportValue 'fleet-ClusterName'" in found["fleet-hourly.yaml"].text


def test_review_shows_each_stack_of_a_split_spec(tmp_path):
    path, _ = spec_at(tmp_path)
    code, out, err = run_cli("review", str(path), "--templates", str(tmp_path / "templates"), "--now", "2026-01-01T00:00Z")
    assert code == 0, err
    headers = [line.split(" (")[0] for line in out.splitlines() if line.startswith("stack ")]
    assert headers == ["stack fleet", "stack fleet-nightly", "stack fleet-hourly", "stack fleet-uploads"]
    assert "rule/fleet-*" in out and "!ImportValue fleet-ClusterArn" in out

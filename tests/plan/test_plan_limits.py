"""CloudFormation's per-template limits are bad input: refused at the spec's line with the count, the limit and
the way out (`split: per_job`), before anything is built; never an internal error (exit 70)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.plan import load_spec, names, plan_stack
from generator.plan import limits
from support import run_cli

HEAD = """\
stack: {stack}
cluster: {{create: true}}
network: {{subnets: [subnet-12345678], security_groups: [sg-87654321]}}
{extra}jobs:
"""


def fleet(jobs: int, *, stack: str = "fleet", extra: str = "", triggers: int = 1, job: str = "job-{i:03d}",
          trigger: str = "schedule: rate(1 hour)") -> str:
    text = HEAD.format(stack=stack, extra=extra)
    for i in range(jobs):
        text += f"  {job.format(i=i)}:\n    image: busybox\n    triggers:\n"
        text += "".join(f"      - name: t{n}\n        {trigger}\n" for n in range(triggers))
    return text


def problems(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as err:
        load_spec(path)
    return [str(p) for p in err.value.problems]


def test_sixty_jobs_in_one_stack_are_refused_at_jobs_with_the_numbers(tmp_path):
    text = fleet(60)
    from generator.model.load import load_spec as load_model  # without the plan's checks

    (tmp_path / "spec.yaml").write_text(text)
    count = plan_stack(load_model(tmp_path / "spec.yaml")).parts()[0].resource_count
    assert count == 723  # 60 x 12 + cluster, topic, topic policy
    found = problems(text, tmp_path)
    assert found == [
        f"{tmp_path / 'spec.yaml'}:4:1: jobs: stack fleet would have {count} resources, over CloudFormation's 500 per "
        "template (60 jobs): set `split: per_job` to give each job its own stack, or move jobs into another spec"
    ]


def test_sixty_jobs_exit_2_from_generate_not_70(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(fleet(60))
    code, out, err = run_cli("generate", str(path), "--out", str(tmp_path / "out"))
    assert code == 2, err
    assert "over CloudFormation's 500 per template" in err and "split: per_job" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_the_same_sixty_jobs_split_are_within_every_limit(tmp_path):
    plan = plan_stack_of(fleet(60, extra="split: per_job\n"), tmp_path)
    assert len(plan.parts()) == 61
    assert limits.check(plan) == []


def test_outputs_over_200_are_counted(tmp_path):
    # scheduler triggers without alarms: about 106 resources but 102 outputs a job (task definition, DLQ, schedules)
    text = fleet(2, triggers=100, trigger="schedule: rate(1 hour)\n        timezone: UTC",
                 extra="defaults: {alarms: false}\n")
    found = problems(text, tmp_path)
    assert len(found) == 1 and "would have 204 outputs, over CloudFormation's 200 per template (2 jobs)" in found[0]


def test_parameters_over_200_are_counted(tmp_path):
    found = problems(fleet(201, extra="defaults: {alarms: false}\n"), tmp_path)
    assert any("would have 201 parameters, over CloudFormation's 200" in p for p in found)
    assert any("resources, over CloudFormation's 500" in p for p in found)


def test_a_split_job_stack_over_a_limit_is_refused_at_the_job(tmp_path, monkeypatch):
    # a job has at most 100 triggers, so its own stack stays far within 500 resources: lower the limit to see
    monkeypatch.setattr(limits, "MAX_RESOURCES", 8)
    found = problems(fleet(2, triggers=3, extra="split: per_job\n"), tmp_path)
    assert [p.split(": ", 1)[1] for p in found] == [
        "jobs.job-000: stack fleet-job-000 would have 16 resources, over CloudFormation's 8 per template: give this "
        "job fewer triggers (or move some into another job)",
        "jobs.job-001: stack fleet-job-001 would have 16 resources, over CloudFormation's 8 per template: give this "
        "job fewer triggers (or move some into another job)",
    ]


def test_split_job_stack_name_over_128_characters_is_refused_at_the_job(tmp_path):
    stack = "s" * 100
    found = problems(fleet(1, stack=stack, job="j" * 40 + "{i}", extra="split: per_job\ndefaults: {alarms: false}\n"), tmp_path)
    assert len(found) == 1
    assert f"jobs.{'j' * 40}0: with split: per_job this job's stack is '{stack}-{'j' * 40}0', 142 characters" in found[0]


def test_split_with_alarms_needs_room_for_the_rule_names_in_the_stack_name(tmp_path):
    found = problems(fleet(1, stack="s" * 55, extra="split: per_job\n"), tmp_path)
    assert len(found) == 1 and ":1:8: stack: with split: per_job and alarms, a stack name has at most 54 characters" in found[0]
    plan_stack_of(fleet(1, stack="s" * 54, extra="split: per_job\n"), tmp_path)  # loads


@pytest.mark.parametrize("stack, job", [("fleet", "nightly"), ("s" * 54, "j" * 64), ("a", "j" * 64), ("s" * 30, "x" * 40)])
def test_task_failed_rule_names_start_with_the_stack_and_fit(stack, job):
    name = names.task_failed_rule_name(stack, job)
    assert name.startswith(stack + "-") and len(name) <= 64
    assert names.task_failed_rule_name(stack, job + "y") != name  # the hash tells cut names apart


def test_a_template_over_1_mb_is_refused_at_jobs(tmp_path, monkeypatch):
    from generator.pipeline import generate_stacks

    path = tmp_path / "spec.yaml"
    path.write_text(fleet(1))
    monkeypatch.setattr(limits, "MAX_TEMPLATE_S3", 1000)
    with pytest.raises(SpecError) as err:
        generate_stacks(path, load_spec(path))
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.path) == (4, 1, "jobs")
    assert "the template of stack fleet would be" in problem.message and "over CloudFormation's 1,000" in problem.message
    assert "split: per_job" in problem.message


def plan_stack_of(text: str, tmp_path: Path):
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return plan_stack(load_spec(path))


def test_generate_says_when_a_template_needs_s3_to_deploy(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(fleet(6))
    code, _, err = run_cli("generate", str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    size = (tmp_path / "out" / "fleet.yaml").stat().st_size
    assert size > 51_200
    assert (f"note: {tmp_path / 'out' / 'fleet.yaml'}: {size:,} bytes, over the 51,200 CloudFormation takes inline: "
            "deploy it with --s3-bucket BUCKET (batchjobs deploy uploads it there)") in err

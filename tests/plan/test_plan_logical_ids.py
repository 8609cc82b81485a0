"""The plan lists every logical ID a stack's template gets, with its type (the collision check reads it):
the list must be exactly what the build produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.resources import build_template
from generator.plan import plan_stack
from generator.plan.jobs import PARAMETER
from generator.errors import SpecError
from generator.plan import load_environments, load_spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted(
    [*(ROOT / "config").glob("*.yaml"), *(ROOT / "tests" / "golden").glob("*/spec.yaml"),
     *(ROOT / "tests" / "lint" / "specs").glob("*.yaml")]
)


def template_ids(spec) -> list[str]:
    template, _ = build_template(spec)
    return [*template.parameters, *template.resources]


def template_kinds(spec) -> dict[str, str]:
    """logical ID -> resource type (parameters as the plan marks them)."""
    template, _ = build_template(spec)
    kinds = {name: PARAMETER for name in template.parameters}
    kinds.update({name: resource.resource_type for name, resource in template.resources.items()})
    return kinds


def planned_kinds(spec) -> dict[str, str]:
    planned = plan_stack(spec).resources()
    assert len({item.id for item in planned}) == len(planned), "the plan lists an ID twice"
    return {item.id: item.kind for item in planned}


@pytest.mark.parametrize("path", [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in SPECS])
def test_planned_ids_are_the_templates(path: Path):
    for spec in load_environments(path):  # each environment's stack, for a spec with environments
        assert planned_kinds(spec) == template_kinds(spec)
        # in the order the build adds them
        assert [item.id for item in plan_stack(spec).resources() if item.kind != PARAMETER] == list(build_template(spec)[0].resources)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.relative_to(ROOT).as_posix()) for p in SPECS])
def test_planned_outputs_are_the_templates(path: Path):
    for spec in load_environments(path):
        assert plan_stack(spec).outputs() == list(build_template(spec)[0].outputs)


SPEC = """\
stack: ids
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
jobs:
  report:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    dead_letter_queue: true
    triggers:
      - schedule: rate(1 day)
      - name: nightly
        schedule: cron(0 2 * * ? *)
        timezone: Europe/Paris
      - s3_upload: {bucket: user-uploads-bucket}
        dead_letter_queue: arn:aws:sqs:us-east-1:123456789012:shared-dlq
      - s3_upload: {bucket: other-uploads-bucket}
        dead_letter_queue: arn:aws:sqs:eu-west-1:123456789012:shared-dlq
      - event_pattern: {source: [my.app]}
        dead_letter_queue: arn:aws:sqs:eu-west-1:123456789012:shared-dlq
  quiet:
    image: busybox:latest
    alarms: false
    dead_letter_queue: false
    triggers:
      - name: hourly
        schedule: rate(1 hour)
"""


def test_every_kind_of_resource_is_listed():
    """Rules and schedules, own and existing queues (one queue name in two Regions), alarms on and off."""
    spec = load_spec("config/ids.yaml", text=SPEC)
    built = template_ids(spec)
    assert planned_kinds(spec) == template_kinds(spec)
    listed = {item.id: item for item in plan_stack(spec).resources()}
    assert listed["ReportExistingDlqSharedDlqAlarm2"].what == "alarm on dead-letter queue shared-dlq"
    # the alarms on a queue named by ARN exist only in its Region and account: a Condition per pair, whose
    # name no resource or parameter has
    template, _ = build_template(spec)
    assert sorted(template.conditions) == ["StackInEuWest1Account123456789012", "StackInUsEast1Account123456789012"]
    assert not set(template.conditions) & set(built)
    assert template.resources["ReportExistingDlqSharedDlqAlarm2"].Condition == "StackInEuWest1Account123456789012"
    assert listed["ReportNightlySchedule"].trigger == 1
    assert listed["ReportTrigger3FailedInvocationsAlarm"].what == "failed-invocations alarm"
    assert "QuietTaskFailedRule" not in listed and "QuietHourlyFailedInvocationsAlarm" not in listed


# -- the spec refuses two sources of one logical ID, at the one written later

HEAD = """\
stack: nightly
cluster: {name: production}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
"""


def problems(body: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec("config/x.yaml", text=HEAD + body)
    return [str(p) for p in caught.value.problems]


def test_a_trigger_alarm_that_takes_the_alarm_of_an_existing_queue():
    assert problems("""\
jobs:
  a:
    image: busybox:latest
    dead_letter_queue: arn:aws:sqs:us-east-1:123456789012:q-failed-invocations
    triggers:
      - name: existing-dlq-q
        s3_upload: {bucket: user-uploads-bucket}
""") == [
        "config/x.yaml:9:15: jobs.a.triggers[0].name: 'existing-dlq-q' gives logical ID "
        "AExistingDlqQFailedInvocationsAlarm (its failed-invocations alarm), which job a's alarm on dead-letter "
        "queue q-failed-invocations already uses; rename the trigger"
    ]


def test_a_trigger_named_like_another_jobs_trigger():
    assert problems("""\
jobs:
  a:
    image: busybox:latest
    triggers:
      - {name: b-x, schedule: rate(1 day)}
  a-b:
    image: busybox:latest
    triggers:
      - {name: x, schedule: rate(2 days)}
""") == [
        "config/x.yaml:12:16: jobs.a-b.triggers[0].name: 'x' gives logical ID ABXRule, which job a's trigger 'b-x' "
        "already uses; rename the trigger"
    ]


def test_a_trigger_from_defaults_is_reported_where_defaults_name_it():
    assert problems("""\
defaults:
  triggers:
    - {name: task-failed, schedule: rate(1 day)}
jobs:
  report: {image: busybox:latest}
""") == [
        "config/x.yaml:6:14: defaults.triggers[0].name: 'task-failed' gives logical ID ReportTaskFailedRule, "
        "which job report's task-failure rule already uses; rename the trigger"
    ]


def test_ids_the_stack_does_not_have_do_not_collide():
    """No task-failure rule without alarms; a schedule (Scheduler) and a rule do not share an ID."""
    spec = load_spec("config/x.yaml", text=HEAD + """\
jobs:
  report:
    image: busybox:latest
    alarms: false
    triggers:
      - {name: task-failed, schedule: rate(1 day)}
  a:
    image: busybox:latest
    triggers:
      - {name: b-x, schedule: rate(1 day), start: '2027-01-01T00:00:00'}
  a-b:
    image: busybox:latest
    triggers:
      - {name: x, schedule: rate(1 day)}
""")
    ids = template_ids(spec)
    assert "ReportTaskFailedRule" in ids and "ABXSchedule" in ids and "ABXRule" in ids


# -- name lengths: the longest names the spec takes give names AWS takes


def test_the_longest_names_fit_every_aws_limit():
    from generator.pipeline import generate_one
    from generator.model.limits import MAX_JOB_NAME, MAX_TRIGGER_NAME

    stack, job = "s" * 128, "j" * MAX_JOB_NAME
    spec = load_spec("config/x.yaml", text=f"""\
stack: {stack}
cluster: {{name: production}}
network: {{subnets: [subnet-12345678], security_groups: [sg-87654321]}}
jobs:
  {job}:
    image: busybox:latest
    triggers:
      - {{name: {"r" * MAX_TRIGGER_NAME}, s3_upload: {{bucket: user-uploads-bucket}}}}
      - {{name: {"t" * MAX_TRIGGER_NAME}, schedule: rate(1 day), timezone: Europe/Paris}}
""")
    generated = generate_one(Path("config/x.yaml"), spec)
    assert [f.format(generated.filename) for f in generated.findings] == []  # logical IDs, output names
    template, _ = build_template(spec)
    exports = [f"{stack}-{name}" for name in template.outputs]  # ${AWS::StackName}-<output>
    assert max(map(len, exports)) <= 255
    task = next(r for r in template.resources.values() if r.resource_type == "AWS::ECS::TaskDefinition")
    assert len(task.Family) <= 255
    log_group = next(r for r in template.resources.values() if r.resource_type == "AWS::Logs::LogGroup")
    assert len(log_group.LogGroupName) <= 512
    assert len(f"{job}/{job}/{'0' * 32}") <= 512  # awslogs-stream-prefix/container/task ID


@pytest.mark.parametrize("what,spec", [
    ("trigger", f"jobs:\n  report:\n    image: busybox:latest\n    triggers:\n      - {{name: {'t' * 49}, schedule: rate(1 day)}}\n"),
    ("job", f"jobs:\n  {'j' * 65}:\n    image: busybox:latest\n    triggers:\n      - {{schedule: rate(1 day)}}\n"),
])
def test_one_character_more_is_refused(what, spec):
    (problem,) = problems(spec)
    assert f"a {what} name has at most" in problem and "(this one has" in problem

"""environments: one spec, one StackSpec per environment; overrides merged as `defaults` are; errors at the override."""

from __future__ import annotations

import textwrap

import pytest

from generator.errors import SpecError, UsageError
from generator.plan import load_environments, load_spec

SPEC = """\
stack: reports
cluster: {name: shared}
network: {subnets: [subnet-11111111], security_groups: [sg-11111111]}
defaults: {cpu: 256, memory: 512, environment: {LOG_LEVEL: INFO, REGION: eu}}
environments:
  dev:
    account: "111111111111"
    region: eu-west-1
    jobs:
      nightly:
        triggers: [{name: nightly, enabled: false}]
  prod:
    account: "222222222222"
    region: eu-west-1
    network: {subnets: [subnet-22222222, subnet-33333333]}
    cluster: {arn: "arn:aws:ecs:eu-west-1:222222222222:cluster/prod"}
    defaults: {cpu: 1024, environment: {LOG_LEVEL: WARN}}
    jobs:
      nightly: {memory: 2048}
jobs:
  nightly:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/report:1.0
    triggers:
      - {name: nightly, schedule: "cron(0 2 * * ? *)"}
      - {schedule: "rate(1 day)"}
"""


def envs(text: str = SPEC):
    return {s.environment.name: s for s in load_environments("spec.yaml", text=textwrap.dedent(text))}


def errors(text: str) -> list[str]:
    with pytest.raises(SpecError) as err:
        load_environments("spec.yaml", text=textwrap.dedent(text))
    return [str(p) for p in err.value.problems]


def test_each_environment_is_its_own_stack_with_its_overrides_merged():
    dev, prod = envs()["dev"], envs()["prod"]
    assert (dev.stack, prod.stack) == ("reports-dev", "reports-prod")
    assert (dev.environment.account, prod.environment.account) == ("111111111111", "222222222222")
    assert dev.environment.region == "eu-west-1" and dev.environment.template_path == "dev/reports.yaml"
    # mappings key by key: prod keeps the spec's security groups, replaces the subnets (a list)
    assert prod.network.subnets == ["subnet-22222222", "subnet-33333333"] and prod.network.security_groups == ["sg-11111111"]
    assert dev.network.subnets == ["subnet-11111111"]
    # a one-of mapping is replaced whole: prod's cluster is the ARN alone, not name and ARN
    assert prod.cluster.arn and prod.cluster.name is None and dev.cluster.name == "shared"
    # the environment's defaults reach the job, merged into the spec's defaults (maps key by key)
    job_dev, job_prod = dev.jobs["nightly"], prod.jobs["nightly"]
    assert (job_dev.cpu, job_dev.memory, job_prod.cpu, job_prod.memory) == (256, 512, 1024, 2048)
    assert job_prod.environment == {"LOG_LEVEL": "WARN", "REGION": "eu"}
    # the named trigger is disabled in dev only; the unnamed one is untouched
    assert [t.enabled for t in job_dev.triggers] == [False, True]
    assert [t.enabled for t in job_prod.triggers] == [True, True]


def test_a_spec_without_environments_is_one_stack_without_an_environment():
    (spec,) = load_environments("spec.yaml", text=SPEC.split("environments:")[0] + "jobs:" + SPEC.split("\njobs:")[1])
    assert spec.stack == "reports" and spec.environment is None


def test_load_spec_needs_env_for_a_spec_with_environments():
    with pytest.raises(UsageError, match=r"defines environments \(dev, prod\): pass --env NAME"):
        load_spec("spec.yaml", text=SPEC)
    with pytest.raises(UsageError, match=r"no environment 'test' \(environments: dev, prod\)"):
        load_spec("spec.yaml", text=SPEC, env="test")
    assert load_spec("spec.yaml", text=SPEC, env="prod").stack == "reports-prod"


def test_an_error_inside_an_override_is_reported_at_its_line():
    bad = SPEC.replace("jobs:\n      nightly: {memory: 2048}", "jobs:\n      nightly: {memory: lots}")
    assert errors(bad) == ["spec.yaml:19:25: environments.prod.jobs.nightly.memory: must be a whole number, got str 'lots'"]


def test_an_error_through_an_environments_defaults_is_reported_at_the_environments_defaults():
    bad = SPEC.replace("defaults: {cpu: 1024,", "defaults: {cpu: 333,")
    (problem,) = errors(bad)
    assert problem.startswith("spec.yaml:17:21: environments.prod.defaults.cpu: 333 is not a Fargate CPU value")


def test_a_problem_of_one_environment_names_it():
    # fine in dev, but prod's bigger cpu does not fit the spec's memory
    bad = SPEC.replace("jobs:\n      nightly: {memory: 2048}", "jobs:\n      nightly: {cpu: 4096}")
    problems = errors(bad)
    assert len(problems) == 1 and problems[0].endswith("(in environment prod)"), problems


def test_a_problem_of_every_environment_is_reported_once_without_naming_them():
    bad = SPEC.replace("image: 123456789012", "image: 'not an image'  #")
    problems = errors(bad)
    assert len(problems) == 1 and "environment" not in problems[0] and ":22:" in problems[0], problems


def test_overriding_a_job_or_trigger_that_does_not_exist_or_an_unnamed_trigger_is_an_error_at_its_line():
    bad = SPEC.replace("triggers: [{name: nightly, enabled: false}]",
                       "triggers: [{name: weekly, enabled: false}, {enabled: false}]\n      ghost: {cpu: 512}")
    assert errors(bad) == [
        "spec.yaml:11:20: environments.dev.jobs.nightly.triggers[0]: environment dev: job nightly: no trigger named "
        "'weekly' (named triggers: nightly); 1 of its triggers has no `name` and cannot be overridden: give the "
        "trigger a name in the spec",
        "spec.yaml:11:52: environments.dev.jobs.nightly.triggers[1]: environment dev: job nightly: a trigger override "
        "needs the `name` of the trigger it changes (named triggers: nightly); 1 of its triggers has no `name` and "
        "cannot be overridden: give the trigger a name in the spec",
        "spec.yaml:12:7: environments.dev.jobs.ghost: environment dev: no job 'ghost' in jobs (jobs: nightly); an "
        "environment overrides jobs, it cannot add one",
    ]


@pytest.mark.parametrize("line, message", [
    ('    account: 111111111111', "account must be a 12-digit AWS account ID as a string, got 111111111111: quote it"),
    ('    account: "1111"', "account must be a 12-digit AWS account ID as a string, got '1111'"),
    ('    account: "111111111111"\n    region: Europe\n    x: 1', "region must be an AWS Region code such as eu-west-1, got 'Europe'"),
    ('    stack: other', "`stack` cannot be overridden (the environment's stack is `reports-dev`)"),
    ('    memory: 512', "unknown field 'memory' (allowed: account, region, description,"),
])
def test_environment_fields_are_checked(line, message):
    bad = SPEC.replace('    account: "111111111111"\n    region: eu-west-1', line, 1)
    problem = errors(bad)[0]
    assert problem.startswith(("spec.yaml:7:", "spec.yaml:8:")) and "environments.dev." in problem and message in problem, problem


def test_environment_names_are_checked():
    (problem,) = errors(SPEC.replace("  dev:", "  Dev_1:"))
    assert problem.startswith("spec.yaml:6:3: environments.Dev_1: environment name 'Dev_1': lowercase letters"), problem


def test_the_environment_stack_name_is_held_to_the_stack_name_limit():
    # 124 + "-dev" fits the 128 characters of a stack name, 124 + "-prod" does not
    problems = errors(SPEC.replace("stack: reports", "stack: " + "x" * 124))
    assert problems and all(p.startswith("spec.yaml:1:8: stack: ") and p.endswith("(in environment prod)") for p in problems), problems


def test_overriding_triggers_a_job_takes_from_defaults_is_an_error_saying_how():
    text = SPEC.replace("defaults: {cpu: 256,", "defaults: {triggers: [{name: nightly, schedule: '@daily'}], cpu: 256,")
    text = text.replace("""    triggers:
      - {name: nightly, schedule: "cron(0 2 * * ? *)"}
      - {schedule: "rate(1 day)"}
""", "")
    (problem,) = errors(text)
    assert problem.startswith("spec.yaml:11:19: environments.dev.jobs.nightly.triggers: environment dev: job nightly has no "
                              "triggers of its own to override"), problem

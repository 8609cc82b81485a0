"""Loading a job spec: positions, defaults, trigger settings resolved from the job, the two examples."""

from __future__ import annotations

import textwrap
from pathlib import Path

import re

import pytest

from generator.errors import SpecError
from generator.plan import load_spec, load_specs
from generator.plan.names import pascal
from generator.model.job_parts import RetrySpec
from generator.model.limits import MAX_EVENT_VALUES_PER_TRIGGER
from generator.model.run_task import MAX_OVERRIDES_CHARS, run_task_overrides

ROOT = Path(__file__).resolve().parents[2]

HEAD = """\
stack: nightly
cluster: {name: production}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
"""
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest"


def load(body: str, file: str = "config/x.yaml"):
    return load_spec(file, text=HEAD + textwrap.dedent(body))


def problems(body: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load(body)
    return [str(p) for p in caught.value.problems]


# -- the examples of job-spec.md


def test_csv_analyzer_example():
    spec = load_spec(ROOT / "config" / "csv-analyzer.yaml")
    assert spec.stack == "csv-analyzer"
    assert spec.tags == {"team": "data"}
    assert spec.cluster.name == "processing" and not spec.cluster.create
    assert spec.network.assign_public_ip is True
    assert spec.notifications.email == ["ops@example.com"] and spec.sns_topic_created
    job = spec.jobs["csv-analyzer"]
    assert (job.cpu, job.memory) == (512, 1024)
    assert job.log_retention_days == 30
    assert job.retry == RetrySpec(attempts=2, max_event_age=3600)  # from defaults, "1h" in seconds
    assert job.dead_letter_queue is True
    assert job.permissions.s3_read == ["user-uploads-bucket"]
    assert job.permissions.s3_write == ["analysis-results-bucket/results/"]
    (trigger,) = job.triggers
    assert trigger.kind == "s3_upload"
    assert (trigger.s3_upload.bucket, trigger.s3_upload.suffix) == ("user-uploads-bucket", ".csv")
    assert trigger.environment == {
        "INPUT_BUCKET": "$.detail.bucket.name",
        "INPUT_KEY": "$.detail.object.key",
        "OUTPUT_BUCKET": "analysis-results-bucket",
    }
    assert trigger.event_paths() == ["$.detail.bucket.name", "$.detail.object.key"]
    assert trigger.retry == job.retry and trigger.dead_letter_queue is True
    assert job.trigger_names() == ["trigger1"]


def test_daily_data_processor_example():
    spec = load_spec(ROOT / "config" / "daily-data-processor.yaml")
    job = spec.jobs["data-processor"]
    assert (job.cpu, job.memory, job.environment) == (256, 512, {"LOG_LEVEL": "INFO"})
    assert job.retry == RetrySpec()  # AWS's defaults: 185 attempts, 24 h
    assert (job.retry.attempts, job.retry.max_event_age) == (185, 86400)
    (trigger,) = job.triggers
    assert trigger.schedule == "cron(0 2 * * ? *)" and trigger.kind == "schedule"
    assert trigger.uses_scheduler is False
    assert spec.notifications.email == [] and spec.notifications.topic_arn is None


def test_load_specs_reports_clashing_stack_names(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(HEAD + f"jobs:\n  r:\n    image: {IMAGE}\n    triggers: [{{schedule: rate(1 day)}}]\n")
    (tmp_path / "c.yaml").write_text("# the same stack again\n" + (tmp_path / "a.yaml").read_text())
    with pytest.raises(SpecError) as caught:
        load_specs(sorted(tmp_path.glob("*.yaml")))
    # each later file is pointed at its own `stack:` line, and names the first file
    assert [(p.file, p.line, p.column, p.path) for p in caught.value.problems] == [
        (str(tmp_path / "b.yaml"), 1, 8, "stack"), (str(tmp_path / "c.yaml"), 2, 8, "stack"),
    ]
    assert f"b.yaml:1:8: stack: stack name 'nightly' is also used by {tmp_path / 'a.yaml'}" in str(caught.value)


# -- positions


def test_error_names_file_line_column_and_path():
    assert problems(
        f"""\
        jobs:
          report:
            image: {IMAGE}
            cpu: 300
            triggers: [{{schedule: rate(1 day)}}]
        """
    ) == ["config/x.yaml:7:10: jobs.report.cpu: 300 is not a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384)"]


def test_missing_field_is_reported_at_its_parent_key():
    assert problems(
        """\
        jobs:
          report:
            cpu: 256
            triggers: [{schedule: rate(1 day)}]
        """
    ) == ["config/x.yaml:5:3: jobs.report.image: is required"]


def test_errors_inside_flow_collections_point_at_the_value():
    assert problems(
        f"""\
        jobs:
          report:
            image: {IMAGE}
            triggers: [{{schedule: rate(1 day), enabled: maybe}}]
        """
    ) == ["config/x.yaml:7:49: jobs.report.triggers[0].enabled: must be true or false, got str 'maybe'"]


def test_every_problem_is_reported_in_file_order():
    found = problems(
        f"""\
        jobs:
          b:
            image: {IMAGE}
            task_count: 0
            triggers: [{{schedule: rate(1 day)}}]
          a:
            image: {IMAGE}
            architecture: sparc
            triggers: [{{schedule: rate(1 day)}}]
        """
    )
    assert [p.split(": ")[1] for p in found] == ["jobs.b.task_count", "jobs.a.architecture"]


# -- defaults


def test_defaults_fill_fields_a_job_does_not_set():
    spec = load(
        f"""\
        defaults:
          cpu: 1024
          memory: 2048
          log_retention_days: 7
          alarms: false
        jobs:
          a:
            image: {IMAGE}
            triggers: [{{schedule: rate(1 day)}}]
          b:
            image: {IMAGE}
            memory: 4096
            triggers: [{{schedule: rate(1 day)}}]
        """
    )
    a, b = spec.jobs["a"], spec.jobs["b"]
    assert (a.cpu, a.memory, a.log_retention_days, a.alarms) == (1024, 2048, 7, False)
    assert (b.cpu, b.memory) == (1024, 4096)


def test_default_maps_merge_key_by_key():
    spec = load(
        f"""\
        defaults:
          environment: {{LOG_LEVEL: INFO, REGION: eu-west-1}}
          tags: {{team: data}}
          retry: {{attempts: 2, max_event_age: 1h}}
          permissions: {{s3_read: [shared-config-bucket]}}
        jobs:
          report:
            image: {IMAGE}
            environment: {{LOG_LEVEL: DEBUG}}
            tags: {{owner: ana}}
            retry: {{attempts: 5}}
            permissions: {{s3_write: [reports-bucket/out/]}}
            triggers: [{{schedule: rate(1 day)}}]
        """
    )
    job = spec.jobs["report"]
    assert job.environment == {"LOG_LEVEL": "DEBUG", "REGION": "eu-west-1"}
    assert job.tags == {"team": "data", "owner": "ana"}
    assert job.retry == RetrySpec(attempts=5, max_event_age=3600)
    assert job.permissions.s3_read == ["shared-config-bucket"]
    assert job.permissions.s3_write == ["reports-bucket/out/"]


def test_lists_and_choices_in_defaults_are_replaced_not_merged():
    spec = load(
        f"""\
        defaults:
          command: [python, main.py]
          capacity: {{fargate: 1, fargate_spot: 3}}
        jobs:
          report:
            image: {IMAGE}
            command: [python, report.py]
            capacity: {{fargate_spot: 1}}
            triggers: [{{schedule: rate(1 day)}}]
        """
    )
    job = spec.jobs["report"]
    assert job.command == ["python", "report.py"]
    assert job.capacity == {"fargate_spot": 1}


def test_error_in_a_default_is_reported_once_at_the_defaults_line():
    assert problems(
        f"""\
        defaults:
          environment:
            WORKERS: 4
        jobs:
          a:
            image: {IMAGE}
            triggers: [{{schedule: rate(1 day)}}]
          b:
            image: {IMAGE}
            triggers: [{{schedule: rate(1 day)}}]
        """
    ) == ["config/x.yaml:6:14: defaults.environment.WORKERS: must be a string, got int 4: quote it in YAML"]


def test_a_job_can_fix_what_a_default_would_break():
    spec = load(
        f"""\
        defaults:
          memory: 8192
        jobs:
          big:
            image: {IMAGE}
            cpu: 2048
            triggers: [{{schedule: rate(1 day)}}]
          small:
            image: {IMAGE}
            memory: 512
            triggers: [{{schedule: rate(1 day)}}]
        """
    )
    assert (spec.jobs["big"].memory, spec.jobs["small"].memory) == (8192, 512)


# -- trigger settings resolved from the job


def test_trigger_retry_and_dead_letter_queue_come_from_the_job_unless_set():
    dlq = "arn:aws:sqs:us-east-1:123456789012:report-dlq"
    spec = load(
        f"""\
        defaults:
          retry: {{attempts: 3, max_event_age: 15m}}
        jobs:
          report:
            image: {IMAGE}
            dead_letter_queue: {dlq}
            triggers:
              - schedule: rate(1 day)
              - schedule: rate(7 days)
                name: weekly
                retry: {{attempts: 0}}
                dead_letter_queue: false
        """
    )
    daily, weekly = spec.jobs["report"].triggers
    assert daily.retry == RetrySpec(attempts=3, max_event_age=900)
    assert daily.dead_letter_queue == dlq
    assert weekly.retry == RetrySpec(attempts=0, max_event_age=900)  # merged key by key: the job's age
    assert weekly.dead_letter_queue is False
    assert spec.jobs["report"].trigger_names() == ["trigger1", "weekly"]


def test_scheduler_fields():
    spec = load(
        f"""\
        jobs:
          report:
            image: {IMAGE}
            triggers:
              - schedule: cron(0 9 ? * MON-FRI *)
                timezone: Europe/Paris
                start: 2027-01-01T00:00:00Z
                flexible_window: 15m
        """
    )
    (trigger,) = spec.jobs["report"].triggers
    assert trigger.flexible_window == 15 and trigger.start.year == 2027 and trigger.start.tzinfo is not None
    assert trigger.uses_scheduler is True


# -- limits and logical IDs


@pytest.mark.parametrize(
    "name,logical",
    [("csv-analyzer", "CsvAnalyzer"), ("csv--analyzer", "CsvAnalyzer"), ("Csv-Analyzer", "CsvAnalyzer"),
     ("report", "Report"), ("eTL-v2", "ETLV2")],
)
def test_pascal_case(name, logical):
    assert pascal(name) == logical


def test_distinct_logical_ids_are_fine():
    spec = load(
        f"""\
        jobs:
          csv-analyzer: {{image: {IMAGE}, triggers: [{{schedule: rate(1 day)}}]}}
          csvanalyzer: {{image: {IMAGE}, triggers: [{{schedule: rate(1 day)}}]}}
        """
    )
    assert list(spec.jobs) == ["csv-analyzer", "csvanalyzer"]


def _event_trigger(values: int) -> str:
    env = ", ".join(f"V{i}: $.detail.f{i}" for i in range(values))
    return f"jobs:\n  j:\n    image: {IMAGE}\n    triggers:\n      - event_pattern: {{source: [com.example.app]}}\n        environment: {{{env}}}\n"


def test_event_values_up_to_the_limit_are_fine():
    load(_event_trigger(MAX_EVENT_VALUES_PER_TRIGGER))
    with pytest.raises(SpecError, match="101 values are read from the event"):
        load(_event_trigger(MAX_EVENT_VALUES_PER_TRIGGER + 1))


def test_overrides_are_measured_as_runtask_json():
    spec = load(
        f"""\
        jobs:
          j:
            image: {IMAGE}
            triggers:
              - schedule: rate(1 day)
                environment: {{MODE: full}}
                command: [run, "--all"]
        """
    )
    trigger = spec.jobs["j"].triggers[0]
    assert run_task_overrides("j", trigger) == (
        '{"containerOverrides":[{"name":"j","environment":[{"name":"MODE","value":"full"}],"command":["run","--all"]}]}'
    )


def test_overrides_of_exactly_the_limit_are_fine():
    base = '{"containerOverrides":[{"name":"j","environment":[{"name":"A","value":""}]}]}'
    value = "x" * (MAX_OVERRIDES_CHARS - len(base))
    load(f"jobs:\n  j:\n    image: {IMAGE}\n    triggers:\n      - schedule: rate(1 day)\n        environment: {{A: {value}}}\n")
    with pytest.raises(SpecError, match="8193 characters"):
        load(f"jobs:\n  j:\n    image: {IMAGE}\n    triggers:\n      - schedule: rate(1 day)\n        environment: {{A: {value}x}}\n")


def test_a_default_every_job_overrides_is_still_checked():
    assert problems(
        f"""\
        defaults:
          cpu: 300
          retry: {{attempts: 500}}
        jobs:
          report:
            image: {IMAGE}
            cpu: 256
            retry: {{attempts: 1}}
            triggers: [{{schedule: rate(1 day)}}]
        """
    ) == [
        "config/x.yaml:5:8: defaults.cpu: 300 is not a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384)",
        "config/x.yaml:6:21: defaults.retry.attempts: 500 is out of range: must be at most 185",
    ]


# -- YAML merge keys


def test_merge_key_values_may_be_overridden_by_the_mappings_own_keys():
    spec = load(f"""\
        jobs:
          report: &report
            image: {IMAGE}
            environment: &env {{LOG_LEVEL: INFO, MODE: full}}
            triggers: [{{schedule: rate(1 day)}}]
          report-eu:
            <<: *report
            cpu: 512
            memory: 1024
            environment: {{<<: *env, MODE: quick, REGION: eu}}
          merged-list:
            <<: *report
            environment: {{<<: [{{A: first}}, {{A: second, B: b}}], C: c}}
        """)
    assert spec.jobs["report"].environment == {"LOG_LEVEL": "INFO", "MODE": "full"}
    eu = spec.jobs["report-eu"]
    assert (eu.image, eu.cpu) == (IMAGE, 512)
    assert eu.environment == {"LOG_LEVEL": "INFO", "MODE": "quick", "REGION": "eu"}
    # of several merged mappings the first wins, as YAML specifies
    assert spec.jobs["merged-list"].environment == {"A": "first", "B": "b", "C": "c"}


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    assert problems(f"""\
        jobs:
          report:
            image: {IMAGE}
            environment: {{<<: {{A: x}}, B: y, B: z}}
            triggers: [{{schedule: rate(1 day)}}]
        """) == [
        "config/x.yaml:7:37: jobs.report.environment.B: duplicate key 'B' (first set on line 7); "
        "YAML would silently keep the last one"
    ]


# -- a variable is in environment or in secrets, not both

TOKEN_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/app/token"


def test_a_variable_in_environment_and_secrets_is_refused_at_the_jobs_own_entry():
    # the job's own secret, its own variable: at the secret
    assert problems(f"""\
        jobs:
          report:
            image: {IMAGE}
            environment: {{TOKEN: x}}
            secrets: {{TOKEN: {TOKEN_ARN}}}
            triggers: [{{schedule: rate(1 day)}}]
        """) == [
        "config/x.yaml:8:22: jobs.report.secrets.TOKEN: 'TOKEN' is also set in jobs.report.environment.TOKEN: "
        "ECS refuses a task definition that sets one variable in both environment and secrets; keep one"
    ]
    # a secret from defaults, the job's own variable: at the variable
    assert problems(f"""\
        defaults:
          secrets: {{TOKEN: {TOKEN_ARN}}}
        jobs:
          report:
            image: {IMAGE}
            environment: {{TOKEN: x}}
            triggers: [{{schedule: rate(1 day)}}]
        """) == [
        "config/x.yaml:9:26: jobs.report.environment.TOKEN: 'TOKEN' is also set in defaults.secrets.TOKEN: "
        "ECS refuses a task definition that sets one variable in both environment and secrets; keep one"
    ]
    # both in defaults: at the defaults' secret, once
    assert problems(f"""\
        defaults:
          secrets: {{TOKEN: {TOKEN_ARN}}}
          environment: {{TOKEN: x}}
        jobs:
          report: {{image: {IMAGE}, triggers: [{{schedule: rate(1 day)}}]}}
        """) == [
        "config/x.yaml:5:20: defaults.secrets.TOKEN: 'TOKEN' is also set in defaults.environment.TOKEN: "
        "ECS refuses a task definition that sets one variable in both environment and secrets; keep one"
    ]


def test_a_trigger_may_not_set_a_secrets_name():
    assert problems(f"""\
        defaults:
          secrets: {{TOKEN: {TOKEN_ARN}}}
        jobs:
          report:
            image: {IMAGE}
            environment: {{MODE: full}}
            triggers:
              - schedule: rate(1 day)
                environment: {{MODE: quick, TOKEN: y}}
        """) == [
        "config/x.yaml:12:43: jobs.report.triggers[0].environment.TOKEN: 'TOKEN' is a secret of the job "
        "(defaults.secrets.TOKEN): ECS refuses a RunTask whose overrides set a secret's name as an environment "
        "variable, so every run of this trigger would fail; rename the variable"
    ]


def test_a_job_may_override_its_own_variables_from_a_trigger():
    spec = load(f"""\
        jobs:
          report:
            image: {IMAGE}
            environment: {{MODE: full}}
            secrets: {{TOKEN: {TOKEN_ARN}}}
            triggers: [{{schedule: rate(1 day), environment: {{MODE: quick}}}}]
        """)
    assert spec.jobs["report"].triggers[0].environment == {"MODE": "quick"}


@pytest.mark.parametrize("trigger", [
    "schedule: cron(0 0 1 1 ? 2025)",  # once, still to come (tests run on conftest.TEST_NOW, 2024-01-01)
    "schedule: cron(0 2 29 2 ? *)",  # leap days only
    "{schedule: 'cron(0 2 1 * ? *)', start: '2027-02-01T00:00:00', end: '2027-03-01T00:00:00'}",
])
def test_a_cron_that_runs_at_least_once_is_accepted(trigger):
    from support import spec_from

    spec = spec_from(f"jobs:\n  j:\n    image: public.ecr.aws/x/y:1\n    triggers:\n      - {trigger}\n")
    assert spec.jobs["j"].triggers[0].schedule.startswith("cron(")


@pytest.mark.parametrize("trigger, message", [
    ("schedule: cron(0 0 1 1 ? 2020)", "cron(0 0 1 1 ? 2020) has no run left (it is now 2024-01-01T00:00Z)"),
    ("schedule: at(2023-12-31T23:59:59)", "at(2023-12-31T23:59:59) is in the past (it is now 2024-01-01T00:00Z)"),
    ("{schedule: 'at(2024-01-01T00:30:00)', timezone: Europe/Paris}", "is in the past"),  # 23:30 UTC the day before
    ("{schedule: 'cron(0 2 * * ? *)', end: '2023-06-01T00:00:00Z'}", "end 2023-06-01T00:00:00+00:00 has passed"),
])
def test_a_schedule_whose_runs_have_all_passed_is_refused(trigger, message):
    """Judged against the current time, at() and cron alike: deployed, it would never run."""
    from support import spec_from

    with pytest.raises(SpecError, match=re.escape(message)):
        spec_from(f"jobs:\n  j:\n    image: public.ecr.aws/x/y:1\n    triggers:\n      - {trigger}\n")


def test_an_at_still_to_come_is_accepted():
    from support import spec_from

    spec = spec_from("jobs:\n  j:\n    image: public.ecr.aws/x/y:1\n    triggers:\n      - schedule: at(2024-01-01T00:00:01)\n")
    assert spec.jobs["j"].triggers[0].schedule == "at(2024-01-01T00:00:01)"


def test_a_cron_that_never_runs_is_refused_at_its_field():
    from support import spec_from

    with pytest.raises(SpecError) as err:
        spec_from("jobs:\n  j:\n    image: public.ecr.aws/x/y:1\n    triggers:\n      - schedule: cron(0 0 30 2 ? *)\n")
    assert "cron(0 0 30 2 ? *) never runs" in str(err.value) and "triggers[0].schedule" in str(err.value)


def test_loading_a_spec_does_not_load_the_template_libraries():
    # every verb loads specs (run, status, logs, ...): troposphere, awacs and cfn-lint load only to build or lint
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from generator.plan import load_spec; load_spec('config/csv-analyzer.yaml'); "
            "print(sorted(m for m in ('troposphere', 'awacs', 'cfnlint', 'boto3') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("trigger, verb_says", [
    ("{schedule: rate(1 day), timezone: Europe/Paris}", False),  # a rate has no time-zone meaning
    ("{schedule: 'cron(0 2 * * ? *)', timezone: Etc/UTC}", False),  # UTC by another name: a rule could run it
    ("{schedule: 'cron(0 2 * * ? *)', timezone: Europe/Paris}", True),
])
def test_a_spec_timezone_means_scheduler_while_the_verb_tells_what_aws_requires(trigger, verb_says):
    from support import run_cli, spec_from

    spec = spec_from(f"jobs:\n  j:\n    image: public.ecr.aws/x/y:1\n    triggers:\n      - {trigger}\n")
    parsed = spec.jobs["j"].triggers[0]
    assert parsed.uses_scheduler  # job-spec.md: a timezone needs EventBridge Scheduler
    _, out, _ = run_cli("schedule", parsed.schedule, "--timezone", parsed.timezone, "--count", "0")
    assert ("needs Scheduler: yes" in out) is verb_says


def test_a_file_that_is_not_utf8_is_refused_at_its_first_bad_byte(tmp_path):
    """Line and column count characters (a byte-order mark and multi-byte characters before it included)."""
    from generator.errors import SpecError
    from generator.plan import load_spec

    path = tmp_path / "spec.yaml"
    path.write_bytes(b"\xef\xbb\xbfstack: x\n# \xc3\xa9t\xc3\xa9\n# caf\xe9\n")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    problem, = caught.value.problems
    assert (problem.line, problem.column) == (3, 6)
    assert "byte 0xe9" in problem.message

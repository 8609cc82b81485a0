"""Jobs and triggers in words, and the next runs of schedules counted from a fixed --now."""

from __future__ import annotations

from datetime import datetime, timezone

from support import run_cli, spec_from

from generator.review.summary import summarize

NOW = datetime(2025, 3, 29, 12, 0, tzinfo=timezone.utc)


def triggers(text: str, now: datetime = NOW):
    (job,) = summarize(spec_from(text), now)
    return job.triggers


def test_the_seed_jobs_with_a_fixed_now(in_tmp_project):
    code, out, err = run_cli("review", "--now", "2025-03-01T00:00:00Z")
    assert code == 0, err
    assert (
        "  data-processor: 256 CPU units / 512 MiB, fargate, x86_64, 1 task per run\n"
        "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/data-processor:latest (parameter DataProcessorImage)\n"
        "    task definition DataProcessorTaskDefinition; logs kept 30 days; alarms on\n"
        "    trigger1: EventBridge rule DataProcessorTrigger1Rule\n"
        "      schedule cron(0 2 * * ? *) in UTC\n"
        "      next runs (UTC): 2025-03-01T02:00+00:00, 2025-03-02T02:00+00:00, 2025-03-03T02:00+00:00\n"
    ) in out
    assert (
        "    trigger1: EventBridge rule CsvAnalyzerTrigger1Rule\n"
        "      S3 Object Created in bucket user-uploads-bucket, keys ending with '.csv'\n"
        "      overrides: INPUT_BUCKET=$.detail.bucket.name, INPUT_KEY=$.detail.object.key, OUTPUT_BUCKET=analysis-results-bucket\n"
        "      retry: 2 retries within 1h; dead letters: CsvAnalyzerDeadLetterQueue\n"
    ) in out
    assert "templates/csv-analyzer.yaml does not exist yet: run `batchjobs generate` and commit it" in out


def test_now_without_an_offset_is_utc_and_a_bad_now_exits_2(in_tmp_project):
    _, out, _ = run_cli("review", "config/daily-data-processor.yaml", "--now", "2025-03-01T02:00:00")
    assert "next runs (UTC): 2025-03-02T02:00+00:00, 2025-03-03T02:00+00:00, 2025-03-04T02:00+00:00" in out
    code, out, err = run_cli("review", "--now", "yesterday")
    assert (code, out) == (2, "")
    assert err.strip() == "error: --now 'yesterday' is not an ISO 8601 time, e.g. 2025-01-01T00:00:00Z"


def test_a_time_zone_uses_scheduler_and_skips_the_missing_spring_hour():
    (trigger,) = triggers("""
        jobs:
          report:
            image: r/report:1
            triggers: [{name: nightly, schedule: "30 2 * * *", timezone: Europe/Paris}]
    """)
    assert (trigger.service, trigger.logical_id) == ("EventBridge Scheduler", "ReportNightlySchedule")
    assert trigger.description == "schedule 30 2 * * * = cron(30 2 * * ? *) in Europe/Paris"
    # 2025-03-30 02:30 does not exist in Paris (clocks go from 02:00 to 03:00): Scheduler skips it
    assert [r.isoformat() for r in trigger.next_runs] == [
        "2025-03-31T02:30:00+02:00", "2025-04-01T02:30:00+02:00", "2025-04-02T02:30:00+02:00"]


def test_start_and_end_bound_the_runs():
    (trigger,) = triggers("""
        jobs:
          report:
            image: r/report:1
            triggers:
              - schedule: cron(0 6 * * ? *)
                start: 2025-04-01T06:00:00Z
                end: 2025-04-02T12:00:00Z
    """)
    assert trigger.description == (
        "schedule cron(0 6 * * ? *) in UTC (from 2025-04-01T06:00:00+00:00, until 2025-04-02T12:00:00+00:00)")
    assert [r.isoformat() for r in trigger.next_runs] == ["2025-04-01T06:00:00+00:00", "2025-04-02T06:00:00+00:00"]
    assert trigger.runs_note == "only 2 before its end"


def test_one_time_rate_and_disabled_schedules():
    once, every, off = triggers("""
        jobs:
          report:
            image: r/report:1
            triggers:
              - {name: once, schedule: "at(2025-06-01T09:00:00)", timezone: America/New_York}
              - {name: every, schedule: "@every 90m"}
              - {name: paused, schedule: "@daily", enabled: false}
    """)
    assert [r.isoformat() for r in once.next_runs] == ["2025-06-01T09:00:00-04:00"]
    assert every.expression == "rate(90 minutes)"
    assert [r.isoformat() for r in every.next_runs] == [
        "2025-03-29T13:30:00+00:00", "2025-03-29T15:00:00+00:00", "2025-03-29T16:30:00+00:00"]
    assert every.runs_note == "rate() counts from when the rule or schedule is created; times shown count from now"
    assert (off.enabled, off.runs_note) == (False, "disabled: it will not run until enabled")
    (past,) = triggers("""
        jobs:
          report:
            image: r/report:1
            triggers: [{schedule: "at(2025-01-01T00:00:00)"}]
    """)
    assert (past.next_runs, past.runs_note) == ([], "no run after now")


def test_s3_and_pattern_triggers_in_words():
    prefixed, wildcard, anything, pattern = triggers("""
        jobs:
          report:
            image: r/report:1
            retry: {attempts: 3, max_event_age: 15m}
            triggers:
              - s3_upload: {bucket: in-bucket, prefix: incoming/, suffix: .csv}
              - s3_upload: {bucket: in-bucket, key_wildcard: "*/2025/*.json"}
                dead_letter_queue: false
              - s3_upload: {bucket: in-bucket}
                command: [run, $.detail.object.key]
              - event_pattern: {source: [my.app], detail-type: [Order Placed]}
                event_bus: orders
    """)
    assert prefixed.description == "S3 Object Created in bucket in-bucket, keys starting with 'incoming/' and ending with '.csv'"
    assert (prefixed.retry, prefixed.dead_letter) == ("3 retries within 15m", "ReportDeadLetterQueue")
    assert wildcard.description == "S3 Object Created in bucket in-bucket, keys matching '*/2025/*.json'"
    assert wildcard.dead_letter == "none"
    assert anything.description == "S3 Object Created in bucket in-bucket, any key"
    assert anything.overrides == ['command: ["run","$.detail.object.key"]']
    assert pattern.description == 'events on bus orders matching {"source":["my.app"],"detail-type":["Order Placed"]}'
    assert pattern.next_runs == [] and pattern.expression is None


def test_capacity_and_size():
    (job,) = summarize(spec_from("""
        jobs:
          report:
            image: r/report:1
            cpu: 1024
            memory: 4096
            architecture: arm64
            capacity: {fargate: 1, fargate_spot: 3}
            task_count: 2
            triggers: [{schedule: "@hourly"}]
    """), NOW)
    assert (job.size, job.capacity, job.architecture, job.task_count) == (
        "1024 CPU units / 4096 MiB", "fargate weight 1, fargate_spot weight 3", "arm64", 2)

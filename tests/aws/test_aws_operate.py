"""run, status and logs against moto's server, on a deployed csv-analyzer stack."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def deployed(cli, boto, project):
    """The csv-analyzer stack deployed to moto, and its `processing` cluster (the spec names an existing one).

    The committed template is deployed as is: its container carries the task's memory, which moto's
    RunTask needs (it sums container memory).
    """
    boto("ecs").create_cluster(clusterName="processing")
    template = REPO / "templates" / "csv-analyzer.yaml"
    code, _, err = cli("deploy", str(template))
    assert code == 0, err
    return project


def test_run_starts_a_task_with_the_jobs_network_and_overrides(cli, boto, deployed):
    code, out, err = cli("run", "csv-analyzer", "--env", "INPUT_KEY=data/x.csv", "--set", "INPUT_BUCKET=b")
    assert code == 0, err
    assert "write --set KEY=VALUE" in err  # --env KEY=VALUE, the old spelling, still sets the variable
    (arn,) = out.split()
    assert arn.startswith("arn:aws:ecs:us-east-1:123456789012:task/processing/")
    (task,) = boto("ecs").describe_tasks(cluster="processing", tasks=[arn])["tasks"]
    assert task["taskDefinitionArn"].endswith("task-definition/csv-analyzer-csv-analyzer:1")
    assert task["startedBy"] == "batchjobs-run"
    assert task["overrides"]["containerOverrides"] == [{"name": "csv-analyzer", "environment": [
        {"name": "INPUT_KEY", "value": "data/x.csv"}, {"name": "INPUT_BUCKET", "value": "b"}]}]


def test_run_trigger_replays_an_event_with_exactly_the_triggers_overrides(cli, boto, deployed):
    """The README's example: every value the S3 trigger sends, OUTPUT_BUCKET included (the analyzer needs it)."""
    from generator.eventbridge.samples import s3_object_created

    key = 'data/q3 "final"\\sales.csv'  # quotes and a backslash reach the container intact (whole-value paths)
    (deployed / "upload.json").write_text(json.dumps(s3_object_created("user-uploads-bucket", key)))
    code, out, err = cli("run", "csv-analyzer", "--trigger", "trigger1", "--event", "upload.json",
                         "--set", "LOG_LEVEL=DEBUG")
    assert code == 0, err
    (task,) = boto("ecs").describe_tasks(cluster="processing", tasks=[out.strip()])["tasks"]
    assert task["overrides"]["containerOverrides"] == [{"name": "csv-analyzer", "environment": [
        {"name": "INPUT_BUCKET", "value": "user-uploads-bucket"}, {"name": "INPUT_KEY", "value": key},
        {"name": "OUTPUT_BUCKET", "value": "analysis-results-bucket"}, {"name": "LOG_LEVEL", "value": "DEBUG"}]}]


@pytest.mark.parametrize("args, code, message", [
    (["--trigger", "nope"], 2, "--trigger nope: job csv-analyzer has triggers trigger1"),
    (["--trigger", "trigger1"], 2, "give it one with --event FILE"),
    (["--event", "upload.json"], 2, "name it with --trigger"),
    (["--trigger", "trigger1", "--event", "other.json"], 1, "trigger trigger1 does not match this event"),
])
def test_run_trigger_refuses_what_the_trigger_would_not_send(cli, project, args, code, message):
    from generator.eventbridge.samples import s3_object_created

    (project / "upload.json").write_text(json.dumps(s3_object_created("user-uploads-bucket", "a.csv")))
    (project / "other.json").write_text(json.dumps(s3_object_created("user-uploads-bucket", "a.txt")))
    got, _, err = cli("run", "csv-analyzer", *args)
    assert (got, message in err) == (code, True), err


def test_run_before_deploy_says_so(cli, boto, project):
    code, _, err = cli("run", "csv-analyzer")
    assert code == 1
    assert "stack csv-analyzer not found: deploy it first" in err


def test_run_unknown_job_is_a_usage_error(cli, project):
    code, _, err = cli("run", "nope")
    assert code == 2
    assert "job nope: not found in config/*.yaml (jobs: csv-analyzer, data-processor, sales-report)" in err


def test_run_bad_env_is_a_usage_error(cli, deployed):
    code, _, err = cli("run", "csv-analyzer", "--env", "1BAD=x")
    assert code == 2 and "--env 1BAD=x" in err


def test_status_table_and_json(cli, boto, deployed):
    arn = cli("run", "csv-analyzer")[1].strip()
    dlq_url = [r for r in boto("cloudformation").list_stack_resources(StackName="csv-analyzer")["StackResourceSummaries"]
               if r.get("LogicalResourceId") == "CsvAnalyzerDeadLetterQueue"][0]["PhysicalResourceId"]
    boto("sqs").send_message(QueueUrl=dlq_url, MessageBody="{}")

    code, out, err = cli("status", "csv-analyzer", "--output", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["cluster"] == "processing" and data["family"] == "csv-analyzer-csv-analyzer"
    assert [t["task"] for t in data["tasks"]] == [arn.rsplit("/", 1)[1]]
    # moto moves a task one state further on every DescribeTasks (RUNNING, DEACTIVATING, STOPPING, ...)
    assert data["tasks"][0]["status"] in {"PROVISIONING", "PENDING", "RUNNING", "DEACTIVATING", "STOPPING", "STOPPED"}
    assert data["tasks"][0]["started"] is None or data["tasks"][0]["started"].endswith("+00:00")
    (trigger,) = data["triggers"]
    assert trigger["trigger"] == "trigger1" and trigger["kind"] == "rule"
    assert trigger["resource"].startswith("csv-analyzer-CsvAnalyzerTrigger1Rule-")
    assert (trigger["invocations_24h"], trigger["failed_invocations_24h"]) == (0, 0)
    assert data["dead_letter_queues"] == [{"queue": dlq_url, "depth": 1}]
    assert data["alarms"] == []  # moto's CloudFormation does not create AWS::CloudWatch::Alarm

    code, out, err = cli("status", "csv-analyzer")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "job csv-analyzer (stack csv-analyzer, cluster processing, family csv-analyzer-csv-analyzer)"
    header = lines[lines.index("Recent tasks") + 1]
    assert header.split() == ["TASK", "STATUS", "STARTED", "STOPPED", "SECONDS", "EXIT", "STOP", "REASON"]
    assert lines[lines.index("Recent tasks") + 2].startswith(arn.rsplit("/", 1)[1] + "  ")
    assert f"{dlq_url}  1" in out


def test_status_counts_rule_invocations_from_cloudwatch(cli, boto, deployed):
    rule = json.loads(cli("status", "csv-analyzer", "--output", "json")[1])["triggers"][0]["resource"]
    boto("cloudwatch").put_metric_data(Namespace="AWS/Events", MetricData=[
        {"MetricName": "Invocations", "Dimensions": [{"Name": "RuleName", "Value": rule}], "Value": 3},
        {"MetricName": "FailedInvocations", "Dimensions": [{"Name": "RuleName", "Value": rule}], "Value": 1},
    ])
    (trigger,) = json.loads(cli("status", "csv-analyzer", "--output", "json")[1])["triggers"]
    assert (trigger["invocations_24h"], trigger["failed_invocations_24h"]) == (3, 1)


def _put_logs(boto, task_id, messages, at_ms):
    logs = boto("logs")
    stream = f"csv-analyzer/csv-analyzer/{task_id}"
    logs.create_log_stream(logGroupName="/ecs/csv-analyzer/csv-analyzer", logStreamName=stream)
    logs.put_log_events(logGroupName="/ecs/csv-analyzer/csv-analyzer", logStreamName=stream,
                        logEvents=[{"timestamp": at_ms + i, "message": m} for i, m in enumerate(messages)])


def test_logs_newest_task_first(cli, boto, deployed):
    now = int(time.time() * 1000)
    _put_logs(boto, "aaaa1111", ["old start", "old done"], now - 600_000)
    _put_logs(boto, "bbbb2222", ["new start", "new done"], now - 60_000)
    _put_logs(boto, "cccc3333", ["ancient"], now - 5 * 3600_000)
    code, out, err = cli("logs", "csv-analyzer", "--since", "1h")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "== task bbbb2222 (csv-analyzer/csv-analyzer/bbbb2222)"
    assert [line.split("  ", 1)[1] for line in lines if not line.startswith("==")] == [
        "new start", "new done", "old start", "old done"]
    assert lines[3] == "== task aaaa1111 (csv-analyzer/csv-analyzer/aaaa1111)"

    code, out, _ = cli("logs", "csv-analyzer", "--since", "1d", "--output", "json")
    assert [r["message"] for r in json.loads(out)][-1] == "ancient"


def test_logs_follow_prints_new_lines(cli, boto, deployed, monkeypatch):
    from generator.aws import logs as aws_logs

    now = int(time.time() * 1000)
    _put_logs(boto, "dddd4444", ["first"], now - 1000)
    polls = []

    def fake_sleep(_seconds):
        polls.append(1)
        if len(polls) == 1:
            boto("logs").put_log_events(logGroupName="/ecs/csv-analyzer/csv-analyzer",
                                        logStreamName="csv-analyzer/csv-analyzer/dddd4444",
                                        logEvents=[{"timestamp": now + 5, "message": "second"}])
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(aws_logs.time, "sleep", fake_sleep)
    code, out, err = cli("logs", "csv-analyzer", "--follow")
    assert code == 0, err
    assert out.splitlines()[1].endswith("  first")
    assert out.splitlines()[2].endswith("  [dddd4444]  second")
    assert "following /ecs/csv-analyzer/csv-analyzer" in err


def test_logs_bad_since_is_a_usage_error(cli, project):
    code, _, err = cli("logs", "csv-analyzer", "--since", "yesterday")
    assert code == 2 and "--since yesterday" in err


def test_run_set_takes_only_key_value(cli, project):
    code, _, err = cli("run", "csv-analyzer", "--set", "LOG_LEVEL")
    assert code == 2 and "--set LOG_LEVEL: write KEY=VALUE" in err

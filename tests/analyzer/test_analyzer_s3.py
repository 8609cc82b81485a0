"""The container path end to end against moto S3: env in, report out, exit codes and JSON logs."""

from __future__ import annotations

import os

import botocore.awsrequest
import botocore.exceptions
import pytest
from analyzer_helpers import IN_BUCKET, OUT_BUCKET, csv_text, get_report, run_cli

from analyzer import __version__, s3io

ROWS = [[i, f"name {i}", f"{i * 1.5:.1f}"] for i in range(1, 101)]
GOOD = csv_text(["id", "name", "score"], ROWS)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body


def fail_requests(client, operation: str, status: int, code: str, times: int | None = None) -> list[int]:
    """Make `operation` fail with an S3 error response, `times` times (None: always). Returns the call log."""
    calls: list[int] = []

    def handler(request, **kwargs):
        if times is not None and len(calls) >= times:
            return None
        calls.append(status)
        body = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
        return botocore.awsrequest.AWSResponse(request.url, status, {}, _Raw(b"" if request.method == "HEAD" else body))

    client.meta.events.register(f"before-send.s3.{operation}", handler)
    return calls


@pytest.fixture
def patched_client(monkeypatch):
    """Hook into the analyzer's own S3 client (created inside main) to inject failures."""
    hooks = []
    real = s3io.client

    def make(max_attempts: int = 5):
        c = real(max_attempts)
        for hook in hooks:
            hook(c)
        return c

    monkeypatch.setattr(s3io, "client", make)
    return hooks


def test_report_is_written_next_to_the_seed_layout(s3, s3_env):
    s3.put_object(Bucket=IN_BUCKET, Key="incoming/2024/sales.csv", Body=GOOD.encode())
    run = run_cli(env=s3_env("incoming/2024/sales.csv"))
    assert run.code == 0, run.stdout
    report, obj = get_report(s3, "results/sales.csv.analysis.json")
    assert obj["ContentType"] == "application/json"
    head = s3.head_object(Bucket=IN_BUCKET, Key="incoming/2024/sales.csv")
    assert report["input"] == {"bucket": IN_BUCKET, "key": "incoming/2024/sales.csv", "size_bytes": len(GOOD),
                               "etag": head["ETag"].strip('"')}
    assert report["status"] == "ok" and report["analyzer_version"] == __version__
    assert report["row_count"] == 100 and report["column_count"] == 3
    assert report["columns"][2]["max"] == 150.0
    assert set(report["timings"]) == {"download_seconds", "profile_seconds", "total_seconds"}
    assert [r["event"] for r in run.logs] == ["start", "result"]
    result = run.events("result")[0]
    assert result["rows"] == 100 and result["report"] == f"s3://{OUT_BUCKET}/results/sales.csv.analysis.json"
    assert os.listdir(s3_env.tmp) == []  # the downloaded copy is gone


def test_output_prefix(s3, s3_env):
    s3.put_object(Bucket=IN_BUCKET, Key="a.csv", Body=GOOD.encode())
    assert run_cli(env=s3_env("a.csv", OUTPUT_PREFIX="reports/daily/")).code == 0
    assert get_report(s3, "reports/daily/a.csv.analysis.json")[0]["row_count"] == 100


def test_url_encoded_key_is_decoded_only_when_the_given_key_is_missing(s3, s3_env):
    s3.put_object(Bucket=IN_BUCKET, Key="in/my file+v1.csv", Body=GOOD.encode())
    run = run_cli(env=s3_env("in/my+file%2Bv1.csv"))
    assert run.code == 0, run.stdout
    report, _ = get_report(s3, "results/my file+v1.csv.analysis.json")
    assert report["input"]["key"] == "in/my file+v1.csv"
    assert report["input"]["given_key"] == "in/my+file%2Bv1.csv"
    decoded = run.events("input_key_decoded")[0]
    assert decoded["key"] == "in/my file+v1.csv"
    # start announced the report for the key as given; the log says where it actually goes
    assert run.events("start")[0]["output"] == f"s3://{OUT_BUCKET}/results/my+file%2Bv1.csv.analysis.json"
    assert decoded["output"] == run.events("result")[0]["report"] == \
        f"s3://{OUT_BUCKET}/results/my file+v1.csv.analysis.json"


def test_a_literal_plus_in_a_key_is_never_decoded(s3, s3_env):
    s3.put_object(Bucket=IN_BUCKET, Key="a+b.csv", Body=GOOD.encode())
    s3.put_object(Bucket=IN_BUCKET, Key="a b.csv", Body=b"x\n1\n")
    run = run_cli(env=s3_env("a+b.csv"))
    assert run.code == 0
    report, _ = get_report(s3, "results/a+b.csv.analysis.json")
    assert report["input"]["key"] == "a+b.csv" and report["row_count"] == 100
    assert not run.events("input_key_decoded")


def test_missing_object_exits_2_with_a_report(s3, s3_env):
    run = run_cli(env=s3_env("nope/missing.csv"))
    assert run.code == 2
    report, _ = get_report(s3, "results/missing.csv.analysis.json")
    assert report["status"] == "unusable_input" and report["error"]["code"] == "input_not_found"
    error = run.events("error")[0]
    assert error["level"] == "error" and error["code"] == "input_not_found" and error["exit_code"] == 2


def test_missing_object_and_no_output_bucket_exits_1(s3, s3_env):
    env = s3_env("nope.csv", OUTPUT_BUCKET="no-such-bucket")
    run = run_cli(env=env)
    assert run.code == 1
    assert [e["code"] for e in run.events("error")] == ["input_not_found", "s3_error"]


def test_no_permission_to_write_exits_1(s3, s3_env, patched_client):
    s3.put_object(Bucket=IN_BUCKET, Key="a.csv", Body=GOOD.encode())
    calls: list = []
    patched_client.append(lambda c: calls.append(fail_requests(c, "PutObject", 403, "AccessDenied")))
    run = run_cli(env=s3_env("a.csv"))
    assert run.code == 1
    error = run.events("error")[-1]
    assert error["code"] == "s3_error" and "AccessDenied" in error["message"] and "write report" in error["message"]
    assert calls[0] == [403]  # AccessDenied is not retried
    assert not run.events("result")
    assert os.listdir(s3_env.tmp) == []


def test_transient_errors_are_retried(s3, s3_env, patched_client):
    s3.put_object(Bucket=IN_BUCKET, Key="a.csv", Body=GOOD.encode())
    calls: list = []
    patched_client.append(lambda c: calls.append(fail_requests(c, "HeadObject", 503, "SlowDown", times=1)))
    run = run_cli(env=s3_env("a.csv"))
    assert run.code == 0, run.stdout
    assert calls[0] == [503]


def test_persistent_s3_errors_exit_1_after_retries(s3, s3_env, patched_client):
    s3.put_object(Bucket=IN_BUCKET, Key="a.csv", Body=GOOD.encode())
    calls: list = []
    patched_client.append(lambda c: calls.append(fail_requests(c, "HeadObject", 500, "InternalError")))
    run = run_cli(env=s3_env("a.csv", AWS_MAX_ATTEMPTS="3"))
    assert run.code == 1
    assert calls[0] == [500, 500, 500]
    assert run.events("error")[0]["code"] == "s3_error"


def test_download_retries_exhausted_by_s3transfer_exit_1(s3, s3_env, patched_client):
    """A read timeout on every GET: s3transfer retries the part itself, then boto3 raises its own
    RetriesExceededError (not a botocore error). That is an S3 failure (exit 1), not a crash."""
    s3.put_object(Bucket=IN_BUCKET, Key="a.csv", Body=GOOD.encode())
    calls: list[str] = []

    def time_out(request, **kwargs):
        calls.append(request.method)
        raise botocore.exceptions.ReadTimeoutError(endpoint_url=request.url)

    patched_client.append(lambda c: c.meta.events.register("before-send.s3.GetObject", time_out))
    run = run_cli(env=s3_env("a.csv", AWS_MAX_ATTEMPTS="1"))
    assert run.code == 1, run.stdout
    [error] = run.events("error")
    assert error["code"] == "s3_error", error
    assert "download input" in error["message"] and "RetriesExceededError" in error["message"]
    assert "ReadTimeoutError" in error["message"]  # what the last attempt hit
    assert "traceback" not in error
    assert len(calls) > 1  # s3transfer did retry
    assert os.listdir(s3_env.tmp) == []


def test_read_access_denied_is_an_infrastructure_failure(s3, s3_env, patched_client):
    patched_client.append(lambda c: fail_requests(c, "HeadObject", 403, "403"))
    run = run_cli(env=s3_env("a.csv"))
    assert run.code == 1
    assert "s3:ListBucket" in run.events("error")[0]["message"]


def test_missing_configuration_exits_2_without_touching_s3(s3):
    run = run_cli(env={"INPUT_BUCKET": IN_BUCKET})
    assert run.code == 2
    [error] = run.events("error")
    assert "INPUT_KEY, OUTPUT_BUCKET" in error["message"] and error["report"] is None
    assert s3.list_objects_v2(Bucket=OUT_BUCKET)["KeyCount"] == 0


def test_without_the_report_key_a_configuration_error_writes_no_report(s3, s3_env):
    env = s3_env("a.csv")
    del env["INPUT_KEY"]
    run = run_cli(env=env)
    assert run.code == 2 and run.events("error")[0]["code"] == "missing_configuration"
    assert s3.list_objects_v2(Bucket=OUT_BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize("bad", [{"ANALYZER_THREADS": "many"}, {"AWS_MAX_ATTEMPTS": "lots"}, {"INPUT_BUCKET": ""}])
def test_a_configuration_error_exits_2_with_a_report_where_the_report_goes(s3, s3_env, bad):
    """Exit 2 means 'look at the report': also for a bad setting, as long as OUTPUT_BUCKET and INPUT_KEY,
    which name the report, are set."""
    s3.put_object(Bucket=IN_BUCKET, Key="in/a.csv", Body=GOOD.encode())
    run = run_cli(env=s3_env("in/a.csv", **bad))
    assert run.code == 2, run.stdout
    report, _ = get_report(s3, "results/a.csv.analysis.json")
    assert report["status"] == "invalid_configuration" and report["row_count"] is None
    assert report["error"]["code"] in ("invalid_setting", "missing_configuration")
    assert list(bad)[0] in report["error"]["message"]
    [error] = run.events("error")
    assert error["report"] == f"s3://{OUT_BUCKET}/results/a.csv.analysis.json" and error["exit_code"] == 2
    assert not run.events("start") and os.listdir(s3_env.tmp) == []


def test_large_object_is_downloaded_in_parts_with_progress_logs(s3, s3_env):
    line = "12345,some text that pads the line,2024-01-01\n"
    body = ("id,text,day\n" + line * (17_500_000 // len(line))).encode()  # above the 16 MiB multipart threshold
    s3.put_object(Bucket=IN_BUCKET, Key="big.csv", Body=body)
    run = run_cli(env=s3_env("big.csv", ANALYZER_PROGRESS_SECONDS="0.0001"))
    assert run.code == 0, run.stdout[-2000:]
    report, _ = get_report(s3, "results/big.csv.analysis.json")
    assert report["row_count"] == 17_500_000 // len(line)
    assert report["input"]["size_bytes"] == len(body)
    progress = run.events("progress")
    assert any(p["phase"] == "download" for p in progress)
    assert all(0 <= p["percent"] <= 100 for p in progress)
    assert os.listdir(s3_env.tmp) == []

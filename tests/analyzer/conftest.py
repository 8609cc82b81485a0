"""Helpers for the analyzer tests: run the CLI in-process, parse its JSON-line logs, moto S3."""

from __future__ import annotations

import csv
import io
import json

import boto3
import pytest
from moto import mock_aws

from analyzer.__main__ import main

IN_BUCKET, OUT_BUCKET = "in-bucket", "out-bucket"


def csv_text(header: list[str], rows: list[list], lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


class Run:
    def __init__(self, code: int, stdout: str) -> None:
        self.code = code
        self.stdout = stdout
        self.logs = [json.loads(line) for line in stdout.splitlines()]  # every line must be one JSON object

    def events(self, name: str) -> list[dict]:
        return [r for r in self.logs if r["event"] == name]


def run_cli(*argv: str, env: dict | None = None) -> Run:
    out = io.StringIO()
    code = main(list(argv), environ=env or {}, stdout=out)
    return Run(code, out.getvalue())


@pytest.fixture
def s3(monkeypatch, tmp_path):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=IN_BUCKET)
        client.create_bucket(Bucket=OUT_BUCKET)
        yield client


@pytest.fixture
def s3_env(tmp_path):
    """The container's environment for an input key; TMPDIR is a fresh directory the test can inspect."""
    tmp = tmp_path / "task-tmp"
    tmp.mkdir()

    def make(key: str, **extra: str) -> dict:
        return {"INPUT_BUCKET": IN_BUCKET, "INPUT_KEY": key, "OUTPUT_BUCKET": OUT_BUCKET, "TMPDIR": str(tmp),
                "AWS_MAX_ATTEMPTS": "2", **extra}

    make.tmp = tmp
    return make


def get_report(client, key: str) -> tuple[dict, dict]:
    obj = client.get_object(Bucket=OUT_BUCKET, Key=key)
    return json.loads(obj["Body"].read()), obj

"""Fixtures for the analyzer tests: moto S3 and the container's environment."""

from __future__ import annotations

import boto3
import pytest
from analyzer_helpers import IN_BUCKET, OUT_BUCKET
from moto import mock_aws


@pytest.fixture
def s3(monkeypatch):
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

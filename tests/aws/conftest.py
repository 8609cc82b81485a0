"""moto's server on 127.0.0.1 (a real HTTP server, one per test session, reset before each test)
and a scratch project folder holding copies of config/*.yaml."""

from __future__ import annotations

import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from support import FAKE_AWS_ENV, moto_server_running

REPO = Path(__file__).resolve().parents[2]
FAKE_ENV = FAKE_AWS_ENV


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """Start `python -m moto.server` on a free port of 127.0.0.1; stop it at the end of the session."""
    with moto_server_running(["-m", "moto.server"], tmp_path_factory.mktemp("moto") / "server.log") as url:
        yield url


@pytest.fixture
def moto(moto_server, monkeypatch):
    """The server's URL, with its state reset and fake credentials in the environment."""
    req = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=10).read()
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    from generator.aws import deployer

    monkeypatch.setattr(deployer, "POLL_SECONDS", 0.05)
    return moto_server


@pytest.fixture
def boto(moto):
    """boto3 clients on the moto server, for arranging and checking state."""
    import boto3

    return lambda service: boto3.client(service, endpoint_url=moto, region_name="us-east-1")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with config/*.yaml copied from the repo, as the working directory."""
    shutil.copytree(REPO / "config", tmp_path / "config")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(moto):
    """`batchjobs ARGS --endpoint-url <moto>` in-process: (exit code, stdout, stderr)."""
    import io

    from generator.cli import IO, main

    def run(*args: str, stdin: str = "", endpoint: bool = True) -> tuple[int, str, str]:
        argv = list(args) + (["--endpoint-url", moto] if endpoint else [])
        out, err = io.StringIO(), io.StringIO()
        code = main(argv, IO(stdout=out, stderr=err, stdin=io.StringIO(stdin)))
        return code, out.getvalue(), err.getvalue()

    return run

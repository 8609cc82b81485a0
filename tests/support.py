"""Helpers shared by every test folder: `from support import run_cli, build_dict, ...`."""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"


def load_data(name: str) -> Any:
    """One of the recorded-behaviour files in tests/data/ (their sources: tests/data/README.md)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def run_cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run `batchjobs ARGS` in-process: (exit code, stdout, stderr)."""
    from generator.cli import IO, main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), IO(stdout=out, stderr=err, stdin=io.StringIO(stdin)))
    return code, out.getvalue(), err.getvalue()


BASE_SPEC = """\
stack: test-stack
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
"""


def spec_from(text: str, tmp_path: Path | None = None, name: str = "spec.yaml"):
    """A StackSpec from YAML text (dedented); BASE_SPEC supplies stack/cluster/network unless given."""
    from generator.plan import load_spec

    text = textwrap.dedent(text)
    if not text.lstrip().startswith("stack:"):
        text = BASE_SPEC + text
    return load_spec(name, text=text)


def build_dict(text: str) -> dict:
    """The generated template as a plain dict, for a spec written in YAML."""
    from generator.resources import build_template

    template, _ = build_template(spec_from(text))
    return template.to_dict()


# Fake credentials for moto: never a real account (tests/aws/conftest.py puts them in every AWS test's environment).
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@contextlib.contextmanager
def moto_server_running(script: list[str], log: Path):
    """``python <script> -H 127.0.0.1 -p <free port>`` (moto's server, or a launcher of it) until the block ends:
    yields its URL once it answers; the test fails with the server's log if it does not start in 30 s."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    import pytest

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, *script, "-H", "127.0.0.1", "-p", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **FAKE_AWS_ENV})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"moto server did not start:\n{log.read_text()}")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

"""Fixtures for review tests: a throwaway git project with a spec and its committed template."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from support import run_cli

SPEC = """\
stack: reports
cluster: {name: processing}
network: {subnets: [subnet-12345678], security_groups: [sg-87654321]}
notifications: {email: [ops@example.com]}
jobs:
  report:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/report:latest
    permissions:
      s3_read: [user-uploads-bucket]
      s3_write: [analysis-results-bucket/results/]
    triggers:
      - name: uploads
        s3_upload: {bucket: user-uploads-bucket, suffix: .csv}
        environment: {INPUT_KEY: $.detail.object.key}
      - name: nightly
        schedule: "0 2 * * *"
        timezone: Europe/Paris
"""


class GitProject:
    """A project folder under git: config/reports.yaml, and templates/ as `batchjobs generate` writes it."""

    def __init__(self, root: Path):
        self.root = root
        self.spec = root / "config" / "reports.yaml"

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=Review Test", "-c", "user.email=review@example.com", "-c", "commit.gpgsign=false",
             *args],
            cwd=self.root, capture_output=True, text=True, check=True,
        )
        return done.stdout

    def write_spec(self, text: str) -> None:
        self.spec.write_text(textwrap.dedent(text))

    def edit_spec(self, old: str, new: str) -> None:
        text = self.spec.read_text()
        assert old in text, f"{old!r} not in the spec"
        self.spec.write_text(text.replace(old, new, 1))

    def generate(self) -> None:
        code, _, err = run_cli("generate")
        assert code == 0, err

    def commit(self, message: str = "change") -> None:
        self.git("add", "config", "templates")
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def reports_spec() -> str:
    """SPEC, for test modules (`from conftest import` is ambiguous: tests/aws has a conftest.py too)."""
    return SPEC


@pytest.fixture
def git_project(tmp_path, monkeypatch) -> GitProject:
    """config/reports.yaml (SPEC) and its template, committed; the working directory is the project."""
    (tmp_path / "config").mkdir()
    monkeypatch.chdir(tmp_path)
    project = GitProject(tmp_path)
    project.git("init", "-q", "-b", "main")
    project.write_spec(SPEC)
    project.generate()
    project.commit("reports: first version")
    return project

"""Fixtures shared by every test folder. Helpers live in support.py (import it as `support`):
several folders have a conftest.py of their own, so `from conftest import ...` would be ambiguous."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from support import REPO


@pytest.fixture(autouse=True, scope="session")
def _lint_cache(tmp_path_factory):
    """One lint cache for the session, outside the repo: tests never write .batchjobs/ into the checkout,
    and a template linted by one test is not linted again by the next (the key covers rules and cfn-lint)."""
    import os

    previous = os.environ.get("BATCHJOBS_CACHE_DIR")
    os.environ["BATCHJOBS_CACHE_DIR"] = str(tmp_path_factory.mktemp("batchjobs-cache"))
    yield
    if previous is None:
        os.environ.pop("BATCHJOBS_CACHE_DIR", None)
    else:
        os.environ["BATCHJOBS_CACHE_DIR"] = previous


@pytest.fixture
def in_tmp_project(tmp_path, monkeypatch):
    """A project folder with the two committed configs, as the working directory."""
    (tmp_path / "config").mkdir()
    for path in (REPO / "config").glob("*.yaml"):
        (tmp_path / "config" / path.name).write_text(path.read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Specs in tests name at() times and end dates; a schedule whose last run has passed is refused
# (triggers/schedule.py), so every test runs on one fixed day, far enough before them.
TEST_NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    from generator.triggers import schedule

    monkeypatch.setattr(schedule, "now", lambda: TEST_NOW)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*/template.yaml from their spec.yaml (review the diff like code)",
    )


# Property tests explore new examples on developers' machines; CI replays a fixed sequence so that a
# run is reproducible (a failure found locally is kept in .hypothesis/ and replayed first).
try:
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass

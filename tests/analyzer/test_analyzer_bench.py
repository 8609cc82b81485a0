"""benchmarks/analyzer_bench.py is not run in CI, but its bookkeeping is cheap to check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "analyzer_bench.py"


@pytest.fixture
def bench(monkeypatch):
    spec = importlib.util.spec_from_file_location("analyzer_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.time, "sleep", lambda s: None)
    return module


def test_contended_runs_are_retried_and_the_last_is_accepted_without_a_re_run_message(bench, monkeypatch, capsys):
    runs = []

    def contended(cmd):
        runs.append(cmd)
        return {"wall": 1.0, "rss": 1, "cpu": 1.0, "code": 0, "others": 0.5}

    monkeypatch.setattr(bench, "run_once", contended)
    r = bench.measured(["x"], max_others=0.1, retries=3)
    err = capsys.readouterr().err
    assert len(runs) == 3 and r["contended"]
    assert err.count("re-running") == 2  # before attempts 2 and 3, not after the last one
    assert "accepting a contended run" in err.splitlines()[-1]


def test_a_quiet_run_is_taken_at_once(bench, monkeypatch, capsys):
    monkeypatch.setattr(bench, "run_once", lambda cmd: {"wall": 1.0, "rss": 1, "cpu": 1.0, "code": 0, "others": 0.0})
    r = bench.measured(["x"], max_others=0.1, retries=3)
    assert "contended" not in r and capsys.readouterr().err == ""

"""lint/pool.py's Batch: templates linted as they are produced, workers started at the first that needs
linting (or earlier, by ``start``), and pipeline.start_lints, which starts them early for a changed spec."""

from __future__ import annotations

from generator import pipeline
from generator.lint import shared_linter
from generator.lint.cache import LintCache
from generator.lint.pool import Batch

NO_RETENTION = """\
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: x}
"""


def test_a_batch_of_cached_templates_starts_no_worker(tmp_path):
    cache = LintCache(tmp_path)
    first = Batch(cache=cache, workers=1)
    first.add(NO_RETENTION)
    expected = first.results()
    again = Batch(cache=cache, workers=2)
    again.add(NO_RETENTION)
    assert again._pool is None  # cached: no worker started
    assert again.results() == expected


def test_the_first_template_to_lint_starts_the_workers(tmp_path):
    batch = Batch(cache=LintCache(tmp_path), workers=2)
    texts = [NO_RETENTION, NO_RETENTION.replace("x}", "y}"), NO_RETENTION]
    batch.add(texts[0])
    assert len(batch._pool.workers) == 1  # started, and linting while the next templates are added
    batch.add(texts[1])
    assert len(batch._pool.workers) == 2  # a second template waits: a second worker
    batch.add(texts[2])  # the same as the first: linted once
    results = batch.results()
    assert results == [shared_linter().check_text(text) for text in texts]
    assert results[0].findings and batch._pool.workers == []  # stopped once the results are in


def test_workers_started_early_for_nothing_are_shut_down(tmp_path):
    batch = Batch(cache=LintCache(tmp_path), workers=2)
    batch.start()
    assert len(batch._pool.workers) == 1
    assert batch.results() == [] and batch._pool.workers == []


def test_one_core_lints_here(tmp_path):
    batch = Batch(cache=LintCache(tmp_path), workers=1)
    batch.start()
    batch.add(NO_RETENTION)
    assert batch._pool is None
    assert batch.results() == [shared_linter().check_text(NO_RETENTION)]


def test_start_lints_starts_early_only_for_a_spec_not_linted_before(in_tmp_project, monkeypatch, tmp_path):
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BATCHJOBS_LINT_WORKERS", "2")
    paths = sorted((in_tmp_project / "config").glob("*.yaml"))

    def started() -> bool:
        batch = pipeline.start_lints(paths)
        early = batch._pool is not None and len(batch._pool.workers) == 1
        assert batch.results() == []
        return early

    assert started()
    pipeline.remember_linted(paths)
    assert not started()
    paths[0].write_text(paths[0].read_text() + "\n# an edit\n")
    assert started()


def test_generate_remembers_its_specs_once_they_are_linted(in_tmp_project, monkeypatch, tmp_path):
    from support import run_cli

    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path / "cache"))
    paths = sorted((in_tmp_project / "config").glob("*.yaml"))
    assert not any(pipeline._linted_before(path) for path in paths)
    code, _, err = run_cli("generate")
    assert code == 0, err
    assert all(pipeline._linted_before(path) for path in paths)


def test_a_failed_run_ends_the_workers_without_waiting_for_them(tmp_path):
    import pytest

    batch = Batch(cache=LintCache(tmp_path), workers=2)
    with pytest.raises(ValueError):
        with batch:
            batch.start()  # a worker is loading cfn-lint
            processes = [process for process, _ in batch._pool.workers]
            raise ValueError("a spec error, say")
    for process in processes:
        process.join(timeout=10)
    assert processes and not any(process.is_alive() for process in processes)
    assert batch._pool.workers == []


def test_one_template_to_lint_after_an_early_start_uses_the_one_worker(tmp_path):
    batch = Batch(cache=LintCache(tmp_path), workers=2)
    batch.start()  # as generate does for a changed spec
    batch.add(NO_RETENTION)
    assert batch.results() == [shared_linter().check_text(NO_RETENTION)]
    assert batch._pool.started == 1  # cfn-lint loaded once, by the worker started early


def test_a_template_a_worker_fails_on_is_linted_here_where_the_error_shows(tmp_path, monkeypatch):
    import pytest

    from generator.lint import pool

    def fail_in_worker(text):
        raise RuntimeError("cfn-lint failed")

    monkeypatch.setattr(pool, "_check", fail_in_worker)  # the forked worker sees it; this process lints for real
    batch = Batch(cache=LintCache(tmp_path), workers=2)
    batch.add(NO_RETENTION)
    assert batch.results() == [shared_linter().check_text(NO_RETENTION)]

    monkeypatch.setattr(type(shared_linter()), "check_text", lambda self, text: fail_in_worker(text))
    again = Batch(cache=LintCache(tmp_path / "other"), workers=2)
    again.add(NO_RETENTION)
    with pytest.raises(RuntimeError, match="cfn-lint failed"):
        again.results()

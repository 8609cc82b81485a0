"""The lint cache (generator/lint/cache.py) and the parallel linter (generator/lint/pool.py).

An unchanged template is linted once; a change to the template, our rules or cfn-lint's version is a new
question; a damaged entry is ignored; results are the same from the cache, this process or the workers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import lint
from generator.lint import Linter, LintResult, shared_linter
from generator.lint import cache as lint_cache
from generator.lint import pool
from generator.lint.cache import LintCache, key_for, linter_digest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO / "templates").glob("*.yaml"))
# a template with a finding (W9501: no retention) and one with a note (I9601), so results are not all empty
NO_RETENTION = """\
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: x}
"""
S3_RULE = """\
Resources:
  Uploads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [aws.s3], detail-type: [Object Created], detail: {bucket: {name: [raw-bucket]}}}
      Targets: [{Id: q, Arn: 'arn:aws:sqs:us-east-1:123456789012:q'}]
"""


@pytest.fixture
def counted(monkeypatch):
    """Counts the templates this process lints (workers: see the parallel tests)."""
    calls: list[str] = []
    real = Linter.check_text

    def check_text(self, text):
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(Linter, "check_text", check_text)
    return calls


def serial(texts, cache):
    return pool.check_texts(texts, cache=cache, workers=1)


def test_an_unchanged_template_is_linted_once(tmp_path, counted):
    cache = LintCache(tmp_path)
    first = serial([NO_RETENTION, S3_RULE], cache)
    assert "W9501" in {f.rule_id for f in first[0].findings} and first[1].notes[0].rule_id == "I9601"
    assert len(counted) == 2
    again = serial([S3_RULE, NO_RETENTION, S3_RULE], cache)
    assert len(counted) == 2  # all three from the cache
    assert again == [first[1], first[0], first[1]]


def test_the_same_template_twice_in_one_run_is_linted_once(tmp_path, counted):
    results = serial([NO_RETENTION, NO_RETENTION], LintCache(tmp_path))
    assert len(counted) == 1 and results[0] == results[1]


def test_a_changed_template_is_linted_again(tmp_path, counted):
    cache = LintCache(tmp_path)
    serial([NO_RETENTION], cache)
    fixed = NO_RETENTION.replace("{LogGroupName: x}", "{LogGroupName: x, RetentionInDays: 30}")
    (result,) = serial([fixed], cache)
    assert len(counted) == 2 and "W9501" not in {f.rule_id for f in result.findings}


def test_another_cfn_lint_version_is_a_miss(tmp_path, counted, monkeypatch):
    cache = LintCache(tmp_path)
    serial([NO_RETENTION], cache)
    before = linter_digest()
    monkeypatch.setattr(lint_cache, "cfn_lint_version", lambda: "0.0.1")
    linter_digest.cache_clear()
    try:
        assert linter_digest() != before
        serial([NO_RETENTION], cache)
        assert len(counted) == 2
    finally:
        linter_digest.cache_clear()


def test_a_change_to_one_of_our_rules_is_a_miss(tmp_path, counted, monkeypatch):
    cache = LintCache(tmp_path / "cache")
    serial([NO_RETENTION], cache)
    before = linter_digest()
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in lint.RULES_DIR.glob("*.py"):
        (rules / path.name).write_bytes(path.read_bytes())
    edited = rules / "W9501_log_group_retention.py"
    edited.write_text(edited.read_text() + "\n# a changed rule\n")
    monkeypatch.setattr(lint, "RULES_DIR", rules)
    linter_digest.cache_clear()
    try:
        assert linter_digest() != before
        assert key_for(NO_RETENTION) != key_for(NO_RETENTION, before)
        serial([NO_RETENTION], cache)
        assert len(counted) == 2
    finally:
        linter_digest.cache_clear()


def entry(cache: LintCache, text: str) -> Path:
    (path,) = cache.root.glob(f"*/{key_for(text)}.json")
    return path


def edited(data: bytes, **changes) -> bytes:
    return json.dumps({**json.loads(data), **changes}).encode()


def first_line_as_text(data: bytes) -> bytes:
    entry = json.loads(data)
    entry["findings"][0]["line"] = str(entry["findings"][0]["line"])
    return json.dumps(entry).encode()


def first_line_moved(data: bytes) -> bytes:
    entry = json.loads(data)
    entry["findings"][0]["line"] += 1  # well-formed, but not what was written
    return json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # an empty file (a crash before the data reached the disk)
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"\xff\xfe not json",
        lambda data: b"[]",
        lambda data: edited(data, key="0" * 64),  # another template's entry
        lambda data: edited(data, format=0),
        lambda data: edited(data, findings=[]),  # a finding dropped
        lambda data: edited(data, findings=[{"rule_id": "W9501"}]),
        first_line_as_text,
        first_line_moved,
    ],
    ids=["empty", "cut", "bytes", "list", "key", "format", "dropped", "fields", "type", "moved"],
)
def test_a_damaged_entry_is_ignored_and_replaced(tmp_path, counted, damage):
    cache = LintCache(tmp_path)
    (fresh,) = serial([NO_RETENTION], cache)
    path = entry(cache, NO_RETENTION)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(key_for(NO_RETENTION)) is None
    assert serial([NO_RETENTION], cache) == [fresh]
    assert len(counted) == 2
    assert cache.get(key_for(NO_RETENTION)) == fresh  # rewritten whole


def test_an_unwritable_cache_only_costs_a_lint(tmp_path, counted):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = LintCache(blocker / "lint")
    assert serial([NO_RETENTION], cache) == serial([NO_RETENTION], LintCache(None))
    assert len(counted) == 2


def test_the_cache_location(tmp_path, monkeypatch):
    monkeypatch.delenv("BATCHJOBS_CACHE_DIR", raising=False)
    assert lint_cache.cache_dir() == Path(".batchjobs/cache/lint")  # under the project, gitignored
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", str(tmp_path))
    assert lint_cache.cache_dir() == tmp_path / "lint"
    monkeypatch.setenv("BATCHJOBS_CACHE_DIR", "off")
    assert lint_cache.cache_dir() is None
    cache = LintCache.default()
    cache.put("ab" * 32, LintResult([], []))
    assert cache.get("ab" * 32) is None and list(tmp_path.iterdir()) == []


def test_parallel_results_are_the_serial_results(tmp_path):
    texts = [p.read_text() for p in TEMPLATES] + [NO_RETENTION, S3_RULE, "Resources: [not, a, mapping]\n"]
    parallel = pool.check_texts(texts, cache=LintCache(None), workers=2)
    assert parallel == [shared_linter().check_text(text) for text in texts]
    assert any(r.findings for r in parallel) and any(r.notes for r in parallel)


def test_workers_fill_the_cache(tmp_path, counted):
    cache = LintCache(tmp_path)
    texts = [NO_RETENTION, S3_RULE]
    parallel = pool.check_texts(texts, cache=cache, workers=2)
    assert counted == []  # linted in the workers, not here
    assert serial(texts, cache) == parallel and counted == []


def test_a_pool_that_cannot_start_falls_back_to_this_process(monkeypatch, counted):
    import multiprocessing.context

    def refuse(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # e.g. no POSIX semaphores in a sandbox

    monkeypatch.setattr(multiprocessing.context.BaseContext, "Pipe", refuse)
    texts = [NO_RETENTION, S3_RULE]
    assert pool.check_texts(texts, cache=LintCache(None), workers=2) == [shared_linter().check_text(t) for t in texts]
    assert len(counted) == 4


def test_a_worker_that_dies_leaves_the_rest_to_this_process(monkeypatch):
    monkeypatch.setattr(pool, "_check", _die_on_s3)
    texts = [NO_RETENTION, S3_RULE, NO_RETENTION.replace("x}", "y}")]
    results = pool.check_texts(texts, cache=LintCache(None), workers=2)
    assert results == [shared_linter().check_text(t) for t in texts]


def _die_on_s3(text: str) -> LintResult:
    if "aws.s3" in text:
        os._exit(1)  # a worker killed (out of memory, a signal)
    return shared_linter().check_text(text)


def run_generate(project: Path, cache: str, seed: str, *extra: str, workers: str = "1") -> subprocess.CompletedProcess:
    """generate in a new process; with one worker, cfn-lint is imported in that process exactly when it lints."""
    env = dict(os.environ, PYTHONPATH=str(REPO), BATCHJOBS_CACHE_DIR=cache, PYTHONHASHSEED=seed,
               BATCHJOBS_LINT_WORKERS=workers)
    code = (
        "import sys; from generator.cli import main; code = main(sys.argv[1:]);"
        "print('cfnlint imported' if 'cfnlint' in sys.modules else 'cfnlint not imported', file=sys.stderr);"
        "sys.exit(code)"
    )
    return subprocess.run([sys.executable, "-c", code, "generate", *extra], cwd=project, env=env,
                          capture_output=True, text=True)


def test_output_is_the_same_with_and_without_the_cache_and_across_hash_seeds(in_tmp_project, tmp_path):
    project = in_tmp_project
    cache = str(tmp_path / "cache")
    runs = []
    for label, cache_dir, seed, workers in (
        ("no cache", "off", "0", "1"),
        ("no cache, parallel", "off", "3", "2"),
        ("cold", cache, "1", "1"),
        ("warm", cache, "2", "1"),
        ("warm", cache, "random", "1"),
    ):
        done = run_generate(project, cache_dir, seed, workers=workers)
        assert done.returncode == 0, done.stderr
        texts = {p.name: p.read_bytes() for p in sorted((project / "templates").glob("*.yaml"))}
        runs.append((label, texts, done.stderr))
    committed = {p.name: p.read_bytes() for p in TEMPLATES}
    for label, texts, stderr in runs:
        assert texts == committed, label
        *messages, imported = stderr.splitlines()
        assert messages == runs[0][2].splitlines()[:-1], label  # the same warnings and notes, cached or not
        if "parallel" not in label:  # (the parallel run lints in its workers)
            assert imported == ("cfnlint not imported" if label == "warm" else "cfnlint imported"), label


def test_an_unchanged_generate_does_not_load_cfn_lint_and_a_changed_spec_does(in_tmp_project, tmp_path):
    cache = str(tmp_path / "cache")
    assert run_generate(in_tmp_project, cache, "0").returncode == 0
    spec = in_tmp_project / "config" / "daily-data-processor.yaml"
    spec.write_text(spec.read_text().replace("cpu: 256\n    memory: 512", "cpu: 512\n    memory: 1024"))
    done = run_generate(in_tmp_project, cache, "0")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "cfnlint imported"
    check = run_generate(in_tmp_project, cache, "0", "--check")
    assert check.returncode == 0 and check.stderr.splitlines()[-1] == "cfnlint not imported"


def test_results_linted_before_a_failure_are_kept(tmp_path, monkeypatch):
    cache = LintCache(tmp_path)
    real = Linter.check_text

    def check_text(self, text):
        if "aws.s3" in text:
            raise KeyboardInterrupt  # Ctrl-C half-way through a long cold run
        return real(self, text)

    monkeypatch.setattr(Linter, "check_text", check_text)
    with pytest.raises(KeyboardInterrupt):
        serial([NO_RETENTION, S3_RULE], cache)
    assert cache.get(key_for(NO_RETENTION)) is not None and cache.get(key_for(S3_RULE)) is None

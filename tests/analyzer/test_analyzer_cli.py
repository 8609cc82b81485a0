"""Local mode (--input/--output), logs as JSON lines, the real `python -m analyzer` entry point."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from analyzer_helpers import csv_text, run_cli

from analyzer.__main__ import output_key
from analyzer.settings import default_memory_limit, from_env, parse_bytes

REPO = Path(__file__).resolve().parents[2]
TEXT = csv_text(["id", "city", "temp"], [[i, ["Oslo", "Lima"][i % 2], i / 4] for i in range(40)])


def test_local_mode_writes_the_report_and_logs_json_lines(tmp_path):
    src, out = tmp_path / "data.csv", tmp_path / "report.json"
    src.write_text(TEXT)
    run = run_cli("--input", str(src), "--output", str(out), env={"TMPDIR": str(tmp_path)})
    assert run.code == 0
    report = json.loads(out.read_text())
    assert report["input"] == {"path": str(src), "size_bytes": len(TEXT)}
    assert report["row_count"] == 40
    assert report["columns"][1]["most_frequent"] in (["Oslo", "Lima"], ["Lima", "Oslo"])
    start, result = run.logs
    assert start["event"] == "start" and start["level"] == "info" and start["version"] == report["analyzer_version"]
    assert result["event"] == "result" and result["rows"] == 40 and result["exit_code"] == 0
    assert all(r["time"].endswith("Z") for r in run.logs)
    assert sorted(os.listdir(tmp_path)) == ["data.csv", "report.json"]  # no temp files left


def test_unusable_input_still_writes_a_report(tmp_path):
    src, out = tmp_path / "bad.csv", tmp_path / "report.json"
    src.write_bytes(b"\x00\x01\x02binary")
    run = run_cli("--input", str(src), "--output", str(out))
    assert run.code == 2
    report = json.loads(out.read_text())
    assert report["status"] == "unusable_input" and report["error"]["code"] == "binary"
    assert report["columns"] == [] and report["row_count"] is None


def test_missing_local_input_exits_2(tmp_path):
    run = run_cli("--input", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "r.json"))
    assert run.code == 2 and run.events("error")[0]["code"] == "input_not_found"


def test_unwritable_output_exits_1_and_leaves_nothing(tmp_path):
    src = tmp_path / "data.csv"
    src.write_text(TEXT)
    run = run_cli("--input", str(src), "--output", str(tmp_path / "missing-dir" / "r.json"))
    assert run.code == 1
    assert run.events("error")[0]["code"] == "local_io"


def test_an_existing_report_is_replaced_whole(tmp_path):
    src, out = tmp_path / "data.csv", tmp_path / "report.json"
    src.write_text(TEXT)
    out.write_text("old")
    assert run_cli("--input", str(src), "--output", str(out)).code == 0
    assert json.loads(out.read_text())["row_count"] == 40


def test_input_without_output_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        run_cli("--input", "x.csv")
    assert info.value.code == 2


@pytest.mark.parametrize("env,message", [
    ({"ANALYZER_THREADS": "many"}, "ANALYZER_THREADS"),
    ({"CSV_DELIMITER": ";;"}, "CSV_DELIMITER"),
    ({"ANALYZER_THREADS": "0"}, "ANALYZER_THREADS"),
    ({"ANALYZER_MEMORY_LIMIT": "lots"}, "ANALYZER_MEMORY_LIMIT"),
])
def test_invalid_settings_exit_2(tmp_path, env, message):
    src = tmp_path / "data.csv"
    src.write_text(TEXT)
    run = run_cli("--input", str(src), "--output", str(tmp_path / "r.json"), env=env)
    assert run.code == 2 and message in run.events("error")[0]["message"]
    report = json.loads((tmp_path / "r.json").read_text())  # exit 2: the report says why
    assert report["status"] == "invalid_configuration" and report["error"]["code"] == "invalid_setting"
    assert message in report["error"]["message"] and report["input"] == {"path": str(src)}


def test_semicolon_delimiter(tmp_path):
    src, out = tmp_path / "data.csv", tmp_path / "r.json"
    src.write_text("a;b\n1;x,y\n2;z\n")
    assert run_cli("--input", str(src), "--output", str(out), env={"CSV_DELIMITER": ";"}).code == 0
    report = json.loads(out.read_text())
    assert [c["name"] for c in report["columns"]] == ["a", "b"] and report["columns"][1]["max_length"] == 3


def test_settings_defaults_and_parsing():
    s = from_env({"ANALYZER_MEMORY_LIMIT": "200MB", "ANALYZER_THREADS": "1", "CSV_DELIMITER": "\\t"})
    assert (s.memory_limit_bytes, s.threads, s.delimiter) == (200_000_000, 1, "\t")
    assert parse_bytes("1GiB") == 2**30 and parse_bytes("512") == 512
    mib = 2**20
    assert default_memory_limit(24 * 2**30, threads=2) == 128 * mib
    assert default_memory_limit(24 * 2**30, threads=4) == 192 * mib
    assert default_memory_limit(512 * mib, threads=4) == 192 * mib  # a 512 MiB Fargate task
    assert default_memory_limit(256 * mib, threads=2) == 128 * mib
    assert default_memory_limit(128 * mib, threads=2) == 96 * mib


def test_the_default_memory_limit_grows_with_the_columns_within_the_task():
    mib, task = 2**20, 1024 * 2**20  # the job's 1 GiB Fargate task
    assert default_memory_limit(task, threads=2, columns=8) == 134 * mib  # the benchmark's shape
    assert default_memory_limit(task, threads=2, columns=400) == 428 * mib
    assert default_memory_limit(task, threads=1, columns=400) == 246 * mib
    assert default_memory_limit(task, threads=2, columns=5000) == 512 * mib  # never above half the task
    s = from_env({"ANALYZER_THREADS": "2"})
    assert s.memory_limit_auto and s.memory_limit_for(400) == default_memory_limit(s.available_memory_bytes, 2, 400)
    fixed = from_env({"ANALYZER_THREADS": "2", "ANALYZER_MEMORY_LIMIT": "200MiB"})
    assert not fixed.memory_limit_auto and fixed.memory_limit_for(400) == 200 * mib


def wide_csv(path, columns: int = 400, rows: int = 10_000) -> None:
    """Integers, floats, a 3-value string and a many-valued string, repeated across the columns."""
    def row(r: int) -> str:
        return ",".join(str(r) if i % 4 == 0 else f"{r % 1000 / 8}" if i % 4 == 1 else "xyz"[(r + i) % 3]
                        if i % 4 == 2 else f"w{r * 7919 % 1000003}" for i in range(columns))
    with open(path, "w") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        f.writelines(row(r) + "\n" for r in range(rows))


def test_a_wide_file_fits_the_default_memory_limit(tmp_path):
    """400 columns ran out of memory at the 128 MiB a narrow file gets with 2 threads."""
    src, out = tmp_path / "wide.csv", tmp_path / "r.json"
    wide_csv(src)
    run = run_cli("--input", str(src), "--output", str(out), env={"ANALYZER_THREADS": "2", "TMPDIR": str(tmp_path)})
    assert run.code == 0, run.stdout[-1000:]
    report = json.loads(out.read_text())
    assert (report["row_count"], report["column_count"]) == (10_000, 400)
    assert [c["type"] for c in report["columns"][:4]] == ["integer", "float", "string", "string"]
    settings = from_env({"ANALYZER_THREADS": "2"})
    assert report["engine"]["threads"] == 2 and "out_of_memory_retry" not in report["engine"]
    assert report["engine"]["memory_limit_bytes"] == settings.memory_limit_for(400) > settings.memory_limit_bytes
    assert run.events("result")[0]["memory_limit_bytes"] == report["engine"]["memory_limit_bytes"]


def test_out_of_memory_with_two_threads_is_retried_with_one(tmp_path):
    """This file needs about 256 MiB with 2 threads and 153 MiB with 1 (measured)."""
    src, out = tmp_path / "wide.csv", tmp_path / "r.json"
    wide_csv(src)
    env = {"ANALYZER_THREADS": "2", "ANALYZER_MEMORY_LIMIT": "200MiB", "TMPDIR": str(tmp_path)}
    run = run_cli("--input", str(src), "--output", str(out), env=env)
    assert run.code == 0, run.stdout[-1000:]
    report = json.loads(out.read_text())
    assert report["column_count"] == 400 and report["engine"]["threads"] == 1
    assert report["engine"]["out_of_memory_retry"]["threads"] == 2
    assert "out of memory" in report["engine"]["out_of_memory_retry"]["message"]
    assert report["engine"]["memory_limit_bytes"] == 200 * 2**20


@pytest.mark.parametrize("key,prefix,expected", [
    ("incoming/2024/sales.csv", "results/", "results/sales.csv.analysis.json"),
    ("sales.csv", "", "sales.csv.analysis.json"),
    ("a/b c+d.csv", "out/", "out/b c+d.csv.analysis.json"),
])
def test_output_key(key, prefix, expected):
    assert output_key(key, prefix) == expected


def test_python_dash_m_entry_point(tmp_path):
    src, out = tmp_path / "data.csv", tmp_path / "report.json"
    src.write_text(TEXT)
    proc = subprocess.run([sys.executable, "-m", "analyzer", "--input", str(src), "--output", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["event"] for line in proc.stdout.splitlines()] == ["start", "result"]
    assert proc.stderr == ""
    assert json.loads(out.read_text())["row_count"] == 40


def test_nothing_is_written_outside_tmpdir(tmp_path):
    """What a read-only root filesystem needs: the working directory and HOME stay untouched."""
    cwd, tmp, data = tmp_path / "cwd", tmp_path / "tmp", tmp_path / "data"
    for d in (cwd, tmp, data):
        d.mkdir()
    src = data / "data.csv"
    src.write_text(TEXT)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd),
           "TMPDIR": str(tmp)}
    proc = subprocess.run([sys.executable, "-m", "analyzer", "--input", str(src), "--output", str(data / "r.json")],
                          cwd=cwd, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.listdir(cwd) == [] and os.listdir(tmp) == []


def test_image_files_are_consistent():
    here = REPO / "analyzer"
    pins = [line for line in (here / "requirements.txt").read_text().splitlines() if line and line[0] != "#"]
    assert all("==" in line for line in pins)
    assert any(line.startswith("duckdb==2.") for line in pins)
    dockerfile = (here / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "-m", "analyzer"]' in dockerfile
    assert "USER 10001" in dockerfile and "FROM python:3.11-slim" in dockerfile
    assert (here / ".dockerignore").read_text().splitlines()[-2:] == ["!*.py", "!requirements.txt"]


def test_running_out_of_memory_is_an_infrastructure_failure(tmp_path):
    src, out = tmp_path / "big.csv", tmp_path / "r.json"
    src.write_text('a,b\n1,"' + "x" * 10_000_000 + '"\n')
    run = run_cli("--input", str(src), "--output", str(out), env={"ANALYZER_MEMORY_LIMIT": "4MiB"})
    assert run.code == 1
    error = run.events("error")[0]
    assert error["code"] == "out_of_memory" and "ANALYZER_MEMORY_LIMIT" in error["message"]
    assert not out.exists()


def test_sigterm_during_the_scan_exits_143_and_writes_nothing(tmp_path):
    """ECS stops a task with SIGTERM: a `terminated` line (not an internal_error with a traceback),
    exit 128 + 15, no report, no temporary files."""
    src, out, tmp = tmp_path / "big.csv", tmp_path / "report.json", tmp_path / "tmp"
    tmp.mkdir()
    block = "".join(f"{i},text number {i % 977} with some padding,{i * 0.25}\n" for i in range(20_000))
    with open(src, "w") as f:
        f.write("a,b,c\n")
        for _ in range(100):  # ~100 MB: seconds of scanning with one thread
            f.write(block)
    env = {**os.environ, "TMPDIR": str(tmp), "ANALYZER_THREADS": "1", "ANALYZER_PROGRESS_SECONDS": "0.05"}
    proc = subprocess.Popen([sys.executable, "-m", "analyzer", "--input", str(src), "--output", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    for line in proc.stdout:
        lines.append(json.loads(line))
        if lines[-1]["event"] == "progress" and lines[-1]["phase"].startswith("profile pass"):
            proc.send_signal(signal.SIGTERM)
            break
    rest, stderr = proc.communicate(timeout=60)
    lines += [json.loads(line) for line in rest.splitlines()]
    assert proc.returncode == 143, lines
    assert lines[-1]["event"] == "terminated" and lines[-1]["signal"] == "SIGTERM", lines[-1]
    assert lines[-1]["exit_code"] == 143
    assert not any(r["event"] in ("error", "result") for r in lines), lines
    assert stderr == ""
    assert not out.exists() and os.listdir(tmp) == []

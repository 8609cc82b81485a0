"""`batchjobs generate` and `batchjobs lint` end to end, in-process and as a real process."""

import os
import subprocess
import sys
from pathlib import Path

from support import REPO, run_cli


def test_generate_writes_lint_clean_templates(in_tmp_project):
    code, out, err = run_cli("generate")
    assert code == 0, err
    written = sorted(p.name for p in (in_tmp_project / "templates").glob("*.yaml"))
    assert written == ["csv-analyzer.yaml", "daily-data-processor.yaml"]
    assert "templates/csv-analyzer.yaml: written" in out
    assert "bucket user-uploads-bucket must send events to EventBridge" in err
    assert run_cli("lint")[0] == 0


def test_generated_templates_match_the_committed_ones(in_tmp_project):
    run_cli("generate")
    for path in (REPO / "templates").glob("*.yaml"):
        assert (in_tmp_project / "templates" / path.name).read_text() == path.read_text(), path.name


def test_check_names_stale_and_orphan_templates_and_writes_nothing(in_tmp_project):
    assert run_cli("generate")[0] == 0
    stale = in_tmp_project / "templates" / "daily-data-processor.yaml"
    stale.write_text(stale.read_text().replace("cron(0 2 * * ? *)", "cron(0 3 * * ? *)"))
    orphan = in_tmp_project / "templates" / "old-stack.yaml"
    orphan.write_text("x: 1\n")
    before = stale.read_text()
    code, _, err = run_cli("generate", "--check")
    assert code == 1
    assert "stale: templates/daily-data-processor.yaml (from config/daily-data-processor.yaml)" in err
    assert "stale: templates/old-stack.yaml" in err
    assert stale.read_text() == before  # --check writes nothing


def test_check_passes_when_up_to_date(in_tmp_project):
    run_cli("generate")
    code, out, _ = run_cli("generate", "--check")
    assert (code, out.strip()) == (0, "2 template(s) up to date")


def test_bad_spec_exits_2_with_location_and_writes_nothing(in_tmp_project):
    assert run_cli("generate")[0] == 0
    before = {p.name: p.read_text() for p in (in_tmp_project / "templates").glob("*.yaml")}
    bad = in_tmp_project / "config" / "daily-data-processor.yaml"
    bad.write_text(bad.read_text().replace("cpu: 256", "cpu: 300").replace("environment:", "enviroment:"))
    # a good config is changed too: it must not be written either
    good = in_tmp_project / "config" / "csv-analyzer.yaml"
    good.write_text(good.read_text().replace("memory: 1024", "memory: 2048"))
    code, out, err = run_cli("generate")
    assert code == 2
    assert "config/daily-data-processor.yaml:8:10: jobs.data-processor.cpu: 300 is not a Fargate CPU value" in err
    assert "jobs.data-processor.enviroment: unknown field 'enviroment'; did you mean 'environment'?" in err
    assert "Traceback" not in err and out == ""
    assert {p.name: p.read_text() for p in (in_tmp_project / "templates").glob("*.yaml")} == before


def test_missing_config_file_is_a_usage_error(in_tmp_project):
    code, _, err = run_cli("generate", "config/nope.yaml")
    assert code == 2 and "no such config file: config/nope.yaml" in err


def test_lint_reports_findings_with_rule_and_line(in_tmp_project, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      MessageRetentionPeriod: 5\n"
    )
    code, out, err = run_cli("lint", str(broken))
    assert code == 1
    assert f"{broken}:5:" in out and "E3034" in out
    assert "finding(s) in 1 template(s)" in err


def test_generate_is_byte_identical_across_hash_seeds(tmp_path):
    outputs = []
    for seed in ("0", "12345"):
        out_dir = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "generator.cli", "generate", "--out", str(out_dir)],
            cwd=REPO, env=env, check=True, capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out_dir.glob("*.yaml"))})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


def test_console_script_runs_without_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("stack: x\n\tjobs: {}\n")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(bad), "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:2:1: YAML syntax error")
    assert "Traceback" not in result.stderr
    assert not list(Path(tmp_path).glob("*.yaml.*"))

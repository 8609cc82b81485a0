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
    # the reminder is our lint rule I9601's note, pointing at the rule in the written template
    assert "note: templates/csv-analyzer.yaml:" in err
    assert "I9601 CsvAnalyzerTrigger1Rule: bucket user-uploads-bucket must send events to EventBridge" in err
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
    assert (code, out.strip()) == (0, "4 template(s) up to date")  # nightly-reports: dev and prod


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


def _files(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (temporaries included) -> its text; directories -> '<dir>'."""
    return {str(p.relative_to(folder)): ("<dir>" if p.is_dir() else p.read_text()) for p in sorted(folder.rglob("*"))}


def test_a_directory_in_the_way_exits_2_naming_it_and_writes_no_template(in_tmp_project):
    templates = in_tmp_project / "templates"
    (templates / "daily-data-processor.yaml").mkdir(parents=True)
    code, out, err = run_cli("generate")
    assert code == 2
    assert err.endswith("error: cannot write templates/daily-data-processor.yaml: Is a directory; nothing was written\n")
    assert "Traceback" not in err and out == ""
    # csv-analyzer.yaml comes first and is fine: it is not written either
    assert _files(templates) == {"daily-data-processor.yaml": "<dir>"}


def test_an_output_folder_that_is_a_file_exits_2_naming_it(in_tmp_project):
    (in_tmp_project / "out").write_text("not a folder\n")
    code, out, err = run_cli("generate", "--out", "out/templates")
    assert code == 2
    assert err.endswith("error: cannot write out: Not a directory; nothing was written\n")
    assert (in_tmp_project / "out").read_text() == "not a folder\n"


def test_a_rename_that_fails_midway_puts_back_the_templates_already_replaced(in_tmp_project, monkeypatch):
    """All temporaries are written before the first rename; if a later rename still fails, the earlier
    ones are undone, so templates/ never mixes old and new output."""
    import generator.fsutil

    assert run_cli("generate")[0] == 0
    templates = in_tmp_project / "templates"
    before = _files(templates)
    for config in (in_tmp_project / "config").glob("*.yaml"):  # both templates change
        config.write_text(config.read_text().replace("subnet-12345678", "subnet-0abcdef1"))
    real_replace = os.replace
    seen = []

    def replace(src, dst):
        if str(dst).endswith(".yaml"):
            seen.append((Path(src).exists(), sorted(p.name for p in templates.glob(".*.tmp"))))
            if len(seen) == 2:
                raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(generator.fsutil.os, "replace", replace)
    code, out, err = run_cli("generate")
    assert code == 2
    assert err.endswith("error: cannot write templates/daily-data-processor.yaml: Permission denied; nothing was written\n")
    assert len(seen[0][1]) == 2, "both temporaries exist before the first rename"
    assert _files(templates) == before  # the first template was put back; no temporaries left


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


def test_an_unexpected_error_is_exit_70_with_one_line_and_no_traceback(monkeypatch):
    import generator.commands.schema as schema

    def broken(args, io):
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "run", broken)
    code, out, err = run_cli("schema")
    assert (code, out) == (70, "")
    assert err == "internal error: RuntimeError: boom (run with --debug for the traceback)\n"

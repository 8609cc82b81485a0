"""review of a spec with environments: each environment's stack and diff, and how the environments differ."""

from __future__ import annotations

from support import run_cli

ENVIRONMENTS = """\
environments:
  dev:
    account: "123456789012"
    region: us-east-1
    jobs:
      report:
        triggers: [{name: nightly, enabled: false}]
  prod:
    account: "210987654321"
    region: eu-west-1
    jobs:
      report:
        cpu: 1024
        memory: 2048
        permissions: {s3_write: [analysis-results-bucket/]}
"""
NOW = "2026-01-05T00:00:00Z"


def test_review_shows_both_environments_and_what_prod_has_that_dev_does_not(reports_spec, git_project):
    git_project.write_spec(reports_spec + ENVIRONMENTS)
    git_project.generate()
    code, out, err = run_cli("review", "--now", NOW)
    assert code == 0, err
    assert "stack reports-dev (config/reports.yaml)" in out and "stack reports-prod (config/reports.yaml)" in out
    summary = out[out.index("environments of reports (config/reports.yaml): dev, prod"):]
    assert "  dev: stack reports-dev in account 123456789012, us-east-1 (templates/dev/reports.yaml)" in summary
    assert "  prod: stack reports-prod in account 210987654321, eu-west-1 (templates/prod/reports.yaml)" in summary
    assert "  prod compared with dev\n    set differently (dev -> prod)" in summary
    assert "ReportNightlySchedule.Properties.State: DISABLED -> ENABLED" in summary
    assert "ReportTaskDefinition.Properties.Cpu: 256 -> 1024" in summary  # Fargate's smallest, the default
    # the stack name inside names is not a difference
    assert "reports-dev" not in summary.split("set differently")[1]
    more = summary.split("permissions prod grants that dev does not")[1].split("permissions dev grants")[0]
    assert "ReportTaskRole policy least-privilege: s3:PutObject gains resource" in more and "analysis-results-bucket/*" in more


def test_review_against_a_revision_diffs_each_environment_with_its_own_committed_template(reports_spec, git_project):
    git_project.write_spec(reports_spec + ENVIRONMENTS)
    git_project.generate()
    git_project.commit("environments")
    git_project.edit_spec("        memory: 2048", "        memory: 4096")
    git_project.generate()
    code, out, err = run_cli("review", "--against", "HEAD", "--now", NOW)
    assert code == 0, err
    dev, prod = out.split("stack reports-prod (config/reports.yaml)")
    assert "Changes since HEAD (templates/dev/reports.yaml)\n  no changes since HEAD" in dev
    assert "Changes since HEAD (templates/prod/reports.yaml)" in prod
    assert "Properties.ContainerDefinitions[0].Memory, Properties.Memory" in prod and "no changes since HEAD" not in prod


def test_review_markdown_has_an_environments_section(reports_spec, git_project):
    git_project.write_spec(reports_spec + ENVIRONMENTS)
    git_project.generate()
    code, out, err = run_cli("review", "--format", "markdown", "--now", NOW)
    assert code == 0, err
    assert "## Environments of `reports` (`config/reports.yaml`)" in out
    assert "### prod compared with dev" in out and "- `ReportTaskDefinition.Properties.Cpu: 256 -> 1024`" in out


def test_review_of_a_spec_without_environments_has_no_environments_section(reports_spec, git_project):
    code, out, _ = run_cli("review", "--now", NOW)
    assert code == 0 and "environments of" not in out and "Environments of" not in out

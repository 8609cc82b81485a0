"""A spec with `environments` (config/nightly-reports.yaml): generate, --check and lint per environment."""

from __future__ import annotations

import yaml

from support import REPO, run_cli


def template(path):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !Sub, !Ref: not needed here
    return yaml.load(path.read_text(), Loader=Loader)


def test_generate_writes_one_template_per_environment_and_they_match_the_committed_ones(in_tmp_project):
    code, out, err = run_cli("generate")
    assert code == 0, err
    assert "templates/dev/nightly-reports.yaml: written" in out and "templates/prod/nightly-reports.yaml: written" in out
    assert not (in_tmp_project / "templates" / "nightly-reports.yaml").exists()
    for env in ("dev", "prod"):
        committed = REPO / "templates" / env / "nightly-reports.yaml"
        assert (in_tmp_project / "templates" / env / "nightly-reports.yaml").read_text() == committed.read_text()
    code, out, _ = run_cli("lint")
    assert code == 0 and "4 template(s): no findings" in out


def test_the_environments_differ_as_the_spec_says():
    dev = template(REPO / "templates" / "dev" / "nightly-reports.yaml")["Resources"]
    prod = template(REPO / "templates" / "prod" / "nightly-reports.yaml")["Resources"]
    task = lambda r: r["SalesReportTaskDefinition"]["Properties"]  # noqa: E731
    assert (task(dev)["Cpu"], task(dev)["Memory"], task(prod)["Cpu"], task(prod)["Memory"]) == ("256", "512", "1024", "2048")
    assert (task(dev)["Family"], task(prod)["Family"]) == ("nightly-reports-dev-sales-report", "nightly-reports-prod-sales-report")
    rules = lambda r: {k: v["Properties"]["State"] for k, v in r.items() if k.startswith("SalesReport") and v["Type"] == "AWS::Events::Rule" and "Trigger" not in k and k != "SalesReportTaskFailedRule"}  # noqa: E731
    assert rules(dev) == {"SalesReportNightlyRule": "DISABLED", "SalesReportRebuildRule": "ENABLED"}
    assert rules(prod) == {"SalesReportNightlyRule": "ENABLED", "SalesReportRebuildRule": "ENABLED"}
    network = lambda r: r["SalesReportNightlyRule"]["Properties"]["Targets"][0]["EcsParameters"]["NetworkConfiguration"]["AwsVpcConfiguration"]  # noqa: E731
    assert network(dev)["Subnets"] == ["subnet-0a1b2c3d"] and network(prod)["Subnets"] == ["subnet-1a2b3c4d", "subnet-5e6f7a8b"]
    assert [s["Endpoint"] for s in dev["AlarmTopic"]["Properties"]["Subscription"]] == ["reports-dev@example.com"]
    assert [s["Endpoint"] for s in prod["AlarmTopic"]["Properties"]["Subscription"]] == ["finance-oncall@example.com"]


def test_check_names_the_template_of_an_environment_the_spec_no_longer_has(in_tmp_project):
    assert run_cli("generate")[0] == 0
    spec = in_tmp_project / "config" / "nightly-reports.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("  dev:  ", "  test:  ").replace("  dev:", "  test:"))
    code, _, err = run_cli("generate", "--check")
    assert code == 1
    assert "stale: templates/test/nightly-reports.yaml (from config/nightly-reports.yaml)" in err
    assert "stale: templates/dev/nightly-reports.yaml (no environment dev in the spec of stack nightly-reports)" in err


def test_an_error_in_an_override_names_file_line_and_environment(in_tmp_project):
    spec = in_tmp_project / "config" / "nightly-reports.yaml"
    spec.write_text(spec.read_text().replace("        cpu: 1024\n", "        cpu: 1000\n"))
    code, out, err = run_cli("generate")
    assert code == 2 and out == ""
    assert "config/nightly-reports.yaml:59:14: environments.prod.jobs.sales-report.cpu: 1000 is not a Fargate CPU value" in err
    assert "Traceback" not in err


def test_simulate_takes_env_and_needs_it_for_a_spec_with_environments(tmp_path):
    event = tmp_path / "event.json"
    event.write_text('{"version": "0", "id": "1", "source": "finance.reports", "detail-type": "Rebuild Requested", '
                     '"account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", '
                     '"resources": [], "detail": {}}')
    spec = str(REPO / "config" / "nightly-reports.yaml")
    code, _, err = run_cli("simulate", spec, "--event", str(event))
    assert code == 2 and "defines environments (dev, prod): pass --env NAME" in err
    code, out, err = run_cli("simulate", spec, "--event", str(event), "--env", "prod")
    assert code == 0, err
    assert "sales-report/rebuild" in out

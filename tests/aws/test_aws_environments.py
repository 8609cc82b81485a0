"""deploy/run/status with --env against moto's server: the stack <stack>-<env>, guarded by account and Region.

moto's default account is 123456789012 (config/nightly-reports.yaml's dev); credentials of another account
come from STS AssumeRole on moto, which ties them to the role's account."""

from __future__ import annotations

SPEC = "config/nightly-reports.yaml"

from test_aws_publish import fake_docker  # noqa: E402,F401  (the fixture: a fake `docker` on PATH)


def stack_names(boto) -> list[str]:
    return [s["StackName"] for s in boto("cloudformation").list_stacks()["StackSummaries"]]


def test_deploy_env_dev_deploys_stack_name_dash_env(cli, boto, project):
    code, out, err = cli("deploy", SPEC, "--env", "dev")
    assert code == 0, err
    assert "nightly-reports-dev: CREATE_COMPLETE" in out
    assert stack_names(boto) == ["nightly-reports-dev"]
    family = boto("ecs").list_task_definitions()["taskDefinitionArns"]
    assert any("nightly-reports-dev-sales-report" in arn for arn in family)
    rules = {r["Name"]: r["State"] for r in boto("events").list_rules()["Rules"]}
    nightly = [state for name, state in rules.items() if "SalesReportNightly" in name]
    assert nightly == ["DISABLED"]  # the nightly schedule is off in dev


def test_deploy_env_prod_with_credentials_of_another_account_exits_2_and_creates_nothing(cli, boto, project):
    code, out, err = cli("deploy", SPEC, "--env", "prod", "--region", "eu-west-1")
    assert code == 2 and out == ""
    assert ("error: deploy nightly-reports-prod: environment prod is in account 210987654321, but the credentials in use "
            "are of account 123456789012; nothing was changed") in err
    for region in ("eu-west-1", "us-east-1"):
        assert boto3_client(boto, "cloudformation", region).list_stacks()["StackSummaries"] == []


def test_deploy_env_prod_in_another_region_exits_2_naming_both(cli, boto, project):
    code, _, err = cli("deploy", SPEC, "--env", "prod")  # moto's credentials and us-east-1: both wrong
    assert code == 2
    assert ("environment prod is in account 210987654321, but the credentials in use are of account 123456789012 and "
            "in Region eu-west-1, but the Region in use is us-east-1") in err
    assert stack_names(boto) == []


def test_deploy_env_prod_with_prods_credentials_and_region_passes_the_guard(cli, boto, project, monkeypatch):
    role = "arn:aws:iam::210987654321:role/deployer"
    creds = boto("sts").assume_role(RoleArn=role, RoleSessionName="test")["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds["SessionToken"])
    code, out, err = cli("deploy", SPEC, "--env", "prod", "--region", "eu-west-1", "--no-execute-changeset")
    assert code == 0, err
    assert "nightly-reports-prod: change set" in out


def test_deploy_a_spec_with_environments_needs_env(cli, boto, project):
    code, _, err = cli("deploy", SPEC)
    assert code == 2 and "config/nightly-reports.yaml defines environments (dev, prod): pass --env NAME" in err
    code, _, err = cli("deploy", SPEC, "--env", "staging")
    assert code == 2 and "--env staging: config/nightly-reports.yaml has no environment 'staging' (environments: dev, prod)" in err
    code, _, err = cli("deploy", "config/csv-analyzer.yaml", "--env", "dev")
    assert code == 2 and "--env dev: config/csv-analyzer.yaml defines no environments" in err
    assert stack_names(boto) == []


def test_run_and_status_take_env(cli, boto, project):
    boto("ecs").create_cluster(clusterName="batch")  # the spec's existing cluster
    assert cli("deploy", SPEC, "--env", "dev")[0] == 0
    code, _, err = cli("status", "sales-report")
    assert code == 2 and "defines environments (dev, prod): pass --env NAME" in err
    code, out, err = cli("status", "sales-report", "--env", "dev")
    assert code == 0, err
    assert "nightly-reports-dev" in out
    code, out, err = cli("run", "sales-report", "--env", "dev", "--set", "MODE=rebuild")
    assert code == 0, err
    assert "nightly-reports-dev-sales-report" in err
    code, _, err = cli("status", "sales-report", "--env", "prod")  # prod is not deployed here
    assert code != 0 and "nightly-reports-prod" in err


def boto3_client(boto, service, region):
    import boto3

    endpoint = boto("sts").meta.endpoint_url
    return boto3.client(service, endpoint_url=endpoint, region_name=region)


def test_publish_env_records_the_image_for_that_environment_and_deploy_env_uses_it(cli, boto, fake_docker, moto,
                                                                                  monkeypatch, project):
    import json

    monkeypatch.setenv("FAKE_DOCKER_ECR_ENDPOINT", moto)
    code, out, err = cli("publish", "analyzer", "--repository", "sales-report", "--env", "dev")
    assert code == 0, err
    parameter, image = out.strip().split("=", 1)
    assert parameter == "SalesReportImage" and "recorded in .batchjobs/dev/images.json" in err
    assert json.loads((project / ".batchjobs" / "dev" / "images.json").read_text()) == {"SalesReportImage": image}
    assert not (project / ".batchjobs" / "images.json").exists()  # the other environments are not touched
    code, _, err = cli("deploy", SPEC, "--env", "dev")
    assert code == 0, err
    stack = boto("cloudformation").describe_stacks(StackName="nightly-reports-dev")["Stacks"][0]
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]} == {"SalesReportImage": image}


def test_deploy_an_environments_template_checks_its_account_and_defaults_to_its_stack(cli, boto, project):
    import shutil

    from support import REPO

    for env in ("dev", "prod"):
        (project / "templates" / env).mkdir(parents=True)
        shutil.copy(REPO / "templates" / env / "nightly-reports.yaml", project / "templates" / env)
    code, _, err = cli("deploy", "templates/prod/nightly-reports.yaml", "--region", "eu-west-1")
    assert code == 2 and "environment prod is in account 210987654321, but the credentials in use are of account 123456789012" in err
    code, _, err = cli("deploy", "templates/prod/nightly-reports.yaml", "--env", "dev")
    assert code == 2 and "--env dev: templates/prod/nightly-reports.yaml is the template of environment prod" in err
    assert stack_names(boto) == []
    code, out, err = cli("deploy", "templates/dev/nightly-reports.yaml")
    assert code == 0, err
    assert "nightly-reports-dev: CREATE_COMPLETE" in out and stack_names(boto) == ["nightly-reports-dev"]

"""--region, --profile, --endpoint-url and the standard AWS environment variables, on every AWS verb.

Against moto's server (the `moto` fixture sets fake credentials, both region variables and empty AWS
config files); each test removes or adds what it is about.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def no_region(moto, monkeypatch):
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(key, raising=False)


def stacks_in(boto_region, region):
    return [s["StackName"] for s in boto_region(region).list_stacks()["StackSummaries"]]


@pytest.fixture
def cf_in(moto):
    import boto3

    return lambda region: boto3.client("cloudformation", endpoint_url=moto, region_name=region)


def test_no_region_anywhere_is_a_usage_error(cli, project, no_region):
    for verb in (["deploy", "config/csv-analyzer.yaml"], ["status", "csv-analyzer"], ["run", "csv-analyzer"],
                 ["logs", "csv-analyzer"]):
        code, out, err = cli(*verb)
        assert (code, out) == (2, ""), (verb, err)
        assert err.splitlines()[-1] == (
            "error: no AWS Region: pass --region, set AWS_REGION (or AWS_DEFAULT_REGION), or give the profile a region"), verb
        assert "Traceback" not in err


def test_region_flag_wins_over_the_environment(cli, cf_in, project):
    code, _, err = cli("deploy", "config/daily-data-processor.yaml", "--region", "eu-west-1")
    assert code == 0, err
    assert stacks_in(cf_in, "eu-west-1") == ["daily-data-processor"]
    assert stacks_in(cf_in, "us-east-1") == []


def test_aws_region_is_honoured_and_wins_over_aws_default_region(cli, cf_in, project, monkeypatch):
    # boto3 itself reads only AWS_DEFAULT_REGION; the AWS CLI and the other SDKs read AWS_REGION first
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    code, _, err = cli("deploy", "config/daily-data-processor.yaml")
    assert code == 0, err
    assert stacks_in(cf_in, "eu-central-1") == ["daily-data-processor"]
    assert stacks_in(cf_in, "us-west-2") == []


def test_unknown_profile_is_a_usage_error(cli, project, monkeypatch):
    code, out, err = cli("status", "csv-analyzer", "--profile", "nope")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "error: --profile nope: The config profile (nope) could not be found"

    monkeypatch.setenv("AWS_PROFILE", "gone")
    code, out, err = cli("status", "csv-analyzer")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "error: AWS_PROFILE=gone: The config profile (gone) could not be found"


def test_profile_gives_region_and_credentials(cli, cf_in, project, tmp_path, monkeypatch, no_region):
    config = tmp_path / "aws-config"
    config.write_text("[profile sandbox]\nregion = ap-southeast-2\n"
                      "aws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    code, _, err = cli("deploy", "config/daily-data-processor.yaml", "--profile", "sandbox")
    assert code == 0, err
    assert stacks_in(cf_in, "ap-southeast-2") == ["daily-data-processor"]


def test_aws_endpoint_url_is_honoured_without_the_flag(cli, cf_in, moto, project, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto)
    code, out, err = cli("deploy", "config/daily-data-processor.yaml", endpoint=False)
    assert code == 0, err
    assert "daily-data-processor: CREATE_COMPLETE" in out
    assert stacks_in(cf_in, "us-east-1") == ["daily-data-processor"]


def test_endpoint_flag_wins_over_aws_endpoint_url(cli, cf_in, project, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    code, _, err = cli("deploy", "config/daily-data-processor.yaml")  # the fixture passes --endpoint-url <moto>
    assert code == 0, err
    assert stacks_in(cf_in, "us-east-1") == ["daily-data-processor"]


def test_unreachable_endpoint_is_one_clean_error(cli, project, monkeypatch):
    from botocore.config import Config

    from generator.aws import session

    monkeypatch.setattr(session, "RETRIES", Config(retries={"mode": "standard", "max_attempts": 1}))  # no backoff wait
    code, out, err = cli("status", "csv-analyzer", "--endpoint-url", "http://127.0.0.1:9", endpoint=False)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1].startswith("error: list resources of stack csv-analyzer: cannot reach http://127.0.0.1:9")
    assert "Traceback" not in err

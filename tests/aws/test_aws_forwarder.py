"""deploy --forwarder against moto's server: the producer account's forwarder stack, deployed only with
that account's credentials (moto's STS hands out credentials of another account through AssumeRole)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

JOB_ACCOUNT = "123456789012"  # moto's default account: the job's
PRODUCER = "210987654321"
SPEC = f"""\
stack: partner-ingest
cluster: {{name: processing}}
network: {{subnets: [subnet-12345678], security_groups: [sg-87654321]}}
jobs:
  ingest:
    image: {JOB_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/ingest:latest
    triggers:
      - name: uploads
        s3_upload: {{bucket: partner-drop, suffix: .csv}}
        from_account: "{PRODUCER}"
        environment: {{KEY: $.detail.object.key}}
"""


@pytest.fixture
def spec(project):
    path = project / "config" / "partner-ingest.yaml"
    path.write_text(SPEC)
    return "config/partner-ingest.yaml"


@pytest.fixture
def as_producer(moto, monkeypatch):
    """The environment's credentials become an IAM user's access key in the producer account (moto knows
    the account of a request by its access key; the user is made there with moto's account header)."""
    iam = boto3.client("iam", endpoint_url=moto, region_name="us-east-1")
    iam.meta.events.register("before-sign.iam.*", lambda request, **_: request.headers.add_header("x-moto-account-id", PRODUCER))
    iam.create_user(UserName="deployer")
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    # a new session each time: boto3's default session keeps the credentials it first read
    return lambda service: boto3.session.Session().client(service, endpoint_url=moto, region_name="us-east-1")


def stacks(client) -> list[str]:
    return [s["StackName"] for s in client.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"]


def test_forwarder_deploys_in_the_producer_account(cli, boto, spec, as_producer):
    assert as_producer("sts").get_caller_identity()["Account"] == PRODUCER
    code, out, err = cli("deploy", spec, "--forwarder", PRODUCER, "--parameter-overrides", f"JobAccountId={JOB_ACCOUNT}")
    assert code == 0, err
    assert "partner-ingest-forwarder: CREATE_COMPLETE" in out
    producer_cf = as_producer("cloudformation")
    assert stacks(producer_cf) == ["partner-ingest-forwarder"]
    assert stacks(boto("cloudformation")) == []  # nothing in the job's account
    rule = next(r for r in as_producer("events").list_rules()["Rules"] if "IngestUploadsForward" in r["Name"])
    target = as_producer("events").list_targets_by_rule(Rule=rule["Name"])["Targets"][0]
    assert target["Arn"] == f"arn:aws:events:us-east-1:{JOB_ACCOUNT}:event-bus/default"
    assert f":{PRODUCER}:role/" in target["RoleArn"]


def test_forwarder_refused_with_the_job_accounts_credentials(cli, boto, spec):
    code, out, err = cli("deploy", spec, "--forwarder", PRODUCER, "--parameter-overrides", f"JobAccountId={JOB_ACCOUNT}")
    assert code == 2
    assert f"the credentials are of account {JOB_ACCOUNT}, not the producer account {PRODUCER}" in err
    assert "Traceback" not in err
    assert stacks(boto("cloudformation")) == []


def test_forwarder_needs_the_job_account(cli, spec, as_producer):
    code, _, err = cli("deploy", spec, "--forwarder", PRODUCER)
    assert code == 2
    assert "parameter JobAccountId has no default: pass --parameter-overrides JobAccountId=VALUE" in err
    assert stacks(as_producer("cloudformation")) == []


def test_forwarder_of_an_account_the_spec_does_not_name(cli, spec):
    code, _, err = cli("deploy", spec, "--forwarder", "111122223333")
    assert code == 2
    assert f"stack partner-ingest has no trigger from that account (its producers: {PRODUCER})" in err


def test_forwarder_needs_the_spec_not_a_template(cli, project):
    code, _, err = cli("deploy", "config/csv-analyzer.yaml", "--forwarder", PRODUCER)
    assert code == 2
    assert "has no trigger from that account (its producers: none: no trigger has from_account)" in err


def test_job_stack_with_its_bus_policy_deploys_in_the_job_account(cli, boto, spec):
    code, out, err = cli("deploy", spec)
    assert code == 0, err
    assert "partner-ingest: CREATE_COMPLETE" in out
    # moto's CloudFormation accepts the EventBusPolicy in the change set but creates no such resource
    assert "Add      AWS::Events::EventBusPolicy" in err and "IngestUploadsBusPolicy" in err
    rule = next(r for r in boto("events").list_rules()["Rules"] if "IngestUploadsRule" in r["Name"])
    assert json.loads(rule["EventPattern"])["account"] == [PRODUCER]


def org_spec(project, organization: str) -> str:
    path = project / "config" / "org-ingest.yaml"
    path.write_text(SPEC.replace("partner-ingest", "org-ingest").replace(f'"{PRODUCER}"', organization))
    return "config/org-ingest.yaml"


def test_organization_forwarder_deploys_in_a_member_account(cli, project, as_producer):
    organization = as_producer("organizations").create_organization(FeatureSet="ALL")["Organization"]["Id"]
    code, out, err = cli("deploy", org_spec(project, organization), "--forwarder", organization,
                         "--parameter-overrides", f"JobAccountId={JOB_ACCOUNT}")
    assert code == 0, err
    assert "org-ingest-forwarder: CREATE_COMPLETE" in out


def test_organization_forwarder_refused_outside_the_organization(cli, project, as_producer):
    code, _, err = cli("deploy", org_spec(project, "o-abcdef1234"), "--forwarder", "o-abcdef1234",
                       "--parameter-overrides", f"JobAccountId={JOB_ACCOUNT}")
    assert code == 2 and "Traceback" not in err
    assert (f"deploy --forwarder o-abcdef1234: the credentials are of account {PRODUCER}, in no organization, "
            "not in o-abcdef1234") in err
    assert stacks(as_producer("cloudformation")) == []


def test_status_names_the_producers_and_the_bus_policy(cli, boto, spec, monkeypatch):
    from generator.aws import cloudformation
    from generator.pipeline import generate_one
    from generator.plan import load_spec
    from generator.template import read_template

    # the stack as CloudFormation lists it (moto's creates no EventBusPolicy)
    template = read_template(generate_one(Path(spec), load_spec(spec)).text)
    resources = {logical: {"LogicalResourceId": logical, "ResourceType": r["Type"], "ResourceStatus": "CREATE_COMPLETE",
                           "PhysicalResourceId": f"partner-ingest-{logical}"} for logical, r in template["Resources"].items()}
    queue = resources["IngestDeadLetterQueue"]  # a queue's physical ID is its URL
    queue["PhysicalResourceId"] = boto("sqs").create_queue(QueueName="partner-ingest-dlq")["QueueUrl"]
    monkeypatch.setattr(cloudformation, "stack_resources", lambda aws, name: resources)
    boto("ecs").create_cluster(clusterName="processing")
    code, out, err = cli("status", "ingest", "--config", spec)
    assert code == 0, err
    assert (f"(uploads: events of {PRODUCER}, sent by the forwarder stack deployed there "
            "(`batchjobs deploy SPEC --forwarder ACCOUNT`); bus policy partner-ingest-IngestUploadsBusPolicy)") in out
    code, out, _ = cli("status", "ingest", "--config", spec, "--output", "json")
    (row,) = json.loads(out)["triggers"]
    assert (row["from_account"], row["bus_policy"]) == ([PRODUCER], "partner-ingest-IngestUploadsBusPolicy")

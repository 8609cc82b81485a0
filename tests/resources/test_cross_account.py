"""Cross-account triggers: the job stack's bus policy and pattern, the forwarder templates, the account
assertions, and generate writing (and checking) templates/forwarders/."""

from __future__ import annotations

from pathlib import Path

import json

from cfn_flip import to_json

from generator.pipeline import generate_one
from generator.plan import load_spec, plan_forwarders, plan_stack

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "cross-account-s3" / "spec.yaml"
HEAD = """\
stack: partner
cluster: {cluster}
network: {{subnets: [subnet-12345678], security_groups: [sg-87654321]}}
notifications: {{email: [ops@example.com]}}
jobs:
  worker:
    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1
    triggers:
"""


def generate(tmp_path, triggers: str, cluster: str = "{name: processing}"):
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD.format(cluster=cluster) + triggers)
    generated = generate_one(path, load_spec(path))
    assert [f.format("t") for f in generated.findings] == []
    for forwarder in generated.forwarders:
        assert [f.format(forwarder.filename) for f in forwarder.findings] == []
    return generated


def parsed(text: str) -> dict:
    """The template as data, short forms in their long form ({"Fn::Sub": ...})."""
    return json.loads(to_json(text))


def test_s3_upload_from_two_accounts_gives_bus_policy_pattern_and_two_forwarders():
    generated = generate_one(GOLDEN, load_spec(GOLDEN))
    template = parsed(generated.text)["Resources"]
    rule = template["IngestPartnerUploadsRule"]["Properties"]
    assert rule["EventPattern"]["account"] == ["210987654321", "109876543210"]
    assert "EventBusName" not in rule  # the default bus
    policy = template["IngestPartnerUploadsBusPolicy"]
    assert policy["Type"] == "AWS::Events::EventBusPolicy"
    props = policy["Properties"]
    assert props["EventBusName"] == "default"
    assert props["StatementId"] == "partner-ingest-IngestPartnerUploadsBusPolicy"
    statement = props["Statement"]
    assert statement["Action"] == "events:PutEvents"
    assert statement["Principal"] == {"AWS": [{"Fn::Sub": "arn:${AWS::Partition}:iam::210987654321:root"},
                                              {"Fn::Sub": "arn:${AWS::Partition}:iam::109876543210:root"}]}
    rule_arn = "arn:${AWS::Partition}:events:${AWS::Region}:%s:rule/partner-ingest-IngestPartnerUploadsForwardRule"
    assert statement["Condition"] == {
        "ArnEquals": {"aws:SourceArn": [{"Fn::Sub": rule_arn % "210987654321"}, {"Fn::Sub": rule_arn % "109876543210"}]},
        "ForAllValues:StringEquals": {"events:source": ["aws.s3"], "events:detail-type": ["Object Created"]},
    }
    assert statement["Resource"] == {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}

    assert [f.filename for f in generated.forwarders] == [
        "forwarders/partner-ingest-109876543210.yaml", "forwarders/partner-ingest-210987654321.yaml"]
    forwarder = parsed(generated.forwarders[1].text)
    assert forwarder["Parameters"]["JobAccountId"]["AllowedPattern"] == r"^\d{12}$"
    forward = forwarder["Resources"]["IngestPartnerUploadsForwardRule"]["Properties"]
    assert forward["Name"] == "partner-ingest-IngestPartnerUploadsForwardRule"  # the name the bus policy allows
    assert forward["EventPattern"] == {**rule["EventPattern"], "account": ["210987654321"]}
    bus = {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${JobAccountId}:event-bus/default"}
    assert forward["Targets"][0]["Arn"] == bus
    role = forwarder["Resources"]["ForwarderRole"]["Properties"]
    assert role["Policies"][0]["PolicyDocument"]["Statement"] == [
        {"Action": ["events:PutEvents"], "Effect": "Allow", "Resource": [bus]}]
    # I9601 names the bucket's account, in the stack and in the forwarder
    assert "bucket partner-drop (in account 210987654321 or 109876543210)" in generated.notes[0].message
    assert "bucket partner-drop (in account 210987654321)" in generated.forwarders[1].notes[0].message


def test_the_plan_knows_the_bus_policy():
    plan = plan_stack(load_spec(GOLDEN))
    found = {(item.id, item.kind, item.what) for item in plan.resources()}
    assert ("IngestPartnerUploadsBusPolicy", "AWS::Events::EventBusPolicy", "event bus policy") in found
    (first, second) = plan_forwarders(plan)
    assert (first.producer, first.stack_name) == ("109876543210", "partner-ingest-forwarder")
    assert [r.id for r in second.resources] == ["JobAccountId", "ForwarderRole", "IngestPartnerUploadsForwardRule"]


def test_organization_is_granted_by_principal_org_id_without_account_in_the_pattern(tmp_path):
    generated = generate(tmp_path, """\
      - event_pattern: {source: [com.partner.orders], detail-type: [OrderPlaced, OrderCancelled]}
        event_bus: orders
        from_account: o-abcdef1234
""")
    resources = parsed(generated.text)["Resources"]
    assert "account" not in resources["WorkerTrigger1Rule"]["Properties"]["EventPattern"]
    statement = resources["WorkerTrigger1BusPolicy"]["Properties"]["Statement"]
    assert statement["Principal"] == "*"
    assert statement["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": ["o-abcdef1234"]},
        "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:*:rule/partner-WorkerTrigger1ForwardRule"}},
        "ForAllValues:StringEquals": {"events:source": ["com.partner.orders"],
                                      "events:detail-type": ["OrderCancelled", "OrderPlaced"]},
    }
    assert resources["WorkerTrigger1BusPolicy"]["Properties"]["EventBusName"] == "orders"
    (forwarder,) = generated.forwarders
    assert forwarder.filename == "forwarders/partner-o-abcdef1234.yaml"
    forward = parsed(forwarder.text)["Resources"]["WorkerTrigger1ForwardRule"]["Properties"]
    assert "account" not in forward["EventPattern"]
    assert forward["Targets"][0]["Arn"]["Fn::Sub"].endswith(":${JobAccountId}:event-bus/orders")


def test_pattern_without_pinned_source_grants_the_forwarder_rule_only(tmp_path):
    generated = generate(tmp_path, """\
      - event_pattern: {source: [{prefix: com.partner.}]}
        from_account: "210987654321"
""")
    statement = parsed(generated.text)["Resources"]["WorkerTrigger1BusPolicy"]["Properties"]["Statement"]
    assert list(statement["Condition"]) == ["ArnEquals"]


def test_bus_arn_is_the_forwarders_target_and_no_job_account_is_asked(tmp_path):
    arn = "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    generated = generate(tmp_path, f"""\
      - event_pattern: {{source: [com.partner]}}
        event_bus: {arn}
        from_account: "210987654321"
""")
    template = parsed(generated.text)
    assert template["Resources"]["WorkerTrigger1BusPolicy"]["Properties"]["Statement"]["Resource"] == arn
    assert template["Rules"]["StackInAccount123456789012"]["Assertions"][0]["Assert"] == {
        "Fn::Equals": [{"Ref": "AWS::AccountId"}, "123456789012"]}
    forwarder = parsed(generated.forwarders[0].text)
    assert "Parameters" not in forwarder
    assert forwarder["Resources"]["WorkerTrigger1ForwardRule"]["Properties"]["Targets"][0]["Arn"] == arn


def test_cluster_arn_asserts_the_stacks_account(tmp_path):
    generated = generate(tmp_path, "      - s3_upload: {bucket: drop}\n",
                         cluster="{arn: 'arn:aws:ecs:us-east-1:111122223333:cluster/processing'}")
    rules = parsed(generated.text)["Rules"]
    # the account (this check) and the Region (targets must be in the rule's Region) are asserted apart
    assert sorted(rules) == ["StackInAccount111122223333", "TargetsInStackRegion"]
    assert "cluster.arn is in account 111122223333" in rules["StackInAccount111122223333"]["Assertions"][0]["AssertDescription"]


def test_long_names_are_cut_with_a_hash_and_stay_distinct():
    from generator.plan.names import bus_policy_statement_id, forwarder_rule_name

    long = "a-stack-name-that-is-quite-long-indeed"
    first = forwarder_rule_name(long, "SomeJobWithALongNameNightlyForwardRule")
    second = forwarder_rule_name(long, "SomeJobWithALongNameNightly2ForwardRule")
    assert len(first) == len(second) == 64 and first != second
    assert len(bus_policy_statement_id(long, "SomeJobWithALongNameNightlyBusPolicy")) == 64
    assert forwarder_rule_name("s", "ARule") == "s-ARule"


def test_no_from_account_no_bus_policy_and_no_forwarder(tmp_path):
    generated = generate(tmp_path, "      - s3_upload: {bucket: drop}\n")
    assert "BusPolicy" not in generated.text and "Rules:" not in generated.text
    assert generated.forwarders == []


def test_generate_writes_and_checks_the_forwarders(tmp_path, monkeypatch):
    import io

    from generator.cli import IO, main

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), IO(stdout=out, stderr=err, stdin=io.StringIO())), out.getvalue(), err.getvalue()

    out_dir = tmp_path / "templates"
    code, out, err = run("generate", str(GOLDEN), "--out", str(out_dir))
    assert code == 0, err
    forwarder = out_dir / "forwarders" / "partner-ingest-210987654321.yaml"
    assert f"{forwarder}: written" in out
    code, out, _ = run("generate", str(GOLDEN), "--out", str(out_dir), "--check")
    assert code == 0 and "up to date" in out
    forwarder.write_text(forwarder.read_text() + "# edited\n")
    code, _, err = run("generate", str(GOLDEN), "--out", str(out_dir), "--check")
    assert code == 1 and f"stale: {forwarder}" in err


def test_review_shows_the_bus_policy_and_each_forwarder():
    from datetime import datetime, timezone

    from generator.review import review_stack
    from generator.review.render import render_markdown, render_text

    spec = load_spec(GOLDEN)
    generated = generate_one(GOLDEN, spec)
    review = review_stack(spec, "golden", generated.text, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    text = render_text([review])
    assert "Cross-account (from_account)" in text
    assert "IngestPartnerUploadsBusPolicy: 210987654321, 109876543210 may events:PutEvents on bus default" in text
    assert ("forwarder templates/forwarders/partner-ingest-210987654321.yaml: deploy in account 210987654321 "
            "as stack partner-ingest-forwarder") in text
    markdown = render_markdown([review])
    assert "### Cross-account (from_account)" in markdown
    assert "  - IngestPartnerUploadsForwardRule: job ingest's trigger partner-uploads" in markdown


def test_simulate_matches_the_producers_events_only():
    from generator.eventbridge.samples import s3_object_created
    from generator.simulate import simulate

    spec = load_spec(GOLDEN)
    from_producer = s3_object_created("partner-drop", "incoming/a.csv", account="210987654321")
    from_elsewhere = s3_object_created("partner-drop", "incoming/a.csv", account="111122223333")
    assert [o.matched for o in simulate(spec, from_producer).outcomes] == [True]
    assert [o.matched for o in simulate(spec, from_elsewhere).outcomes] == [False]


def test_generate_check_names_a_forwarder_no_spec_asks_for(tmp_path, monkeypatch):
    import io

    from generator.cli import IO, main

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), IO(stdout=out, stderr=err, stdin=io.StringIO())), out.getvalue(), err.getvalue()

    (tmp_path / "config").mkdir()
    spec = tmp_path / "config" / "partner-ingest.yaml"
    spec.write_text(GOLDEN.read_text())
    monkeypatch.chdir(tmp_path)
    assert run("generate")[0] == 0
    spec.write_text(GOLDEN.read_text().replace('from_account: ["210987654321", "109876543210"]', 'from_account: "210987654321"'))
    code, _, err = run("generate", "--check")
    assert code == 1
    assert "stale: templates/forwarders/partner-ingest-109876543210.yaml (no config/ spec has a trigger from that account)" in err

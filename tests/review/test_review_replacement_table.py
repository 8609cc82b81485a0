"""The replacement table (generator/review/replacement.py) and how diff_templates uses it."""

from __future__ import annotations

import pytest

from generator.review.diff import diff_templates
from generator.review.replacement import NEW_REVISION_TYPES, REPLACED_BY, UPDATE_FAILS

# Listed as "Update requires: Replacement" in the CloudFormation reference but not createOnlyProperties
# in the provider schemas cfn-lint ships (the registry schema is looser than the documented behaviour).
REFERENCE_ONLY = {
    ("AWS::Events::Rule", "EventBusName"),
    ("AWS::Scheduler::Schedule", "GroupName"),
    *UPDATE_FAILS,
}


def create_only(resource_type: str) -> set[str]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    return {p.removeprefix("/properties/") for p in schema.get("createOnlyProperties", [])}


@pytest.mark.parametrize("resource_type", sorted(REPLACED_BY))
def test_table_agrees_with_the_provider_schemas(resource_type):
    listed = {p for p in REPLACED_BY[resource_type] if (resource_type, p) not in REFERENCE_ONLY}
    assert listed <= create_only(resource_type)


def test_task_definition_properties_that_update_in_place_are_not_create_only():
    for resource_type, in_place in NEW_REVISION_TYPES.items():
        assert not set(in_place) & create_only(resource_type)


def template(resource_type: str, props: dict, **attributes) -> dict:
    return {"Resources": {"Thing": {"Type": resource_type, "Properties": props, **attributes}}}


CASES = [
    pytest.param("AWS::SQS::Queue", {}, {"FifoQueue": True}, "replacement", ("FifoQueue",),
                 "a new resource is created and the old one deleted: the queue and the messages in it are deleted",
                 id="queue becomes FIFO"),
    pytest.param("AWS::SQS::Queue", {"QueueName": "a"}, {"QueueName": "b"}, "replacement", ("QueueName",),
                 "a new resource is created and the old one deleted: the queue and the messages in it are deleted",
                 id="queue renamed"),
    pytest.param("AWS::Logs::LogGroup", {"LogGroupName": "/ecs/a"}, {"LogGroupName": "/ecs/b"}, "replacement",
                 ("LogGroupName",), "a new resource is created and the old one deleted: the log group and its logs are deleted",
                 id="log group renamed"),
    pytest.param("AWS::IAM::Role", {"Path": "/"}, {"Path": "/jobs/"}, "replacement", ("Path",),
                 "a new resource is created and the old one deleted: the role is deleted: anything still using it loses access",
                 id="role path"),
    pytest.param("AWS::Events::Rule", {"EventBusName": "default"}, {"EventBusName": "orders"}, "replacement",
                 ("EventBusName",), "a new resource is created and the old one deleted: the rule is deleted: its trigger stops firing",
                 id="rule moves bus"),
    pytest.param("AWS::Scheduler::Schedule", {"GroupName": "a"}, {"GroupName": "b"}, "replacement", ("GroupName",),
                 "a new resource is created and the old one deleted: the schedule is deleted: it stops firing",
                 id="schedule group"),
    pytest.param("AWS::SNS::Topic", {}, {"FifoTopic": True}, "replacement", ("FifoTopic",),
                 "a new resource is created and the old one deleted: the topic and its subscriptions are deleted "
                 "(e-mail subscribers must confirm again)", id="topic FIFO"),
    pytest.param("AWS::KMS::Key", {"KeySpec": "SYMMETRIC_DEFAULT"}, {"KeySpec": "RSA_2048"}, "update fails", ("KeySpec",),
                 "CloudFormation refuses to change this on an existing key: create a new key instead", id="key spec"),
    pytest.param("AWS::ECS::TaskDefinition", {"Cpu": "256"}, {"Cpu": "512"}, "new revision", ("Cpu",),
                 "a new revision is registered; the previous one is deregistered (running tasks keep running)",
                 id="task definition"),
]


@pytest.mark.parametrize("resource_type, before, after, kind, properties, consequence", CASES)
def test_replacements(resource_type, before, after, kind, properties, consequence):
    result = diff_templates(template(resource_type, before), template(resource_type, after), "main")
    assert [(r.resource, r.kind, r.properties, r.consequence) for r in result.replacements] == [
        ("Thing", kind, properties, consequence)]
    assert result.changed[0].replacement is not None


@pytest.mark.parametrize("resource_type, before, after", [
    pytest.param("AWS::SQS::Queue", {"MessageRetentionPeriod": 60}, {"MessageRetentionPeriod": 120}, id="queue retention"),
    pytest.param("AWS::ECS::TaskDefinition", {"Cpu": "256", "Tags": []}, {"Cpu": "256", "Tags": [{"Key": "a", "Value": "b"}]},
                 id="task definition tags"),
    pytest.param("AWS::Events::Rule", {"State": "ENABLED"}, {"State": "DISABLED"}, id="rule disabled"),
])
def test_updates_in_place(resource_type, before, after):
    result = diff_templates(template(resource_type, before), template(resource_type, after), "main")
    assert result.replacements == []
    assert [c.resource for c in result.changed] == ["Thing"]


def test_a_custom_name_that_stays_makes_the_replacement_fail():
    before = template("AWS::SQS::Queue", {"QueueName": "jobs"})
    after = template("AWS::SQS::Queue", {"QueueName": "jobs", "FifoQueue": True})
    (replacement,) = diff_templates(before, after, "main").replacements
    assert replacement.consequence.endswith(
        "its QueueName jobs stays the same, and CloudFormation cannot replace a custom-named resource: change the name too")


def test_a_retained_log_group_is_kept_on_replacement_and_removal():
    before = template("AWS::Logs::LogGroup", {"LogGroupName": "/a"}, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    after = template("AWS::Logs::LogGroup", {"LogGroupName": "/b"}, DeletionPolicy="Retain", UpdateReplacePolicy="Retain")
    (replacement,) = diff_templates(before, after, "main").replacements
    assert replacement.consequence == "a new resource is created; the old one is kept (UpdateReplacePolicy: Retain), no longer managed"
    (removal,) = diff_templates(before, {"Resources": {}}, "main").removed
    assert removal.consequence == "kept (DeletionPolicy: Retain) but no longer managed by the stack"


def test_a_type_change_is_a_replacement():
    result = diff_templates(template("AWS::SQS::Queue", {}), template("AWS::SNS::Topic", {}), "main")
    assert [(r.kind, r.consequence) for r in result.replacements] == [
        ("type change", "was AWS::SQS::Queue: the old resource is deleted, a new one created")]


def test_metadata_only_changes_are_marked():
    before = template("AWS::SQS::Queue", {}, Metadata={"why": "a"})
    after = template("AWS::SQS::Queue", {}, Metadata={"why": "b"})
    (change,) = diff_templates(before, after, "main").changed
    assert change.metadata_only and change.replacement is None

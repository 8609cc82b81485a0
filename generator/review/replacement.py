"""Which property changes make CloudFormation replace a resource: the one table ``diff`` consults.

Source: the AWS CloudFormation resource and property reference, each property's "Update requires:
Replacement" line (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html).
Most entries are also ``createOnlyProperties`` in the resource provider schemas cfn-lint ships; the test
tests/review/test_review_replacement_table.py checks that, and names the few that only the reference lists.
Only resource types batchjobs generates (or may soon) are listed; add a row when resources/ adds a type.
"""

from __future__ import annotations

from dataclasses import dataclass

# A replaced task definition is a new revision of the same family (the old one is deregistered): every
# property except Tags "requires replacement", so any other change is reported as a new revision.
NEW_REVISION_TYPES = {"AWS::ECS::TaskDefinition": ("Tags",)}  # type -> properties that update in place

REPLACED_BY = {
    "AWS::SQS::Queue": ("FifoQueue", "QueueName"),
    "AWS::Logs::LogGroup": ("LogGroupName",),
    "AWS::IAM::Role": ("Path", "RoleName"),
    "AWS::Events::Rule": ("EventBusName", "Name"),
    "AWS::Scheduler::Schedule": ("GroupName", "Name"),
    "AWS::Scheduler::ScheduleGroup": ("Name",),
    "AWS::SNS::Topic": ("FifoTopic", "TopicName"),
    "AWS::SNS::Subscription": ("Endpoint", "Protocol", "TopicArn"),
    "AWS::KMS::Key": ("KeySpec", "KeyUsage"),
    "AWS::KMS::Alias": ("AliasName",),
    "AWS::ECS::Cluster": ("ClusterName",),
    "AWS::CloudWatch::Alarm": ("AlarmName",),
}

# The reference says "Replacement", but CloudFormation refuses the update instead of replacing
# (it will not delete a key by accident): the stack update fails. The AWS::KMS::Key page says so of
# KeySpec, KeyUsage, Origin and MultiRegion ("the update request fails, regardless of the value of the
# UpdateReplacePolicy attribute"): https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
UPDATE_FAILS = {("AWS::KMS::Key", "KeySpec"), ("AWS::KMS::Key", "KeyUsage")}

# What is lost when a resource of this type is deleted (removed from the template, or replaced).
LOSS = {
    "AWS::SQS::Queue": "the queue and the messages in it are deleted",
    "AWS::Logs::LogGroup": "the log group and its logs are deleted",
    "AWS::KMS::Key": "the key is scheduled for deletion: data encrypted with it becomes unreadable",
    "AWS::SNS::Topic": "the topic and its subscriptions are deleted (e-mail subscribers must confirm again)",
    "AWS::IAM::Role": "the role is deleted: anything still using it loses access",
    "AWS::Events::Rule": "the rule is deleted: its trigger stops firing",
    "AWS::Scheduler::Schedule": "the schedule is deleted: it stops firing",
    "AWS::ECS::TaskDefinition": "the task definition revision is deregistered",
    "AWS::ECS::Cluster": "the cluster is deleted",
}


@dataclass(frozen=True)
class ReplacementRule:
    kind: str  # "replacement" | "new revision" | "update fails"
    properties: tuple[str, ...]


def replacement_for(resource_type: str, changed_properties: list[str]) -> ReplacementRule | None:
    """Whether changing these top-level properties replaces the resource, and why; None if updated in place."""
    if resource_type in NEW_REVISION_TYPES:
        in_place = NEW_REVISION_TYPES[resource_type]
        forcing = tuple(p for p in changed_properties if p not in in_place)
        return ReplacementRule("new revision", forcing) if forcing else None
    forcing = tuple(p for p in changed_properties if p in REPLACED_BY.get(resource_type, ()))
    if not forcing:
        return None
    if all((resource_type, p) in UPDATE_FAILS for p in forcing):
        return ReplacementRule("update fails", forcing)
    return ReplacementRule("replacement", forcing)

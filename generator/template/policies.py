"""Where a template keeps policy documents: one registry that lint, review and deploy's readers share.

``POLICY_PLACES`` is data: for each resource type, the properties that hold a policy document and what
kind it is (identity, trust, resource, key). ``policy_documents`` and ``policy_statements`` walk a
resources mapping (logical ID -> resource) with it, so one function serves both a plain template dict
(review) and cfn-lint's ``cfn.get_resources(...)`` (lint rules), each found with the path to it.

Each type's page in the CloudFormation template reference names these properties:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-<service>-<type>.html
(e.g. ...-iam-rolepolicy.html, ...-sqs-queueinlinepolicy.html); tests/template/test_template_policies.py checks
each one against the resource provider schemas cfn-lint ships.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from ..model.policy_rules import as_list

Path = list  # list[str | int], as cfn-lint's RuleMatch takes it

KINDS = ("identity", "trust", "resource", "key")


@dataclass(frozen=True)
class PolicyPlace:
    """One property of a resource type that holds policy documents."""

    property: str  # e.g. PolicyDocument, KeyPolicy, Policies
    kind: str  # identity (IAM permissions), trust (who may assume a role), resource (queue/topic/bucket), key (KMS)
    inline_list: bool = False  # a list of {PolicyName, PolicyDocument} (Policies of a role, user or group)
    # properties naming what the document applies to (roles, queues, ...); () for the resource itself
    targets: tuple[str, ...] = ()
    # the property is one statement, not a document (an event bus policy's Statement)
    single_statement: bool = False


_IDENTITY_POLICY = PolicyPlace("PolicyDocument", "identity", targets=("Roles", "Users", "Groups"))
_INLINE_POLICIES = PolicyPlace("Policies", "identity", inline_list=True)

POLICY_PLACES: dict[str, tuple[PolicyPlace, ...]] = {
    "AWS::IAM::Role": (PolicyPlace("AssumeRolePolicyDocument", "trust"), _INLINE_POLICIES),
    "AWS::IAM::User": (_INLINE_POLICIES,),
    "AWS::IAM::Group": (_INLINE_POLICIES,),
    "AWS::IAM::Policy": (_IDENTITY_POLICY,),
    "AWS::IAM::ManagedPolicy": (_IDENTITY_POLICY,),
    "AWS::IAM::RolePolicy": (PolicyPlace("PolicyDocument", "identity", targets=("RoleName",)),),
    "AWS::IAM::UserPolicy": (PolicyPlace("PolicyDocument", "identity", targets=("UserName",)),),
    "AWS::IAM::GroupPolicy": (PolicyPlace("PolicyDocument", "identity", targets=("GroupName",)),),
    "AWS::SQS::QueuePolicy": (PolicyPlace("PolicyDocument", "resource", targets=("Queues",)),),
    "AWS::SQS::QueueInlinePolicy": (PolicyPlace("PolicyDocument", "resource", targets=("Queue",)),),
    "AWS::SNS::TopicPolicy": (PolicyPlace("PolicyDocument", "resource", targets=("Topics",)),),
    "AWS::SNS::TopicInlinePolicy": (PolicyPlace("PolicyDocument", "resource", targets=("TopicArn",)),),
    "AWS::S3::BucketPolicy": (PolicyPlace("PolicyDocument", "resource", targets=("Bucket",)),),
    "AWS::KMS::Key": (PolicyPlace("KeyPolicy", "key"),),
    # "Statement: A JSON string that describes the permission policy statement" of one statement
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-eventbuspolicy.html)
    "AWS::Events::EventBusPolicy": (PolicyPlace("Statement", "resource", targets=("EventBusName",),
                                                single_statement=True),),
}
POLICY_TYPES = tuple(POLICY_PLACES)
# identity policies that are resources of their own, attached to the roles, users or groups they name
ATTACHED_IDENTITY_TYPES = tuple(t for t, places in POLICY_PLACES.items()
                                if any(p.kind == "identity" and p.targets for p in places))


@dataclass(frozen=True)
class FoundDocument:
    """One policy document of the template, where it is, and what it applies to."""

    resource_name: str  # logical ID
    resource_type: str
    place: PolicyPlace
    path: Path  # to the document
    document: Any  # the decoded document (a JSON string is read); not a dict when unreadable
    policy_name: Any = None  # PolicyName of an entry of an inline list
    targets: tuple[Any, ...] = ()  # the values of the place's target properties, as written

    @property
    def kind(self) -> str:
        return self.place.kind

    def statements(self) -> Iterator[tuple[Path, dict]]:
        """(path, statement) of each statement; Statement may be one object or a list."""
        if not isinstance(self.document, dict):
            return
        statements = self.document.get("Statement")
        if isinstance(statements, dict):
            yield [*self.path, "Statement"], statements
        elif isinstance(statements, list):
            for index, statement in enumerate(statements):
                if isinstance(statement, dict):
                    yield [*self.path, "Statement", index], statement


def _document(value: Any) -> Any:
    # A Json-typed property also takes the policy as a JSON string ("you can provide the policy in JSON or
    # YAML format": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-rolepolicy.html)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def policy_documents(resources: Mapping[str, Any], kinds: tuple[str, ...] = KINDS) -> Iterator[FoundDocument]:
    """Every policy document of these kinds, in registry order, then resource order within a type.

    ``resources`` maps logical IDs to resources: a template's ``Resources`` or ``cfn.get_resources(...)``.
    """
    for resource_type, places in POLICY_PLACES.items():
        for name, resource in resources.items():
            if not isinstance(resource, dict) or resource.get("Type") != resource_type:
                continue
            props = resource.get("Properties")
            if not isinstance(props, dict):
                continue
            base = ["Resources", name, "Properties"]
            for place in places:
                if place.kind not in kinds or place.property not in props:
                    continue
                targets = tuple(t for key in place.targets for t in as_list(props.get(key)))
                if place.single_statement:  # a document of that one statement, so its path is the property's
                    yield FoundDocument(name, resource_type, place, base,
                                        {"Statement": _document(props[place.property])}, None, targets)
                    continue
                if not place.inline_list:
                    yield FoundDocument(name, resource_type, place, [*base, place.property],
                                        _document(props[place.property]), None, targets)
                    continue
                for index, policy in enumerate(as_list(props[place.property])):
                    if isinstance(policy, dict) and "PolicyDocument" in policy:
                        yield FoundDocument(name, resource_type, place, [*base, place.property, index, "PolicyDocument"],
                                            _document(policy["PolicyDocument"]), policy.get("PolicyName"), targets)


@dataclass(frozen=True)
class PolicyStatement:
    """One statement of a policy document, with the path to it (what lint rules report)."""

    path: Path
    statement: dict
    resource_name: str
    resource_type: str
    kind: str

    @property
    def allows(self) -> bool:
        return self.statement.get("Effect") == "Allow"

    def actions(self) -> list[tuple[Path, Any]]:
        return items_with_paths(self.statement, "Action", self.path)

    def resources(self) -> list[tuple[Path, Any]]:
        return items_with_paths(self.statement, "Resource", self.path)


def items_with_paths(statement: dict, key: str, statement_path: Path) -> list[tuple[Path, Any]]:
    value = statement.get(key)
    if isinstance(value, list):
        return [([*statement_path, key, i], item) for i, item in enumerate(value)]
    if value is None:
        return []
    return [([*statement_path, key], value)]


def policy_statements(resources: Mapping[str, Any], kinds: tuple[str, ...] = KINDS) -> Iterator[PolicyStatement]:
    """Every statement of every policy document of these kinds, with the path to it."""
    for found in policy_documents(resources, kinds):
        for path, statement in found.statements():
            yield PolicyStatement(path, statement, found.resource_name, found.resource_type, found.kind)

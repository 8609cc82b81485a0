"""Whose credentials these are: the caller's account (STS) and, for an organization producer, its
organization (Organizations). Read before a deploy changes anything in an account the spec names."""

from __future__ import annotations

import botocore.exceptions

from .session import Aws, call, error_code


def caller_account(aws: Aws) -> str:
    """GetCallerIdentity's Account ("The Amazon Web Services account ID number of the account that owns or
    contains the calling entity", https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html)."""
    return call("sts get-caller-identity", aws.client("sts").get_caller_identity)["Account"]


def caller_organization(aws: Aws) -> str | None:
    """The ID of the organization the caller's account belongs to (DescribeOrganization, callable by any
    member account: https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html);
    None when it belongs to none (AWSOrganizationsNotInUseException, "Your account is not a member of an
    organization", in the same reference)."""
    client = aws.client("organizations")
    try:
        found = client.describe_organization()
    except botocore.exceptions.ClientError as err:
        if error_code(err) == "AWSOrganizationsNotInUseException":
            return None
        return call("organizations describe-organization", client.describe_organization)["Organization"]["Id"]
    return found["Organization"]["Id"]

"""STS: who the caller is (deploy checks it against an environment's `account` before any change)."""

from __future__ import annotations

from .session import Aws, call


def caller_account(aws: Aws) -> str:
    """The account of the credentials in use. "GetCallerIdentity: Returns details about the IAM user or role
    whose credentials are used to call the operation. ... Account: The AWS account ID number of the account that
    owns or contains the calling entity." and "No permissions are required to perform this operation."
    https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"""
    return call("sts GetCallerIdentity", aws.client("sts").get_caller_identity)["Account"]

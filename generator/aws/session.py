"""One boto3 session per command: region, profile, endpoint URL, standard retries, errors as AwsError."""

from __future__ import annotations

import os
from typing import Any, Callable

import boto3
import botocore.exceptions
import botocore.parsers
from botocore.config import Config

from ..errors import AwsError, UsageError

RETRIES = Config(retries={"mode": "standard", "max_attempts": 5}, user_agent_extra="batchjobs")


def error_code(err: Exception) -> str:
    if isinstance(err, botocore.exceptions.ClientError):
        return err.response.get("Error", {}).get("Code", "") or ""
    return ""


def error_message(err: Exception) -> str:
    if isinstance(err, botocore.exceptions.ClientError):
        return err.response.get("Error", {}).get("Message", "") or str(err)
    return str(err)


class Aws:
    """Clients for one command run. Region/profile/endpoint from the flags, else the standard AWS env vars."""

    def __init__(self, region: str | None = None, profile: str | None = None, endpoint_url: str | None = None):
        # the AWS CLI's order: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region (boto3 itself
        # reads no AWS_REGION); the endpoint: --endpoint-url, else boto3 reads AWS_ENDPOINT_URL(_<SERVICE>)
        region = region or os.environ.get("AWS_REGION") or None
        try:
            self.session = boto3.session.Session(profile_name=profile, region_name=region)
        except botocore.exceptions.ProfileNotFound as err:
            variable = "AWS_PROFILE" if os.environ.get("AWS_PROFILE") else "AWS_DEFAULT_PROFILE"
            named = f"--profile {profile}" if profile else f"{variable}={err.kwargs.get('profile', '')}"
            raise UsageError(f"{named}: {err}") from None
        if not self.session.region_name:
            raise UsageError("no AWS Region: pass --region, set AWS_REGION (or AWS_DEFAULT_REGION), or give the profile a region")
        self.endpoint_url = endpoint_url
        self._clients: dict[str, Any] = {}

    @classmethod
    def from_args(cls, args) -> "Aws":
        return cls(getattr(args, "region", None), getattr(args, "profile", None), getattr(args, "endpoint_url", None))

    @property
    def region(self) -> str:
        return self.session.region_name

    def client(self, service: str):
        if service not in self._clients:
            self._clients[service] = self.session.client(service, endpoint_url=self.endpoint_url, config=RETRIES)
        return self._clients[service]


def call(what: str, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Call ``fn(**kwargs)``; any botocore failure becomes ``AwsError('{what}: {code}: {message}')``."""
    try:
        return fn(**kwargs)
    except botocore.exceptions.ClientError as err:
        raise AwsError(f"{what}: {error_code(err)}: {error_message(err)}") from err
    except botocore.exceptions.NoCredentialsError:
        raise AwsError(f"{what}: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY") from None
    except botocore.exceptions.EndpointConnectionError as err:
        raise AwsError(f"{what}: cannot reach {err.kwargs.get('endpoint_url', 'the endpoint')}") from None
    except botocore.exceptions.BotoCoreError as err:
        raise AwsError(f"{what}: {type(err).__name__}: {err}") from err
    except botocore.parsers.ResponseParserError as err:  # e.g. an HTML 500 page from an emulator
        first = str(err).splitlines()[0] if str(err) else ""
        raise AwsError(f"{what}: unreadable response from the endpoint: {first}") from err


def paginate(what: str, client, operation: str, key: str, /, **kwargs: Any) -> list[Any]:
    """Every item under ``key`` across pages."""
    def collect():
        items = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items.extend(page.get(key, []))
        return items

    return call(what, collect)

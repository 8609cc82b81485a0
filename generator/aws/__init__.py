"""Thin boto3 wrappers: the only package that imports boto3 (AWS calls stay at the edges).

This module stays light (no boto3 import) so that commands can declare their AWS flags cheaply;
``session.py`` and the per-service modules import boto3 when a command runs.
"""

from __future__ import annotations

import argparse


def add_aws_arguments(parser: argparse.ArgumentParser, *, read: bool = False) -> None:
    """--region, --profile, --endpoint-url on every AWS verb; --output on read verbs."""
    group = parser.add_argument_group("AWS")
    group.add_argument("--region", help="AWS Region (default: AWS_REGION / AWS_DEFAULT_REGION / the profile's)")
    group.add_argument("--profile", help="named profile from ~/.aws/config (default: AWS_PROFILE)")
    group.add_argument(
        "--endpoint-url", metavar="URL", help="send every AWS call here (moto's server, LocalStack)"
    )
    if read:
        parser.add_argument("--output", choices=["table", "json"], default="table", help="table (default) or json")

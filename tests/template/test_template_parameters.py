"""generator.template.parameters: what deploy sends, worked out without AWS (the deploy verb's pure half).

The AWS-facing cases (a pinned image kept, a changed `image:` sent) are in tests/aws/test_aws_deploy.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import UsageError
from generator.template.parameters import capabilities, parse_overrides, read_deployable, stack_parameters


def test_capabilities_for_expanding_templates():
    assert capabilities({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}) == ["CAPABILITY_AUTO_EXPAND"]
    assert capabilities({"Resources": {"N": {"Type": "AWS::CloudFormation::Stack"},
                                       "U": {"Type": "AWS::IAM::User", "Properties": {"UserName": "u"}}}}) == [
        "CAPABILITY_AUTO_EXPAND", "CAPABILITY_NAMED_IAM"]


def test_overrides_must_name_declared_parameters():
    assert parse_overrides(["A=x=y", "B="], {"A": {}, "B": {}}) == {"A": "x=y", "B": ""}
    with pytest.raises(UsageError, match=r"^--parameter-overrides A: write KEY=VALUE$"):
        parse_overrides(["A"], {"A": {}})
    with pytest.raises(UsageError, match=r"the template has no parameter C \(parameters: A, B\)$"):
        parse_overrides(["C=1"], {"A": {}, "B": {}})


def test_a_published_image_is_said_and_sent():
    declared = {"Image": {"Type": "String", "Default": "repo:v1"}}
    sent = stack_parameters(declared, {}, {"Image": "repo@sha256:2"}, {"Image": "repo:v1"}, dict,
                            Path(".batchjobs/images.json"), "s")
    assert sent.parameters == [{"ParameterKey": "Image", "ParameterValue": "repo@sha256:2"}]
    assert sent.notes == ["Image=repo@sha256:2 (from .batchjobs/images.json)",
                          "Image: repo:v1 -> repo@sha256:2 (from .batchjobs/images.json)"]


def test_read_deployable_words_errors_as_deploy_does():
    with pytest.raises(UsageError, match=r"^src: not a YAML or JSON file: "):
        read_deployable("a: [", "src")
    with pytest.raises(UsageError, match=r"^src: not a CloudFormation template or a job spec$"):
        read_deployable("plain text", "src")

"""What deploy reads before any AWS call: a template or a spec, and the words for a file that is neither.

One reader (generator.template.read) for lint, review and deploy: a JSON template indented with tabs is
read; a spec the template reader refuses (a duplicate key) is explained by the spec loader, as before.
"""

from __future__ import annotations

import io
import shutil

import pytest

from support import REPO


def deploy(*args: str) -> tuple[int, str, str]:
    from generator.cli import IO, main

    out, err = io.StringIO(), io.StringIO()
    code = main(["deploy", *args], IO(stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("text, message", [
    ("Resources: [unclosed\n", "not a YAML or JSON file: did not find expected ',' or ']' (line 2, column 1)"),
    ("Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Q: {Type: AWS::SNS::Topic}\n", "not a YAML or JSON file: Duplicate found 'Q' (line 2)"),
    ("- a list\n", "not a CloudFormation template or a job spec"),
    ("Description: no resources\n", "neither a template (no Resources) nor a job spec (no jobs)"),
])
def test_a_file_that_is_not_a_template_exits_2(tmp_path, text, message):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    code, out, err = deploy(str(path))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"error: {path}: {message}"


def test_a_missing_file_exits_2(tmp_path):
    code, _, err = deploy(str(tmp_path / "nope.yaml"))
    assert code == 2
    assert err.splitlines()[-1] == f"error: {tmp_path / 'nope.yaml'}: no such file"


def test_a_spec_with_a_duplicate_key_is_explained_by_the_spec_loader(tmp_path):
    spec = tmp_path / "dup.yaml"
    shutil.copy(REPO / "tests" / "bad_specs" / "duplicate_key.yaml", spec)
    expected = (REPO / "tests" / "bad_specs" / "duplicate_key.expected").read_text().strip()
    code, out, err = deploy(str(spec))
    assert (code, out) == (2, "")
    # the loader's line, column and hint, not the template reader's "Duplicate found"
    assert f"{spec}{expected.removeprefix('tests/bad_specs/duplicate_key.yaml')}" in err.splitlines()


def test_json_template_indented_with_tabs_is_read(tmp_path):
    from generator.commands.deploy import load_sources

    path = tmp_path / "t.json"
    path.write_text('{\n\t"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n}\n')
    (source,), split = load_sources(path, io=None, stack_name=None)
    assert source.template == {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}} and source.stack == "t" and not split
    assert source.environment is None
    assert source.text == path.read_text()

"""generator.template.read: the one reader of template text, for lint, review and deploy."""

from __future__ import annotations

import pytest

from generator.template.read import TemplateError, intrinsic_name, logical_id_of, read_template, resources


def test_short_forms_become_long_forms_and_values_plain_types():
    template = read_template(
        "Resources:\n  R:\n    Type: AWS::SQS::Queue\n    Properties:\n"
        "      A: !Ref B\n      C: !GetAtt D.Arn\n      E: !Sub 'x-${AWS::Region}'\n      F: !If [Cond, 1, 2.5]\n"
        "      G: !Select [0, !GetAZs '']\n      H: true\n")
    props = template["Resources"]["R"]["Properties"]
    assert props == {"A": {"Ref": "B"}, "C": {"Fn::GetAtt": ["D", "Arn"]}, "E": {"Fn::Sub": "x-${AWS::Region}"},
                     "F": {"Fn::If": ["Cond", 1, 2.5]}, "G": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}, "H": True}
    # built-in types, not cfn-lint's position-carrying subclasses
    assert type(props["A"]) is dict and type(props["A"]["Ref"]) is str and type(props["H"]) is bool
    assert type(props["F"]["Fn::If"][1]) is int and type(props["F"]["Fn::If"][2]) is float


def test_json_templates_are_read_even_with_tab_indentation():
    """YAML refuses a tab, JSON allows it: the decoder reads such a file as JSON, as CloudFormation does."""
    assert read_template('{\n\t"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n}') == {
        "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}


@pytest.mark.parametrize("text, reason", [
    ("Resources: [unclosed", "did not find expected ',' or ']' (line 2, column 1)"),
    ("Resources:\n  Q: {Type: A}\n  Q: {Type: B}\n", "Duplicate found 'Q' (line 2)"),
])
def test_unreadable_text_is_a_syntax_error_with_its_place(text, reason):
    with pytest.raises(TemplateError) as caught:
        read_template(text)
    assert caught.value.syntax
    assert caught.value.reason == reason
    assert str(caught.value) == f"not a CloudFormation template: {reason}"


@pytest.mark.parametrize("text", ["just text", "[1, 2]"])
def test_text_that_is_not_a_mapping(text):
    with pytest.raises(TemplateError) as caught:
        read_template(text)
    assert not caught.value.syntax
    assert str(caught.value) == "not a CloudFormation template: not a mapping"


def test_reading_helpers():
    template = {"Resources": {"A": {"Type": "X"}, "B": "not a resource"}}
    assert resources(template) == {"A": {"Type": "X"}}
    assert resources({"Resources": ["a list"]}) == {}
    assert intrinsic_name({"Fn::GetAtt": ["A", "Arn"]}) == "Fn::GetAtt"
    assert intrinsic_name({"Ref": "A", "Other": 1}) is None
    assert intrinsic_name({"Fnord": 1}) is None
    assert [logical_id_of(v) for v in ({"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Fn::GetAtt": "C.Arn"}, "D")] == [
        "A", "B", "C", None]

"""generator/resources/fast_yaml.py (with yaml_data.py and yaml_scalars.py) writes the bytes cfn-flip's
to_yaml writes (the committed templates' format), for our templates and for any template-shaped data: long, multi-line, quoted, numeric-looking and
non-ASCII strings, intrinsic functions in every position, empty collections."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cfn_clean import cfn_literal_parser
from cfn_flip import to_yaml as cfn_flip_to_yaml
from cfn_tools.literal import LiteralString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from troposphere import Template

from generator.pipeline import source_label
from generator.plan import load_specs
from generator.resources import build_template, fast_yaml, yaml_data, yaml_scalars

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import generate_bench  # the benchmark's fleet: every trigger kind, varied settings

SPECS = sorted((REPO / "config").glob("*.yaml")) + sorted((REPO / "tests" / "golden").glob("*/spec.yaml"))


def reference(data) -> str:
    """What render.py wrote before fast_yaml: cfn-flip over troposphere's JSON."""
    return cfn_flip_to_yaml(json.dumps(data, indent=1, sort_keys=True), clean_up=False, long_form=False)


def fast(data) -> str:
    return fast_yaml.dump(cfn_literal_parser(json.loads(json.dumps(data, sort_keys=True))))


def test_our_templates_are_written_as_cfn_flip_writes_them(tmp_path):
    paths = SPECS + generate_bench.write_fleet(tmp_path / "config", 12, "files")
    for path, spec in load_specs(paths):
        template, _ = build_template(spec, source_label(path))
        expected = cfn_flip_to_yaml(template.to_json(indent=1, sort_keys=True), clean_up=False, long_form=False)
        assert fast_yaml.to_yaml(template) == expected, path


def test_the_committed_templates_are_what_generate_writes():
    from generator.pipeline import generate_all

    generated = generate_all(load_specs(sorted((REPO / "config").glob("*.yaml"))))
    assert len(generated) >= 4  # the examples, and each environment of nightly-reports
    for item in generated:
        assert item.text == (REPO / "templates" / item.filename).read_text()


EDGE_STRINGS = [
    "", " ", "0", "012", "0123456789012", "123456789012", "1.5", "1e3", "true", "no", "null", "~", "-", "- a",
    "a: b", "#x", "x #y", "'quoted'", '"dq"', "it's", "${AWS::StackName}-x", "arn:aws:s3:::b/*", "*", "&a", "!x",
    "multi\nline", "trailing\n", "\n\nleading", "tab\there", "crlf\r\n", "sp  aces", " lead", "trail ",
    "unicode é ✓", "\u2028", "x" * 127, "y" * 199, "z" * 200, "long words " * 30, "w " * 120,
    "\n".join(f"line {i}" for i in range(12)), "{\"a\": 1}", "[1, 2]", "@at", "%pc", "`bt", "?q", "|p", ">g",
]
keys = st.sampled_from(["A", "Properties", "Value", "Type", "0a", "x y", "Name", "Fn::Join", "Ref", "Condition"]) | st.text(
    alphabet="abcXYZ019:-_ .", min_size=1, max_size=20
)
scalars = st.one_of(
    st.sampled_from(EDGE_STRINGS),
    st.text(max_size=60),
    st.integers(-10**12, 10**12),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)


def intrinsic(children):
    return st.one_of(
        st.builds(lambda v: {"Ref": v}, st.sampled_from(EDGE_STRINGS) | st.text(max_size=30)),
        st.builds(lambda v: {"Fn::GetAtt": v}, st.lists(st.text(alphabet="AbZ.", min_size=1, max_size=8), min_size=2, max_size=2)),
        st.builds(lambda v: {"Fn::Sub": v}, st.sampled_from(EDGE_STRINGS) | st.lists(children, max_size=2)),
        st.builds(lambda v: {"Fn::If": v}, st.lists(children, min_size=0, max_size=3)),
        st.builds(lambda v: {"Fn::Join": v}, st.tuples(st.sampled_from(["", ",", "\n"]), st.lists(children, max_size=3)).map(list)),
        st.builds(lambda v: {"Condition": v}, st.text(max_size=10)),
        st.builds(lambda v: {"Fn::Transform": v}, st.dictionaries(keys, children, max_size=2)),
    )


values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4), intrinsic(children)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, min_size=1, max_size=5))
def test_any_template_shaped_data_is_written_as_cfn_flip_writes_it(data):
    try:
        expected = reference(data)
    except Exception as err:  # noqa: BLE001 - what cfn-flip cannot write is not ours to write either
        with pytest.raises(type(err)):
            fast(data)
        return
    assert fast(data) == expected


def test_a_json_literal_property_is_a_block_as_cfn_flip_writes_it():
    data = {"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine",
                                "Properties": {"DefinitionString": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}}}}}
    assert fast(data) == reference(data)
    assert "DefinitionString: |-" in fast(data)


def test_what_is_not_covered_falls_back_to_cfn_flip():
    from troposphere import Output

    template = Template()
    template.set_description("x" * 300)
    template.add_output(Output("O" * 130, Value="a key too long to be a simple key: PyYAML writes it after '?'"))
    with pytest.raises(fast_yaml.Fallback):
        fast_yaml.dump(yaml_data.template_data(template))
    expected = cfn_flip_to_yaml(template.to_json(indent=1, sort_keys=True), clean_up=False, long_form=False)
    assert "? " in expected and fast_yaml.to_yaml(template) == expected


def test_zero_and_negative_zero_are_not_one_memoised_scalar():
    # 0.0 == -0.0 and they hash alike, but YAML writes them apart: a memo keyed on the value alone wrote the
    # first one seen for both (found by the property test above)
    data = {"A": 0.0, "B": -0.0, "C": [-0.0, 0.0]}
    assert fast(data) == reference(data)
    assert "B: -0.0" in fast(data)


# -- fast_plan: the common strings' decision without PyYAML's representer and analyzer, held to pyyaml_plan's
INDICATORS = "-?:,[]{}#&*!|>'\"%@`. "
SCALAR_EDGES = EDGE_STRINGS + [
        "---", "...", "--- x", "...x", "-", "?", ":", "- ", "? x", ": x", "-x", "?x", ":x", "x:", "x: ", "x:y",
        "a #b", "a#b", "# a", "yes", "No", "ON", "off", "y", "n", "Null", "NULL", "~", "1_000", "0x1F", "0o17",
        "+1", "-1", ".5", "1.", ".inf", "-.Inf", ".NaN", "1:20", "190:20:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
        "<<", "=", "!Ref", "!!str", "arn:aws:iam::123456789012:role/x", "${AWS::Region}", "cron(0 1 * * ? *)",
        "rate(5 minutes)", "s3:GetObject", "*.csv", "in/job-0001/", "0", "00", "0123456789012",
] + [c + tail for c in INDICATORS for tail in ("", " ", "x", " x", ":", "::")]
scalar_texts = st.one_of(
    st.sampled_from(SCALAR_EDGES),
    st.text(alphabet=INDICATORS + "aZ09_/$", max_size=12),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
    st.text(max_size=20),  # any character: non-ASCII, breaks, tabs, controls (fast_plan declines them)
    st.builds(lambda core, lead, trail: lead + core + trail, st.text(max_size=10), st.sampled_from(["", " ", "  ", "\t"]),
              st.sampled_from(["", " ", ":", " #", "\n"])),
    st.integers(100, 260).map(lambda n: "x" * n),
    st.integers(110, 130).map(lambda n: "k" * n),
)


def assert_fast_plan_is_pyyaml_plan(text, tag, simple_key):
    scalars = yaml_scalars.Scalars()
    try:
        expected = scalars.pyyaml_plan(text, tag, simple_key)
    except fast_yaml.Fallback:
        assert scalars.fast_plan(text, tag, simple_key) is None
        return
    fast = scalars.fast_plan(text, tag, simple_key)
    assert fast is None or fast == expected, (text, tag, simple_key)


TAGS = [None, "!Ref", "!Sub", "!GetAtt", "!ImportValue"]


def test_the_fast_plan_of_each_edge_string_is_what_pyyaml_decides():
    for text in SCALAR_EDGES:
        for tag in TAGS:
            for simple_key in (False, True) if tag is None else (False,):  # a tagged scalar is never a key here
                assert_fast_plan_is_pyyaml_plan(text, tag, simple_key)


@settings(max_examples=3000, deadline=None)
@given(scalar_texts, st.sampled_from(TAGS), st.booleans())
def test_the_fast_plan_of_any_string_is_what_pyyaml_decides(text, tag, simple_key):
    assert_fast_plan_is_pyyaml_plan(text, tag, simple_key and tag is None)


def test_the_fast_plan_covers_a_templates_common_strings():
    scalars = yaml_scalars.Scalars()
    for text in ["AWS::ECS::TaskDefinition", "arn:aws:s3:::uploads-1/in/*", "${AWS::StackName}-JobRole", "yes",
                 "123456789012", "cron(0 1 * * ? *)", "a: b", "s3:GetObject", "- x", "Properties"]:
        for tag in (None, "!Sub"):
            assert scalars.fast_plan(text, tag, False) == scalars.pyyaml_plan(text, tag, False), (text, tag)
    assert scalars.fast_plan("yes", None, False)[0] == "'"  # the resolver reads a bool: quoted
    assert scalars.fast_plan("a: b", None, False)[0] == "'"  # a block indicator: quoted
    assert scalars.fast_plan("x", "!Ref", False)[:3] == ("'", "!Ref", "x")
    for declined in ["0123", "multi\nline", "tab\tx", "é", "x" * 200]:
        assert scalars.fast_plan(declined, None, False) is None


# -- template_data: one sorted copy in place of troposphere's JSON text read back and cfn_literal_parser
def typed(value):
    """The value with every type spelled out (a LiteralString is not a str here; 1 is not True)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])  # in order: sorted is part of it
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


resource_like = st.fixed_dictionaries(
    {"Type": st.sampled_from(["AWS::StepFunctions::StateMachine", "AWS::SQS::Queue"]),
     "Properties": st.dictionaries(st.sampled_from(["DefinitionString", "Name", "Fn::Sub"]), values, max_size=3)},
    optional={"DependsOn": values, "Condition": st.text(max_size=5)},
)
template_like = st.recursive(
    values | resource_like,
    lambda children: st.one_of(
        st.dictionaries(keys | st.just("Type"), children, max_size=4),
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_like)
def test_plain_data_is_the_json_round_trip_and_literal_parser(data):
    try:
        expected = yaml_data.json_data(data)
    except Exception as err:  # noqa: BLE001 - what the round trip cannot copy, plain_data does not either
        with pytest.raises(type(err)):
            yaml_data.plain_data(data)
        return
    assert typed(yaml_data.plain_data(data)) == typed(expected)


def test_plain_data_leaves_to_the_json_round_trip_what_it_would_change():
    class Name(str):
        pass

    for data in [{1: "a", 2: "b"}, {"A": Name("x")}, {"A": {1.5: 1}}]:
        with pytest.raises(yaml_data.NotPlain):
            yaml_data.plain_data(data)
    template = Template()
    template.add_output(__import__("troposphere").Output("O", Value=Name("x")))
    assert typed(yaml_data.template_data(template)) == typed(yaml_data.json_data(template.to_dict()))


def test_a_state_machine_definition_is_literal_json_text_but_not_inside_a_type_value():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    data = {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition}},
            "N": {"Type": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition}}}}
    out = yaml_data.plain_data(data)
    assert type(out["M"]["Properties"]["DefinitionString"]) is LiteralString
    assert out["N"]["Type"]["Properties"]["DefinitionString"] == definition
    assert typed(out) == typed(yaml_data.json_data(data))


def test_template_data_is_troposphere_to_dict_read_back_for_our_templates(tmp_path):
    paths = SPECS + generate_bench.write_fleet(tmp_path / "config", 6, "files")
    for path, spec in load_specs(paths):
        template, _ = build_template(spec, source_label(path))
        assert typed(yaml_data.template_data(template)) == typed(yaml_data.json_data(template.to_dict())), path


def test_template_data_covers_every_section_troposphere_writes():
    from troposphere import Equals, Output, Parameter, Ref, Sub, Tags
    from troposphere.sqs import Queue

    template = Template(Description="d")
    template.set_version()
    template.set_metadata({"Z": 1, "A": [("t", 1)]})
    template.add_parameter(Parameter("P", Type="String", Default="x"))
    template.add_condition("C", Equals(Ref("P"), "x"))
    template.add_mapping("M", {"k": {"v": "1"}})
    template.set_transform("AWS::LanguageExtensions")
    template.add_rule("R", {"Assertions": [{"Assert": Equals(Ref("P"), "x")}]})
    queue = template.add_resource(Queue("Q", QueueName=Sub("${AWS::StackName}-q"), Tags=Tags(b="2", a="1"),
                                        Condition="C", DependsOn=["X"]))
    template.add_resource(Queue("X"))
    template.add_output(Output("O", Value=Ref(queue), Condition="C"))
    data = yaml_data.template_data(template)
    assert list(data) == sorted(["AWSTemplateFormatVersion", "Conditions", "Description", "Mappings", "Metadata",
                                 "Outputs", "Parameters", "Resources", "Rules", "Transform"])
    assert typed(data) == typed(yaml_data.json_data(template.to_dict()))
    assert fast_yaml.to_yaml(template) == cfn_flip_to_yaml(template.to_json(), clean_up=False, long_form=False)


def test_template_data_validates_troposphere_objects_as_to_dict_does():
    from troposphere.sns import Subscription
    from troposphere.sqs import Queue

    template = Template()
    template.add_resource(Queue("Q"))
    template.add_resource(Subscription("S", Protocol="email"))  # Endpoint and TopicArn are required
    with pytest.raises(ValueError) as reference_error:
        template.to_dict()
    for written_from_objects in (yaml_data.template_data, fast_yaml.to_yaml):
        with pytest.raises(ValueError) as error:
            written_from_objects(template)
        assert "required in type" in str(error.value) and str(error.value) == str(reference_error.value)


def test_a_split_fleets_templates_are_written_as_cfn_flip_writes_them(tmp_path):
    """The split layout's 1,000 job stacks (issue #13): each one's data as troposphere's JSON read back, and
    (cfn-flip takes ~0.1 s a template) a sample of them, with the shared stack, as cfn-flip writes them."""
    from generator.plan import plan_stack
    from generator.resources import build_part

    (path,) = generate_bench.write_fleet(tmp_path / "config", 1000, "split")
    [(path, spec)] = load_specs([path])
    plan = plan_stack(spec)
    parts = list(plan.parts())
    assert plan.split and len(parts) == 1001
    for index, part in enumerate(parts):
        template, _ = build_part(spec, part, source_label(path), plan)
        reference_data = yaml_data.json_data(template.to_dict())
        assert typed(yaml_data.template_data(template)) == typed(reference_data), part.name
        assert fast_yaml.to_yaml(template) == fast_yaml.dump(reference_data), part.name  # from the objects
        if index % 50 == 0 or index % 50 == 1:  # the shared stack, then each trigger kind
            expected = cfn_flip_to_yaml(template.to_json(indent=1, sort_keys=True), clean_up=False, long_form=False)
            assert fast_yaml.to_yaml(template) == expected, part.name


def test_a_long_text_written_again_is_written_as_where_it_now_stands():
    # emit_with_pyyaml keeps what PyYAML wrote for a scalar in a given emitter state: the same text at another
    # column, depth or position (key, sequence entry, tagged) must still be written as there
    long = "Carries only alarm notices (no job data): " + "the key policy cannot let this service use it, " * 6
    quoted = "x: " + "y " * 120
    data = {"A": long, "Bb": long, "C": [long, {"D": long, "Eeeeeeeeeeeeee": [long, quoted]}], "F": quoted,
            "G": {"Fn::Sub": long}, "H": {"Fn::Sub": quoted}, "I": [[long, quoted]], long[:100]: quoted}
    first = fast(data)
    assert first == reference(data)
    assert fast(data) == first  # the second time from the kept writes
    assert fast({"Z": {"Y": data}}) == reference({"Z": {"Y": data}})


# -- the writer reads troposphere's objects and unsorted dicts as plain_data does
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys | st.just("Type"), template_like, min_size=1, max_size=4))
def test_writing_unsorted_data_is_writing_its_json_round_trip(data):
    try:
        expected = fast(data)
    except Exception as err:  # noqa: BLE001 - the same failure, or one the caller falls back on
        with pytest.raises((type(err), yaml_data.NotPlain)):
            fast_yaml.dump(data)
        return
    try:
        written = fast_yaml.dump(data)
    except yaml_data.NotPlain:  # to_yaml then writes template_data's copy
        return
    assert written == expected
    assert typed(yaml_data.plain_data(yaml_data.plain_data(data))) == typed(yaml_data.plain_data(data))


def test_writing_troposphere_objects_is_writing_their_json_round_trip():
    from troposphere import GetAtt, Join, Output, Ref, Sub, Tags, encode_to_dict
    from troposphere.sqs import Queue

    queue = Queue("Q", Tags=Tags(b="2", a="1"), DependsOn=("M",))
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    data = {
        "Resources": {
            "Q": queue,
            "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": GetAtt(queue, "Arn"),
                                                                            "DefinitionString": definition}},
            "N": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": Sub("${A}")}},
            "T": {"Type": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition}}},
        },
        "Outputs": {"O": Output("O", Value=Join("", [Ref(queue), Sub("-${AWS::Region}")]))},
    }
    written = fast_yaml.dump(data)
    assert written == fast_yaml.dump(yaml_data.json_data(encode_to_dict(data)))
    assert written == reference(encode_to_dict(data))
    assert "DefinitionString: |-" in written and "!GetAtt 'Q.Arn'" in written and "DefinitionString: !Sub" in written
    assert "    Type:\n      Properties:\n        DefinitionString:\n          StartAt: A" in written


def test_what_plain_data_does_not_copy_is_written_from_template_data():
    class Name(str):
        pass

    template = Template()
    template.add_output(__import__("troposphere").Output("O", Value=Name("0123")))
    with pytest.raises(yaml_data.NotPlain):
        fast_yaml.dump(yaml_data.sections(template))
    assert fast_yaml.to_yaml(template) == cfn_flip_to_yaml(template.to_json(), clean_up=False, long_form=False)

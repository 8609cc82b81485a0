"""Override values that mix text and event fields ("s3://{$.detail.bucket.name}/{$.detail.object.key}") and
AWS's built-ins ({aws.events.rule-name}): what the target encodes, and what reaches the container for any
field content, rendered by the transformer model that reproduces the AWS-recorded outputs
(tests/data/transforms.json, tests/eventbridge/test_eb_transform.py)."""

import json

import pytest

from support import build_dict, spec_from
from generator.errors import SpecError
from generator.eventbridge.samples import s3_object_created
from generator.eventbridge.transform import render
from generator.model.value_template import Placeholder, parse_value
from generator.resources import build_template
from generator.simulate import simulate, trigger_overrides

HOSTILE_KEYS = [
    'in/say "hi".csv',  # a double quote
    "in\\b\\n.csv",  # backslashes that JSON would read as escapes
    "in/ünï 中文 🎉.csv",  # unicode
    "in/line\nbreak\t.csv",  # control characters
    'in/{$.detail.object.key}<x>".csv',  # our own syntax and a transformer placeholder
]


def s3_job(environment: str) -> str:
    return f"""
jobs:
  worker:
    image: python:3.12-slim
    triggers:
      - name: upload
        s3_upload: {{bucket: uploads}}
        environment:
{environment}"""


def delivered(template: dict, event: dict, rule_name: str = "the-rule") -> dict | None:
    transformer = template["Resources"]["WorkerUploadRule"]["Properties"]["Targets"][0]["InputTransformer"]
    text = render(transformer.get("InputPathsMap", {}), transformer["InputTemplate"], event, rule_name=rule_name)
    return None if text is None else json.loads(text)


def env(overrides: dict) -> dict[str, str]:
    return {pair["name"]: pair["value"] for pair in overrides["containerOverrides"][0]["environment"]}


# -- the syntax


@pytest.mark.parametrize("value, parts", [
    ("plain", ("plain",)),
    ('{"a": 1}', ('{"a": 1}',)),  # JSON stays literal: only {$. and {aws. open a placeholder
    ("${HOME} {x} {aws}", ("${HOME} {x} {aws}",)),
    ("$.detail.object.key", (Placeholder("$.detail.object.key"),)),  # a whole path, as before
    ("{$.detail.object.key}", (Placeholder("$.detail.object.key"),)),
    ("s3://{$.detail.bucket.name}/{$.detail.object.key}",
     ("s3://", Placeholder("$.detail.bucket.name"), "/", Placeholder("$.detail.object.key"))),
    ("{aws.events.rule-name}-x", (Placeholder("aws.events.rule-name"), "-x")),
])
def test_parse_value(value, parts):
    assert parse_value(value) == parts


def test_an_unclosed_placeholder_is_refused_at_its_line():
    with pytest.raises(SpecError) as caught:
        spec_from(s3_job("          URI: 's3://{$.detail.bucket.name/x'"))
    assert "spec.yaml:12:16: jobs.worker.triggers[0].environment.URI:" in str(caught.value)
    assert "is not closed" in str(caught.value)


# -- what reaches the container


def test_the_headline_template_and_the_rule_name_render_exactly():
    template = build_dict(s3_job(
        "          INPUT_URI: 's3://{$.detail.bucket.name}/{$.detail.object.key}'\n"
        "          RULE: '{aws.events.rule-name}'\n"
        "          JSON: '{\"a\": 1}'"))
    got = env(delivered(template, s3_object_created("uploads", "in/data.csv"), rule_name="stack-WorkerUploadRule-1A2B"))
    assert got == {"INPUT_URI": "s3://uploads/in/data.csv", "RULE": "stack-WorkerUploadRule-1A2B", "JSON": '{"a": 1}'}


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_whole_string_field_reaches_the_container_intact_whatever_it_holds(key):
    template = build_dict(s3_job("          KEY: $.detail.object.key\n          ALSO: '{$.detail.object.key}'"))
    assert env(delivered(template, s3_object_created("uploads", key))) == {"KEY": key, "ALSO": key}


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_text_safe_fields_in_text_reach_the_container_intact(key):
    template = build_dict(s3_job(
        "          WHERE: 'bucket={$.detail.bucket.name} size={$.detail.object.size} at {$.time} "
        "by {aws.events.rule-arn}'"))
    got = env(delivered(template, s3_object_created("uploads", key)))
    assert got["WHERE"] == ("bucket=uploads size=5 at 2021-11-12T00:00:00Z by "
                            "arn:aws:events:us-east-1:123456789012:rule/rule")


@pytest.mark.parametrize("key, arrives", [
    (HOSTILE_KEYS[0], None),  # the quote ends the JSON string early: not JSON, nothing delivered
    (HOSTILE_KEYS[1], "in\b\n.csv"),  # read as JSON escapes: a backspace and a newline arrive instead
    (HOSTILE_KEYS[2], HOSTILE_KEYS[2]),  # unicode is fine
    (HOSTILE_KEYS[3], None),  # a raw newline is not allowed in a JSON string
    (HOSTILE_KEYS[4], None),
])
def test_a_key_inside_text_is_inserted_unescaped(key, arrives):
    """EventBridge does not escape what it inserts into a JSON string: the documented limit, warned about at
    generate time, and shown by simulate."""
    spec = spec_from(s3_job("          URI: 's3://{$.detail.bucket.name}/{$.detail.object.key}'"))
    template, warnings = build_template(spec)
    assert any("$.detail.object.key is put into text" in w for w in warnings)
    got = delivered(template.to_dict(), s3_object_created("uploads", key))
    if arrives is None:
        assert got is None
        outcome = simulate(spec, s3_object_created("uploads", key)).outcomes[0]
        assert not outcome.delivered and "holds a quote or backslash" in outcome.note
    else:
        assert env(got) == {"URI": f"s3://uploads/{arrives}"}


def test_whole_values_and_safe_fields_give_no_warning():
    _, warnings = build_template(spec_from(s3_job(
        "          KEY: $.detail.object.key\n          URI: 's3://{$.detail.bucket.name}/{aws.events.rule-name}'")))
    assert not [w for w in warnings if "unescaped" in w]


def test_only_built_ins_need_no_input_paths_map():
    template = build_dict(s3_job("          RULE: 'rule {aws.events.rule-name}'"))
    transformer = template["Resources"]["WorkerUploadRule"]["Properties"]["Targets"][0]["InputTransformer"]
    assert "InputPathsMap" not in transformer
    assert env(delivered(template, s3_object_created("uploads", "k"), rule_name="r1")) == {"RULE": "rule r1"}


def test_scheduler_context_attributes_in_text():
    spec = spec_from("""
        jobs:
          worker:
            image: python:3.12-slim
            triggers:
              - name: paris
                schedule: cron(0 2 * * ? *)
                timezone: Europe/Paris
                environment:
                  DAY: 'day {aws.scheduler.scheduled-time} try {aws.scheduler.attempt-number}'
                  AT: $.time
    """)
    overrides, problem = trigger_overrides(spec, "worker", "paris")
    assert problem == ""
    assert env(overrides) == {"DAY": "day 2024-01-01T02:00:00Z try 1", "AT": "2024-01-01T02:00:00Z"}


def test_simulate_shows_what_a_scheduled_rule_sends():
    spec = spec_from("""
        jobs:
          worker:
            image: python:3.12-slim
            triggers:
              - name: nightly
                schedule: cron(0 2 * * ? *)
                environment: {AT: 'run {$.time}', MODE: full}
    """)
    outcome = simulate(spec, s3_object_created("uploads", "k")).outcomes[0]
    assert not outcome.matched and "not started by events" in outcome.note
    assert env(outcome.overrides) == {"AT": "run 2024-01-01T02:00:00Z", "MODE": "full"}


# -- refused at the line


@pytest.mark.parametrize("value, message", [
    ("'{aws.scheduler.scheduled-time}'", "is not available: this trigger runs on an EventBridge rule"),
    ("'{aws.events.event}'", "is the event as a JSON object, and ECS takes only strings"),
    ("'{aws.events.rule-nam}'", "did you mean {aws.events.rule-name}?"),
    ("'$.detail.items[*].id'", "a wildcard selects a list"),
])
def test_bad_placeholders_are_refused_at_their_line(value, message):
    with pytest.raises(SpecError) as caught:
        spec_from(s3_job(f"          X: {value}"))
    assert "spec.yaml:12:14: jobs.worker.triggers[0].environment.X:" in str(caught.value)
    assert message in str(caught.value)


# -- an event pattern that pins an AWS event type is read as that type


def pattern_job(pattern: str, environment: str) -> str:
    return f"""
jobs:
  worker:
    image: python:3.12-slim
    triggers:
      - name: upload
        event_pattern: {pattern}
        environment:
{environment}"""


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_pattern_pinning_s3_object_created_delivers_the_key_intact(key):
    template = build_dict(pattern_job(
        "{source: [aws.s3], detail-type: [Object Created], detail: {bucket: {name: [uploads]}}}",
        "          KEY: $.detail.object.key"))
    transformer = template["Resources"]["WorkerUploadRule"]["Properties"]["Targets"][0]["InputTransformer"]
    assert '"value":<detail_object_key>' in transformer["InputTemplate"]  # unquoted: JSON-escaped by AWS
    assert env(delivered(template, s3_object_created("uploads", key))) == {"KEY": key}


def test_a_pattern_pinning_s3_refuses_an_unknown_path_with_a_suggestion():
    with pytest.raises(SpecError) as caught:
        spec_from(pattern_job("{source: [aws.s3], detail-type: [Object Created]}", "          KEY: $.detail.object.kee"))
    assert "did you mean $.detail.object.key?" in str(caught.value)


def test_a_pattern_pinning_ecs_task_state_change_reads_its_strings_unquoted():
    template = build_dict(pattern_job(
        "{source: [aws.ecs], detail-type: [ECS Task State Change]}",
        "          REASON: $.detail.stoppedReason"))
    transformer = template["Resources"]["WorkerUploadRule"]["Properties"]["Targets"][0]["InputTransformer"]
    assert '"value":<detail_stoppedReason>' in transformer["InputTemplate"]


def test_an_unpinned_pattern_keeps_unknown_fields_quoted():
    template = build_dict(pattern_job("{source: [aws.s3, aws.ecs]}", "          KEY: $.detail.object.key"))
    transformer = template["Resources"]["WorkerUploadRule"]["Properties"]["Targets"][0]["InputTransformer"]
    assert '"value":"<detail_object_key>"' in transformer["InputTemplate"]

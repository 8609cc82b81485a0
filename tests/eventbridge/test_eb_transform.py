"""InputTransformer rendering against AWS's recorded outputs (LocalStack's test_events_inputs snapshot, as
tests/data/transforms.json: see tests/data/README.md)."""

from __future__ import annotations

import json

import pytest
from support import load_data

from generator.eventbridge.transform import (
    TransformError,
    render,
    render_input_path,
    validate_target_input,
    validate_transformer,
)

RECORDED = load_data("transforms.json")

# The event LocalStack's tests send (EVENT_DETAIL in its test_events.py; transformer rules: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
# "time" is "date" because the snapshot replaced every timestamp with that word.
BASE_EVENT = {
    "version": "0", "id": "<uuid:2>", "detail-type": "core.update-account-command",
    "source": "core.update-account-command", "account": "111111111111", "time": "date", "region": "<region>",
    "resources": [],
    "detail": {"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}},
}
# test_input_transformer_nested_keys_replacement adds lists and a boolean to the detail.
EVENT = {**BASE_EVENT, "detail": {**BASE_EVENT["detail"], "listsingle": ["HIGH"], "listmulti": ["ACTIVE", "INACTIVE"],
                                  "valid": True}}
# The InputPathsMap of test_input_transformer_nested_keys_replacement. LocalStack's test source is not carried;
# the variables are those LocalStack's recorded test uses (systemstring points at the missing awsAccountId).
NESTED_PATHS = {
    "userId": "$.detail.payload.acc_id", "payload": "$.detail.payload", "listsingle": "$.detail.listsingle",
    "listmulti": "$.detail.listmulti", "systemstring": "$.detail.awsAccountId", "valid": "$.detail.valid",
}
MATCH_ALL_PATHS = {"detail-type": "$.detail-type", "timestamp": "$.time", "command": "$.detail.command"}
NOT_MATCH_ALL_PATHS = {**MATCH_ALL_PATHS, "command": "$.detail.notinmessage"}


def _recorded(family: str, field: str = "body") -> list[tuple[str, object]]:
    """(template, what was recorded) for each run of one family in transforms.json."""
    cases = [(case["template"], case[field]) for case in RECORDED[family]]
    assert cases, family
    return cases


def _assert_delivered(output: str | None, body: str | dict | None):
    """``body`` is what the SQS target received: None for nothing, else the message body, which the snapshot
    shows parsed when it was a JSON object and verbatim (a string) otherwise."""
    if body is None:
        assert output is None
        return
    assert output is not None
    if isinstance(body, str):
        assert output == body
    else:
        assert json.loads(output) == body


NESTED = _recorded("nested_keys_replacement")


@pytest.mark.parametrize("template, body", NESTED, ids=[case[0] for case in NESTED])
def test_nested_keys_replacement(template, body):
    output = render(NESTED_PATHS, template, EVENT)
    _assert_delivered(output, body)


def test_nested_cases_include_non_delivery():
    assert sum(1 for _, body in NESTED if body is None) == 4


# The JSON-template run is not parametrized upstream, so its template (LocalStack's test source) is written
# here; what the queues received is recorded.
STRING_AND_JSON = _recorded("input_template_string", "bodies") + [
    ('{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}',
     RECORDED["input_template_json_bodies"]),
]


@pytest.mark.parametrize("template, recorded", STRING_AND_JSON, ids=[case[0] for case in STRING_AND_JSON])
@pytest.mark.parametrize("variant, paths", [("custom-variables-match-all", MATCH_ALL_PATHS),
                                            ("custom-variables-not-match-all", NOT_MATCH_ALL_PATHS)])
def test_string_and_json_templates(template, recorded, variant, paths):
    _assert_delivered(render(paths, template, BASE_EVENT), recorded[variant])


PREDEFINED = _recorded("predefined_variables")


@pytest.mark.parametrize("template, body", PREDEFINED, ids=[case[0] for case in PREDEFINED])
def test_predefined_variables(template, body):
    # The snapshot replaced the ingestion time with "date" in the string case and "<ingestion-time>" in
    # the envelope; the rule ARN of a rule on a custom bus includes the bus name.
    ingestion_time = "<ingestion-time>" if "originalEvent" in template else "date"
    output = render({}, template, BASE_EVENT, rule_name="<rule-name>", ingestion_time=ingestion_time,
                    rule_arn="arn:<partition>:events:<region>:111111111111:rule/<bus-name>/<rule-name>")
    _assert_delivered(output, body)


def test_undefined_placeholder_is_rejected_with_aws_reason():
    message = RECORDED["missing_key_error"]
    with pytest.raises(TransformError) as err:
        validate_transformer(MATCH_ALL_PATHS, '"Event of <detail-type> type, with not defined key <notdefinedkey>"')
    assert str(err.value) == message.replace(" for target <target-id>", "")


# --- InputPath and the one-input-per-target rule (TestInputPath, test_put_event_input_path_and_input_transformer) ---


@pytest.mark.parametrize(
    "test, input_path",
    [
        # The snapshot holds what the queue received, not the InputPath sent (LocalStack's test source is not
        # carried); each path below is the one that selects the recorded body from BASE_EVENT.
        ("test_put_events_with_input_path", "$.detail"),
        ("test_put_events_with_input_path_nested[event_detail0]", "$.detail.payload"),
        ("test_put_events_with_input_path_max_level_depth", "$.detail.payload.sf_id"),  # a string arrives quoted
    ],
)
def test_input_path_delivers_the_selected_json(test, input_path):
    _assert_delivered(render_input_path(input_path, BASE_EVENT), RECORDED["input_path_bodies"][test])


def test_input_path_for_one_of_two_targets():
    # Queue 1 has InputPath $.detail; queue 2 has none and receives the whole event (with its own id).
    recorded = RECORDED["input_path_two_targets_bodies"]
    _assert_delivered(render_input_path("$.detail", BASE_EVENT), recorded["queue-1"])
    assert {**recorded["queue-2"], "id": BASE_EVENT["id"]} == BASE_EVENT


def test_input_path_refusals():
    with pytest.raises(TransformError) as err:
        render_input_path("detail", BASE_EVENT)
    assert str(err.value) == "InputPath: 'detail' must be a JSON path starting with '$', at most 256 characters"
    with pytest.raises(TransformError, match="selects nothing in this event"):
        render_input_path("$.detail.absent", BASE_EVENT)


def test_only_one_of_input_input_path_or_transformer():
    message = RECORDED["duplicated_input_error"]
    transformer = {"InputPathsMap": {}, "InputTemplate": '"x"'}
    with pytest.raises(TransformError) as err:
        validate_target_input({"Id": "t", "InputPath": "$.detail", "InputTransformer": transformer})
    assert str(err.value) == message
    with pytest.raises(TransformError, match="for target t1.$"):
        validate_target_input({"Input": "{}", "InputPath": "$.detail"}, target_id="t1")
    for single in ({"Input": "{}"}, {"InputPath": "$.detail"}, {"InputTransformer": transformer}, {}):
        validate_target_input(single)


# --- behaviour beyond the recorded cases --------------------------------------------------------------

S3_EVENT = {"detail-type": "Object Created", "source": "aws.s3", "time": "2021-11-12T00:00:00Z",
            "detail": {"bucket": {"name": "b1"}, "object": {"key": "in/a.csv", "size": 5}, "tags": ["x", "y"]}}
S3_PATHS = {"bucket": "$.detail.bucket.name", "key": "$.detail.object.key", "size": "$.detail.object.size"}


@pytest.mark.parametrize(
    "template, expected",
    [
        # the ECS RunTask override shape (containerOverrides[].environment[].name/value): a number quoted becomes a string value
        ('{"containerOverrides":[{"name":"job","environment":[{"name":"S3_BUCKET","value":<bucket>},'
         '{"name":"S3_KEY","value":<key>},{"name":"S3_SIZE","value":"<size>"},'
         '{"name":"RULE","value":<aws.events.rule-name>}]}]}',
         '{"containerOverrides":[{"name":"job","environment":[{"name":"S3_BUCKET","value":"b1"},'
         '{"name":"S3_KEY","value":"in/a.csv"},{"name":"S3_SIZE","value":"5"},'
         '{"name":"RULE","value":"nightly"}]}]}'),
        ('{"size": <size>}', '{"size": 5}'),
        ('{"first": "<first>"}', '{"first": "x"}'),
        ('{"when": <aws.events.event.ingestion-time>}', '{"when": "2021-11-12T00:00:00Z"}'),
        ('<key>', '"in/a.csv"'),
        ('"<bucket>/<key>"', '"b1/in/a.csv"'),
        ('"<bucket>" is not JSON', None),
        ('{"key": "<key>"', None),
    ],
)
def test_render_table(template, expected):
    paths = {**S3_PATHS, "first": "$.detail.tags[0]"}
    assert render(paths, template, S3_EVENT, rule_name="nightly") == expected


def test_unquoted_string_with_quotes_stays_valid_json():
    event = {"detail": {"key": 'a "quoted" name'}}
    assert json.loads(render({"key": "$.detail.key"}, '{"k": <key>}', event)) == {"k": 'a "quoted" name'}


def test_quoted_string_with_quotes_is_not_escaped_so_nothing_is_delivered():
    event = {"detail": {"key": 'a "quoted" name'}}
    assert render({"key": "$.detail.key"}, '{"k": "<key>"}', event) is None


def test_wildcard_path_gives_a_list():
    assert render({"tags": "$.detail.tags[*]"}, '{"t": <tags>}', S3_EVENT) == '{"t": ["x","y"]}'


@pytest.mark.parametrize(
    "paths, template, reason",
    [
        ({}, "", "InputTemplate is required and must be a non-empty string"),
        ({}, "x" * 8193, "InputTemplate is 8193 characters; AWS allows 8192"),
        ({f"v{i}": "$.a" for i in range(101)}, '"x"', "InputPathsMap has 101 variables; AWS allows 100"),
        ({"bad key": "$.a"}, '"x"', "InputPathsMap key 'bad key' must be 1-256 letters, digits, '_' or '-'"),
        ({"aws.events.rule-name": "$.a"}, '"x"',
         "InputPathsMap key 'aws.events.rule-name' must be 1-256 letters, digits, '_' or '-'"),
        ({"k" * 257: "$.a"}, '"x"', f"InputPathsMap key '{'k' * 257}' must be 1-256 letters, digits, '_' or '-'"),
        ({"a": "detail.x"}, '"<a>"',
         "InputPathsMap 'a': 'detail.x' must be a JSON path starting with '$', at most 256 characters"),
        ({"a": "$.detail[x]"}, '"<a>"', "InputPathsMap 'a': '$.detail[x]' is not a JSON path (stopped at '[x]')"),
        ({"a": "$.a"}, '"<b>"', "InputTemplate contains invalid placeholder b."),
    ],
    ids=["empty template", "long template", "101 variables", "key syntax", "predefined name", "long key",
         "path without $", "bad path", "undefined placeholder"],
)
def test_validation(paths, template, reason):
    with pytest.raises(TransformError) as err:
        validate_transformer(paths, template)
    assert str(err.value) == reason


def test_limits_at_the_edge_are_fine():
    validate_transformer({f"v{i}": "$.a" for i in range(100)}, "x" * 8192)

"""Event patterns against AWS-recorded behaviour (LocalStack's AWS-validated templates) and event-ruler data.

The recorded cases are tests/data/patterns.json and tests/data/ruler_*.json (sources: tests/data/README.md)."""

from __future__ import annotations

import json

import pytest
from support import load_data

from generator.eventbridge.pattern import PatternError, _compile, matches, validate_pattern

PATTERN_CASES = load_data("patterns.json")
# AWS's recorded reason for each _EXC case that has one (some have no template here: see below).
REASONS = {case["name"]: case["error"] for case in PATTERN_CASES if "error" in case}
TEMPLATE_CASES = [case for case in PATTERN_CASES if "pattern" in case]
(DUPLICATE_KEY_CASE,) = [case for case in PATTERN_CASES if "pattern_text" in case]


def test_all_templates_are_here():
    assert len(TEMPLATE_CASES) == 105  # 105 of the 155 upstream, plus complex_multi_key (below)


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[case["name"] for case in TEMPLATE_CASES])
def test_localstack_template(case):
    pattern, event, expected = case["pattern"], case["event"], case["expected"]
    if expected == "invalid":
        with pytest.raises(PatternError) as err:
            validate_pattern(pattern)
        if "error" in case:
            assert str(err.value) == case["error"]
        return
    validate_pattern(pattern)
    assert matches(pattern, event) is (expected == "match")


def test_localstack_duplicate_key_template_last_key_wins():
    # The pattern repeats "location"; json's default object_pairs_hook keeps the last one, like AWS.
    pattern_text, event = DUPLICATE_KEY_CASE["pattern_text"], DUPLICATE_KEY_CASE["event"]
    pattern = json.loads(pattern_text, object_pairs_hook=dict)
    assert pattern["detail"]["location"] == [{"anything-but": "us-east"}]
    assert DUPLICATE_KEY_CASE["expected"] == "match"
    validate_pattern(pattern_text)
    assert matches(pattern, event)
    assert matches(pattern_text, event)


def test_every_recorded_reason_is_checked():
    # Reasons recorded for templates that are not in our subset are still checked by the table below.
    present = {case["name"] for case in TEMPLATE_CASES}
    assert set(REASONS) - present <= set(EXTRA_RECORDED_CASES)


# Recorded _EXC cases of the upstream set whose templates tests/data does not hold: patterns rebuilt from
# the recorded "[Source: ...]" excerpt in the snapshot, reasons checked against the snapshot.
EXTRA_RECORDED_CASES = {
    "arrays_empty_EXC": {"resources": []},
    "content_numeric_syntax_EXC": {"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}},
    "content_numeric_number_EXC": {"detail": {"c-count": [{"numeric": 10}]}},
    "content_wildcard_repeating_star_EXC": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]},
    "content_wildcard_int_EXC": {"EventBusArn": [{"wildcard": 123}]},
    "content_ip_address_bad_mask_EXC": {"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/abc"}]}},
    "content_ip_address_type_EXC": {"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}},
    "content_ip_address_v6_bad_ip_EXC": {"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}},
    "content_anything_prefix_int_EXC": {"detail": {"state": [{"anything-but": {"prefix": 123}}]}},
}


@pytest.mark.parametrize("stem", sorted(EXTRA_RECORDED_CASES))
def test_recorded_reason_for_upstream_case(stem):
    with pytest.raises(PatternError) as err:
        validate_pattern(EXTRA_RECORDED_CASES[stem])
    assert str(err.value) == REASONS[stem]


@pytest.mark.parametrize(
    "text, reason",
    [
        ('["not", "a", "dict", "but valid json"]', "Filter is not an object"),
        ('"just a string"', "Filter is not an object"),
    ],
)
def test_recorded_reason_for_json_text(text, reason):
    with pytest.raises(PatternError) as err:
        validate_pattern(text)
    assert str(err.value) == reason


@pytest.mark.parametrize("text", ["this is valid json but not a dict", "{'bad': 'quotation'}", '{"not": closed mark"'])
def test_invalid_json_text(text):
    # AWS's reason here is a Jackson parser message; ours names the same problem in Python's words.
    with pytest.raises(PatternError, match="^Event pattern is not valid JSON: "):
        validate_pattern(text)


# --- event-ruler data ---------------------------------------------------------------------------------

RULER_ARRAYS = load_data("ruler_arrays.json")
RULER_OR = load_data("ruler_or.json")


@pytest.mark.parametrize(
    "event, expected_rules",
    # Upstream's GenericMachineTest.nestedArraysTest (array-consistent matching): event1 -> {1, 2},
    # event2 -> {}, event3 -> {}, event4 -> {3}. Legacy matching would give event3 -> {3}.
    [("arrayEvent1.json", {1, 2}), ("arrayEvent2.json", set()), ("arrayEvent3.json", set()), ("arrayEvent4.json", {3})],
)
def test_event_ruler_array_consistency(event, expected_rules):
    rules = {number: RULER_ARRAYS["rules"][f"arrayRule{number}"] for number in (1, 2, 3)}
    event_data = RULER_ARRAYS["events"][event.removesuffix(".json")]
    assert {number for number, rule in rules.items() if matches(rule, event_data)} == expected_rules


@pytest.mark.parametrize("index", range(5))
def test_event_ruler_valid_or_rules(index):
    validate_pattern(RULER_OR["valid"][index])


@pytest.mark.parametrize(
    "index, reason",
    [(0, "There must have at least 2 Objects in $or relationship."),
     (1, "Only JSON object is allowed in array of $or relationship.")],
)
def test_event_ruler_invalid_or_rules(index, reason):
    with pytest.raises(PatternError) as err:
        validate_pattern(RULER_OR["invalid"][index])
    assert str(err.value) == reason


# event-ruler's correctness cases carry no expected result (upstream compares two of its matchers), so the
# labels are ours, each derived from one rule AWS documents and records (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html, the LocalStack templates):
# * fields are ANDed, values in a field's list ORed; exact values, prefix, suffix, numeric, anything-but as
#   in the operator table; exists:true needs a leaf there, exists:false needs none.
# * a primitive array matches when any element does; an empty array has no leaves, so nothing exists there.
# * fields under an array of objects must all be satisfied by the same element, at every level of nesting
#   (event-ruler's array consistency, recorded above as arrayEvent1..4).
# The names say which of these a case tests; "split" means the fields sit in different elements.
RULER_CASE_LABELS = {
    # flat objects: plain AND of fields
    "flat: 2-field exists, both present": True,
    "flat: 2-field exists, one missing": False,
    "flat: exact match": True,
    "flat: exact mismatch": False,
    "flat: prefix": True,  # "hello" starts with "hel"
    "flat: numeric range": True,  # 0 < 50 < 100
    "flat: anything-but": True,  # "active" is not "banned"
    # arrays of objects: one element must satisfy every field
    "objarray: same element": True,
    "objarray: split": False,
    "objarray: 3 elem, last valid": True,  # the third element has a and b
    "objarray: 3-field, all in one": True,
    "objarray: 3-field, split 3 ways": False,
    "objarray: exact same elem": True,
    "objarray: exact split": False,
    "objarray: prefix same": True,
    "objarray: prefix split": False,
    "many elem one valid": True,  # the third of four elements has a=target and b=found
    "numeric+exists array": True,  # the first element: p=50 in range, n present
    "anything-but array": True,  # the second element: s=active, n present
    "suffix match in array": True,  # "alice" ends with "ice", type present, same element
    "suffix match split": False,
    "N emails, only last element has name — dedup loses the only valid match": True,  # the fifth has both
    "single-field rule": True,  # one field: any element will do
    "exists-false: absent": True,  # the only element has a and no b
    "exists-false: present": False,  # ... and here it has b
    # nested arrays: consistency holds at each array level
    "nested: inner same": True,
    "nested: inner split": False,  # k and v in different elements of the inner array
    "nested: outer split": False,  # name and info.x in different elements of the outer array
    "nested: outer same": True,
    "nested2: same leaf": True,
    "nested2: split leaf": False,
    # arrays of primitives: any element matches; fields outside the array are independent of it
    "primarray: exists": True,
    "primarray: exact match": True,  # "admin" is one of the elements
    "primarray: no match": False,  # "superadmin" is none of them
    "primarray: large + scalar, exists": True,
    "primarray: large + scalar, prefix": True,  # "admin" starts with "ad"
    "primarray: large + scalar, no match": False,  # nothing starts with "super"
    "primarray: nested under object": True,
    "primarray: two prim arrays + scalar": True,
    "primarray: exact match among many": True,
    "primarray: numeric in array": True,  # 5 is in (0, 10)
    "primarray: anything-but in array": True,  # "ok" is not "banned"
    "primarray: single value array": True,
    "primarray: empty prim array": False,  # name is [], so no leaf exists at d.name
    "deep prim: nested 3 levels": True,
    # an object array beside a primitive array or a scalar
    "mixed: array+scalar match": True,
    "mixed: array+scalar fail": False,  # version is "1", the rule wants "2"
    "mixed: obj-array + prim-array": True,
    "mixed: obj-array split + prim-array": False,  # name and email in different users
    # no leaves at all
    "empty object": False,
    "empty array": False,
}
RULER_CASES = load_data("ruler_correctness.json")


def test_every_ruler_case_has_a_label():
    assert len(RULER_CASES) == 51
    assert sorted(case["name"] for case in RULER_CASES) == sorted(RULER_CASE_LABELS)


@pytest.mark.parametrize("case", RULER_CASES, ids=[case["name"] for case in RULER_CASES])
def test_event_ruler_correctness_case(case):
    validate_pattern(case["rule"])
    assert matches(case["rule"], case["event"]) is RULER_CASE_LABELS[case["name"]]


def test_event_ruler_or_rules_expand_to_the_recorded_sub_rule_counts():
    # Upstream's JsonRuleCompilerTest: the five rules compile to 2, 4, 3, 4 and 2 sub-rules.
    rules = RULER_OR["valid"]
    assert [len(_compile(rule)) for rule in rules] == [2, 4, 3, 4, 2]


# --- behaviour tables --------------------------------------------------------------------------------

S3_EVENT = {
    "version": "0", "id": "1", "detail-type": "Object Created", "source": "aws.s3", "account": "111122223333",
    "time": "2021-11-12T00:00:00Z", "region": "ca-central-1", "resources": ["arn:aws:s3:::bucket1"],
    "detail": {"bucket": {"name": "bucket1"}, "object": {"key": "in/data.CSV", "size": 5, "etag": "e"},
               "source-ip-address": "1.2.3.4", "flag": True, "nothing": None, "tags": ["a", "b"],
               "containers": [{"name": "job", "exitCode": 1}, {"name": "sidecar", "exitCode": 0}]},
}

MATCH_TABLE = [
    # (case, pattern, expected)
    ("exact string", {"source": ["aws.s3"]}, True),
    ("exact list is OR", {"source": ["aws.ec2", "aws.s3"]}, True),
    ("keys are ANDed", {"source": ["aws.s3"], "detail-type": ["Object Deleted"]}, False),
    ("nested exact", {"detail": {"bucket": {"name": ["bucket1"]}}}, True),
    ("dotted pattern key", {"detail": {"bucket.name": ["bucket1"]}}, True),
    ("exact number", {"detail": {"object": {"size": [5]}}}, True),
    ("number is not a string", {"detail": {"object": {"size": ["5"]}}}, False),
    ("boolean", {"detail": {"flag": [True]}}, True),
    ("boolean is not 1", {"detail": {"flag": [1]}}, False),
    ("null", {"detail": {"nothing": [None]}}, True),
    ("null is not missing", {"detail": {"missing": [None]}}, False),
    ("array any element", {"detail": {"tags": ["b"]}}, True),
    ("prefix", {"detail": {"object": {"key": [{"prefix": "in/"}]}}}, True),
    ("prefix case-sensitive", {"detail": {"object": {"key": [{"prefix": "IN/"}]}}}, False),
    ("prefix ignore case", {"detail": {"object": {"key": [{"prefix": {"equals-ignore-case": "IN/"}}]}}}, True),
    ("suffix", {"detail": {"object": {"key": [{"suffix": ".csv"}]}}}, False),
    ("suffix ignore case", {"detail": {"object": {"key": [{"suffix": {"equals-ignore-case": ".csv"}}]}}}, True),
    ("equals-ignore-case", {"detail-type": [{"equals-ignore-case": "object created"}]}, True),
    ("wildcard", {"detail": {"object": {"key": [{"wildcard": "in/*.CSV"}]}}}, True),
    ("wildcard full match", {"detail": {"object": {"key": [{"wildcard": "*.CS"}]}}}, False),
    ("wildcard escaped star", {"detail": {"object": {"key": [{"wildcard": "in\\*"}]}}}, False),
    ("anything-but string", {"source": [{"anything-but": "aws.ec2"}]}, True),
    ("anything-but list", {"source": [{"anything-but": ["aws.ec2", "aws.s3"]}]}, False),
    ("anything-but number", {"detail": {"object": {"size": [{"anything-but": [5, 6]}]}}}, False),
    ("anything-but missing", {"detail": {"missing": [{"anything-but": "x"}]}}, False),
    ("anything-but suffix", {"detail": {"object": {"key": [{"anything-but": {"suffix": ".CSV"}}]}}}, False),
    ("anything-but wildcard", {"detail": {"object": {"key": [{"anything-but": {"wildcard": "out/*"}}]}}}, True),
    ("anything-but ignore case", {"source": [{"anything-but": {"equals-ignore-case": "AWS.S3"}}]}, False),
    ("numeric range", {"detail": {"object": {"size": [{"numeric": [">", 0, "<=", 5]}]}}}, True),
    ("numeric open top", {"detail": {"object": {"size": [{"numeric": [">=", 6]}]}}}, False),
    ("numeric equals", {"detail": {"object": {"size": [{"numeric": ["=", 5.0]}]}}}, True),
    ("cidr v4", {"detail": {"source-ip-address": [{"cidr": "1.2.3.0/24"}]}}, True),
    ("cidr v4 outside", {"detail": {"source-ip-address": [{"cidr": "1.2.4.0/24"}]}}, False),
    ("cidr v6 on v4", {"detail": {"source-ip-address": [{"cidr": "2001:db8::/32"}]}}, False),
    ("exists true", {"detail": {"object": {"etag": [{"exists": True}]}}}, True),
    ("exists false", {"detail": {"object": {"version-id": [{"exists": False}]}}}, True),
    ("exists on an object is false", {"detail": {"object": [{"exists": True}]}}, False),
    ("exists false on an object", {"detail": {"object": [{"exists": False}]}}, True),
    ("$or", {"$or": [{"source": ["aws.ec2"]}, {"detail": {"object": {"size": [5]}}}]}, True),
    ("$or none", {"$or": [{"source": ["aws.ec2"]}, {"detail": {"object": {"size": [6]}}}]}, False),
    ("nested $or", {"detail": {"$or": [{"flag": [False]}, {"tags": ["a"]}], "bucket": {"name": ["bucket1"]}}}, True),
    # The failed-task pattern from the ECS guide (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html): any container with a non-zero exit code.
    ("any container failed", {"detail": {"containers": {"exitCode": [{"anything-but": 0}]}}}, True),
    ("same container", {"detail": {"containers": {"name": ["sidecar"], "exitCode": [1]}}}, False),
    ("same container ok", {"detail": {"containers": {"name": ["job"], "exitCode": [1]}}}, True),
]


@pytest.mark.parametrize("case, pattern, expected", MATCH_TABLE, ids=[row[0] for row in MATCH_TABLE])
def test_match_table(case, pattern, expected):
    validate_pattern(pattern)
    assert matches(pattern, S3_EVENT) is expected


def test_cidr_v6_match():
    pattern = {"ip": [{"cidr": "2001:db8:1234:1a00::/64"}]}
    assert matches(pattern, {"ip": "2001:db8:1234:1a00::1"})
    assert not matches(pattern, {"ip": "2001:db8:1234:1a01::1"})


INVALID_TABLE = [
    ({}, "Empty objects are not allowed"),
    ({"detail": {}}, "Empty objects are not allowed"),
    ({"a": [[1]]}, "Match value must be String, number, true, false, or null"),
    ({"a": [{}]}, "Match expression name not found"),
    ({"a": [{"prefix": "x", "suffix": "y"}]}, "Only one key allowed in match expression"),
    ({"a": [{"prefix": {"ignore": "x"}}]}, "Unsupported prefix pattern: ignore"),
    ({"a": [{"exists": "yes"}]}, "exists match pattern must be either true or false."),
    ({"a": [{"numeric": []}]}, "Invalid member in numeric match: ]"),
    ({"a": [{"numeric": ["!=", 1]}]}, "Unrecognized numeric range operator: !="),
    ({"a": [{"numeric": ["=", "1"]}]}, "Value of equals must be numeric"),
    ({"a": [{"numeric": ["<", 1, ">", 0]}]}, "Too many elements in numeric expression"),
    ({"a": [{"numeric": [">", 0, "<", 5, 6]}]}, "Too many terms in numeric range expression"),
    ({"a": [{"numeric": [">", 5, "<", 1]}]}, "Bad numeric range: 5 is not below 1"),
    ({"a": [{"anything-but": []}]},
     "Inside anything but list, either all values are number or string, mixed type is not supported"),
    ({"a": [{"anything-but": ["x", 1]}]},
     "Inside anything but list, either all values are number or string, mixed type is not supported"),
    ({"a": [{"anything-but": {"numeric": [">", 1]}}]}, "Unsupported anything-but pattern: numeric"),
    ({"a": [{"wildcard": "a\\b"}]}, "Invalid escape character at pos 2"),
    ({"a": [{"wildcard": "a\\***"}]}, "Consecutive wildcard characters at pos 4"),
    ({"a": [{"anything-but": {"wildcard": "x**"}}]}, "Consecutive wildcard characters at pos 2"),
    ({"a": [{"cidr": "10.0.0.0/33"}]}, "Malformed CIDR, mask bits out of range: 33"),
    ({"a": 1, "$or": [{"b": ["x"]}, {"c": ["y"]}]}, '"a" must be an object or an array'),
    ({"$or": {"b": ["x"]}}, "It must be an Array followed with $or."),
    ({"$or": [{"prefix": ["x"]}, {"c": ["y"]}]}, "prefix is Ruler reserved fieldName which cannot be used inside $or."),
]


@pytest.mark.parametrize("pattern, reason", INVALID_TABLE, ids=[row[1] for row in INVALID_TABLE])
def test_invalid_table(pattern, reason):
    with pytest.raises(PatternError) as err:
        validate_pattern(pattern)
    assert str(err.value) == reason


def test_wildcard_matching_is_linear_on_adversarial_input():
    # A backtracking regex (.*a.*a.*a.*a.*b) takes O(n^4) steps on 5000 a's without a b: it would not finish.
    hostile = {"k": "a" * 5000}
    assert not matches({"k": [{"wildcard": "*a*a*a*a*b"}]}, hostile)
    assert matches({"k": [{"anything-but": {"wildcard": "*a*a*a*a*b"}}]}, hostile)
    assert matches({"k": [{"wildcard": "*a*a*a*a*b"}]}, {"k": "a" * 5000 + "b"})


@pytest.mark.parametrize(
    "wildcard, value, expected",
    [
        ("abc", "abc", True), ("abc", "abcd", False), ("", "", True), ("", "a", False), ("*", "", True),
        ("a*", "a", True), ("*a", "ba", True), ("a*a", "a", False), ("a*a", "aa", True),
        ("*ab*ab*", "abab", True), ("*ab*ab*", "aba", False), ("x*y*z", "xzyz", True), ("x*y*z", "xzzy", False),
        ("a\\*b", "a*b", True), ("a\\*b", "axb", False), ("a\\\\*", "a\\zz", True), ("a\\\\*", "azz", False),
        # An escaped star then a wildcard star is not "consecutive wildcards" (event-ruler accepts it).
        ("a\\**", "a*", True), ("a\\**", "a*bc", True), ("a\\**", "abc", False), ("*\\*", "x*", True),
    ],
)
def test_wildcard_pieces(wildcard, value, expected):
    assert matches({"k": [{"wildcard": wildcard}]}, {"k": value}) is expected


def test_too_complex_is_only_what_aws_was_recorded_rejecting():
    # content_wildcard_complex_EXC (the template test) is the one recorded "Rule is too complex"; the number
    # of stars alone is not AWS's measure, so six stars elsewhere are accepted.
    with pytest.raises(PatternError, match="^Rule is too complex"):
        validate_pattern({"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]})
    many_stars = {"key": [{"wildcard": "*/*/*/*/*/*.png"}]}
    validate_pattern(many_stars)
    assert matches(many_stars, {"key": "a/b/c/d/e/f.png"})
    assert not matches(many_stars, {"key": "a/b/c/d/f.png"})


@pytest.mark.parametrize(
    "text, reason",
    [
        ('{"a": [NaN]}', "NaN is not a JSON value"),
        ('{"a": [{"numeric": [">", Infinity]}]}', "Infinity is not a JSON value"),
        ('{"a": [-Infinity]}', "-Infinity is not a JSON value"),
        ('{"a": [1e400]}', "the number 1e400 is beyond the range of a double (it would be infinite)"),
        ('{"a": [' + "9" * 500 + "]}", "the number 99999999999999999999...(500 digits) is beyond the range of a "
                                       "double (it would be infinite)"),
    ],
    ids=["NaN", "Infinity", "-Infinity", "1e400", "500 digits"],
)
def test_pattern_text_is_strict_json(text, reason):
    # Python's json reads these (and 1e400 as inf); AWS's parser does not, so neither do we.
    with pytest.raises(PatternError) as err:
        validate_pattern(text)
    assert str(err.value) == f"Event pattern is not valid JSON: {reason}"


@pytest.mark.parametrize(
    "pattern, reason",
    [
        ({"detail": {"size": [float("inf")]}}, "detail.size: infinity is not a JSON number"),
        ({"$or": [{"a": [1]}, {"b": [{"numeric": ["<", float("nan")]}]}]}, "b.numeric: NaN is not a JSON number"),
        ({"a": [{"anything-but": [-float("inf")]}]}, "a.anything-but: infinity is not a JSON number"),
        ({"a": [10**400]}, "a: a 401-digit number is beyond the range of a double"),
    ],
)
def test_pattern_data_takes_finite_numbers_only(pattern, reason):
    # Patterns given as data (YAML's .inf / .nan) are held to the same rule as JSON text.
    with pytest.raises(PatternError) as err:
        validate_pattern(pattern)
    assert str(err.value) == f"{reason}; pattern numbers must be finite"


def test_yaml_spec_with_nan_in_a_pattern_is_refused():
    from support import spec_from

    from generator.errors import SpecError

    with pytest.raises(SpecError) as err:
        spec_from("jobs:\n  worker:\n    image: python:3.12-slim\n    triggers:\n"
                  "      - event_pattern: {source: [com.example], detail: {amount: [.nan]}}\n")
    assert "event_pattern.detail.amount: not a valid event pattern: detail.amount: NaN is not a JSON number" in str(
        err.value)


def test_or_combination_limit():
    # 11 * 10 * 10 = 1100 combinations > 1000.
    def branches(key, count):
        return [{f"{key}{index}": ["v"]} for index in range(count)]

    ok = {"a": {"$or": branches("a", 10)}, "b": {"$or": branches("b", 10)}, "c": {"$or": branches("c", 10)}}
    validate_pattern(ok)
    too_many = {**ok, "d": {"$or": branches("d", 2)}}
    with pytest.raises(PatternError, match="combinations of \\$or branches"):
        validate_pattern(too_many)


def test_size_limit_counts_compact_json():
    at_limit = {"k": ["x" * (4096 - len('{"k":[""]}'))]}
    validate_pattern(at_limit)
    validate_pattern(json.dumps(at_limit, indent=4))  # whitespace in the text does not count
    with pytest.raises(PatternError, match="AWS allows 4096"):
        validate_pattern({"k": ["x" * 4096]})

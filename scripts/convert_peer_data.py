#!/usr/bin/env python3
"""Convert the upstream test data our EventBridge tests use into the project's own files, tests/data/*.json.

    python scripts/convert_peer_data.py SOURCE_DIR            # write tests/data/
    python scripts/convert_peer_data.py SOURCE_DIR --check    # exit 1 if tests/data/ differs from the output

SOURCE_DIR holds the two upstream repositories (full checkouts or data-only copies that keep their paths):

    SOURCE_DIR/localstack/    github.com/localstack/localstack
    SOURCE_DIR/event-ruler/   github.com/aws/event-ruler

tests/data/README.md names the commits and says what each output file holds. Only facts carry over (patterns,
events, expressions, AWS's recorded outputs and error texts), not the upstream layouts or snapshot envelopes.
The output depends on nothing but the input files, so a second run gives byte-identical files.
Needs json5 (the test extra): LocalStack's pattern templates are JSON5.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import json5

OUT = Path(__file__).resolve().parents[1] / "tests" / "data"

LS_EVENTS = Path("localstack", "tests", "aws", "services", "events")
LS_SCHEDULER = Path("localstack", "tests", "aws", "services", "scheduler")
RULER = Path("event-ruler", "src", "test")
LICENSES = {  # what Apache-2.0 asks to travel with the material: the License, and event-ruler's NOTICE
    "localstack-LICENSE.txt": Path("localstack", "LICENSE.txt"),
    "event-ruler-LICENSE": Path("event-ruler", "LICENSE"),
    "event-ruler-NOTICE": Path("event-ruler", "NOTICE"),
}

REASON_PREFIX = "Event pattern is not valid. Reason: "
PATTERN_RUN = "tests/aws/services/events/test_events_patterns.py::TestEventPattern::test_event_pattern["
INPUTS_RUN = "tests/aws/services/events/test_events_inputs.py::"


class SourceError(Exception):
    """The source is not shaped the way this converter expects: stop rather than write partial facts."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SourceError(message)


def _read_json(path: Path) -> Any:
    # Duplicate keys would silently lose a value in a dict; the one upstream case that has them on purpose
    # (complex_multi_key) is kept as text, see _duplicate_key_case.
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates(path))


def _read_json5(path: Path) -> Any:
    return json5.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates(path))


def _no_duplicates(path: Path) -> Callable[[list[tuple[str, Any]]], dict]:
    def hook(pairs: list[tuple[str, Any]]) -> dict:
        keys = [key for key, _ in pairs]
        _require(len(keys) == len(set(keys)), f"{path}: duplicate keys in {keys}")
        return dict(pairs)

    return hook


# --- event patterns (LocalStack) -----------------------------------------------------------------------


def _expected(stem: str) -> str:
    """LocalStack's naming: _EXC = PutRule rejects the pattern, _NEG = it does not match, else it matches."""
    if stem.endswith("_EXC"):
        return "invalid"
    return "no_match" if stem.endswith("_NEG") else "match"


def _recorded_reasons(snapshot: dict) -> dict[str, str]:
    """AWS's reason (the text after "Reason: ", without the parser's "at [Source: ...]" position) for each
    test_event_pattern run that recorded an InvalidEventPatternException."""
    reasons = {}
    for key, entry in snapshot.items():
        if not key.startswith(PATTERN_RUN):
            continue
        stem = key[len(PATTERN_RUN):-1]
        content = entry["recorded-content"]
        if not content:
            continue
        _require(set(content) == {stem} and stem.endswith("_EXC"), f"unexpected recording for {stem}: {content}")
        recorded = content[stem]["exception_message"]
        _require(recorded["Error"]["Code"] == "InvalidEventPatternException", f"{stem}: {recorded['Error']}")
        message = recorded["Error"]["Message"]
        _require(message.startswith(REASON_PREFIX), f"{stem}: {message!r}")
        reasons[stem] = message[len(REASON_PREFIX):].split("\n at [Source:")[0]
    return reasons


def _dump_pairs(node: Any) -> str:
    """Compact JSON text for a value parsed into lists of pairs, so that repeated keys survive."""
    if isinstance(node, _Pairs):
        return "{" + ", ".join(f"{json.dumps(key)}: {_dump_pairs(value)}" for key, value in node) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_dump_pairs(item) for item in node) + "]"
    return json.dumps(node, ensure_ascii=False, allow_nan=False)


class _Pairs(list):
    """A JSON object as its list of (key, value) pairs, repeated keys included."""


def _duplicate_key_case(templates: Path) -> dict:
    """complex_multi_key: a pattern that repeats a key (AWS keeps the last), so it stays JSON text."""
    pattern_text = _dump_pairs(json.loads((templates / "complex_multi_key_event_pattern.json").read_text(
        encoding="utf-8"), object_pairs_hook=_Pairs))
    event = _read_json(templates / "complex_multi_key_event.json")
    return {"name": "complex_multi_key", "expected": "match", "pattern_text": pattern_text, "event": event}


def patterns(source: Path) -> list[dict]:
    templates = source / LS_EVENTS / "event_pattern_templates"
    reasons = _recorded_reasons(_read_json(source / LS_EVENTS / "test_events_patterns.snapshot.json"))
    cases = []
    for path in sorted(templates.glob("*.json5")):
        template = _read_json5(path)
        _require(set(template) == {"Event", "EventPattern"}, f"{path}: keys {sorted(template)}")
        case = {"name": path.stem, "expected": _expected(path.stem)}
        if path.stem in reasons:
            case["error"] = reasons[path.stem]
        case.update(pattern=template["EventPattern"], event=template["Event"])
        cases.append(case)
    _require(bool(cases), f"no templates in {templates}")
    cases.append(_duplicate_key_case(templates))
    present = {case["name"] for case in cases}
    # AWS recorded these reasons for upstream templates the source does not hold: the reason is a fact we
    # keep; the pattern is not here (test_eb_pattern.py rebuilds it from the snapshot's excerpt).
    cases += [{"name": stem, "expected": "invalid", "error": reason}
              for stem, reason in reasons.items() if stem not in present]
    return sorted(cases, key=lambda case: case["name"])


# --- input transformers and InputPath (LocalStack) -----------------------------------------------------


def _body(messages: list | None) -> Any:
    """What one SQS target received: None for nothing, else the message Body, which the snapshot shows
    parsed when it was a JSON object and verbatim (a string) otherwise."""
    if not messages:
        return None
    _require(len(messages) == 1, f"expected one message, got {len(messages)}")
    return messages[0]["Body"]


def _runs(snapshot: dict, test: str) -> list[tuple[str, dict]]:
    """(parameter, recorded content) of each parametrized run of ``test``, in the snapshot's order.
    pytest writes a newline in a parameter as \\n; the template had a real newline."""
    runs = []
    for key, entry in snapshot.items():
        match = re.search(rf"::{re.escape(test)}\[(.*)\]$", key)
        if match:
            runs.append((match[1].replace("\\n", "\n"), entry["recorded-content"]))
    _require(bool(runs), f"no runs of {test}")
    return runs


def _error_message(recorded: dict) -> str:
    _require(recorded["Error"]["Code"] == "ValidationException", f"{recorded['Error']}")
    return recorded["Error"]["Message"]


def transforms(source: Path) -> dict:
    snapshot = _read_json(source / LS_EVENTS / "test_events_inputs.snapshot.json")
    transformer = INPUTS_RUN + "TestInputTransformer::"
    input_path = INPUTS_RUN + "TestInputPath::"

    def recorded(key: str) -> dict:
        return snapshot[key]["recorded-content"]

    def variants(content: dict) -> dict:
        _require(set(content) == {"custom-variables-match-all", "custom-variables-not-match-all"}, f"{content}")
        return {variant: _body(messages) for variant, messages in sorted(content.items())}

    nested = []
    for template, content in _runs(snapshot, "test_input_transformer_nested_keys_replacement"):
        _require(set(content) <= {"input-transformed-messages"}, f"{template}: {content}")
        nested.append({"template": template, "body": _body(content.get("input-transformed-messages"))})
    predefined = []
    for template, content in _runs(snapshot, "test_input_transformer_predefined_variables"):
        _require(set(content) == {"messages"}, f"{template}: {content}")
        predefined.append({"template": template, "body": _body(content["messages"])})
    two_targets = recorded(input_path + "test_put_events_with_input_path_multiple_targets")
    return {
        "nested_keys_replacement": sorted(nested, key=lambda case: case["template"]),
        "input_template_string": sorted(
            ({"template": template, "bodies": variants(content)}
             for template, content in _runs(snapshot, "test_put_events_with_input_transformer_input_template_string")),
            key=lambda case: case["template"]),
        # The JSON-template run is not parametrized, so the snapshot does not hold its template.
        "input_template_json_bodies": variants(
            recorded(transformer + "test_put_events_with_input_transformer_input_template_json")),
        "predefined_variables": sorted(predefined, key=lambda case: case["template"]),
        "missing_key_error": _error_message(
            recorded(transformer + "test_put_events_with_input_transformer_missing_keys")["missing-key-exception-error"]),
        "input_path_bodies": {
            run: _body(recorded(input_path + run)["message"])
            for run in ("test_put_events_with_input_path", "test_put_events_with_input_path_max_level_depth",
                        "test_put_events_with_input_path_nested[event_detail0]")},
        "input_path_two_targets_bodies": {
            "queue-1": _body(two_targets["message-queue-1"]), "queue-2": _body(two_targets["message-queue-2"])},
        "duplicated_input_error": _error_message(
            recorded(INPUTS_RUN + "test_put_event_input_path_and_input_transformer")["duplicated-input-operations-error"]),
    }


# --- schedule expressions (LocalStack) -----------------------------------------------------------------


def schedules(source: Path) -> dict:
    rules = _read_json(source / LS_EVENTS / "test_events_schedule.snapshot.json")
    rule_valid, rule_invalid = set(), set()
    for key, entry in rules.items():
        content = entry["recorded-content"]
        # Every rule a ListRules call returned was accepted by PutRule, parametrized run or not.
        for rule in content.get("list-rules", {}).get("Rules", []):
            rule_valid.add(rule["ScheduleExpression"])
        parameter = re.search(r"\[(.*)\]$", key)
        if "invalid-put-rule" in content:
            _require(parameter is not None, f"{key}: no expression")
            _error_message(content["invalid-put-rule"])
            rule_invalid.add(parameter[1])
        elif parameter and "list-rules" in content:
            _require(parameter[1] in rule_valid, f"{key}: listed rule is not {parameter[1]}")
    scheduler = _read_json(source / LS_SCHEDULER / "test_scheduler.snapshot.json")
    scheduler_valid, scheduler_invalid = set(), set()
    for key, entry in scheduler.items():
        content, parameter = entry["recorded-content"], re.search(r"\[(.*)\]$", key)
        if "invalid-schedule-expression" in content:
            _error_message(content["invalid-schedule-expression"])
            scheduler_invalid.add(parameter[1])
        elif "create-schedule" in content and parameter:  # the unparametrized runs do not record their expression
            scheduler_valid.add(parameter[1])
    _require(all((rule_valid, rule_invalid, scheduler_valid, scheduler_invalid)), "an expression list is empty")
    return {"rule": {"valid": sorted(rule_valid), "invalid": sorted(rule_invalid)},
            "scheduler": {"valid": sorted(scheduler_valid), "invalid": sorted(scheduler_invalid)}}


# --- event-ruler -------------------------------------------------------------------------------------------


def ruler_correctness(source: Path) -> list[dict]:
    cases = _read_json(source / RULER / "resources" / "correctness-cases.json")
    _require(all(set(case) == {"name", "rule", "event"} for case in cases), "correctness case keys")
    # Upstream's order groups the cases (flat, arrays of objects, nested, primitive arrays); keep it.
    return [{"name": case["name"], "rule": case["rule"], "event": case["event"]} for case in cases]


def ruler_arrays(source: Path) -> dict:
    data = source / RULER / "data"
    return {"rules": {path.stem: _read_json(path) for path in sorted(data.glob("arrayRule*.json"))},
            "events": {path.stem: _read_json(path) for path in sorted(data.glob("arrayEvent*.json"))}}


def ruler_or(source: Path) -> dict:
    data = source / RULER / "data"
    return {"valid": _read_json(data / "orRelationshipRules.json"),
            "invalid": _read_json(data / "wrongOrRelationshipRules.json")}


# --- output ------------------------------------------------------------------------------------------------

FILES: dict[str, Callable[[Path], Any]] = {
    "patterns.json": patterns,
    "transforms.json": transforms,
    "schedules.json": schedules,
    "ruler_correctness.json": ruler_correctness,
    "ruler_arrays.json": ruler_arrays,
    "ruler_or.json": ruler_or,
}


def render(data: Any) -> bytes:
    """Indented UTF-8 JSON. Keys stay in the order built above: ours in a fixed order, and objects copied
    from upstream (patterns, events, rules) in upstream's order, because AWS reads a pattern in document
    order (which of two problems it reports) and sorting would rewrite the recorded input."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    _require(json.loads(text) == data, "the output does not read back as the data")
    return text.encode("utf-8")


def outputs(source: Path) -> dict[str, bytes]:
    files = {name: render(build(source)) for name, build in FILES.items()}
    for name, path in LICENSES.items():
        files[f"licenses/{name}"] = (source / path).read_bytes()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, metavar="SOURCE_DIR",
                        help="folder holding localstack/ and event-ruler/ (upstream checkouts or data-only copies)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file differs")
    args = parser.parse_args(argv)
    try:
        files = outputs(args.source)
    except (SourceError, OSError, KeyError, ValueError) as err:
        print(f"convert_peer_data: {args.source}: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    if args.check:
        stale = [name for name, content in files.items()
                 if not (args.out / name).is_file() or (args.out / name).read_bytes() != content]
        for name in stale:
            print(f"differs: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    for name, content in files.items():
        target = args.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

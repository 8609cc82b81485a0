"""libyaml composes the spec when PyYAML has it, and nothing a user can see changes.

``parse_yaml`` reads a spec with libyaml (``yaml.CSafeLoader``) and, on any libyaml error or on the
few inputs the two parsers read otherwise, with the pure-Python loader. The differential tests here
hold it to that: for every spec we have (config/, tests/ and the specs written in the tests, the
docs' examples), for the inputs where the two parsers are known to differ, and for generated
documents, ``parse_yaml`` gives exactly what the pure-Python loader alone gives: the same data (key
order included), the same positions, or the same error messages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.model import load, yaml_source
from generator.model.yaml_source import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
needs_libyaml = pytest.mark.skipif(yaml_source._FastLoader is None, reason="PyYAML built without libyaml")


def _doc_examples() -> list[tuple[str, str]]:
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)):
            found.append((f"{doc.relative_to(ROOT)}#{i}", block))
    return found


def _test_specs() -> list[tuple[str, str]]:
    """The specs written inline in the tests (triple-quoted text with a `jobs:` or `stack:` line)."""
    found = []
    for path in sorted(ROOT.glob("tests/**/*.py")):
        blocks = re.findall(r'"""(.*?)"""', path.read_text(encoding="utf-8"), re.S)
        found += [(f"{path.relative_to(ROOT).as_posix()}#{i}", block) for i, block in enumerate(blocks)
                  if re.search(r"^\s*(jobs|stack):", block, re.M)]
    return found


def _corpus() -> list[tuple[str, str]]:
    files = sorted({*ROOT.glob("config/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")})
    # a few test files are deliberately not UTF-8: read what a user's editor would show
    return ([(p.relative_to(ROOT).as_posix(), p.read_bytes().decode("utf-8", "replace")) for p in files]
            + _doc_examples() + _test_specs())


CORPUS = _corpus()


def _outcome(text: str, *, fast: bool, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple:
    """What ``parse_yaml`` gives: data and positions, or the error messages; with or without libyaml."""
    saved = yaml_source._FastLoader
    if not fast:
        yaml_source._FastLoader = None
    try:
        data, positions = parse_yaml(text, "spec.yaml")
        return ("data", repr(data), positions.values, positions.keys, positions.blocks)
    except SpecError as err:
        return ("error", [str(problem) for problem in err.problems])
    finally:
        yaml_source._FastLoader = saved


def _assert_same(text: str) -> tuple:
    fast, pure = _outcome(text, fast=True), _outcome(text, fast=False)
    assert fast == pure, f"libyaml and PyYAML differ on {text!r}"
    return fast


def test_the_corpus_is_every_spec_we_have():
    names = [name for name, _ in CORPUS]
    assert "config/csv-analyzer.yaml" in names
    assert any(name.startswith("tests/golden/") for name in names)
    assert any(name.startswith("tests/bad_specs/") for name in names)
    assert sum(name.startswith("docs/job-spec.md#") for name in names) >= 10
    assert sum(name.startswith("tests/model/test_spec_load.py#") for name in names) >= 5
    assert len(CORPUS) >= 150


@needs_libyaml
@pytest.mark.parametrize("name,text", [pytest.param(n, t, id=n) for n, t in CORPUS])
def test_libyaml_reads_every_spec_as_pyyaml_does(name, text):
    _assert_same(text)


@needs_libyaml
def test_libyaml_alone_reads_every_readable_spec_of_the_corpus(monkeypatch):
    """The comparisons above are worth something only if libyaml really read those specs: every one that
    has no YAML error and none of the characters that send a text to PyYAML (a tab, a byte-order mark)."""
    used: list[type] = []
    original = yaml_source._parse
    monkeypatch.setattr(yaml_source, "_parse", lambda text, file, cls: used.append(cls) or original(text, file, cls))
    read = 0
    for name, text in CORPUS:
        if _outcome(text, fast=False)[0] != "data" or "\t" in text or "\ufeff" in text:
            continue
        used.clear()
        parse_yaml(text, "spec.yaml")
        assert used == [yaml_source._FastLoader], f"{name} was not read by libyaml alone"
        read += 1
    assert read >= 120


@needs_libyaml
def test_libyaml_composes_when_available(monkeypatch):
    """A spy on both loaders: a spec is composed by libyaml alone, the pure-Python loader never starts."""
    assert issubclass(yaml_source._FastLoader, yaml.CSafeLoader)
    calls: list[str] = []
    for name, cls in (("libyaml", yaml_source._FastLoader), ("pure", yaml_source._Loader)):
        original = cls.__init__
        monkeypatch.setattr(cls, "__init__", lambda self, stream, o=original, n=name: calls.append(n) or o(self, stream))
    text = (ROOT / "config" / "csv-analyzer.yaml").read_text(encoding="utf-8")
    data, positions = parse_yaml(text, "spec.yaml")
    assert calls == ["libyaml"]
    line = text.splitlines().index(f"stack: {data['stack']}") + 1
    assert positions.values[("stack",)] == (line, 8)


def test_without_libyaml_the_pure_python_loader_reads_the_spec(monkeypatch):
    monkeypatch.setattr(yaml_source, "_FastLoader", None)
    spec = load.load_spec(ROOT / "config" / "csv-analyzer.yaml")
    assert spec.jobs


# Inputs where libyaml and PyYAML part ways (each was found by comparing them), and neighbours that
# they read alike. Whatever libyaml does with them, parse_yaml must give PyYAML's answer.
DIFFERING = {
    "tab after a colon (libyaml accepts it)": "stack: x\njobs:\t{}\n",
    "tab before a comment": "stack: x\t# name\njobs: {}\n",
    "tab in a flow list": "jobs: [a,\n\tb]\n",
    "tab inside a quoted string (both read it)": "stack: \"a\tb\"\n",
    "byte-order mark at a line start": "stack: x\n\ufeffjobs: {}\n",
    "byte-order mark on a blank line": "stack: x\n\ufeff\njobs: {}\n",
    "byte-order mark before a flow item": "jobs: [a,\n\ufeff2]\n",
    "byte-order mark first": "\ufeffstack: x\n",
    "block scalar header with a comment and no space": "command: |# run it\n  python run.py\n",
    "block scalar header with an indentation digit and a comment": "command: >2# x\n   a\n",
    "block scalar header with a spaced comment (both read it)": "command: | # run it\n  python run.py\n",
    "question mark in a flow list item": "actions: [iam:Get?Role]\n",
    "question mark in a flow mapping value": "cluster: {name: prod? }\n",
    "question mark in a block value (both read it)": "schedule: cron(0 2 * * ? *)\n",
    "question mark in a flow list of cron expressions": "schedules: [cron(0 2 * * ? *)]\n",
    "empty value in a flow mapping": "cluster: {name: }\n",
    "empty value before a closing brace on the next line": "cluster: {name:\n}\n",
    "empty value of a pair in a flow list": "jobs: [a: , b]\n",
    "empty key in a flow mapping": "cluster: {? : x}\n",
    "question mark in a mapping a merge key brings in": "job:\n  <<: {a?b: 1}\n",
    "empty value in a mapping a merge key brings in": "job:\n  <<: [{image: }]\n  cpu: 1\n",
    "question mark deep in a merged mapping": "job:\n  <<: {c: {<<: {a: [b?]}}}\n",
    "question mark in a mapping used as a key": "? network: {subn? ets: [a]}\n",
    "empty document at the end of a text without a line break": "# nothing here yet\n---",
    "empty value at the end of a text without a line break": "stack: x\n? jobs",
    "empty value at the end of a text with a line break (both read it)": "stack: x\n? jobs\n",
    "a text without a final line break (both read it)": "stack: x\njobs: {a: 1}",
    "empty value in a block mapping (both read it)": "stack:\ncluster: {name: x}\n",
    "colon right before a flow list's end": "items: [a, b:]\n",
    "unknown directive": "%FOO bar\n---\nstack: x\n",
    "YAML 1.3 directive": "%YAML 1.3\n---\nstack: x\n",
    "lone surrogate": "stack: \ud800\n",
    "two documents": "stack: x\n---\nstack: y\n",
    "CR line ends": "stack: x\rjobs:\r  a: {image: b}\r",
    "CRLF line ends": "stack: x\r\njobs:\r\n  a: [1,\r\n    2]\r\n",
    "NEL and line separators": "stack: x\x85jobs: y\u2028z\n",
    "non-ASCII and astral characters": "é: ü😀\nstack: '😀😀'\njobs: {ñ: 1}\n",
    "merge keys and anchors": "base: &b {cpu: 256, memory: 512}\njobs:\n  a:\n    <<: *b\n    cpu: 1024\n  b: {<<: [*b, {x: 1}]}\n",
    "duplicate key": "stack: x\nstack: y\n",
    "duplicate key after a merge": "base: &b {cpu: 1}\njob:\n  <<: *b\n  cpu: 2\n  cpu: 3\n",
    "timestamps and binary": "start: 2026-01-01\nend: 2026-01-01T00:00:00Z\nblob: !!binary aGVsbG8=\n",
    "a set": "tags: !!set {a, b}\n",
    "non-string key": "jobs: {1: a}\n",
    "value key": "=: x\n",
    "empty file": "",
    "nesting too deep for PyYAML": "jobs: " + "[" * 1200 + "]" * 1200 + "\n",
    "an alias inside the list it names": "jobs: &a [*a]\n",
}


@needs_libyaml
@pytest.mark.parametrize("text", [pytest.param(t, id=name) for name, t in DIFFERING.items()])
def test_where_the_parsers_differ_the_answer_is_pyyamls(text):
    _assert_same(text)


def _unguarded(text: str) -> tuple:
    """libyaml's own reading, without parse_yaml's fallbacks: data and positions, our error messages, or
    "refused" (a libyaml error)."""

    class Unguarded(yaml_source._FastLoader):
        checks_flow_items = False

        def __init__(self, stream):
            super().__init__(stream)
            self.checks_empty_scalars = False

    try:
        data, positions = yaml_source._parse(text, "spec.yaml", Unguarded)
    except SpecError as err:
        return ("error", [str(problem) for problem in err.problems])
    except (yaml.YAMLError, UnicodeEncodeError):
        return ("refused",)
    return ("data", repr(data), positions.values, positions.keys, positions.blocks)


# the cases above that libyaml alone reads otherwise (accepts, or marks elsewhere): one for each fallback
LIBYAML_DIFFERS = [
    "tab after a colon (libyaml accepts it)", "tab before a comment", "tab in a flow list",
    "byte-order mark on a blank line", "byte-order mark before a flow item", "block scalar header with a comment and no space",
    "block scalar header with an indentation digit and a comment", "question mark in a flow list item",
    "question mark in a flow mapping value", "empty value in a flow mapping",
    "empty value before a closing brace on the next line", "empty value of a pair in a flow list",
    "empty key in a flow mapping", "question mark in a mapping a merge key brings in",
    "empty value in a mapping a merge key brings in", "question mark deep in a merged mapping",
    "question mark in a mapping used as a key", "empty document at the end of a text without a line break",
    "empty value at the end of a text without a line break",
]


@needs_libyaml
@pytest.mark.parametrize("name", LIBYAML_DIFFERS)
def test_libyaml_alone_would_read_these_otherwise(name):
    """Each fallback is needed: without it, parse_yaml would answer otherwise than PyYAML."""
    text = DIFFERING[name]
    pure, libyaml = _outcome(text, fast=False), _unguarded(text)
    assert libyaml != pure and not (libyaml == ("refused",) and pure[0] == "error")


def test_a_tab_is_still_refused_with_its_hint():
    with pytest.raises(SpecError) as caught:
        parse_yaml("stack: x\njobs:\t{}\n", "spec.yaml")
    assert str(caught.value) == (
        "spec.yaml:2:6: YAML syntax error: found character '\\t' that cannot start any token "
        "(YAML does not allow tabs for indentation: use spaces)")


@pytest.mark.parametrize("fast", [True, False])
def test_nesting_too_deep_is_a_spec_error_at_its_line(fast, monkeypatch):
    if not fast:  # PyYAML without libyaml
        monkeypatch.setattr(yaml_source, "_FastLoader", None)
        monkeypatch.setattr(yaml_source, "_LOCATOR", None)
    text = "stack: x\njobs:\n  a: " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(SpecError) as caught:  # was an internal error (RecursionError, exit 70)
        parse_yaml(text, "spec.yaml")
    (problem,) = caught.value.problems
    assert "nest more than 100 deep" in problem.message
    # the 100th "[" is the 101st list or mapping from the top
    assert (problem.line, problem.column) == (3, 5 + 100)


def test_an_alias_inside_what_it_names_is_a_spec_error():
    with pytest.raises(SpecError, match="an alias"):
        parse_yaml("stack: x\njobs: &a {a: [*a]}\n", "spec.yaml")


def test_generate_exits_2_for_nesting_too_deep(tmp_path):
    spec = tmp_path / "deep.yaml"
    spec.write_text("stack: x\njobs: " + "[" * 3000 + "]" * 3000 + "\n")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(spec), "--out", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stderr
    assert "deep.yaml:2:" in result.stderr and "nest more than 100 deep" in result.stderr


def test_an_empty_value_in_a_flow_mapping_is_where_the_colon_ends():
    _, positions = parse_yaml("cluster: {name:\n}\n", "spec.yaml")
    assert positions.values[("cluster", "name")] == (1, 16)


# generated documents: corpus specs with raw edits (which break or bend the YAML) ...
EDITS = [":", ": ", "-", "- ", " ", "  ", "\n", "\r\n", "\r", "{", "}", "[", "]", ",", ", ", "#", " #", "&a ", "*a",
         "<<: ", "? ", "?", "!!str ", "!!binary ", "'", '"', "|", ">", "|#", "é", "😀", "\x85", "\u2028", "\\",
         "%", "@", "`", "...", "---", "=", "~", "null", "1", "2026-01-01", "\xa0", "\ufeff", "\t"]
SHORT = [text for _, text in CORPUS if 0 < len(text) < 4000]


@st.composite
def edited_specs(draw) -> str:
    text = draw(st.sampled_from(SHORT))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(EDITS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=5)):]
    return text


# ... and plain data dumped in every style PyYAML writes
keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), keys, st.sampled_from(
    ["", "?", "a?b", "cron(0 2 * * ? *)", "2026-01-01", "a: b", "- x", "#", "|", "*", "&", "=", "<<", "~"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


@needs_libyaml
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_specs())
def test_libyaml_and_pyyaml_agree_on_edited_specs(text):
    _assert_same(text)


@needs_libyaml
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([None, True, False]), st.sampled_from(["\n", "\r\n", "\r"]),
       st.integers(min_value=2, max_value=6), st.booleans(), st.booleans())
def test_libyaml_and_pyyaml_agree_on_dumped_documents(data, flow, line_break, indent, unicode, canonical):
    text = yaml.safe_dump(data, default_flow_style=flow, line_break=line_break, indent=indent,
                          allow_unicode=unicode, canonical=canonical, width=40)
    _assert_same(text)


def test_a_libyaml_that_refuses_deep_nesting_still_locates_it(monkeypatch):
    """PyYAML 6.0.4's libyaml stops at 1,000 levels ("exceeded maximum nesting depth"): its events up to
    there still give the first list nested more than 100 deep, where the node walk would."""
    text = "stack: x\njobs:\n  a: " + "[" * 3000 + "]" * 3000 + "\n"
    assert yaml_source._first_too_deep_event(text) == (3, 5 + 100)

    def refuse(*args, **kwargs):
        raise yaml.YAMLError("exceeded maximum nesting depth")

    monkeypatch.setattr(yaml_source.yaml, "compose", refuse)
    assert yaml_source._first_too_deep(text) == (3, 5 + 100)

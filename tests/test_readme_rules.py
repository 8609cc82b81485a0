"""The README's rule table (section "The security gate") agrees with the rules' own metadata.

The table is written by hand; the rules are the truth. Every rule file in generator/lint/rules/ (cfn-lint
loads those matching `[A-Za-z1-9]*.py`, one rule class each, the file name starting with its id) has a row,
no row names a rule that does not exist, and each row's text is the rule's `shortdesc`. A row may group
rules (`E9301 / E9302`); its text is then their shortdescs joined by "; ", in the row's order. The README
may write a quoted name as code: backticks and single quotes are ignored in the comparison ('*' and `*`).
"""

from __future__ import annotations

import importlib
import re

import pytest
from cfnlint.rules import CloudFormationLintRule

from support import REPO

RULES_DIR = REPO / "generator" / "lint" / "rules"
README = REPO / "README.md"
SECTION = "### The security gate"
HEADER = ("rule", "checks")
RULE_ID = re.compile(r"^[EWI]\d{4}$")


def rule_classes() -> dict[str, type[CloudFormationLintRule]]:
    """File name -> the one rule class the file defines, for every file cfn-lint would load as a rule."""
    found = {}
    for path in sorted(RULES_DIR.glob("*.py")):
        if not re.match(r"[A-Za-z1-9]", path.name):
            continue
        module = importlib.import_module(f"generator.lint.rules.{path.stem}")
        classes = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, CloudFormationLintRule)
            and value.__module__ == module.__name__
        ]
        assert len(classes) == 1, f"{path.name}: expected one rule class, found {[c.__name__ for c in classes]}"
        found[path.name] = classes[0]
    return found


def parse_rule_table(readme: str) -> list[tuple[list[str], str]]:
    """The rows of the first `| rule | checks |` table after the section heading: ([ids], text)."""
    assert SECTION in readme, f"README.md has no section {SECTION!r}"
    lines = readme[readme.index(SECTION):].splitlines()
    start = next((i for i, line in enumerate(lines) if _cells(line) == list(HEADER)), None)
    assert start is not None, f"no '| rule | checks |' table under {SECTION!r}"
    rows = []
    for line in lines[start + 2:]:  # the header, then the |---|---| line
        if not line.startswith("|"):
            break
        cells = _cells(line)
        assert len(cells) == 2, f"a rule row has two cells: {line!r}"
        ids = [part.strip() for part in cells[0].split("/")]
        bad = [i for i in ids if not RULE_ID.match(i)]
        assert not bad, f"{line!r}: the first cell holds only rule ids separated by ' / ', not {bad}"
        rows.append((ids, cells[1]))
    return rows


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def normalized(text: str) -> str:
    return " ".join(text.replace("`", "").replace("'", "").split())


def expected_text(ids: list[str], shortdescs: dict[str, str]) -> str:
    return "; ".join(shortdescs[i] for i in ids)


@pytest.fixture(scope="module")
def rules() -> dict[str, type[CloudFormationLintRule]]:
    return rule_classes()


@pytest.fixture(scope="module")
def rows() -> list[tuple[list[str], str]]:
    return parse_rule_table(README.read_text(encoding="utf-8"))


def test_rule_files_start_with_their_rule_id(rules):
    wrong = {name: cls.id for name, cls in rules.items() if name.split("_", 1)[0] != cls.id}
    assert not wrong, f"file name and rule id disagree: {wrong}"


def test_table_lists_exactly_the_rules(rules, rows):
    listed = [i for ids, _ in rows for i in ids]
    repeated = sorted({i for i in listed if listed.count(i) > 1})
    assert not repeated, f"README rule table lists these more than once: {repeated}"
    existing = {cls.id for cls in rules.values()}
    assert not existing - set(listed), f"rules missing from the README table: {sorted(existing - set(listed))}"
    assert not set(listed) - existing, f"README table names rules that do not exist: {sorted(set(listed) - existing)}"


def test_row_text_is_the_rules_shortdesc(rules, rows):
    shortdescs = {cls.id: cls.shortdesc for cls in rules.values()}
    wrong = [
        f"| {' / '.join(ids)} | {expected_text(ids, shortdescs)} |   (README: {text!r})"
        for ids, text in rows
        if all(i in shortdescs for i in ids) and normalized(text) != normalized(expected_text(ids, shortdescs))
    ]
    assert not wrong, "README rows that are not the rules' shortdesc; write them as:\n" + "\n".join(wrong)


def test_grouped_rows_are_parsed_in_order():
    readme = (
        f"{SECTION}\n\ntext\n\n| rule | checks |\n|---|---|\n"
        "| E9301 / E9302 | `A`; 'B' |\n| W9501 | C |\n\nafter the table\n| E9999 | not a row of it |\n"
    )
    rows = parse_rule_table(readme)
    assert rows == [(["E9301", "E9302"], "`A`; 'B'"), (["W9501"], "C")]
    assert normalized(rows[0][1]) == normalized(expected_text(rows[0][0], {"E9301": "A", "E9302": "B"}))

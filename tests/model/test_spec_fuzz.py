"""Whatever a user writes, loading ends in a StackSpec or a SpecError that says where: never a traceback.

Documents are mutations of the two example configs: fields dropped, renamed, retyped, given random
scalars, and raw text edits that break the YAML itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.plan import load_spec
from generator.model import StackSpec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [(ROOT / "config" / name).read_text() for name in ("csv-analyzer.yaml", "daily-data-processor.yaml")]
FIELD_NAMES = [
    "stack", "jobs", "image", "cpu", "memory", "triggers", "schedule", "s3_upload", "event_pattern", "environment",
    "retry", "dead_letter_queue", "capacity", "timezone", "command", "secrets", "defaults", "cluster", "arn",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "$.detail.x", "rate(1 hour)", "@daily", "0 2 * * *", "at(2027-01-01T09:00:00)",
                     "arn:aws:sqs:us-east-1:123456789012:q", "fargate_spot", "1h", "2027-01-01", "~", "*"]),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10))


def _containers(node: Any, found: list) -> list:
    """Every dict and list in the document (mutation sites)."""
    if isinstance(node, (dict, list)):
        found.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, found)
    return found


@st.composite
def mutated_documents(draw) -> str:
    text = draw(st.sampled_from(EXAMPLES))
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        site = draw(st.sampled_from(_containers(data, [])))
        if isinstance(site, dict) and site:
            key = draw(st.sampled_from(sorted(site)))
            action = draw(st.sampled_from(["drop", "rename", "retype", "add"]))
            if action == "drop":
                del site[key]
            elif action == "rename":
                site[draw(keys)] = site.pop(key)
            elif action == "retype":
                site[key] = draw(values)
            else:
                site[draw(keys)] = draw(values)
        elif isinstance(site, list) and site:
            index = draw(st.integers(min_value=0, max_value=len(site) - 1))
            site[index] = draw(values)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.integers(min_value=0, max_value=4)) == 0:  # sometimes break the text itself
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(["\t", ": ", "{", "- ", "@", "&a", "*a", "\n  x: 1\n", '"'])) + text[at:]
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_load_returns_a_spec_or_a_located_spec_error(text):
    try:
        spec = load_spec("config/fuzz.yaml", text=text)
    except SpecError as err:
        assert err.problems
        for problem in err.problems:
            assert problem.file == "config/fuzz.yaml"
            assert problem.path or problem.line is not None, f"{problem}: neither a field nor a line"
            assert problem.message
    else:
        assert isinstance(spec, StackSpec)

"""The scalar side of fast_yaml.py: how PyYAML and cfn-flip would write each scalar of a template (its tag,
style and text), decided once per scalar and memoised, and a real PyYAML emitter for the scalars written by it.

``Scalars.fast_plan`` decides a one-line printable-ASCII string's style from the few facts PyYAML's representer,
resolver and ``analyze_scalar`` would look at; ``Scalars.pyyaml_plan`` asks PyYAML's and cfn-flip's own code
(any other scalar). tests/resources/test_fast_yaml.py holds the first to the second's answers.
"""

from __future__ import annotations

import re
from typing import Any

from cfn_flip.yaml_dumper import get_dumper
from cfn_tools._config import config
from yaml.nodes import ScalarNode

_DUMPER_CLASS = get_dumper(clean_up=False, long_form=False)  # what to_yaml(clean_up=False, long_form=False) uses
_BREAKS = "\r\n\x85\u2028\u2029"
_STR = "tag:yaml.org,2002:str"
# The scalars _Scalars.fast_plan decides without PyYAML's representer and analyze_scalar: one line of printable
# ASCII (no break, tab or special character: PyYAML's line_breaks, special_characters, break_space and
# space_break are all false), shorter than cfn-flip's STR_MAX_LENGTH_QUOTED (config.max_col_width, 200: longer
# ones are written folded) and not starting with "0" (cfn-flip quotes those: account IDs).
_ONE_LINE_ASCII = re.compile(r"[\x20-\x7e]{1,199}\Z")
# analyze_scalar's block_indicators (for such a scalar, the only space-like character is " "): a document
# marker, a leading indicator, a leading "?"/"-" followed by a space or the end; what ":( |$)" and " #" add
# anywhere is checked with `in` beside it.
_LEADING_BLOCK_INDICATOR = re.compile(r"---|\.\.\.|[#,\[\]{}&*!|>'\"%@`]|[?-](?: |\Z)")


def float_sign(value: Any) -> bool | None:
    """Part of a memo key: 0.0 == -0.0 (and hash alike), but PyYAML writes them differently."""
    return str(value).startswith("-") if isinstance(value, float) else None


class Fallback(Exception):
    """A template this writer does not cover: cfn-flip renders it."""


class _Sink:
    __slots__ = ("parts",)

    def __init__(self):
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)


class Scalars:
    """Memoised representer and analysis decisions, and a real emitter for the scalars written by PyYAML."""

    def __init__(self):
        self.sink = _Sink()
        self.dumper = _DUMPER_CLASS(
            self.sink, default_flow_style=False, allow_unicode=True, width=config.max_col_width
        )
        self.dumper.tag_prefixes = self.dumper.DEFAULT_TAG_PREFIXES.copy()  # as Emitter.expect_document_start sets
        self.best_width = self.dumper.best_width
        self.nodes: dict[tuple, tuple[str, str, str | None, tuple[bool, bool]]] = {}
        self.analyses: dict[tuple, Any] = {}
        self.tags: dict[str, str] = {}
        self.plans: dict[tuple, tuple] = {}
        self.str_plans: dict[tuple[str, str | None, bool], tuple] = {}  # plans of str scalars: the common case
        # what emit_with_pyyaml wrote, and the emitter's state after, for a scalar and the state before (the
        # emitter's output is a function of these): a fleet's templates repeat their long texts (checkov
        # comments, descriptions) at the same place
        self.emitted: dict[tuple, tuple[str, int, bool, bool, bool]] = {}

    def node(self, value: Any, tag: str | None = None) -> tuple[str, str, str | None, tuple[bool, bool]]:
        """(tag, text, style, implicit) as the representer and serializer would give them."""
        key = (tag, type(value), value, float_sign(value))
        found = self.nodes.get(key)
        if found is None:
            dumper = self.dumper
            if tag is None:
                node = dumper.represent_data(value)
                dumper.represented_objects.clear()
            else:  # cfn_flip.yaml_dumper.fn_representer's scalar case
                node = dumper.represent_scalar(tag, value)
            if not isinstance(node, ScalarNode):
                raise Fallback(f"not a scalar: {value!r}")
            implicit = (
                node.tag == dumper.resolve(ScalarNode, node.value, (True, False)),
                node.tag == dumper.resolve(ScalarNode, node.value, (False, True)),
            )
            found = self.nodes[key] = (node.tag, node.value, node.style, implicit)
        return found

    def plan(self, value: Any, tag: str | None, simple_key: bool) -> tuple:
        """How to write this scalar here (memoised in ``plans``): ``fast_plan`` for the common strings,
        else ``pyyaml_plan``."""
        plan = None
        if type(value) is str:
            plan = self.fast_plan(value, tag, simple_key)
        if plan is None:
            plan = self.pyyaml_plan(value, tag, simple_key)
        plan += (_inline(*plan[:3]),)
        if type(value) is str:
            self.str_plans[(value, tag, simple_key)] = plan
        else:
            self.plans[(simple_key, tag, type(value), value, float_sign(value))] = plan
        return plan

    def fast_plan(self, text: str, tag: str | None, simple_key: bool) -> tuple | None:
        """``pyyaml_plan``'s answer for a common string (see _ONE_LINE_ASCII), or None: what PyYAML's
        representer, resolver and analyze_scalar would decide, derived from the few facts that matter for such
        a string (tests/resources/test_fast_yaml.py holds the two to the same answers).

        The representers (cfn_flip.yaml_dumper.string_representer, CfnYamlDumper.represent_scalar) give it no
        style; untagged it is a str node, implicit for the non-plain styles and for plain unless the resolver
        reads it as something else (an int, a bool, null...); tagged (``!Ref``) it is implicit for neither.
        Its analysis allows single quotes always, and plain in block context unless it has a leading or
        trailing space or a block indicator."""
        if not _ONE_LINE_ASCII.match(text) or text[0] == "0":
            return None
        if tag is None:
            if simple_key and len(text) + 5 >= 128:  # Emitter.check_simple_key counts the tag ("!!str")
                return None
            node_tag = _STR
            implicit = (self.dumper.resolve(ScalarNode, text, (True, False)) == _STR, True)
        else:
            node_tag = tag
            implicit = (False, False)
        plain = implicit[0] and not (
            text[0] == " " or text[-1] == " " or text[-1] == ":" or ": " in text or " #" in text
            or _LEADING_BLOCK_INDICATOR.match(text)
        )
        if plain:
            tag_text, payload = None, text
        else:
            tag_text = None if implicit[1] else self.prepared_tag(node_tag)
            payload = text.replace("'", "''")
        need = 1 + (len(tag_text) + 1 if tag_text else 0) + len(payload) + 2
        return ("plain" if plain else "'", tag_text, payload, need, (node_tag, text, None, implicit))

    def pyyaml_plan(self, value: Any, tag: str | None, simple_key: bool) -> tuple:
        """How to write this scalar here: (fast style or None, tag text, payload, columns it needs, node).

        fast: "plain" or "'" when the scalar is one line without escapes, which ``write_plain`` and
        ``write_single_quoted`` write as it is (quotes doubled) unless the line passes best_width, the
        only case in which they split; ``need`` is at most the columns it takes, so a scalar that could
        reach best_width is left to PyYAML."""
        node = self.node(value, tag)
        node_tag, text, style, implicit = node
        analysis = self.analysis(text)
        if simple_key:  # Emitter.check_simple_key: the event's tag counts, implicit or not
            length = len(self.prepared_tag(node_tag)) + len(analysis.scalar)
            if not (length < 128 and not analysis.empty and not analysis.multiline):
                raise Fallback(f"not a simple key: {value!r}")
        chosen = _choose_style(style, implicit, analysis, simple_key)
        tag_text = None
        if not ((chosen == "" and implicit[0]) or (chosen != "" and implicit[1])):
            tag_text = self.prepared_tag(node_tag)
        fast = None
        payload = text
        if chosen in ("", "'") and text and not analysis.multiline and not any(c in text for c in _BREAKS):
            fast = "plain" if chosen == "" else "'"
            if chosen == "'":
                payload = text.replace("'", "''")
        need = 1 + (len(tag_text) + 1 if tag_text else 0) + len(payload) + 2
        return (fast, tag_text, payload, need, node)

    def analysis(self, text: str):
        key = (type(text), text)
        found = self.analyses.get(key)
        if found is None:
            found = self.analyses[key] = self.dumper.analyze_scalar(text)
        return found

    def prepared_tag(self, tag: str) -> str:
        found = self.tags.get(tag)
        if found is None:
            found = self.tags[tag] = self.dumper.prepare_tag(tag)
        return found


def _inline(fast: str | None, tag_text: str | None, payload: str) -> str | None:
    """What _Writer.scalar writes for a fast plan after a non-space (after ":" or "-"): a space, the tag and a
    space if any, then the payload, quoted if it is."""
    if fast == "plain":
        return " " + payload  # a plain scalar has no tag: it is implicit
    if fast == "'":
        return (" " + tag_text if tag_text else "") + " '" + payload + "'"
    return None


def _choose_style(style, implicit, analysis, simple_key) -> str:
    """PyYAML Emitter.choose_scalar_style, block context (flow_level 0), not canonical."""
    if style == '"':
        return '"'
    if not style and implicit[0]:
        if not (simple_key and (analysis.empty or analysis.multiline)) and analysis.allow_block_plain:
            return ""
    if style and style in "|>":
        if not simple_key and analysis.allow_block:
            return style
    if not style or style == "'":
        if analysis.allow_single_quoted and not (simple_key and analysis.multiline):
            return "'"
    return '"'

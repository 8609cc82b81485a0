"""Template -> YAML text, byte for byte what cfn-flip's ``to_yaml(template.to_json(), clean_up=False,
long_form=False)`` writes, in a fraction of the time.

cfn-flip renders through PyYAML's pure-Python representer, serializer and event-driven emitter: about 95% of
generating a template (profiled: ~150 ms of ~160 ms per one-job stack). This module walks troposphere's
objects once (reading them as ``template.to_dict()`` and its JSON round trip would: ``plain_data``) and writes
the block structure itself, porting the few emitter steps a CloudFormation template uses (``write_indent``,
``write_indicator``, block mappings and sequences, empty ``{}``/``[]``), with cfn-flip's ``Dumper``
subclass's choices (short-form tags, indented sequences). Scalars: a one-line printable-ASCII string's style
is decided here from the few facts PyYAML's representer, resolver and ``analyze_scalar`` would look at
(``_Scalars.fast_plan``, held to PyYAML's answer by a property test); any other scalar's by PyYAML's and
cfn-flip's own code (memoised); and any scalar that could wrap, spans lines or needs escapes is written by a
real emitter put in the same state (what it wrote kept per scalar and state: a fleet repeats its long texts).
The short, single-line plain and single-quoted scalars that make up nearly all of a template are written
here exactly as ``write_plain``/``write_single_quoted`` write them when no line is split.

What the walk does not read as the JSON round trip would (a non-str key, a str subclass...) is written from
``template_data`` (the round trip's result); anything the writer does not cover (a key PyYAML would not write
as a simple key, an open-ended last scalar) falls back to cfn-flip for the whole template.
tests/resources/test_fast_yaml.py holds all of them to cfn-flip's bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cfn_clean import UNCONVERTED_KEYS, cfn_literal_parser, has_intrinsic_functions
from cfn_flip.yaml_dumper import get_dumper
from cfn_tools._config import config
from cfn_tools.literal import LiteralString
from troposphere import AWSHelperFn, BaseAWSObject, Template
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode

_DUMPER_CLASS = get_dumper(clean_up=False, long_form=False)  # what to_yaml(clean_up=False, long_form=False) uses
_CONVERTED = ("Ref", "Condition")  # cfn_flip.yaml_dumper.CONVERTED_SUFFIXES
_FN_PREFIX = "Fn::"
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


def _float_sign(value: Any) -> bool | None:
    """Part of a memo key: 0.0 == -0.0 (and hash alike), but PyYAML writes them differently."""
    return str(value).startswith("-") if isinstance(value, float) else None


class _Fallback(Exception):
    """A template this writer does not cover: cfn-flip renders it."""


class _Sink:
    __slots__ = ("parts",)

    def __init__(self):
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)


class _Scalars:
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
        key = (tag, type(value), value, _float_sign(value))
        found = self.nodes.get(key)
        if found is None:
            dumper = self.dumper
            if tag is None:
                node = dumper.represent_data(value)
                dumper.represented_objects.clear()
            else:  # cfn_flip.yaml_dumper.fn_representer's scalar case
                node = dumper.represent_scalar(tag, value)
            if not isinstance(node, ScalarNode):
                raise _Fallback(f"not a scalar: {value!r}")
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
            self.plans[(simple_key, tag, type(value), value, _float_sign(value))] = plan
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
                raise _Fallback(f"not a simple key: {value!r}")
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


class _Writer:
    """The emitter's state (column, indent, whitespace, indention) and its block-style steps."""

    def __init__(self, scalars: _Scalars):
        self.scalars = scalars
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.open_ended = False
        self.indent: int | None = None
        self.indents: list[int | None] = []
        self.literal = True  # plain_data's ``literal``: False inside a "Type" value

    # -- PyYAML Emitter.write_indicator / write_indent / write_line_break / increase_indent
    def write_indicator(self, indicator: str, need_whitespace: bool, whitespace: bool = False, indention: bool = False):
        data = indicator if self.whitespace or not need_whitespace else " " + indicator
        self.whitespace = whitespace
        self.indention = self.indention and indention
        self.column += len(data)
        self.open_ended = False
        self.out.append(data)

    def write_indent(self) -> None:
        indent = self.indent or 0
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.out.append("\n")
            self.whitespace = self.indention = True
            self.column = 0
        if self.column < indent:
            self.whitespace = True
            self.out.append(" " * (indent - self.column))
            self.column = indent

    def increase_indent(self, flow: bool = False) -> None:
        # cfn-flip's CfnYamlDumper.increase_indent: never indentless ("  - entry" under a key)
        self.indents.append(self.indent)
        if self.indent is None:
            self.indent = 2 if flow else 0
        else:
            self.indent += 2

    # -- nodes (Emitter.expect_node and what it leads to, for block style)
    def node(self, value: Any) -> None:
        kind = type(value)
        if kind is dict:
            if len(value) == 1:
                (key,) = value
                if type(key) is not str:
                    raise _NotPlain(key)
                if key in _CONVERTED:
                    return self.function(key, value[key])
                if key.startswith(_FN_PREFIX):
                    return self.function(key[4:], value[key])
            return self.mapping(value, None)
        if kind is list:
            return self.sequence(value, None)
        if kind in _WRITTEN_SCALARS:
            return self.scalar(value, None, False)
        self.node(self.resolve(value))

    def resolve(self, value: Any) -> Any:
        """What plain_data makes of a value that is not a dict, list or scalar, one level: a troposphere object's
        dict (validated as its to_dict validates it), a helper function's data, a tuple's items; anything
        else copied by plain_data."""
        kind = type(value)
        if kind is tuple:
            return list(value)
        method = getattr(kind, "to_dict", None)
        if method is _OBJECT_TO_DICT:  # as plain_data
            if value.do_validation:
                value._validate_props()
                value.validate()
            if value.properties:
                return value.resource
            if hasattr(value, "resource_type"):
                return {k: v for k, v in value.resource.items() if k != "Properties"}
            return {}
        if method is _FN_TO_DICT:
            return value.data
        if (method is None and not isinstance(value, (list, tuple, dict)) and not hasattr(value, "to_dict")
                and hasattr(value, "JSONrepr")):  # an awacs object: plain_data's last case, without the copy
            return value.JSONrepr()
        return plain_data(value, self.literal)

    def function(self, name: str, value: Any) -> None:
        """cfn_flip.yaml_dumper.fn_representer: !Name with a sequence, mapping or scalar."""
        tag = f"!{name}"
        while type(value) not in _WRITTEN_SCALARS and type(value) is not dict and type(value) is not list:
            value = self.resolve(value)
        if tag == "!GetAtt" and isinstance(value, list):
            if not all(type(part) is str for part in value):
                raise _NotPlain(value)  # the reference joins them, after its JSON round trip
            value = ".".join(value)
        if isinstance(value, list):
            return self.sequence(value, tag)
        if isinstance(value, dict):
            return self.mapping(value, tag)
        self.scalar(value, tag, False)

    def collection_tag(self, tag: str | None) -> None:
        if tag is not None:
            self.write_indicator(self.scalars.prepared_tag(tag), True)

    def mapping(self, value: dict, tag: str | None) -> None:
        if tag is not None:
            self.collection_tag(tag)
        if not value:
            return self.empty("{", "}")
        if self.literal and "Type" in value:
            kind = value["Type"]
            if type(kind) is not str or kind in _LITERAL_TYPES:
                value = plain_data(value)  # cfn_literal_parser's rule applies here, or might
        self.increase_indent(flow=False)
        indent = self.indent
        out = self.out
        key_plans = value_plans = self.scalars.str_plans
        best_width = self.scalars.best_width
        for key in sorted(value):  # troposphere's to_json(sort_keys=True)
            if type(key) is not str:
                raise _NotPlain(key)
            item = value[key]
            # write_indent, inlined
            column = self.column
            if not self.indention or column > indent or (column == indent and not self.whitespace):
                out.append("\n")
                self.whitespace = self.indention = True
                column = 0
            if column < indent:
                self.whitespace = True
                out.append(" " * (indent - column))
                column = indent
            self.column = column
            # the key: scalar(key, None, True) and write_indicator(":", False), inlined for a plain key that fits
            plan = key_plans.get((key, None, True)) if type(key) is str else None
            if plan is not None and plan[0] == "plain" and column + plan[3] <= best_width:
                if not self.whitespace:
                    out.append(" ")
                    column += 1
                out.append(plan[2])
                out.append(":")
                self.column = column + len(plan[2]) + 1
                self.whitespace = self.indention = self.open_ended = False
            else:
                self.scalar(key, None, True)
                self.write_indicator(":", False)
            kind = type(item)
            if kind is str:  # scalar(item, None, False) after ":", inlined for a fast plan that fits
                plan = value_plans.get((item, None, False))
                if plan is not None and plan[0] is not None and self.column + plan[3] <= best_width:
                    out.append(plan[5])
                    self.column += len(plan[5])
                    self.indention = False  # whitespace and open_ended: already False after ":"
                    continue
                self.scalar(item, None, False)
            elif kind in _WRITTEN_SCALARS:
                self.scalar(item, None, False)
            elif key == "Type" and self.literal:  # cfn_literal_parser does not look inside a "Type" value
                self.literal = False
                self.node(plain_data(item, False))
                self.literal = True
            else:
                self.node(item)
        self.indent = self.indents.pop()

    def sequence(self, value: list, tag: str | None) -> None:
        if tag is not None:
            self.collection_tag(tag)
        if not value:
            return self.empty("[", "]")
        self.increase_indent(flow=False)
        for item in value:
            self.write_indent()
            self.write_indicator("-", True, indention=True)
            if type(item) in _WRITTEN_SCALARS:
                self.scalar(item, None, False)
            else:
                self.node(item)
        self.indent = self.indents.pop()

    def empty(self, start: str, end: str) -> None:
        """Emitter.expect_flow_sequence/mapping then its end: an empty collection is written in flow style."""
        self.write_indicator(start, True, whitespace=True)
        self.increase_indent(flow=True)
        self.indent = self.indents.pop()
        self.write_indicator(end, False)

    # -- scalars (Emitter.expect_scalar: increase_indent(flow=True), process_tag, process_scalar)
    def scalar(self, value: Any, tag: str | None, simple_key: bool) -> None:
        if type(value) is str:
            plan = self.scalars.str_plans.get((value, tag, simple_key))
        else:
            plan = self.scalars.plans.get((simple_key, tag, type(value), value, _float_sign(value)))
        if plan is None:
            plan = self.scalars.plan(value, tag, simple_key)
        fast, tag_text, payload, need, node, inline = plan
        if fast and self.column + need <= self.scalars.best_width:
            if not self.whitespace:  # after ":" or "-": the common case, in one piece
                self.out.append(inline)
                self.column += len(inline)
                self.whitespace = self.indention = False
                if fast == "'":
                    self.open_ended = False
                return
            if tag_text:
                self.write_indicator(tag_text, True)
            if fast == "plain":
                if not self.whitespace:
                    self.out.append(" ")
                    self.column += 1
                self.out.append(payload)
                self.column += len(payload)
                self.whitespace = self.indention = False
            else:
                self.write_indicator("'", True)
                self.out.append(payload)
                self.column += len(payload)
                self.write_indicator("'", False)
            return
        self.emit_with_pyyaml(*node, simple_key)

    def emit_with_pyyaml(self, tag: str, text: str, style: str | None, implicit: tuple[bool, bool], simple_key: bool) -> None:
        """A real emitter, in this writer's state, writes the scalar (wrapping, block styles, escapes)."""
        key = (tag, text, style, implicit, simple_key, self.indent, self.column, self.whitespace, self.indention,
               self.open_ended)
        found = self.scalars.emitted.get(key)
        if found is not None:
            written, self.column, self.whitespace, self.indention, self.open_ended = found
            self.out.append(written)
            return
        start = len(self.out)
        dumper = self.scalars.dumper
        sink = self.scalars.sink
        sink.parts = self.out
        self.increase_indent(flow=True)
        dumper.indent = self.indent
        dumper.column = self.column
        dumper.whitespace = self.whitespace
        dumper.indention = self.indention
        dumper.open_ended = self.open_ended
        dumper.flow_level = 0
        dumper.root_context = False
        dumper.sequence_context = dumper.mapping_context = False
        dumper.simple_key_context = simple_key
        dumper.event = ScalarEvent(None, tag, implicit, text, style=style)
        dumper.analysis = self.scalars.analysis(text)
        dumper.style = None
        dumper.prepared_tag = None
        dumper.prepared_anchor = None
        dumper.process_tag()
        dumper.process_scalar()
        self.column = dumper.column
        self.whitespace = dumper.whitespace
        self.indention = dumper.indention
        self.open_ended = dumper.open_ended
        dumper.event = dumper.analysis = dumper.style = None
        self.indent = self.indents.pop()
        written = "".join(self.out[start:])
        del self.out[start:]
        self.out.append(written)
        self.scalars.emitted[key] = (written, self.column, self.whitespace, self.indention, self.open_ended)


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


_scalars: _Scalars | None = None


class _NotPlain(Exception):
    """Data that plain_data does not copy as the JSON round trip would (a non-str key, an unusual type)."""


def template_data(template: Template) -> Any:
    """What cfn-flip reads from ``template.to_json(sort_keys=True)``: keys sorted, every value a fresh
    object (so no YAML anchors), with its JSON-literal properties (cfn_literal_parser) applied.

    One walk from troposphere's objects (``plain_data``) where ``json_data(template.to_dict())``, the reference,
    took four (troposphere's encode_to_dict, a JSON dump and load, cfn_literal_parser)."""
    if type(template).to_dict is Template.to_dict:
        try:
            return plain_data(_sections(template))
        except _NotPlain:
            pass
    return json_data(template.to_dict())


def _sections(template: Template) -> dict:
    """troposphere's Template.to_dict before its encode_to_dict: the sections a template has."""
    t: dict[str, Any] = {}
    for key, value in (("Description", template.description), ("Metadata", template.metadata),
                       ("Conditions", template.conditions), ("Mappings", template.mappings),
                       ("Outputs", template.outputs), ("Parameters", template.parameters),
                       ("AWSTemplateFormatVersion", template.version), ("Transform", template.transform),
                       ("Rules", template.rules), ("Globals", template.globals)):
        if value:
            t[key] = value
    t["Resources"] = template.resources
    return t


def json_data(data: Any) -> Any:
    """The reference for plain_data: troposphere's JSON text read back, then cfn_literal_parser."""
    return cfn_literal_parser(json.loads(json.dumps(data, sort_keys=True)))  # Template.to_json, without its indent


# plain_data's scalars; LiteralString is cfn_literal_parser's JSON text, kept so that plain_data(plain_data(x))
# is plain_data(x) (troposphere's objects never hold one)
_SCALAR_TYPES = _WRITTEN_SCALARS = frozenset((str, int, float, bool, type(None), LiteralString))
_LITERAL_TYPES = frozenset(item[0] for item in UNCONVERTED_KEYS)
_OBJECT_TO_DICT = BaseAWSObject.to_dict
_FN_TO_DICT = AWSHelperFn.to_dict


def plain_data(value: Any, literal: bool = True) -> Any:
    """``json_data(value)`` in one pass: troposphere's ``encode_to_dict`` (the same steps in the same order,
    so objects validate as they did), dicts copied in sorted key order, tuples as lists, and
    cfn_literal_parser's rule applied where it applies it (it does not look inside a "Type" value:
    ``literal``). Anything the JSON round trip would change other than that (a non-str key, a str or int
    subclass...) raises _NotPlain. (_Writer reads values the same way, without copying them, in sorted order:
    with several invalid objects, which one is reported first may differ from to_dict's.)"""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return value
    if kind is dict:
        return _plain_dict(value, literal)
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALAR_TYPES else plain_data(item, literal) for item in value]
    if hasattr(value, "to_dict"):
        method = getattr(kind, "to_dict", None)
        if method is _OBJECT_TO_DICT:  # BaseAWSObject.to_dict(validation=True), then encode_to_dict of it
            if value.do_validation:
                value._validate_props()
                value.validate()
            if value.properties:
                return plain_data(value.resource, literal)
            if hasattr(value, "resource_type"):
                return _plain_dict({k: v for k, v in value.resource.items() if k != "Properties"}, literal)
            return {}
        if method is _FN_TO_DICT:  # AWSHelperFn.to_dict: encode_to_dict(self.data)
            return plain_data(value.data, literal)
        return plain_data(value.to_dict(), literal)
    if isinstance(value, (list, tuple)):
        return [plain_data(item, literal) for item in value]
    if isinstance(value, dict):
        return _plain_dict(value, literal)
    if hasattr(value, "JSONrepr"):  # awacs
        return plain_data(value.JSONrepr(), literal)
    raise _NotPlain(kind)


def _plain_dict(value: dict, literal: bool) -> dict:
    out = {}
    for key, item in value.items():  # encode_to_dict's order; sorted after
        if type(key) is not str:
            raise _NotPlain(key)
        out[key] = item if type(item) in _SCALAR_TYPES else plain_data(item, literal and key != "Type")
    out = dict(sorted(out.items()))
    if literal and "Type" in out:
        _literal_properties(out)
    return out


def _literal_properties(source: dict) -> None:
    """cfn_literal_parser's "Type" case, as it writes it: a JSON-literal property becomes indented JSON text."""
    value = source["Type"]
    for item in UNCONVERTED_KEYS:
        if value == item[0]:
            if source.get("Properties") and source.get("Properties", {}).get(item[1]):
                if isinstance(source["Properties"][item[1]], dict) and \
                        not has_intrinsic_functions(source["Properties"][item[1]].keys()):
                    source["Properties"][item[1]] = LiteralString("{}".format(json.dumps(
                        source["Properties"][item[1]], indent=2, separators=(",", ": "))))


def dump(data: Any) -> str:
    """The YAML document cfn-flip's dumper writes for ``json_data(data)`` (a mapping at the root), written
    from ``data`` as it is: troposphere's objects and unsorted dicts are read as plain_data reads them."""
    global _scalars
    if not isinstance(data, dict) or not data:
        raise _Fallback("the root is not a non-empty mapping")
    if _scalars is None:
        _scalars = _Scalars()
    writer = _Writer(_scalars)
    writer.node(data)
    if writer.open_ended:
        raise _Fallback("open-ended last scalar")
    writer.write_indent()  # Emitter.expect_document_end
    return "".join(writer.out)


def to_yaml(template: Template) -> str:
    """``cfn_flip.to_yaml(template.to_json(indent=1, sort_keys=True), clean_up=False, long_form=False)``:
    written straight from troposphere's objects; from template_data if that meets what plain_data does not
    copy; by cfn-flip if the writer does not cover the template."""
    if type(template).to_dict is Template.to_dict:
        try:
            return dump(_sections(template))
        except (_NotPlain, _Fallback):
            pass
    try:
        return dump(template_data(template))
    except _Fallback:
        from cfn_flip import dump_yaml

        return dump_yaml(template_data(template), clean_up=False, long_form=False)

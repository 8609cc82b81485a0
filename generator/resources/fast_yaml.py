"""Template -> YAML text, byte for byte what cfn-flip's ``to_yaml(template.to_json(), clean_up=False,
long_form=False)`` writes, in a fraction of the time.

cfn-flip renders through PyYAML's pure-Python representer, serializer and event-driven emitter: about 95% of
generating a template (profiled: ~150 ms of ~160 ms per one-job stack). This module walks troposphere's
objects once, reading them as ``template.to_dict()`` and its JSON round trip would (yaml_data.py), and writes
the block structure itself, porting the few emitter steps a CloudFormation template uses (``write_indent``,
``write_indicator``, block mappings and sequences, empty ``{}``/``[]``), with cfn-flip's ``Dumper``
subclass's choices (short-form tags, indented sequences). How each scalar is written is decided once per
scalar (yaml_scalars.py: PyYAML's and cfn-flip's decision, or, for a one-line printable-ASCII string, the
same decision taken from the few facts they look at); any scalar that could wrap, spans lines or needs
escapes is written by a real emitter put in the same state (what it wrote kept per scalar and state: a fleet
repeats its long texts). The short, single-line plain and single-quoted scalars that make up nearly all of a
template are written here exactly as ``write_plain``/``write_single_quoted`` write them when no line is split.

What the walk does not read as the JSON round trip would (a non-str key, a str subclass...) is written from
``template_data`` (the round trip's result); anything the writer does not cover (a key PyYAML would not write
as a simple key, an open-ended last scalar) falls back to cfn-flip for the whole template.
tests/resources/test_fast_yaml.py holds all of them to cfn-flip's bytes.
"""

from __future__ import annotations

from typing import Any

from troposphere import Template
from yaml.events import ScalarEvent

from .yaml_data import (
    LITERAL_TYPES,
    SCALAR_TYPES,
    NotPlain,
    plain_data,
    resolve,
    sections,
    template_data,
)
from .yaml_scalars import Fallback, Scalars, float_sign

_CONVERTED = ("Ref", "Condition")  # cfn_flip.yaml_dumper.CONVERTED_SUFFIXES
_FN_PREFIX = "Fn::"


class _Writer:
    """The emitter's state (column, indent, whitespace, indention) and its block-style steps."""

    def __init__(self, scalars: Scalars):
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
                    raise NotPlain(key)
                if key in _CONVERTED:
                    return self.function(key, value[key])
                if key.startswith(_FN_PREFIX):
                    return self.function(key[4:], value[key])
            return self.mapping(value, None)
        if kind is list:
            return self.sequence(value, None)
        if kind in SCALAR_TYPES:
            return self.scalar(value, None, False)
        self.node(resolve(value, self.literal))

    def function(self, name: str, value: Any) -> None:
        """cfn_flip.yaml_dumper.fn_representer: !Name with a sequence, mapping or scalar."""
        tag = f"!{name}"
        while type(value) not in SCALAR_TYPES and type(value) is not dict and type(value) is not list:
            value = resolve(value, self.literal)
        if tag == "!GetAtt" and isinstance(value, list):
            if not all(type(part) is str for part in value):
                raise NotPlain(value)  # the reference joins them, after its JSON round trip
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
            if type(kind) is not str or kind in LITERAL_TYPES:
                value = plain_data(value)  # cfn_literal_parser's rule applies here, or might
        self.increase_indent(flow=False)
        indent = self.indent
        out = self.out
        key_plans = value_plans = self.scalars.str_plans
        best_width = self.scalars.best_width
        for key in sorted(value):  # troposphere's to_json(sort_keys=True)
            if type(key) is not str:
                raise NotPlain(key)
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
            elif kind in SCALAR_TYPES:
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
            if type(item) in SCALAR_TYPES:
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
            plan = self.scalars.plans.get((simple_key, tag, type(value), value, float_sign(value)))
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


_scalars: Scalars | None = None


def dump(data: Any) -> str:
    """The YAML document cfn-flip's dumper writes for ``json_data(data)`` (a mapping at the root), written
    from ``data`` as it is: troposphere's objects and unsorted dicts are read as plain_data reads them."""
    global _scalars
    if not isinstance(data, dict) or not data:
        raise Fallback("the root is not a non-empty mapping")
    if _scalars is None:
        _scalars = Scalars()
    writer = _Writer(_scalars)
    writer.node(data)
    if writer.open_ended:
        raise Fallback("open-ended last scalar")
    writer.write_indent()  # Emitter.expect_document_end
    return "".join(writer.out)


def to_yaml(template: Template) -> str:
    """``cfn_flip.to_yaml(template.to_json(indent=1, sort_keys=True), clean_up=False, long_form=False)``:
    written straight from troposphere's objects; from template_data if that meets what plain_data does not
    copy; by cfn-flip if the writer does not cover the template."""
    if type(template).to_dict is Template.to_dict:
        try:
            return dump(sections(template))
        except (NotPlain, Fallback):
            pass
    try:
        return dump(template_data(template))
    except Fallback:
        from cfn_flip import dump_yaml

        return dump_yaml(template_data(template), clean_up=False, long_form=False)

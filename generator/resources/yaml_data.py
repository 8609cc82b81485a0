"""The data side of fast_yaml.py: troposphere's objects read as cfn-flip reads ``template.to_json(sort_keys=True)``
(troposphere's ``to_dict``, a JSON dump and load, then cfn_literal_parser), in one pass and without the text.

``json_data`` is that reference; ``plain_data`` copies in one pass what it would give, and ``resolve`` is
its one step for the writer, which reads objects in place. tests/resources/test_fast_yaml.py holds them to
the reference.
"""

from __future__ import annotations

import json
from typing import Any

from cfn_clean import UNCONVERTED_KEYS, cfn_literal_parser, has_intrinsic_functions
from cfn_tools.literal import LiteralString
from troposphere import AWSHelperFn, BaseAWSObject, Template


class NotPlain(Exception):
    """Data that plain_data does not copy as the JSON round trip would (a non-str key, an unusual type)."""


def template_data(template: Template) -> Any:
    """What cfn-flip reads from ``template.to_json(sort_keys=True)``: keys sorted, every value a fresh
    object (so no YAML anchors), with its JSON-literal properties (cfn_literal_parser) applied.

    One walk from troposphere's objects (``plain_data``) where ``json_data(template.to_dict())``, the reference,
    took four (troposphere's encode_to_dict, a JSON dump and load, cfn_literal_parser)."""
    if type(template).to_dict is Template.to_dict:
        try:
            return plain_data(sections(template))
        except NotPlain:
            pass
    return json_data(template.to_dict())


def sections(template: Template) -> dict:
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
SCALAR_TYPES = frozenset((str, int, float, bool, type(None), LiteralString))
LITERAL_TYPES = frozenset(item[0] for item in UNCONVERTED_KEYS)
OBJECT_TO_DICT = BaseAWSObject.to_dict
FN_TO_DICT = AWSHelperFn.to_dict


def plain_data(value: Any, literal: bool = True) -> Any:
    """``json_data(value)`` in one pass: troposphere's ``encode_to_dict`` (the same steps in the same order,
    so objects validate as they did), dicts copied in sorted key order, tuples as lists, and
    cfn_literal_parser's rule applied where it applies it (it does not look inside a "Type" value:
    ``literal``). Anything the JSON round trip would change other than that (a non-str key, a str or int
    subclass...) raises NotPlain. (_Writer reads values the same way, without copying them, in sorted order:
    with several invalid objects, which one is reported first may differ from to_dict's.)"""
    kind = type(value)
    if kind in SCALAR_TYPES:
        return value
    if kind is dict:
        return _plain_dict(value, literal)
    if kind is list or kind is tuple:
        return [item if type(item) in SCALAR_TYPES else plain_data(item, literal) for item in value]
    if hasattr(value, "to_dict"):
        method = getattr(kind, "to_dict", None)
        if method is OBJECT_TO_DICT:  # BaseAWSObject.to_dict(validation=True), then encode_to_dict of it
            if value.do_validation:
                value._validate_props()
                value.validate()
            if value.properties:
                return plain_data(value.resource, literal)
            if hasattr(value, "resource_type"):
                return _plain_dict({k: v for k, v in value.resource.items() if k != "Properties"}, literal)
            return {}
        if method is FN_TO_DICT:  # AWSHelperFn.to_dict: encode_to_dict(self.data)
            return plain_data(value.data, literal)
        return plain_data(value.to_dict(), literal)
    if isinstance(value, (list, tuple)):
        return [plain_data(item, literal) for item in value]
    if isinstance(value, dict):
        return _plain_dict(value, literal)
    if hasattr(value, "JSONrepr"):  # awacs
        return plain_data(value.JSONrepr(), literal)
    raise NotPlain(kind)


def resolve(value: Any, literal: bool = True) -> Any:
    """What plain_data makes of a value that is not a dict, list or scalar, one level, for a writer that reads
    the rest in place: a troposphere object's dict (validated as its to_dict validates it), a helper
    function's data, a tuple's items, an awacs object's JSONrepr; anything else copied by plain_data."""
    kind = type(value)
    if kind is tuple:
        return list(value)
    method = getattr(kind, "to_dict", None)
    if method is OBJECT_TO_DICT:  # as plain_data
        if value.do_validation:
            value._validate_props()
            value.validate()
        if value.properties:
            return value.resource
        if hasattr(value, "resource_type"):
            return {k: v for k, v in value.resource.items() if k != "Properties"}
        return {}
    if method is FN_TO_DICT:
        return value.data
    if (method is None and not isinstance(value, (list, tuple, dict)) and not hasattr(value, "to_dict")
            and hasattr(value, "JSONrepr")):  # an awacs object: plain_data's last case, without the copy
        return value.JSONrepr()
    return plain_data(value, literal)


def _plain_dict(value: dict, literal: bool) -> dict:
    out = {}
    for key, item in value.items():  # encode_to_dict's order; sorted after
        if type(key) is not str:
            raise NotPlain(key)
        out[key] = item if type(item) in SCALAR_TYPES else plain_data(item, literal and key != "Type")
    out = dict(sorted(out.items()))
    if literal and "Type" in out:
        _literal_properties(out)
    return out


def _literal_properties(source: dict) -> None:
    """cfn_literal_parser's "Type" case, its tests in its order: a JSON-literal property becomes indented JSON text."""
    value = source["Type"]
    for item in UNCONVERTED_KEYS:
        if (value == item[0] and source.get("Properties") and source.get("Properties", {}).get(item[1])
                and isinstance(source["Properties"][item[1]], dict)
                and not has_intrinsic_functions(source["Properties"][item[1]].keys())):
            source["Properties"][item[1]] = LiteralString("{}".format(json.dumps(
                source["Properties"][item[1]], indent=2, separators=(",", ": "))))

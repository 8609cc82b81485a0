"""A spec file's text -> plain data, with the line and column where each value was written.

PyYAML's loaders forget where values came from and silently keep the last of two duplicate keys, so
we compose the node tree ourselves: every value keeps its line and column, duplicate keys are errors,
dates stay the text written, and values without a JSON form (binary, sets) are refused at their line.

Composing is libyaml's when PyYAML was built with it (``yaml.CSafeLoader``: ten times faster than the
pure-Python scanner on a 1,000-job spec), and what the loader then does with the nodes (merge keys,
scalar types) is ``SafeConstructor``'s either way. The two parsers agree on the nodes and marks of
the specs people write (tests/model/test_yaml_fast.py checks that, over every spec we have and over
generated documents), except where noted below (each found by that comparison; the test shows each); there, and on any error, the pure-Python parser
reads the text again, so what is accepted, every position and every error message are the
pure-Python loader's:

- a tab: libyaml accepts tabs as separating white space where PyYAML refuses them (``a:<tab>b``;
  "Parsing of trailing TAB works differently for Python and C", https://github.com/yaml/pyyaml/issues/594);
- a byte-order mark past the start: libyaml skips one at the start of any line, PyYAML keeps it as text;
- a block scalar's header followed by a comment without a space (``key: |# note``): libyaml reads it,
  PyYAML refuses it;
- in a flow collection, a plain scalar with a ``?`` (``[a?b]``): libyaml reads it (since 0.2.5, "Allow
  question marks in plain scalars in flow collections", https://github.com/yaml/libyaml/pull/105),
  PyYAML refuses it (https://github.com/yaml/pyyaml/issues/128, open);
  and an empty (null) node (``{a: }``): libyaml marks it at the next token, PyYAML where ``:`` ends;
- an empty node at the very end of a text without a final line break (``---``): libyaml marks it a
  line below.

Parts of the tree the walk does not visit (a key's, a merged-in mapping's) are checked too, or end in
an error, which PyYAML reports.
"""

from __future__ import annotations

import gc
import re
from typing import Any

import yaml

from ..errors import SpecError

Path_ = tuple[Any, ...]
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
# text libyaml reads differently from PyYAML (see the module docstring): the pure-Python parser reads it
SLOW_PATH_CHARACTERS = ("\t", "\ufeff")
SLOW_PATH_TEXT = re.compile(r"[|>][-+0-9]*#")  # a block scalar header, its comment without a space before it


class Positions:
    """Where each value (and each mapping key) of the document was written, by field path."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        # block mappings and lists: their own mark is their first item's, so they report at their key
        self.blocks: set[Path_] = set()
        # a path merged from elsewhere (job <- defaults) reports the place it was written
        self.aliases: dict[Path_, Path_] = {}

    def resolve(self, path: Path_) -> Path_:
        # an alias may lead to another: a job's field <- `defaults` <- an environment's `defaults`
        for _ in range(len(self.aliases) + 1):
            for length in range(len(path), 0, -1):
                alias = self.aliases.get(path[:length])
                if alias is not None:
                    path = alias + path[length:]
                    break
            else:
                return path
        return path

    def locate(self, path: Path_, *, key: bool = False) -> tuple[Path_, tuple[int, int] | None]:
        """The displayed path and the nearest known position of ``path``."""
        shown = self.resolve(path)
        for length in range(len(shown), -1, -1):
            prefix = shown[:length]
            use_key = key or prefix in self.blocks
            position = (use_key and self.keys.get(prefix)) or self.values.get(prefix)
            if position:
                return shown, position
        return shown, None


class _Nodes:
    """What both loaders add to PyYAML's: the merge-key bookkeeping of ``_explicit_keys``."""

    # libyaml reads some flow collections' items, and empty nodes at the end, otherwise than PyYAML: see _Unsure
    checks_flow_items = False
    checks_empty_scalars = False

    def __init__(self, stream: str):
        super().__init__(stream)  # type: ignore[call-arg]
        self.explicit_keys: dict[int, set[int]] = {}  # see _explicit_keys


class _Loader(_Nodes, yaml.SafeLoader):
    """The pure-Python SafeLoader; used only to compose nodes and construct scalars."""


# libyaml's composer with the same constructor and resolver (None: PyYAML was built without libyaml)
_FastLoader: Any = None
if getattr(yaml, "CSafeLoader", None) is not None:
    class _CLoader(_Nodes, yaml.CSafeLoader):
        """libyaml's parser and composer, SafeLoader's constructor and resolver."""

        checks_flow_items = True

        def __init__(self, stream: str):
            super().__init__(stream)
            # libyaml ends a text that does not end with a line break on a line of its own, so an empty
            # node at the end (`stack: x\n---`) is marked a line below where PyYAML marks it
            self.checks_empty_scalars = not stream.endswith("\n")

    _FastLoader = _CLoader


class _Unsure(Exception):
    """The text holds something libyaml marks differently from PyYAML: read it with PyYAML."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_otherwise(item: yaml.Node) -> bool:
    """Whether libyaml may have read this item of a flow collection otherwise than PyYAML: an empty plain
    scalar (an implied node, `{a: }`, `[a: ]`: marked elsewhere) or a plain scalar with a `?` (refused)."""
    return item.id == "scalar" and not item.style and (item.value == "" or "?" in item.value)


def _any_read_otherwise(node: yaml.Node, seen: set[int]) -> bool:
    """Whether any flow collection in this subtree has an item libyaml reads otherwise: for the nodes
    ``_to_data`` does not walk (the mappings a merge key brings in)."""
    if node.id == "scalar" or id(node) in seen:
        return False
    seen.add(id(node))
    items = [item for pair in node.value for item in pair] if node.id == "mapping" else node.value
    return (node.flow_style and any(_read_otherwise(item) for item in items)) or any(
        _any_read_otherwise(item, seen) for item in items)


def _to_data(node: yaml.Node, path: Path_, loader: _Nodes, positions: Positions, file: str) -> Any:
    mark = node.start_mark
    positions.values[path] = (mark.line + 1, mark.column + 1)
    kind = node.id
    if kind == "scalar":
        tag = node.tag
        # strings are most of a spec; SafeConstructor's str is the node's text
        # YAML reads 2026-01-01 as a date, which JSON (patterns, policies, overrides) cannot hold: keep the
        # text as written; `start`/`end` parse it themselves
        if tag == STR_TAG or tag == TIMESTAMP_TAG:
            return node.value
        if loader.checks_empty_scalars and node.value == "" and not node.style:
            raise _Unsure
        value = loader.construct_object(node, deep=True)  # type: ignore[attr-defined]
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise SpecError.one(
                file, dotted(path),
                f"{tag.rsplit(':', 1)[-1]} values (YAML tag {tag}) have no JSON form: write the value as "
                "text (a quoted string)", *_mark(node))
        return value
    check_items = node.flow_style and loader.checks_flow_items
    if not node.flow_style:
        positions.blocks.add(path)
    if kind == "sequence":
        if check_items and any(_read_otherwise(item) for item in node.value):
            raise _Unsure
        return [_to_data(item, path + (i,), loader, positions, file) for i, item in enumerate(node.value)]
    if check_items and any(_read_otherwise(k) or _read_otherwise(v) for k, v in node.value):
        raise _Unsure
    explicit = _explicit_keys(node, loader)
    if explicit is not None:
        if loader.checks_flow_items and any(
                k.tag == MERGE_TAG and _any_read_otherwise(v, set()) for k, v in node.value):
            raise _Unsure
        loader.flatten_mapping(node)  # type: ignore[attr-defined]  # YAML merge keys (<<): merged pairs first, then the mapping's own
    data: dict[Any, Any] = {}
    keys = positions.keys
    if explicit is None:  # every key a string written here (most mappings): the loop below, shortened
        for key_node, value_node in node.value:
            key = key_node.value
            key_path = path + (key,)
            if key in data:
                _duplicate(file, key_path, key, keys, key_node)
            mark = key_node.start_mark
            keys[key_path] = (mark.line + 1, mark.column + 1)
            data[key] = _to_data(value_node, key_path, loader, positions, file)
        return data
    own: set[str] = set()
    for key_node, value_node in node.value:
        key = key_node.value if key_node.tag == STR_TAG else loader.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
        if not isinstance(key, str):
            raise SpecError.one(file, dotted(path), f"keys must be strings, got {key!r}", *_mark(key_node))
        key_path = path + (key,)
        # a merged value may be overridden: by the mapping's own key, or by an earlier merged mapping
        # (PyYAML lists those after the later ones), so the last pair wins as YAML specifies
        if id(key_node) in explicit:
            if key in own:
                _duplicate(file, key_path, key, keys, key_node)
            own.add(key)
        keys[key_path] = _mark(key_node)
        data[key] = _to_data(value_node, key_path, loader, positions, file)
    return data


def _duplicate(file: str, key_path: Path_, key: str, keys: dict[Path_, tuple[int, int]], key_node: yaml.Node) -> None:
    first_line = keys[key_path][0]
    raise SpecError.one(
        file, dotted(key_path),
        f"duplicate key {key!r} (first set on line {first_line}); YAML would silently keep the last one",
        *_mark(key_node),
    )


def _explicit_keys(node: yaml.MappingNode, loader: _Nodes) -> set[int] | None:
    """The key nodes written in this mapping itself, not brought in by a merge key (`<<: *base`); None
    when every key is (no key of the mapping is special to ``flatten_mapping``: none to flatten).

    Remembered per mapping node before its first flattening: an aliased mapping is visited once per
    alias, and after the first visit its merged pairs are already in its value list.
    """
    remembered = loader.explicit_keys.get(id(node))
    if remembered is None:
        for k, _ in node.value:
            if k.tag != STR_TAG:
                break
        else:
            return None  # no merge (<<) nor value (=) key
        remembered = {id(k) for k, _ in node.value if k.tag != MERGE_TAG}
        loader.explicit_keys[id(node)] = remembered
    return remembered


def parse_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """YAML text -> (data, positions). Raises SpecError on syntax errors and duplicate keys."""
    if (_FastLoader is not None and not any(character in text for character in SLOW_PATH_CHARACTERS)
            and not SLOW_PATH_TEXT.search(text)):
        try:
            return _parse(text, file, _FastLoader)
        except (yaml.YAMLError, UnicodeEncodeError, SpecError, _Unsure, RecursionError):
            # any error (libyaml's or ours: the walk stops at the first, which may sit where libyaml reads
            # otherwise, e.g. in a key), or a text libyaml reads otherwise: PyYAML's reading and message
            # (UnicodeEncodeError: a lone surrogate, which PyYAML reports as a character it does not allow)
            pass
    try:
        return _parse(text, file, _Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax error: {err.problem or err.context}"
        if err.problem and err.context and err.context_mark and mark and err.context_mark.line != mark.line:
            message += f" ({err.context} on line {err.context_mark.line + 1})"
        message += _yaml_hint(err, text, mark)
        raise SpecError.one(file, "", message, line, column) from None
    except yaml.YAMLError as err:
        raise SpecError.one(file, "", f"YAML error: {err}") from None
    except RecursionError:
        raise _too_deep(text, file) from None


MAX_DEPTH = 100  # lists and mappings inside each other: a spec needs a dozen; Python's stack ends a few hundred
_LOCATOR = getattr(yaml, "CSafeLoader", None)  # libyaml's composer needs no Python stack per level


def _too_deep(text: str, file: str) -> SpecError:
    """The error for a document Python's stack cannot walk, at its first node nested more than MAX_DEPTH
    deep. Only positions are read here: whatever libyaml accepts, the error is PyYAML's to give (parse_yaml)."""
    line, column = _first_too_deep(text)
    return SpecError.one(
        file, "", f"lists and mappings nest more than {MAX_DEPTH} deep here, or an alias (*name) is used inside "
        "the list or mapping it names: a job spec needs only a few levels", line, column)


def _first_too_deep(text: str) -> tuple[int | None, int | None]:
    """Where the first list or mapping nested more than MAX_DEPTH deep starts. libyaml's node tree shows an
    alias inside what it names too; without libyaml, or when it refuses the text (newer ones stop at 1,000
    levels: "exceeded maximum nesting depth"), PyYAML's parser's events, which it reads without recursion."""
    if _LOCATOR is not None:
        try:
            stack = [(yaml.compose(text, Loader=_LOCATOR), 0)]
        except (yaml.YAMLError, UnicodeEncodeError):
            return _first_too_deep_event(text)
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                return _mark(node)
            if node is not None and node.id != "scalar":
                items = [item for pair in node.value for item in pair] if node.id == "mapping" else node.value
                stack.extend((item, depth + 1) for item in reversed(items))
        return None, None
    return _first_too_deep_event(text)


def _first_too_deep_event(text: str) -> tuple[int | None, int | None]:
    depth = -1  # the document's root node is at depth 0, as in _first_too_deep
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):  # stops reading at the first too deep
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except (yaml.YAMLError, UnicodeEncodeError):
        pass
    return None, None


def _parse(text: str, file: str, loader_class: type) -> tuple[Any, Positions]:
    positions = Positions()
    loader = loader_class(text)
    collecting = gc.isenabled()
    # Python's collector runs each time some hundreds of containers are allocated ("When the number of
    # allocations minus the number of deallocations exceeds threshold0, collection starts",
    # https://docs.python.org/3.11/library/gc.html#gc.set_threshold), and as the node tree grows its
    # rarer full passes walk the whole tree again: a third of parsing a 1,000-job spec (measured). The
    # tree holds no cycles to collect, so the collector rests while it is built and walked.
    gc.disable()
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError.one(file, "", "the file is empty: a job spec needs at least `stack`, `cluster`, `network` and `jobs`", 1, 1)
        return _to_data(node, (), loader, positions, file), positions
    finally:
        loader.dispose()
        if collecting:
            gc.enable()


def _yaml_hint(err: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = err.problem or ""
    if "'\\t'" in problem or "\\t" in problem:
        return " (YAML does not allow tabs for indentation: use spaces)"
    if "'@'" in problem or "'`'" in problem:
        return " (a value starting with @ or ` must be quoted, e.g. \"@daily\")"
    if "alias" in problem or "anchor" in problem:
        return " (a value starting with * or & must be quoted, e.g. \"*/5 * * * *\")"
    return ""


def dotted(path: Path_) -> str:
    """A field path as the messages show it: ``jobs.report.triggers[0].schedule``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def decode_utf8(raw: bytes, file: str) -> str:
    """The file's text (a UTF-8 byte-order mark dropped), or an error at the line and column of the first byte
    that is not UTF-8: that is where an editor shows the wrong character."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        before = body[: err.start].decode("utf-8")  # valid up to the first bad byte
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise SpecError.one(
            file, "", f"the file is not UTF-8 text: byte 0x{body[err.start]:02x} here is not UTF-8 "
            "(save the file as UTF-8)", line, column,
        ) from None

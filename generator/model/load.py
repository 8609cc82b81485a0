"""Read a job spec: YAML text -> plain data with positions -> ``StackSpec``.

PyYAML's loaders forget where values came from and silently keep the last of two duplicate keys, so
we compose the node tree ourselves: every value keeps its line and column, duplicate keys are errors,
and every pydantic error is turned into ``file:line:col: field.path: message``.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import Problem, SpecError
from . import environments
from .stack import StackSpec

Path_ = tuple[Any, ...]
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# mappings in `defaults` merged into each job's own key by key (one level deep), not replaced wholesale;
# every other field (lists, scalars, `capacity` weights) a job sets replaces the default
MERGED_MAPS = ("environment", "secrets", "tags", "retry", "permissions")


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


class _Loader(yaml.SafeLoader):
    """SafeLoader; used only to compose nodes and construct scalars."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.explicit_keys: dict[int, set[int]] = {}  # see _explicit_keys


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_data(node: yaml.Node, path: Path_, loader: _Loader, positions: Positions, file: str) -> Any:
    positions.values[path] = _mark(node)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        positions.blocks.add(path)
    if isinstance(node, yaml.MappingNode):
        explicit = _explicit_keys(node, loader)
        loader.flatten_mapping(node)  # YAML merge keys (<<): merged pairs first, then the mapping's own
        data: dict[Any, Any] = {}
        own: set[str] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise SpecError.one(file, _dotted(path), f"keys must be strings, got {key!r}", *_mark(key_node))
            written_here = id(key_node) in explicit
            if key in data and written_here and key in own:
                first_line = positions.keys[path + (key,)][0]
                raise SpecError.one(
                    file,
                    _dotted(path + (key,)),
                    f"duplicate key {key!r} (first set on line {first_line}); YAML would silently keep the last one",
                    *_mark(key_node),
                )
            # a merged value may be overridden: by the mapping's own key, or by an earlier merged mapping
            # (PyYAML lists those after the later ones), so the last pair wins as YAML specifies
            if written_here:
                own.add(key)
            positions.keys[path + (key,)] = _mark(key_node)
            data[key] = _to_data(value_node, path + (key,), loader, positions, file)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, path + (i,), loader, positions, file) for i, item in enumerate(node.value)]
    if node.tag == TIMESTAMP_TAG:
        # YAML reads 2026-01-01 as a date, which JSON (patterns, policies, overrides) cannot hold: keep the
        # text as written; `start`/`end` parse it themselves
        return node.value
    value = loader.construct_object(node, deep=True)
    if not isinstance(value, (str, int, float, bool, type(None))):
        raise SpecError.one(
            file, _dotted(path),
            f"{node.tag.rsplit(':', 1)[-1]} values (YAML tag {node.tag}) have no JSON form: write the value as "
            "text (a quoted string)", *_mark(node))
    return value


def _explicit_keys(node: yaml.MappingNode, loader: _Loader) -> set[int]:
    """The key nodes written in this mapping itself, not brought in by a merge key (`<<: *base`).

    Remembered per mapping node before its first flattening: an aliased mapping is visited once per
    alias, and after the first visit its merged pairs are already in its value list.
    """
    remembered = loader.explicit_keys.get(id(node))
    if remembered is None:
        remembered = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        loader.explicit_keys[id(node)] = remembered
    return remembered


def parse_yaml(text: str, file: str) -> tuple[Any, Positions]:
    """YAML text -> (data, positions). Raises SpecError on syntax errors and duplicate keys."""
    positions = Positions()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecError.one(file, "", "the file is empty: a job spec needs at least `stack`, `cluster`, `network` and `jobs`", 1, 1)
        return _to_data(node, (), loader, positions, file), positions
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
    finally:
        loader.dispose()


def _yaml_hint(err: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = err.problem or ""
    if "'\\t'" in problem or "\\t" in problem:
        return " (YAML does not allow tabs for indentation: use spaces)"
    if "'@'" in problem or "'`'" in problem:
        return " (a value starting with @ or ` must be quoted, e.g. \"@daily\")"
    if "alias" in problem or "anchor" in problem:
        return " (a value starting with * or & must be quoted, e.g. \"*/5 * * * *\")"
    return ""


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _merge_defaults(data: dict[str, Any], positions: Positions) -> dict[str, Any]:
    """Give every job the `defaults` fields it does not set itself (maps merged key by key)."""
    defaults = data.get("defaults")
    jobs = data.get("jobs")
    if not isinstance(defaults, dict) or not isinstance(jobs, dict):
        return data
    merged_jobs = {}
    for name, job in jobs.items():
        if not isinstance(job, dict):
            merged_jobs[name] = job
            continue
        merged = dict(job)
        for field, value in defaults.items():
            if field not in job:
                merged[field] = value
                positions.aliases[("jobs", name, field)] = ("defaults", field)
            elif field in MERGED_MAPS and isinstance(value, dict) and isinstance(job[field], dict):
                merged[field] = {**value, **job[field]}
                for key in value:
                    if key not in job[field]:
                        positions.aliases[("jobs", name, field, key)] = ("defaults", field, key)
        merged_jobs[name] = merged
    return {**data, "jobs": merged_jobs}


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names allowed at ``loc`` (for 'did you mean' hints)."""
    from .job import JobSpec

    current: Any = model
    skip_key = False  # the next part is a key of a user mapping (a job name, say), not a field
    for part in loc:
        if skip_key or isinstance(part, int):
            skip_key = False
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = JobSpec if (current is StackSpec and part in ("jobs", "defaults")) else _model_in(annotation)
        skip_key = current is JobSpec and part == "jobs" or "dict[" in str(annotation) and current is not None
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(annotation: Any) -> Any:
    """The BaseModel class inside an annotation like `X | None`, `list[X]` or `dict[str, X]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _message(error: dict[str, Any], allowed: list[str]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        field = error["loc"][-1]
        close = difflib.get_close_matches(str(field), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else (f" (allowed: {', '.join(allowed)})" if allowed else "")
        return f"unknown field {field!r}{hint}"
    expected = {
        "string_type": "a string",
        "int_type": "a whole number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "float_type": "a number",
        "datetime_type": "an ISO 8601 date-time",
    }.get(kind)
    if expected:
        hint = ": quote it in YAML" if kind == "string_type" and isinstance(value, (int, float, bool, date)) else ""
        return f"must be {expected}, got {_describe(value)}{hint}"
    if kind == "literal_error":
        return f"{value!r} is not allowed: expected {error['ctx']['expected']}"
    if kind in ("too_short", "too_long"):
        ctx = error.get("ctx", {})
        if kind == "too_short":
            return f"needs at least {ctx.get('min_length')} item(s)"
        return f"takes at most {ctx.get('max_length')} item(s)"
    if kind.startswith(("greater_than", "less_than")):
        bound = next(iter(error.get("ctx", {}).values()), "?")
        side = {"greater_than_equal": "at least", "greater_than": "above",
                "less_than_equal": "at most", "less_than": "below"}[kind]
        return f"{value!r} is out of range: must be {side} {bound}"
    return f"{error['msg']} (got {_describe(value)})"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (date, datetime)):
        return f"the date {value.isoformat()}"
    return f"{type(value).__name__} {value!r}"


def _clean_loc(loc: Path_, data: Any) -> Path_:
    """Drop the parts of a pydantic location that are not in the document (union member tags)."""
    cleaned: list[Any] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            cleaned.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            cleaned.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not part[:1].isupper() and "[" not in part:
            cleaned.append(part)  # a missing or unknown field: keep its name
            current = None
    return tuple(cleaned)


def problems_from(err: ValidationError, data: Any, positions: Positions, file: str) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for error in err.errors():
        loc = _clean_loc(tuple(error["loc"]), data)
        kind = error["type"]
        allowed = _fields_at(StackSpec, loc[:-1]) if kind == "extra_forbidden" else []
        message = _message(error, allowed)
        below = getattr(error.get("ctx", {}).get("error"), "at", ())  # a FieldError pointing below its field
        loc = loc + tuple(below)
        if kind == "missing":
            shown, position = positions.locate(loc[:-1])
            shown = shown + loc[-1:]
        else:
            shown, position = positions.locate(loc, key=kind == "extra_forbidden")
        line, column = position or (None, None)
        problem = Problem(file, _dotted(shown), message, line, column)
        problems[(problem.line, problem.column, problem.path, message)] = problem  # defaults: report once
    return list(problems.values())


# A check that needs more than the model (e.g. the plan's logical IDs): it returns FieldErrors whose
# ``at`` is a full field path, and the loader reports each at its line. Later layers pass their checks
# in, so the model never imports them.
Check = Callable[[StackSpec], "list[Any]"]


def load_spec(path: str | Path, *, text: str | None = None, checks: Sequence[Check] = (), env: str | None = None) -> StackSpec:
    """Read and check one spec file. Raises SpecError naming file, line, column and field.

    A spec with `environments` needs ``env`` (one of them): it is that environment's stack."""
    return environments.select(_load_all(path, text, checks), str(path), env)[0]


def load_environments(path: str | Path, *, text: str | None = None, checks: Sequence[Check] = ()) -> list[StackSpec]:
    """Every environment's stack of one spec (one stack, with no environment, for a spec without any)."""
    return [spec for spec, _ in _load_all(path, text, checks)]


def located(error: Any, positions: Positions, file: str) -> Problem:
    """A ``FieldError`` with a full field path -> a problem at the line and column it was written."""
    shown, position = positions.locate(tuple(error.at))
    line, column = position or (None, None)
    return Problem(file, _dotted(shown), str(error), line, column)


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


def _load_all(path: str | Path, text: str | None = None, checks: Sequence[Check] = ()) -> list[tuple[StackSpec, Positions]]:
    file = str(path)
    if text is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as err:
            raise SpecError.one(file, "", f"cannot read the file: {err.strerror}") from None
        text = decode_utf8(raw, file)
    data, positions = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise SpecError.one(file, "", f"a job spec is a mapping of fields, got {_describe(data)}", 1, 1)
    loaded, found = [], []
    for env, env_data, env_positions in environments.split(data, positions, file):  # one item without environments
        env_data = _merge_defaults(env_data, env_positions)
        try:
            spec = StackSpec.model_validate(env_data)
        except ValidationError as err:
            found.append((env, problems_from(err, env_data, env_positions, file)))
            continue
        spec._environment = env
        found.append((env, [located(error, env_positions, file) for check in checks for error in check(spec)]))
        loaded.append((spec, env_positions))
    problems = environments.name_problems(found)
    if problems:
        raise SpecError(problems)
    return loaded


def load_specs(paths: list[Path], *, checks: Sequence[Check] = ()) -> list[tuple[Path, StackSpec]]:
    """Load every spec (one item per environment); report the problems of all files together, and clashing stack names."""
    loaded: list[tuple[Path, StackSpec]] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            specs = _load_all(path, checks=checks)
        except SpecError as err:
            problems.extend(err.problems)
            continue
        for spec, positions in specs:  # one per environment
            if spec.stack in seen:
                line, column = positions.values.get(("stack",), (None, None))
                problems.append(Problem(
                    str(path), "stack",
                    f"stack name {spec.stack!r} is also used by {seen[spec.stack]}: each spec is its own stack, "
                    "so give this one another name (or merge the jobs into one spec)",
                    line, column,
                ))
            seen.setdefault(spec.stack, path)
            loaded.append((path, spec))
    if problems:
        raise SpecError(problems)
    return loaded

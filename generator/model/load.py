"""Read a job spec: YAML text -> plain data with positions (``yaml_source``) -> ``StackSpec``.

`defaults` are merged into each job (and each environment split out) on the plain data, pydantic
validates it, and every pydantic error is turned into ``file:line:col: field.path: message``.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from pydantic import BaseModel, ValidationError

from ..errors import Problem, SpecError
from . import environments
from .stack import StackSpec
from .yaml_source import Path_, Positions, decode_utf8, dotted as _dotted, parse_yaml

__all__ = ["Positions", "decode_utf8", "load_environments", "load_spec", "load_specs", "located", "parse_yaml",
           "problems_from"]
# mappings in `defaults` merged into each job's own key by key (one level deep), not replaced wholesale;
# every other field (lists, scalars, `capacity` weights) a job sets replaces the default
MERGED_MAPS = ("environment", "secrets", "tags", "retry", "permissions")


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

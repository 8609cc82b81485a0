"""Rendered templates remembered by what they are made of, so that an unchanged job is not built again.

Building and rendering a template is a pure function of its inputs: the validated spec (with `split:
per_job`, the stack-level settings and the one job), the plan's part and job plan, the environment, and the
source label; nothing under ``resources/`` reads the clock, the environment or a file. So the text is
remembered under a key that is a SHA-256 over:

- a canonical encoding of those inputs (``canonical``: every field of every pydantic model, its private
  attributes included, and of every dataclass; mappings in order, sets sorted), which refuses any value it
  does not know how to encode: such a template is simply built (``Unencodable``), never keyed loosely;
- the source of every module of the ``generator`` package, so that any change to the code is a new key;
- the versions of Python and of the libraries that shape the text (troposphere, cfn-flip, PyYAML, pydantic).

With 1,000 jobs and `split: per_job`, changing one job rebuilds one template. Entries live in the cache folder
(``generator/store.py``: ``.batchjobs/cache/templates/``, ``BATCHJOBS_CACHE_DIR``, ``off``). The tests check
that a remembered template is byte-identical to a fresh build for every example spec and a fleet.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import sys
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from .store import Store, cache_root

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent  # generator/
LIBRARIES = ("troposphere", "cfn-flip", "PyYAML", "pydantic", "pydantic-core")


class Unencodable(TypeError):
    """A value ``canonical`` has no exact encoding for: the template is built, not remembered."""


@dataclasses.dataclass(frozen=True)
class Encoded:
    """A value already encoded by ``canonical`` (the stack settings every job stack of a spec shares,
    encoded once per spec), or None when it has no canonical form."""

    data: Any

    @classmethod
    def of_model(cls, model: BaseModel, *, without: tuple[str, ...] = ()) -> "Encoded":
        """``canonical(model)`` with the fields ``without`` left out."""
        try:
            return cls(canonical(model, without=without))
        except Unencodable:
            return cls(None)


def canonical(value: Any, *, without: tuple[str, ...] = ()) -> Any:
    """``value`` as JSON data that two values share only if every field they hold is equal (type names
    included, so a model and a dict with the same fields differ). ``without``: the root model's fields to
    leave out. A model or dataclass met again (a trigger's spec in its job's spec and in the job's plan) is
    written the second time as a reference to the first, by order of encounter."""
    return _Encoder().encode(value, without)


class _Encoder:
    def __init__(self) -> None:
        self.seen: dict[int, int] = {}  # id of a model or dataclass -> its number, in order of encounter
        self.kept: list[Any] = []  # keeps them alive, so no id is reused while encoding

    def encode(self, value: Any, without: tuple[str, ...] = ()) -> Any:
        if value is None or isinstance(value, (str, bool, int)):
            return value
        if isinstance(value, float):
            return ["float", repr(value)]  # 1.0 and 1 are different inputs; repr keeps -0.0 and nan apart
        if isinstance(value, (list, tuple)):
            return [type(value).__name__, [self.encode(item) for item in value]]
        if isinstance(value, dict):
            return ["dict", [[self.encode(k), self.encode(v)] for k, v in value.items()]]
        if isinstance(value, Encoded):
            if value.data is None:
                raise Unencodable("a part with no canonical form")
            return ["encoded", value.data]
        if isinstance(value, BaseModel) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            number = self.seen.get(id(value))
            if number is not None:
                return ["seen", number]
            self.seen[id(value)] = len(self.kept)
            self.kept.append(value)
            return self._object(value, without)
        if isinstance(value, (set, frozenset)):
            items = [self.encode(item) for item in value]
            return ["set", sorted(items, key=lambda item: json.dumps(item, sort_keys=True))]
        if isinstance(value, enum.Enum):
            return ["enum", f"{type(value).__module__}.{type(value).__qualname__}", self.encode(value.value)]
        if isinstance(value, (datetime, date, time, timedelta)):
            return [type(value).__name__, str(value), str(getattr(value, "tzinfo", None))]
        raise Unencodable(f"no canonical form for {type(value).__module__}.{type(value).__qualname__}")

    def _object(self, value: Any, without: tuple[str, ...]) -> Any:
        cls = type(value)
        name = f"{cls.__module__}.{cls.__qualname__}"
        if isinstance(value, BaseModel):
            held = value.__dict__  # pydantic keeps a model's field values here (and the transforms set them here)
            fields = [[field, self.encode(held[field])] for field in cls.model_fields if field not in without]
            private = value.__pydantic_private__ or {}
            return ["model", name, fields, [[key, self.encode(item)] for key, item in private.items()]]
        return ["dataclass", name, [[field, self.encode(getattr(value, field))] for field in _dataclass_fields(cls)]]


@lru_cache(maxsize=None)
def _dataclass_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator package's source and the versions that shape a template's text."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"batchjobs-templates {FORMAT}\0python {sys.version_info[:3]}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def key_for(*inputs: Any) -> str | None:
    """The key of a template built from ``inputs``, or None when one of them has no canonical form."""
    try:
        encoded = repr(canonical(list(inputs)))  # nested lists of str, int, bool and None: repr is exact
    except Unencodable:
        return None
    digest = hashlib.sha256(code_digest().encode())
    digest.update(b"\0")
    digest.update(encoded.encode("utf-8"))
    return digest.hexdigest()


class TemplateMemo:
    """Rendered templates (text and the build's warnings) by ``key_for`` their inputs."""

    def __init__(self, root: Path | None):
        self.store = Store(root, FORMAT)

    @classmethod
    def default(cls) -> "TemplateMemo":
        root = cache_root()
        return cls(root / "templates" if root is not None else None)

    def get(self, key: str | None) -> tuple[str, list[str]] | None:
        if key is None:
            return None
        entry = self.store.get(key)
        if entry is None:
            return None
        text, warnings = entry.get("text"), entry.get("warnings")
        if not isinstance(text, str) or not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            return None
        return text, warnings

    def put(self, key: str | None, text: str, warnings: list[str]) -> None:
        if key is not None:
            self.store.put(key, {"text": text, "warnings": list(warnings)})

    def render(self, key: str | None, build: Callable[[], tuple[str, list[str]]]) -> tuple[str, list[str]]:
        """The remembered text and warnings for ``key``, or ``build()``'s, remembered."""
        found = self.get(key)
        if found is not None:
            return found
        text, warnings = build()
        self.put(key, text, warnings)
        return text, warnings

"""Lint results cached by content, so that an unchanged template is never linted twice.

An entry's key is a SHA-256 over everything that decides a template's findings:

- the template's bytes;
- the installed cfn-lint's version (its rules and resource schemas ship with it);
- the source of the code that turns a template into findings: our rules (``rules/*.py``), the lint
  configuration and the finding conversion (``lint/__init__.py``) and the template reader
  (``template/read.py``, whose positions the findings carry);
- this file's entry format (``FORMAT``).

Change any of them and every key changes: an entry is never reused for a different question. Entries live
in ``.batchjobs/cache/lint/`` (``$BATCHJOBS_CACHE_DIR/lint/``; ``off`` disables it), stored by
``generator/store.py``: checksummed, written by rename, and one that cannot be read, is not ours or does
not match its key is ignored (and overwritten): the cache is never trusted over a fresh lint. Nothing here imports cfn-lint: a run whose templates are all
cached never loads it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..store import Store, cache_root
from . import Finding, LintResult

FORMAT = 1
_LINT_DIR = Path(__file__).resolve().parent
# the source files whose behaviour a cached result depends on (see the module docstring)
_SOURCES = (_LINT_DIR / "__init__.py", _LINT_DIR / "speedups.py", _LINT_DIR.parent / "template" / "read.py")
_FIELDS = {"rule_id": str, "message": str, "line": int, "column": int, "path": str}


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is turned off (``BATCHJOBS_CACHE_DIR=off``)."""
    root = cache_root()
    return root / "lint" if root is not None else None


def cfn_lint_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cfn-lint")
    except PackageNotFoundError:  # pragma: no cover - a dependency; lint itself fails without it
        return "absent"


@lru_cache(maxsize=1)
def linter_digest() -> str:
    """What, besides the template, a result depends on: cfn-lint's version and our lint code's source."""
    from . import RULES_DIR

    digest = hashlib.sha256(f"batchjobs-lint-cache {FORMAT}\0cfn-lint {cfn_lint_version()}\0".encode())
    for path in sorted(RULES_DIR.glob("*.py")) + list(_SOURCES):
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def key_for(text: str, linter: str | None = None) -> str:
    digest = hashlib.sha256((linter or linter_digest()).encode())
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class LintCache:
    """Results by key under ``root`` (``<root>/<key[:2]>/<key>.json``); ``root`` None: a cache that holds nothing."""

    def __init__(self, root: Path | None):
        self.root = root
        self._store = Store(root, FORMAT)

    @classmethod
    def default(cls) -> "LintCache":
        return cls(cache_dir())

    def _path(self, key: str) -> Path:
        return self._store.path(key)

    def get(self, key: str) -> LintResult | None:
        """The stored result, or None when there is none or it cannot be trusted."""
        entry = self._store.get(key)
        return None if entry is None else _decode(entry)

    def put(self, key: str, result: LintResult) -> None:
        """Store ``result`` (best effort: a cache that cannot be written only costs a lint next time)."""
        self._store.put(key, {name: _rows(getattr(result, name)) for name in ("findings", "notes")})


def _rows(findings: list[Finding]) -> list[dict]:
    return [{name: getattr(f, name) for name in _FIELDS} for f in findings]


def _decode(data: dict) -> LintResult | None:
    if set(data) != {"findings", "notes"}:
        return None
    lists = []
    for name in ("findings", "notes"):
        rows = data[name]
        if not isinstance(rows, list):
            return None
        found = []
        for row in rows:
            if not isinstance(row, dict) or set(row) != set(_FIELDS):
                return None
            if any(type(row[field]) is not kind for field, kind in _FIELDS.items()):
                return None
            found.append(Finding(**row))
        lists.append(found)
    return LintResult(*lists)

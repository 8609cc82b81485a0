"""Lint results cached by content, so that an unchanged template is never linted twice.

An entry's key is a SHA-256 over everything that decides a template's findings:

- the template's bytes;
- the installed cfn-lint's version (its rules and resource schemas ship with it);
- the source of the code that turns a template into findings: our rules (``rules/*.py``), the lint
  configuration and the finding conversion (``lint/__init__.py``) and the template reader
  (``template/read.py``, whose positions the findings carry);
- this file's entry format (``FORMAT``).

Change any of them and every key changes: an entry is never reused for a different question. An entry carries a SHA-256 of its own content. Entries live
in ``.batchjobs/cache/lint/`` under the working directory (the project's untracked state, beside
``.batchjobs/images.json``; gitignored), or in ``$BATCHJOBS_CACHE_DIR/lint/`` when that is set; ``BATCHJOBS_CACHE_DIR=off``
disables the cache. Writes go to a temporary file renamed into place, so concurrent runs never see half an
entry. An entry that cannot be read, is not ours or does not match its key is ignored (and overwritten):
the cache is never trusted over a fresh lint. Nothing here imports cfn-lint: a run whose templates are all
cached never loads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from . import Finding, LintResult

FORMAT = 1
ENV = "BATCHJOBS_CACHE_DIR"
DEFAULT_DIR = Path(".batchjobs") / "cache"
_LINT_DIR = Path(__file__).resolve().parent
# the source files whose behaviour a cached result depends on (see the module docstring)
_SOURCES = (_LINT_DIR / "__init__.py", _LINT_DIR / "speedups.py", _LINT_DIR.parent / "template" / "read.py")
_FIELDS = {"rule_id": str, "message": str, "line": int, "column": int, "path": str}


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is turned off (``BATCHJOBS_CACHE_DIR=off``)."""
    configured = os.environ.get(ENV, "").strip()
    if configured.lower() in ("off", "0", "none", "false"):
        return None
    return (Path(configured) if configured else DEFAULT_DIR) / "lint"


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

    @classmethod
    def default(cls) -> "LintCache":
        return cls(cache_dir())

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> LintResult | None:
        """The stored result, or None when there is none or it cannot be trusted."""
        if self.root is None:
            return None
        try:
            data = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return _decode(data, key)

    def put(self, key: str, result: LintResult) -> None:
        """Store ``result`` (best effort: a cache that cannot be written only costs a lint next time)."""
        if self.root is None:
            return
        path = self._path(key)
        entry = _encode(result, key)
        entry["sha256"] = _checksum(entry)
        data = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


def _encode(result: LintResult, key: str) -> dict:
    def rows(findings: list[Finding]) -> list[dict]:
        return [{name: getattr(f, name) for name in _FIELDS} for f in findings]

    return {"format": FORMAT, "key": key, "findings": rows(result.findings), "notes": rows(result.notes)}


def _checksum(entry: dict) -> str:
    """Over the entry's canonical JSON: a flipped digit in a line number is a damaged entry, not a finding."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def _decode(data: object, key: str) -> LintResult | None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    if set(data) != {"format", "key", "findings", "notes", "sha256"}:
        return None
    checksum = data.pop("sha256")
    if checksum != _checksum(data):
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

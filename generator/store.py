"""Entries on disk by key, for the caches that make `generate` fast (lint results, rendered templates).

The caches live in ``.batchjobs/cache/<kind>/`` under the working directory (the project's untracked state,
beside ``.batchjobs/images.json``; gitignored), or in ``$BATCHJOBS_CACHE_DIR/<kind>/`` when that is set;
``BATCHJOBS_CACHE_DIR=off`` turns every cache off. An entry is a JSON object stored with its key and a SHA-256
of its own content: one that cannot be read, is another key's, or does not match its checksum is ignored (and
overwritten), so a damaged cache costs time, never a wrong answer. Writes go to a temporary file renamed into
place, so concurrent runs never see half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV = "BATCHJOBS_CACHE_DIR"
DEFAULT_DIR = Path(".batchjobs") / "cache"


def cache_root() -> Path | None:
    """The folder of every cache, or None when caching is off (``BATCHJOBS_CACHE_DIR=off``)."""
    configured = os.environ.get(ENV, "").strip()
    if configured.lower() in ("off", "0", "none", "false"):
        return None
    return Path(configured) if configured else DEFAULT_DIR


def checksum(entry: dict) -> str:
    """Over the entry's canonical JSON: a flipped digit is a damaged entry, not a different answer."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


class Store:
    """JSON objects by key under ``root`` (``<root>/<key[:2]>/<key>.json``); ``root`` None: holds nothing."""

    def __init__(self, root: Path | None, fmt: int):
        self.root = root
        self.format = fmt  # an entry written in another format is not read

    def path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry's fields (without its bookkeeping), or None when there is none or it cannot be trusted."""
        if self.root is None:
            return None
        try:
            data = json.loads(self.path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != self.format or data.get("key") != key:
            return None
        stored = data.pop("sha256", None)
        if stored != checksum(data):
            return None
        del data["format"], data["key"]
        return data

    def put(self, key: str, fields: dict[str, Any]) -> None:
        """Store ``fields`` (best effort: an entry that cannot be written only costs the work next time)."""
        if self.root is None:
            return
        entry = {**fields, "format": self.format, "key": key}
        entry["sha256"] = checksum(entry)
        data = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")
        path = self.path(key)
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

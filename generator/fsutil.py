"""Writing files so that a failure never leaves one half-written, or a set of them half-replaced."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path`` (atomic on POSIX)."""
    write_all_atomic([(path, text)])


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_all_atomic(files: list[tuple[Path, str]]) -> None:
    """Write every file or none of them.

    Every temporary file is written first (a full disk, a read-only folder or a directory in the way fails
    here, before anything is replaced); then each is renamed over its target. Should a rename still fail,
    the targets already replaced get their previous content back and new ones are removed. An ``OSError``
    raised from here names the path it was about (``filename``).
    """
    for path, _ in files:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), None)
        if folder is not None and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            try:
                temporaries.append((_temporary(path, text.encode("utf-8")), path))
            except OSError as err:
                err.filename = err.filename or str(path)
                raise
        replaced: list[tuple[Path, bytes | None]] = []
        try:
            for tmp, path in temporaries:
                previous = path.read_bytes() if path.is_file() else None
                try:
                    os.replace(tmp, path)
                except OSError as err:
                    err.filename = str(path)
                    raise
                replaced.append((path, previous))
        except BaseException:
            _restore(replaced)
            raise
    finally:
        for tmp, _ in temporaries:
            tmp.unlink(missing_ok=True)


def _restore(replaced: list[tuple[Path, bytes | None]]) -> None:
    """Best effort: put back what the renames replaced (newest first)."""
    for path, previous in reversed(replaced):
        try:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                tmp = _temporary(path, previous)
                os.replace(tmp, path)
        except OSError:
            pass

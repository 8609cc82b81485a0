"""Runtime settings from the environment, with defaults derived from the container's cgroup limits."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Mapping

from .errors import UsageError

MiB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Settings:
    threads: int
    memory_limit_bytes: int
    max_line_bytes: int = 16 * MiB  # one CSV record (a 10 MB quoted field is fine); memory ~ 4x this
    delimiter: str = ","
    max_malformed_fraction: float = 0.10  # above this share of malformed rows the input is unusable (exit 2)
    progress_seconds: float = 15.0
    top_k: int = 5
    max_value_chars: int = 200  # strings in the report (min/max/top values) are cut to this many characters
    rejects_limit: int = 100_000  # malformed rows remembered (counts above it are lower bounds)
    max_type_passes: int = 4  # re-scans allowed when a value late in the file does not fit the sniffed type
    tmp_dir: str = dataclasses.field(default_factory=tempfile.gettempdir)


def _read_int(path: str) -> int | None:
    try:
        with open(path) as f:
            text = f.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def cgroup_memory_bytes() -> int | None:
    """The container's memory limit (cgroup v2, then v1), or None when unlimited/unknown."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        value = _read_int(path)
        if value is not None and value < 1 << 60:
            return value
    return None


def available_memory_bytes() -> int:
    limit = cgroup_memory_bytes()
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        physical = 1024 * MiB
    return min(limit, physical) if limit else physical


def cpu_count() -> int:
    """vCPUs available: the cgroup v2 CPU quota if set, else the CPUs this process may run on."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()
        if quota != "max":
            return max(1, int(int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def default_memory_limit(available: int, threads: int) -> int:
    """64 MiB + 32 MiB per thread (two 16 MiB-record read buffers each), at most half the container's
    memory, at least 96 MiB.

    DuckDB fills its buffer pool up to memory_limit over a long scan, so this limit, not the file size,
    sets the peak RSS (measured at 10 GB: 341 MB with 256 MiB, 209 MB with 128 MiB, at the same speed).
    The query itself only keeps fixed-size aggregate states.
    """
    return max(96 * MiB, min(available // 2, 64 * MiB + 32 * MiB * threads))


def parse_bytes(text: str) -> int:
    units = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "B": 1}
    t = text.strip().upper().replace(" ", "")
    for suffix in sorted(units, key=len, reverse=True):
        if t.endswith(suffix) and t[: -len(suffix)]:
            return int(float(t[: -len(suffix)]) * units[suffix])
    return int(t)


def from_env(environ: Mapping[str, str]) -> Settings:
    def get(name: str, parse, default):
        raw = environ.get(name, "").strip()
        if not raw:
            return default
        try:
            return parse(raw)
        except ValueError as err:
            raise UsageError("invalid_setting", f"{name}={raw!r} is not valid: {err}") from err

    delimiter = environ.get("CSV_DELIMITER", ",")
    if delimiter == "\\t":
        delimiter = "\t"
    if len(delimiter) != 1:
        raise UsageError("invalid_setting", f"CSV_DELIMITER={delimiter!r} must be a single character (or \\t)")
    threads = get("ANALYZER_THREADS", int, cpu_count())
    if threads < 1:
        raise UsageError("invalid_setting", f"ANALYZER_THREADS={threads} must be at least 1")
    return Settings(
        threads=threads,
        memory_limit_bytes=get("ANALYZER_MEMORY_LIMIT", parse_bytes,
                               default_memory_limit(available_memory_bytes(), threads)),
        max_line_bytes=get("ANALYZER_MAX_LINE_BYTES", parse_bytes, 16 * MiB),
        delimiter=delimiter,
        max_malformed_fraction=get("ANALYZER_MAX_MALFORMED_FRACTION", float, 0.10),
        progress_seconds=get("ANALYZER_PROGRESS_SECONDS", float, 15.0),
        tmp_dir=environ.get("TMPDIR") or tempfile.gettempdir(),
    )

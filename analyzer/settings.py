"""Runtime settings from the environment, with defaults derived from the container's cgroup limits."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Mapping

from .errors import UsageError

KiB = 1024
MiB = 1024 * KiB


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
    # No ANALYZER_MEMORY_LIMIT: memory_limit_bytes is the default for a narrow file, and the profile
    # raises it for the file's column count (memory_limit_for), within the container's memory.
    memory_limit_auto: bool = False
    available_memory_bytes: int = 0

    def memory_limit_for(self, columns: int) -> int:
        """The DuckDB memory_limit for a file with this many columns."""
        if not self.memory_limit_auto:
            return self.memory_limit_bytes
        return default_memory_limit(self.available_memory_bytes, self.threads, columns, self.max_line_bytes)


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


PER_COLUMN_AND_THREAD = 384 * KiB


def default_memory_limit(available: int, threads: int, columns: int = 0, max_line_bytes: int = 16 * MiB) -> int:
    """64 MiB + per thread: 2 x max_line_bytes (its read buffer; 32 MiB by default) and 384 KiB per
    column; at most half the container's memory, at least 96 MiB.

    DuckDB fills its buffer pool up to memory_limit over a long scan, so this limit, not the file size,
    sets the peak RSS (measured at 10 GB: 341 MB with 256 MiB, 209 MB with 128 MiB, at the same speed).
    The query itself only keeps fixed-size aggregate states, but every thread holds vectors for every
    column and every expression on it: at the 128 MiB of a narrow file, 200 columns ran out of memory.
    Measured, the least that works is 96 MiB + 0.16-0.38 MiB per column and thread (400 columns and 2
    threads: 256-311 MiB; 1000 integer columns, the worst case, and 1 thread: 472 MiB). In a 1 GiB task
    (a 512 MiB cap) that is about 500 columns with 2 threads, and about 1000 with the one-thread retry.
    """
    per_thread = 2 * max_line_bytes + columns * PER_COLUMN_AND_THREAD
    return max(96 * MiB, min(available // 2, 64 * MiB + per_thread * threads))


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
    max_line_bytes = get("ANALYZER_MAX_LINE_BYTES", parse_bytes, 16 * MiB)
    available = available_memory_bytes()
    memory_limit = get("ANALYZER_MEMORY_LIMIT", parse_bytes, None)
    return Settings(
        threads=threads,
        memory_limit_bytes=default_memory_limit(available, threads, 0, max_line_bytes) if memory_limit is None
        else memory_limit,
        memory_limit_auto=memory_limit is None,
        available_memory_bytes=available,
        max_line_bytes=max_line_bytes,
        delimiter=delimiter,
        max_malformed_fraction=get("ANALYZER_MAX_MALFORMED_FRACTION", float, 0.10),
        progress_seconds=get("ANALYZER_PROGRESS_SECONDS", float, 15.0),
        tmp_dir=environ.get("TMPDIR") or tempfile.gettempdir(),
    )

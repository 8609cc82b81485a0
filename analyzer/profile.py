"""Profile a local CSV file with one DuckDB aggregate query.

Pure with respect to the outside world: a path and settings in, a dict out; no S3, no logging. The only
side effect is DuckDB's own spill directory under `work_dir`, which the caller creates and removes.

How it works:
1. `check_head` rejects inputs that are plainly not CSV text (empty, compressed, binary, UTF-16, not UTF-8).
2. `sniff` asks DuckDB's sniffer for the column types of a sample, with the dialect fixed (header row,
   `,`, `"`), because auto-detecting the dialect is fooled by ragged rows.
3. `_scan` runs one aggregate query over every column with `store_rejects=true`, so malformed rows are
   skipped and recorded instead of aborting the scan. The file is read in parallel; memory stays bounded
   because every aggregate state is fixed-size (HyperLogLog for distinct counts, a top-k sketch).
4. If a value later in the file does not fit the sniffed type, the affected columns are widened
   (integer -> float -> string, date -> timestamp -> string) and the scan is repeated. This costs one extra
   pass only for files whose sample was not representative. DuckDB reports most such values as CAST
   rejects, but its reader takes '2.7' for the integer 3 (and '1e3', '0x10', '1_000' for integers), so
   numeric columns are read as text and converted by the query from strict literals only; the query also
   counts the values that are not, which is how a late '2.7' is found.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import decimal
import io
import math
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from .errors import InfraError, UnusableInput
from .settings import MiB, Settings

HEAD_BYTES = 64 * 1024
TYPE_CANDIDATES = ("BOOLEAN", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "VARCHAR")
WIDER = {
    "BIGINT": ("DOUBLE", "VARCHAR"),
    "DOUBLE": ("VARCHAR",),
    "BOOLEAN": ("VARCHAR",),
    "DATE": ("TIMESTAMP", "VARCHAR"),
    "TIMESTAMP": ("TIMESTAMP WITH TIME ZONE", "VARCHAR"),
    "TIMESTAMP WITH TIME ZONE": ("VARCHAR",),
}
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT"}
FLOAT_TYPES = {"FLOAT", "REAL", "DOUBLE"}
TIMESTAMP_TYPES = {"TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"}
SAMPLE_ROWS = 100_000  # rows read to decide which columns get a top-k
TOP_K_MAX_SHARE = 0.10
UNIQUE_SHARE = 0.9  # a column whose distinct count is >= 90% of its values has no meaningful "most frequent"
# What counts as a number. DuckDB's own casts (and its CSV reader) are looser: they read '2.7' into an integer
# column as 3, and take '1e3', '0x10', '1_000' for integers and '1_000' for a float. Spaces around a number
# are allowed, as in most CSV readers. RE2 syntax; the float pattern is matched case-insensitively.
INTEGER_LITERAL = " *[+-]?[0-9]+ *"
FLOAT_LITERAL = " *[+-]?(([0-9]+([.][0-9]*)?|[.][0-9]+)(e[+-]?[0-9]+)?|inf|infinity|nan) *"
# Sniffed types whose columns are read as VARCHAR and converted by the query itself (see _typed).
CHECKED_TYPES = ("BIGINT", "DOUBLE")

ProgressCallback = Callable[[dict[str, Any]], None]


def report_type(duckdb_type: str) -> str:
    """Map a DuckDB type to the report's types: integer, float, boolean, date, timestamp, string."""
    t = duckdb_type.upper()
    if t in INTEGER_TYPES:
        return "integer"
    if t in FLOAT_TYPES or t.startswith("DECIMAL"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t == "DATE":
        return "date"
    if t in TIMESTAMP_TYPES:
        return "timestamp"
    return "string"


def check_head(path: str) -> int:
    """Reject inputs that are plainly not CSV text, looking only at the first 64 KiB. Returns the size."""
    size = os.path.getsize(path)
    if size == 0:
        raise UnusableInput("empty", "the input is empty (0 bytes): expected at least a header row")
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if head.startswith(b"\x1f\x8b"):
        raise UnusableInput("compressed", "the input is gzip-compressed; upload the uncompressed CSV")
    if head.startswith((b"PK\x03\x04", b"BZh", b"\xfd7zXZ", b"\x28\xb5\x2f\xfd")):
        raise UnusableInput("compressed", "the input is a compressed archive, not CSV text")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableInput("not_utf8", "the input is UTF-16 encoded; only UTF-8 CSV is supported")
    nul = head.find(b"\x00")
    if nul >= 0:
        raise UnusableInput("binary", f"the input looks binary, not CSV text (NUL byte at offset {nul})",
                            byte_offset=nul)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) == size)
    except UnicodeDecodeError as err:
        raise UnusableInput("not_utf8", f"the input is not valid UTF-8 (invalid byte at offset {err.start})",
                            byte_offset=err.start) from err
    if not text.lstrip("\ufeff \t\r\n"):
        raise UnusableInput("empty", "the input has no header row (only whitespace)")
    return size


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(settings: Settings, work_dir: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never writes outside work_dir and never downloads extensions."""
    con = duckdb.connect(config={
        "threads": settings.threads,
        "memory_limit": f"{settings.memory_limit_bytes // (1024 * 1024)}MiB",
        "temp_directory": os.path.join(work_dir, "duckdb-spill"),
        "preserve_insertion_order": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "extension_directory": os.path.join(work_dir, "duckdb-extensions"),
    })
    # query_progress() stays at -1 unless progress tracking is on; never draw the bar itself.
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    # TIMESTAMP WITH TIME ZONE values come back in this zone; DuckDB's default is the host's (TZ).
    con.execute("SET TimeZone = 'UTC'")
    return con


def _dialect(settings: Settings) -> str:
    # DuckDB sizes its read buffer from max_line_size (~15x) unless told; 2x keeps memory bounded.
    return (f"header=true, delim={_lit(settings.delimiter)}, quote='\"', escape='\"', "
            f"max_line_size={settings.max_line_bytes}, buffer_size={2 * settings.max_line_bytes}")


def sniff(con: duckdb.DuckDBPyConnection, path: str, settings: Settings) -> tuple[list[tuple[str, str]], dict]:
    """Column names and DuckDB types from the sniffer, plus the date/timestamp formats it found."""
    candidates = "[" + ", ".join(_lit(t) for t in TYPE_CANDIDATES) + "]"
    sql = (f"SELECT Columns, DateFormat, TimestampFormat FROM sniff_csv({_lit(path)}, {_dialect(settings)}, "
           f"ignore_errors=true, auto_type_candidates={candidates})")
    try:
        columns, date_format, ts_format = con.execute(sql).fetchone()
    except duckdb.Error as err:
        raise _failure(err, settings) from err
    formats = {}
    if date_format:
        formats["dateformat"] = date_format
    if ts_format:
        formats["timestampformat"] = ts_format
    return [(c["name"], c["type"]) for c in columns], formats


def _failure(err: duckdb.Error, settings: Settings) -> Exception:
    """DuckDB running out of memory or disk is the task's problem (exit 1); anything else is the input's."""
    if isinstance(err, duckdb.OutOfMemoryException):
        return InfraError("out_of_memory", f"profile: DuckDB ran out of memory (memory_limit "
                          f"{settings.memory_limit_bytes // MiB} MiB, {settings.threads} threads): raise "
                          f"ANALYZER_MEMORY_LIMIT or lower ANALYZER_THREADS: {_first_line(err)}")
    if isinstance(err, (duckdb.IOException, duckdb.PermissionException)):
        return InfraError("local_io", f"profile: {_first_line(err)}")
    return UnusableInput("not_csv", f"the input could not be read as CSV: {_first_line(err)}")


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0][:500] if str(err).strip() else type(err).__name__


def _typed(raw: str, dtype: str, formats: dict | None = None) -> str:
    """SQL for the VARCHAR expression `raw` as a dtype value if it is one (see INTEGER_LITERAL), else NULL.

    Dates and timestamps follow the formats the sniffer found (and the reader is given), e.g. %m/%d/%Y;
    without one, ISO 8601 as a cast reads it."""
    if dtype == "BIGINT":
        # A value that reads back as itself is a literal; checking that first costs half the regular
        # expression, which then only sees the rest ('007', '+5', ' 42', and what is not an integer).
        # A strict integer literal beyond the BIGINT range is NULL here: a float, then.
        cast = f"TRY_CAST({raw} AS BIGINT)"
        return (f"CASE WHEN CAST({cast} AS VARCHAR) = {raw} OR regexp_full_match({raw}, {_lit(INTEGER_LITERAL)}) "
                f"THEN {cast} END")
    if dtype == "DOUBLE":
        return f"TRY_CAST(CASE WHEN regexp_full_match({raw}, {_lit(FLOAT_LITERAL)}, 'i') THEN {raw} END AS DOUBLE)"
    formats = formats or {}
    if dtype == "DATE" and "dateformat" in formats:
        return f"CAST(try_strptime({raw}, {_lit(formats['dateformat'])}) AS DATE)"
    if dtype in ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE") and "timestampformat" in formats:
        return f"try_strptime({raw}, {_lit(formats['timestampformat'])})"
    if dtype == "DATE":  # a cast would truncate '2024-01-01 10:00' to a date; the reader rejects it
        return f"CASE WHEN NOT contains({raw}, ':') THEN TRY_CAST({raw} AS DATE) END"
    if dtype == "VARCHAR":
        return raw
    return f"TRY_CAST({raw} AS {dtype})"


def _aggregates(columns: Sequence[tuple[str, str]], top_k: int,
                top_columns: set[int] | None = None) -> list[tuple[int, str, str]]:
    """(column index, statistic, SQL expression) for every statistic of every column (c0, c1, ... of
    _relation; a checked column's text is r<i>).

    The top-k sketch is the most expensive aggregate on high-cardinality columns (a third of the run
    time on the benchmark file), so it is computed only for `top_columns` (default: all).
    """
    out: list[tuple[int, str, str]] = []
    sketch = max(20, 4 * top_k)  # a wider sketch makes the first top_k entries far more accurate
    for i, (name, dtype) in enumerate(columns):
        c, kind = f"c{i}", report_type(dtype)
        if dtype in CHECKED_TYPES:
            # non_null - valid values are not of the type; the CASEs only evaluate on those (rare) rows
            r = f"r{i}"
            out += [(i, "non_null", f"count({r})"), (i, "valid", f"count({c})"),
                    (i, "invalid_example", f"min(CASE WHEN {c} IS NULL THEN {r} END)")]
            if dtype == "BIGINT":
                out.append((i, "valid_as_float", f"count(CASE WHEN {c} IS NULL THEN {_typed(r, 'DOUBLE')} END)"))
        else:
            out.append((i, "non_null", f"count({c})"))
        out.append((i, "approx_distinct", f"approx_count_distinct({c})"))
        if top_columns is None or i in top_columns:
            out.append((i, "most_frequent", f"approx_top_k({c}, {sketch})[1:{top_k}]"))
        if kind in ("integer", "float"):
            out += [(i, "min", f"min({c})"), (i, "max", f"max({c})"), (i, "mean", f"avg({c})"),
                    (i, "stddev", f"stddev_samp({c})")]
        elif kind in ("date", "timestamp"):
            out += [(i, "min", f"min({c})"), (i, "max", f"max({c})")]
        elif kind == "boolean":
            out += [(i, "true_count", f"count_if({c})")]
        else:
            out += [(i, "min_length", f"min(length({c}))"), (i, "max_length", f"max(length({c}))")]
    return out


def _run(con: duckdb.DuckDBPyConnection, sql: str, on_progress: ProgressCallback | None, interval: float,
         phase: str) -> tuple:
    """Run sql, reporting DuckDB's own progress estimate every `interval` seconds from a side thread."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(interval):
            try:
                pct = con.query_progress()
            except duckdb.Error:
                return
            if pct >= 0 and on_progress:
                on_progress({"phase": phase, "percent": round(pct, 1)})

    watcher = threading.Thread(target=watch, daemon=True)
    if on_progress and interval > 0:
        watcher.start()
    try:
        return con.execute(sql).fetchall()[0]  # fetchall: rejects are stored only when the scan completes
    finally:
        done.set()
        if watcher.is_alive():
            watcher.join()


def _source(path: str, columns: list[tuple[str, str]], formats: dict, settings: Settings) -> str:
    struct = "{" + ", ".join(f"{_lit(n)}: {_lit('VARCHAR' if t in CHECKED_TYPES else t)}" for n, t in columns) + "}"
    extra = "".join(f", {k}={_lit(v)}" for k, v in formats.items())
    return (f"read_csv({_lit(path)}, {_dialect(settings)}, auto_detect=false, columns={struct}{extra}, "
            f"store_rejects=true, rejects_limit={settings.rejects_limit})")


def _relation(path: str, columns: list[tuple[str, str]], formats: dict, settings: Settings) -> str:
    """The file as columns c0, c1, ... of their types; a checked column also as its text, r<i>."""
    select = []
    for i, (name, dtype) in enumerate(columns):
        if dtype in CHECKED_TYPES:
            select += [f"{_ident(name)} AS r{i}", f"{_typed(_ident(name), dtype)} AS c{i}"]
        else:
            select.append(f"{_ident(name)} AS c{i}")
    return f"(SELECT {', '.join(select)} FROM {_source(path, columns, formats, settings)})"


def low_cardinality_columns(con: duckdb.DuckDBPyConnection, path: str, columns: list[tuple[str, str]],
                            formats: dict, settings: Settings) -> set[int]:
    """Columns worth a top-k: at most max(100, 10%) distinct values among the first SAMPLE_ROWS rows."""
    if not columns:
        return set()
    select = ", ".join(f"approx_count_distinct(c{i})" for i in range(len(columns)))
    sample = f"(SELECT * FROM {_relation(path, columns, formats, settings)} LIMIT {SAMPLE_ROWS})"
    try:
        n, *distinct = con.execute(f"SELECT count(*), {select} FROM {sample}").fetchall()[0]
    except duckdb.Error:
        return set(range(len(columns)))  # the full scan will report the problem
    finally:
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    return {i for i, d in enumerate(distinct) if d <= max(100, TOP_K_MAX_SHARE * n)}


def _scan(con: duckdb.DuckDBPyConnection, path: str, columns: list[tuple[str, str]], formats: dict,
          settings: Settings, on_progress: ProgressCallback | None, phase: str) -> dict:
    top_columns = low_cardinality_columns(con, path, columns, formats, settings)
    aggs = _aggregates(columns, settings.top_k, top_columns)
    source = _relation(path, columns, formats, settings)
    select = ", ".join(["count(*)"] + [expr for _, _, expr in aggs])
    try:
        row = _run(con, f"SELECT {select} FROM {source}", on_progress, settings.progress_seconds, phase)
    except duckdb.Error as err:
        raise _failure(err, settings) from err
    stats: list[dict[str, Any]] = [{} for _ in columns]
    for (i, stat, _), value in zip(aggs, row[1:]):
        stats[i][stat] = value
    rejects = con.execute("SELECT line, error_type, column_name, error_message, csv_line FROM reject_errors "
                      "ORDER BY line").fetchall()
    return {"rows": row[0], "stats": stats, "rejects": rejects}


def _fields(line: str, settings: Settings) -> list[str] | None:
    try:
        return next(csv.reader(io.StringIO(line), delimiter=settings.delimiter))
    except (csv.Error, StopIteration):
        return None


def _widen(con: duckdb.DuckDBPyConnection, columns: list[tuple[str, str]], formats: dict, cast_rejects: list[tuple],
           settings: Settings, final: bool) -> list[dict[str, Any]]:
    """Widen every column that a rejected line's values do not fit. Returns the changes made.

    DuckDB reports only the first failing column of a rejected line, so each rejected line is parsed
    again here and every one of its values is checked against its column's type (checked columns too:
    they never cause a reject, but their values on a rejected line are not counted by the scan). The
    column DuckDB named is widened in any case, so every pass makes progress.
    """
    failing: dict[int, list[str]] = {}
    first_line: dict[int, int] = {}
    index = {name: i for i, (name, _) in enumerate(columns)}
    for line_no, _, column_name, _, csv_line in cast_rejects:
        named = index.get(column_name)
        values = _fields(csv_line or "", settings)
        if values is None or len(values) != len(columns):
            values = None
        for i in range(len(columns)):
            value = values[i] if values is not None else None
            dtype = columns[i][1]
            if dtype == "VARCHAR":
                continue
            if i == named or (value is not None and value != "" and not _fits(con, value, dtype, formats)):
                failing.setdefault(i, [])
                if value is not None:
                    failing[i].append(value)
                first_line.setdefault(i, line_no)
    changes = []
    for i, values in sorted(failing.items()):
        name, dtype = columns[i]
        target = "VARCHAR"
        if not final and values:
            target = next((t for t in WIDER.get(dtype, ("VARCHAR",))
                           if all(_fits(con, v, t, formats) for v in values)), "VARCHAR")
        columns[i] = (name, target)
        changes.append(_change(name, dtype, target, first_line[i], values[0] if values else None))
    return changes


def _widen_checked(columns: list[tuple[str, str]], stats: list[dict[str, Any]], final: bool) -> list[dict[str, Any]]:
    """Widen the checked columns in which the scan counted values that are not of their type: an integer
    column to float if every such value is a float (and not `final`), else to string."""
    changes = []
    for i, (name, dtype) in enumerate(columns):
        if dtype not in CHECKED_TYPES:
            continue
        invalid = (stats[i]["non_null"] or 0) - (stats[i]["valid"] or 0)
        if invalid <= 0:
            continue
        floats = dtype == "BIGINT" and stats[i].get("valid_as_float") == invalid
        target = "DOUBLE" if floats and not final else "VARCHAR"
        columns[i] = (name, target)
        changes.append(_change(name, dtype, target, None, stats[i]["invalid_example"]))
    return changes


def _change(name: str, dtype: str, target: str, line: int | None, example: str | None) -> dict[str, Any]:
    return {"name": name, "from": report_type(dtype), "to": report_type(target), "line": line,
            "example": None if example is None else json_value(example, 200)}


def _fits(con: duckdb.DuckDBPyConnection, value: str, dtype: str, formats: dict | None = None) -> bool:
    """Whether value is a dtype value by the rules the scan applies (_typed). Stricter than a cast: '1.5'
    is not an integer (a cast rounds it) and '2024-01-01 10:00' is not a date (a cast truncates it); and
    a date in the file's detected format (03/04/2024 for %m/%d/%Y) is a date, which no cast would say."""
    if dtype == "VARCHAR":
        return True
    return con.execute(f"SELECT {_typed('v', dtype, formats)} IS NOT NULL FROM (SELECT ?::VARCHAR AS v)",
                       [value]).fetchone()[0]


def json_value(value: Any, max_chars: int) -> Any:
    """A DuckDB result value as JSON: ISO dates, finite floats (else "nan"/"inf"), strings cut to max_chars."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v, max_chars) for v in value]
    text = str(value)
    return text if len(text) <= max_chars else text[:max_chars] + "…"


def _column_report(name: str, dtype: str, stats: dict, rows: int, settings: Settings) -> dict:
    non_null = stats["non_null"] or 0
    distinct = stats["approx_distinct"] or 0
    kind = report_type(dtype)
    col: dict[str, Any] = {
        "name": name,
        "type": kind,
        "duckdb_type": dtype,
        "null_count": rows - non_null,
        "approx_distinct": min(distinct, non_null),
    }
    for key in ("min", "max", "mean", "stddev", "true_count", "min_length", "max_length"):
        if key in stats:
            col[key] = json_value(stats[key], settings.max_value_chars)
    unique = non_null > 0 and distinct >= UNIQUE_SHARE * non_null and non_null > settings.top_k
    top = stats.get("most_frequent")
    # null: not computed, because the column has too many distinct values for "most frequent" to mean much
    col["most_frequent"] = None if unique or top is None else json_value(list(top), settings.max_value_chars)
    return col


def read_header(path: str, settings: Settings) -> list[str] | None:
    """The header record as the csv module reads it (a BOM dropped), or None if it cannot be read. Only
    for what DuckDB does not say (how many columns before the sniffer runs, the names as written)."""
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
            return next(csv.reader(f, delimiter=settings.delimiter))  # csv caps a field at 128 KiB
    except (csv.Error, StopIteration, OSError):
        return None


def profile_csv(path: str, settings: Settings, work_dir: str,
                on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Profile the CSV at path. Raises UnusableInput (exit 2) when it is not usable CSV.

    DuckDB's memory limit follows the column count (Settings.memory_limit_for). If DuckDB still runs out
    of memory with several threads, the profile is run once more with one thread, which needs about 60%
    of the memory of two; the report's `engine` says so.
    """
    check_head(path)
    header = read_header(path, settings)
    run = dataclasses.replace(settings, memory_limit_bytes=settings.memory_limit_for(len(header or ())))
    engine: dict[str, Any] = {"threads": run.threads, "memory_limit_bytes": run.memory_limit_bytes}
    try:
        try:
            return _profile(path, run, work_dir, on_progress, engine, header)
        except InfraError as err:
            if err.code != "out_of_memory" or run.threads == 1:
                raise
            engine.update(threads=1, out_of_memory_retry={"threads": run.threads, "message": err.message})
            return _profile(path, dataclasses.replace(run, threads=1), work_dir, on_progress, engine, header)
    except UnusableInput as err:
        err.details.setdefault("engine", dict(engine))
        raise


def _profile(path: str, settings: Settings, work_dir: str, on_progress: ProgressCallback | None,
             engine: dict[str, Any], header: list[str] | None) -> dict[str, Any]:
    con = connect(settings, work_dir)
    try:
        columns, formats = sniff(con, path, settings)
        changes: list[dict[str, Any]] = []
        attempt = 0
        while True:
            attempt += 1
            result = _scan(con, path, columns, formats, settings, on_progress, f"profile pass {attempt}")
            # Past max_type_passes, widen straight to string: a string column cannot fail again, so every
            # further pass makes one more column a string (and no widening at all ends the loop).
            widened = _widen_checked(columns, result["stats"], final=attempt > settings.max_type_passes)
            cast_rejects = [r for r in result["rejects"] if r[1] == "CAST"]
            if cast_rejects and attempt <= settings.max_type_passes:
                widened += _widen(con, columns, formats, cast_rejects, settings,
                                  final=attempt == settings.max_type_passes)
            if not widened:
                break
            changes += widened
            con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        header_problems = _header_problems(con, header, columns, formats, settings)
    finally:
        con.close()

    rows = result["rows"]
    problems = summarize_rejects(result["rejects"], settings)
    problems["retyped_columns"] = changes
    problems["type_passes"] = attempt
    problems.update(header_problems)
    encoding = [r for r in result["rejects"] if "ENCODING" in r[1] or "UNICODE" in r[1]]
    if encoding:
        raise UnusableInput("not_utf8", f"the input is not valid UTF-8 (first invalid bytes on line {encoding[0][0]})",
                            line=encoding[0][0], problems=problems)
    malformed = problems["malformed_rows"]
    if malformed and malformed > settings.max_malformed_fraction * (rows + malformed):
        raise UnusableInput(
            "too_many_malformed_rows",
            f"{malformed} of {rows + malformed} data rows are malformed (more than "
            f"{settings.max_malformed_fraction:.0%}); is the delimiter {settings.delimiter!r} right?",
            problems=problems)
    return {
        "row_count": rows,
        "column_count": len(columns),
        "columns": [_column_report(n, t, s, rows, settings) for (n, t), s in zip(columns, result["stats"])],
        "problems": problems,
        "engine": engine,
    }


DELIMITERS = (",", ";", "\t", "|")


def _header_problems(con: duckdb.DuckDBPyConnection, header: list[str] | None, columns: list[tuple[str, str]],
                     formats: dict, settings: Settings) -> dict[str, Any]:
    """What the header row suggests is wrong: `renamed_columns` (DuckDB trims names and renames empty
    and duplicate ones: '' -> column2, a second 'a' or 'A' -> a_1) and `warnings`:
    * header_looks_like_data: every column is a number, date, timestamp or boolean and every header
      name is one too (as in 1,2,3 over numbers): most likely a file without a header row, whose first
      row is then taken for the header and left out of the profile;
    * delimiter: one column whose name contains another usual delimiter (';', tab, '|', ','), as when
      a semicolon-separated file is read without CSV_DELIMITER.
    """
    names = [n for n, _ in columns]
    written = header if header is not None and len(header) == len(columns) else names
    renamed = []
    for position, (given, name) in enumerate(zip(written, names), start=1):
        if given != name:
            reason = "empty" if not given.strip() else "spaces trimmed" if given.strip() == name else "duplicate"
            renamed.append({"position": position, "header": json_value(given, settings.max_value_chars),
                            "name": json_value(name, settings.max_value_chars), "reason": reason})
    warnings = []
    if columns and all(t != "VARCHAR" and g.strip() and _fits(con, g, t, formats)
                       for g, (_, t) in zip(written, columns)):
        warnings.append({"code": "header_looks_like_data", "message": (
            f"every header name is a value of its column's type ({', '.join(map(repr, written[:5]))}"
            f"{', ...' if len(written) > 5 else ''}): the file probably has no header row; its first row was "
            "taken as the header and is not profiled")})
    if len(columns) == 1:
        found = [d for d in DELIMITERS if d != settings.delimiter and d in written[0]]
        if found:
            hint = "\\t" if found[0] == "\t" else found[0]
            warnings.append({"code": "delimiter", "message": (
                f"one column, and its name {json_value(written[0], 80)!r} contains {found[0]!r}: if that "
                f"separates the fields, set CSV_DELIMITER={hint}")})
    return {"renamed_columns": renamed, "warnings": warnings}


def summarize_rejects(rejects: Sequence[tuple], settings: Settings, examples: int = 10) -> dict[str, Any]:
    """Count malformed rows (by kind) from DuckDB's reject_errors rows; keep a few examples."""
    by_line: dict[int, tuple] = {}
    for r in rejects:
        by_line.setdefault(r[0], r)
    by_kind: dict[str, int] = {}
    for r in by_line.values():
        kind = r[1].lower().replace(" ", "_")
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return {
        "malformed_rows": len(by_line),
        "malformed_rows_exact": len(rejects) < settings.rejects_limit,
        "action": "skipped: malformed rows are left out of the row count and every statistic",
        "by_kind": dict(sorted(by_kind.items())),
        "examples": [{"line": r[0], "kind": r[1].lower().replace(" ", "_"), "message": r[3][:300]}
                     for r in list(by_line.values())[:examples]],
    }

"""python -m analyzer: profile a CSV and write one JSON report.

S3 mode (the container):  INPUT_BUCKET, INPUT_KEY, OUTPUT_BUCKET, optional OUTPUT_PREFIX (default results/).
Local mode (development): python -m analyzer --input data.csv --output report.json

Exit codes: 0 report written; 2 the input is not usable (not CSV, not UTF-8, empty, missing) or the
configuration is not (the report says why; no report when its location, OUTPUT_BUCKET/INPUT_KEY, is
unset); 1 S3/disk failure after retries, or the report could not be written; 143 stopped by SIGTERM
(nothing written). Logs are JSON lines on stdout. This module is the only place that turns errors into
exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Mapping
from typing import IO, Any

from . import __version__
from .errors import AnalyzerError, ExitStatus, InfraError, UnusableInput, UsageError
from .logs import JsonLog
from .settings import Settings, from_env

DEFAULT_OUTPUT_PREFIX = "results/"
DISK_HEADROOM = 64 * 1024 * 1024


def output_key(input_key: str, prefix: str) -> str:
    """<OUTPUT_PREFIX><basename of INPUT_KEY>.analysis.json, as in the seed."""
    return f"{prefix}{posixpath.basename(input_key)}.analysis.json"


class LocalFiles:
    """--input/--output: read a local file in place, write the report atomically (temp file + rename)."""

    def __init__(self, input_path: str, output_path: str) -> None:
        self.input_path, self.output_path = input_path, output_path
        self.input_info: dict[str, Any] = {"path": input_path}
        self.output = output_path

    def fetch(self, work_dir: str, settings: Settings, log: JsonLog) -> str:
        try:
            self.input_info["size_bytes"] = os.path.getsize(self.input_path)
        except FileNotFoundError as err:
            raise UnusableInput("input_not_found", f"the input file {self.input_path} does not exist") from err
        except OSError as err:
            raise InfraError("local_io", f"read input {self.input_path}: {err}") from err
        if os.path.isdir(self.input_path):
            raise UnusableInput("not_csv", f"the input {self.input_path} is a directory")
        return self.input_path

    def write(self, body: bytes) -> None:
        directory = os.path.dirname(os.path.abspath(self.output_path))
        try:
            fd, tmp = tempfile.mkstemp(prefix=".analysis-", dir=directory)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(body)
                os.replace(tmp, self.output_path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as err:
            raise InfraError("local_io", f"write report {self.output_path}: {err}") from err


class S3Files:
    """Environment-driven S3 input and output; boto3 lives in s3io."""

    def __init__(self, environ: Mapping[str, str], lenient: bool = False) -> None:
        """lenient: only to write the report of a configuration error (OUTPUT_BUCKET and INPUT_KEY, which
        name the report, must be set; a bad AWS_MAX_ATTEMPTS falls back to 5)."""
        required = ("INPUT_KEY", "OUTPUT_BUCKET") if lenient else ("INPUT_BUCKET", "INPUT_KEY", "OUTPUT_BUCKET")
        missing = [n for n in required if not environ.get(n)]
        if missing:
            raise UsageError("missing_configuration",
                             f"set {', '.join(missing)} (or run locally with --input FILE --output FILE)")
        from . import s3io  # imported here so local mode needs no boto3

        self.s3io = s3io
        try:
            attempts = int(environ.get("AWS_MAX_ATTEMPTS") or 5)
        except ValueError as err:
            if not lenient:
                raise UsageError("invalid_setting",
                                 f"AWS_MAX_ATTEMPTS={environ['AWS_MAX_ATTEMPTS']!r} is not a number") from err
            attempts = 5
        self.client = s3io.client(attempts)
        self.bucket, self.key = environ.get("INPUT_BUCKET") or None, environ["INPUT_KEY"]
        self.out_bucket = environ["OUTPUT_BUCKET"]
        self.prefix = environ.get("OUTPUT_PREFIX", DEFAULT_OUTPUT_PREFIX)
        self.input_info: dict[str, Any] = {"bucket": self.bucket, "key": self.key}

    @property
    def output(self) -> str:
        return f"s3://{self.out_bucket}/{output_key(self.input_info['key'], self.prefix)}"

    def fetch(self, work_dir: str, settings: Settings, log: JsonLog) -> str:
        obj = self.s3io.resolve_input(self.client, self.bucket, self.key)
        self.input_info.update(key=obj.key, size_bytes=obj.size, etag=obj.etag)
        if obj.decoded:
            self.input_info["given_key"] = obj.given_key
            # The report goes next to the key actually used, not the one `start` announced.
            log("input_key_decoded", given_key=obj.given_key, key=obj.key, output=self.output,
                message="the key as given does not exist; using its URL-decoded form (and it names the report)")
        free = shutil.disk_usage(work_dir).free
        if free < obj.size + DISK_HEADROOM:
            raise InfraError("disk_full", f"download input s3://{obj.bucket}/{obj.key}: {obj.size} bytes do not fit "
                             f"in {work_dir} ({free} bytes free); raise the task's ephemeral storage")
        path = os.path.join(work_dir, "input.csv")

        def progress(done: int) -> None:
            log("progress", phase="download", bytes_done=done, bytes_total=obj.size,
                percent=round(100 * done / max(obj.size, 1), 1))

        self.s3io.download(self.client, obj, path, self.s3io.ByteProgress(progress, settings.progress_seconds))
        return path

    def write(self, body: bytes) -> None:
        self.s3io.put_report(self.client, self.out_bucket, output_key(self.input_info["key"], self.prefix), body)


def build_report(*, files, settings: Settings | None, timings: dict, result: dict | None = None,
                 error: AnalyzerError | None = None) -> dict[str, Any]:
    import duckdb

    details = dict(error.details) if error else {}
    problems = (result or {}).get("problems") or details.pop("problems", None)
    # what the profile actually used (its memory limit follows the column count), else the settings
    engine = (result or {}).get("engine") or details.pop("engine", None) or ({
        "threads": settings.threads, "memory_limit_bytes": settings.memory_limit_bytes} if settings else {})
    status = "ok" if error is None else "invalid_configuration" if isinstance(error, UsageError) else "unusable_input"
    return {
        "analyzer_version": __version__,
        "status": status,
        "error": None if error is None else {"code": error.code, "message": error.message, **details},
        "input": files.input_info,
        "row_count": (result or {}).get("row_count"),
        "column_count": (result or {}).get("column_count"),
        "columns": (result or {}).get("columns", []),
        "problems": problems,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "engine": {"name": "duckdb", "version": duckdb.__version__, **engine},
    }


def encode(report: dict) -> bytes:
    return (json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m analyzer", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", help="local CSV file (development); without it, S3 settings come from the environment")
    p.add_argument("--output", help="where to write the JSON report (with --input)")
    p.add_argument("--version", action="version", version=__version__)
    args = p.parse_args(argv)
    if bool(args.input) != bool(args.output):
        p.error("--input and --output go together")
    return args


def run(args: argparse.Namespace, environ: Mapping[str, str], log: JsonLog) -> int:
    started = time.monotonic()
    timings: dict[str, float] = {}
    try:
        settings = from_env(environ)
        files = LocalFiles(args.input, args.output) if args.input else S3Files(environ)
    except UsageError as err:
        return configuration_error(args, environ, err, log)

    log("start", version=__version__, input=dict(files.input_info), output=files.output, threads=settings.threads,
        memory_limit_bytes=settings.memory_limit_bytes)
    result: dict | None = None
    unusable: UnusableInput | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="analyzer-", dir=settings.tmp_dir) as work_dir:
            t = time.monotonic()
            path = files.fetch(work_dir, settings, log)
            timings["download_seconds"] = time.monotonic() - t
            t = time.monotonic()
            try:
                from .profile import profile_csv

                result = profile_csv(path, settings, work_dir, on_progress=lambda p: log("progress", **p))
            finally:
                timings["profile_seconds"] = time.monotonic() - t
    except UnusableInput as err:
        _stop_if_terminated()
        unusable = err
    except AnalyzerError as err:
        _stop_if_terminated()
        log("error", level="error", code=err.code, message=err.message, exit_code=int(err.exit_status))
        return err.exit_status
    except OSError as err:  # the temp directory itself
        _stop_if_terminated()
        log("error", level="error", code="local_io", message=f"temporary directory in {settings.tmp_dir}: {err}",
            exit_code=int(ExitStatus.INFRA_FAILURE))
        return ExitStatus.INFRA_FAILURE

    _stop_if_terminated()  # a signal DuckDB swallowed (e.g. in the sampling query): write nothing
    timings["total_seconds"] = time.monotonic() - started
    report = build_report(files=files, settings=settings, timings=timings, result=result, error=unusable)
    try:
        files.write(encode(report))
    except AnalyzerError as err:
        if unusable:
            log("error", level="error", code=unusable.code, message=unusable.message,
                exit_code=int(ExitStatus.INFRA_FAILURE))
        log("error", level="error", code=err.code, message=err.message, exit_code=int(err.exit_status))
        return err.exit_status

    if unusable:
        log("error", level="error", code=unusable.code, message=unusable.message, report=files.output,
            exit_code=int(unusable.exit_status))
        return unusable.exit_status
    size = files.input_info.get("size_bytes") or 0
    problems = report["problems"] or {}
    log("result", report=files.output, rows=report["row_count"], columns=report["column_count"],
        malformed_rows=problems.get("malformed_rows", 0), warnings=[w["code"] for w in problems.get("warnings", [])],
        bytes=size, seconds=round(timings["total_seconds"], 3),
        mb_per_s=round(size / 1e6 / max(timings["profile_seconds"], 1e-9), 1), threads=report["engine"]["threads"],
        memory_limit_bytes=report["engine"]["memory_limit_bytes"], exit_code=0)
    return ExitStatus.OK


class Terminated(BaseException):
    """SIGTERM (ECS stopping the task): unwind through every `with`/`finally` (the temporary directory is
    removed), write no report, exit 128 + the signal number. A BaseException, so no error handler takes it
    for a failure of the run."""


_terminated_by: int | None = None  # the signal number, once one arrived


def configuration_error(args: argparse.Namespace, environ: Mapping[str, str], err: UsageError, log: JsonLog) -> int:
    """Exit 2, and a report (status invalid_configuration) wherever the report would have gone, when that
    is known: --output locally; OUTPUT_BUCKET and INPUT_KEY (its name) in S3 mode. Without them there is
    no report, only the error line. Writing the report can fail like any other (exit 1)."""
    try:
        files = LocalFiles(args.input, args.output) if args.input else S3Files(environ, lenient=True)
    except UsageError:
        log("error", level="error", code=err.code, message=err.message, report=None,
            exit_code=int(err.exit_status))
        return err.exit_status
    report = build_report(files=files, settings=None, timings={}, error=err)
    try:
        files.write(encode(report))
    except AnalyzerError as write_err:
        log("error", level="error", code=err.code, message=err.message, exit_code=int(ExitStatus.INFRA_FAILURE))
        log("error", level="error", code=write_err.code, message=write_err.message,
            exit_code=int(write_err.exit_status))
        return write_err.exit_status
    log("error", level="error", code=err.code, message=err.message, report=files.output,
        exit_code=int(err.exit_status))
    return err.exit_status


def _terminate(signum: int, frame: Any) -> None:
    global _terminated_by
    if _terminated_by is None:  # a second signal must not interrupt the cleanup the first one started
        _terminated_by = signum
        raise Terminated(signum)


def _stop_if_terminated() -> None:
    """DuckDB turns the signal handler's exception into its own ("Query interrupted"); a failure that
    follows a signal is the signal's doing, not the input's or the infrastructure's."""
    if _terminated_by is not None:
        raise Terminated(_terminated_by)


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None,
         stdout: IO[str] | None = None) -> int:
    log = JsonLog(stdout)
    args = parse_args(argv)
    try:
        try:
            return int(run(args, os.environ if environ is None else environ, log))
        except Exception:
            _stop_if_terminated()
            raise
    except Terminated as stop:
        signum = stop.args[0]
        log("terminated", level="warning", signal=signal.Signals(signum).name,
            message="stopped by a signal before the end; no report was written", exit_code=128 + signum)
        return 128 + signum
    except Exception as err:  # a bug: still one JSON line, and exit 1
        log("error", level="error", code="internal_error", message=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(), exit_code=int(ExitStatus.INFRA_FAILURE))
        return ExitStatus.INFRA_FAILURE


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(main())

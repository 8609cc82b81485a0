"""Exit codes and the error types every layer raises.

Only ``generator.cli.main`` turns these into output and an exit code (one place decides exit codes, as httpie's and Copilot's CLIs do):
spec and usage problems exit 2, a check that does not hold exits 1, a bug of ours 70.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    CHECK_FAILED = 1  # lint findings, stale templates, no match, deploy failed
    BAD_INPUT = 2  # bad spec, bad arguments: a clear message, never a traceback
    INTERNAL_ERROR = 70  # a bug of ours (EX_SOFTWARE in sysexits.h); --debug shows the traceback


class BatchjobsError(Exception):
    """Base of every error the CLI reports as one clean message."""

    exit_status = ExitStatus.CHECK_FAILED


class UsageError(BatchjobsError):
    """The command line or an input file given on it is wrong."""

    exit_status = ExitStatus.BAD_INPUT


class CheckFailed(BatchjobsError):
    """The thing checked is not so: lint findings, stale templates, no match."""

    exit_status = ExitStatus.CHECK_FAILED


class AwsError(BatchjobsError):
    """An AWS call failed; the message says which call and why."""

    exit_status = ExitStatus.CHECK_FAILED


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec, located as precisely as we can."""

    file: str
    path: str  # dotted field path, e.g. "jobs.report.cpu"; "" for the whole file
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SpecError(BatchjobsError):
    """A job spec is invalid. Carries every problem found, in file order."""

    exit_status = ExitStatus.BAD_INPUT

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str, path: str, message: str, line: int | None = None, column: int | None = None):
        return cls([Problem(file, path, message, line, column)])

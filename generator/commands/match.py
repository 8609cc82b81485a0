"""``batchjobs match PATTERN EVENT``: does the event match the pattern, as EventBridge decides it?"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

HELP = "test an event against an event pattern: exit 0 'match', 1 'no match', 2 invalid pattern"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pattern", metavar="PATTERN", help="event pattern JSON file, or - for stdin")
    parser.add_argument("event", metavar="EVENT", help="event JSON file, or - for stdin")


def run(args: argparse.Namespace, io) -> int:
    from ..eventbridge.pattern import PatternError, matches, validate_pattern

    if args.pattern == "-" and args.event == "-":
        raise UsageError("only one of PATTERN and EVENT can be read from stdin (-)")
    pattern_text = _read(args.pattern, io, "pattern")
    try:
        validate_pattern(pattern_text)
    except PatternError as err:
        raise UsageError(f"invalid pattern {_name(args.pattern)}: {err}") from err
    event = _json(_read(args.event, io, "event"), args.event, "event")
    if not isinstance(event, dict):
        raise UsageError(f"event {_name(args.event)}: an event must be a JSON object")
    try:
        matched = matches(pattern_text, event)
    except RecursionError as err:
        raise UsageError(f"event {_name(args.event)} is nested too deeply to match") from err
    if matched:
        io.out("match")
        return 0
    io.out("no match")
    return 1


def _name(source: str) -> str:
    return "<stdin>" if source == "-" else source


def _read(source: str, io, what: str) -> str:
    try:
        return io.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise UsageError(
            f"cannot read {what} {_name(source)}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset "
            f"{err.start}); JSON must be UTF-8") from err
    except OSError as err:
        raise UsageError(f"cannot read {what} {source}: {err.strerror or err}") from err


def _json(text: str, source: str, what: str):
    from ..eventbridge.pattern import loads_json

    try:
        return loads_json(text)  # strict JSON (no NaN, Infinity or 1e400); duplicate keys: the last wins
    except RecursionError as err:
        raise UsageError(f"{what} {_name(source)} is nested too deeply to read") from err
    except ValueError as err:  # json.JSONDecodeError included
        raise UsageError(f"{what} {_name(source)} is not valid JSON: {err}") from err

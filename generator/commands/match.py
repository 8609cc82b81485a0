"""``batchjobs match PATTERN EVENT``: does the event match the pattern, as EventBridge decides it?"""

from __future__ import annotations

import argparse

from ..errors import UsageError
from . import parse_json, read_input, source_name

HELP = "test an event against an event pattern: exit 0 'match', 1 'no match', 2 invalid pattern"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pattern", metavar="PATTERN", help="event pattern JSON file, or - for stdin")
    parser.add_argument("event", metavar="EVENT", help="event JSON file, or - for stdin")


def run(args: argparse.Namespace, io) -> int:
    from ..eventbridge.pattern import PatternError, matches, validate_pattern

    if args.pattern == "-" and args.event == "-":
        raise UsageError("only one of PATTERN and EVENT can be read from stdin (-)")
    pattern_text = read_input(args.pattern, io, "pattern")
    try:
        validate_pattern(pattern_text)
    except PatternError as err:
        raise UsageError(f"invalid pattern {source_name(args.pattern)}: {err}") from err
    event = parse_json(read_input(args.event, io, "event"), args.event, "event")
    if not isinstance(event, dict):
        raise UsageError(f"event {source_name(args.event)}: an event must be a JSON object")
    try:
        matched = matches(pattern_text, event)
    except RecursionError as err:
        raise UsageError(f"event {source_name(args.event)} is nested too deeply to match") from err
    if matched:
        io.out("match")
        return 0
    io.out("no match")
    return 1


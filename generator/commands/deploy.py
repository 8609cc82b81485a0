"""`batchjobs deploy CONFIG|TEMPLATE`: a change-set deploy, like `aws cloudformation deploy`.

Differences from the AWS CLI: unknown --parameter-overrides keys are an error; the image parameters
`batchjobs publish` recorded (.batchjobs/images.json) are used unless overridden; any other parameter
with a Default keeps the stack's value unless the Default changed since the deployed template (the
spec's `image:` changed: the new one is sent); a config file is generated (and must lint clean) before
it is deployed; an environment's stack (a spec with `--env`, or its template, whose Metadata names the
environment) is deployed only with credentials of the environment's account, in its Region.

This module parses arguments and prints; what to send is worked out in generator.template.parameters
(pure) and CloudFormation is driven by generator.aws.deployer.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from ..errors import CheckFailed, UsageError
from ..template.quotas import MAX_TEMPLATE_BODY

HELP = "create or update a stack through a change set (like `aws cloudformation deploy`)"
DEFAULT_TIMEOUT = "30m"
MAX_TIMEOUT = 24 * 3600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import IMAGES_FILE

    parser.add_argument("source", type=Path, metavar="CONFIG|TEMPLATE", help="a job spec (generated first) or a template")
    parser.add_argument("--stack-name", help="stack to create or update (default: the spec's stack, or the template's file name)")
    parser.add_argument("--env", metavar="NAME", help="the environment to deploy, for a spec with `environments` (required "
                                                      "there): its stack <stack>-<env>, in its account and Region only")
    parser.add_argument("--parameter-overrides", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
                        help="template parameter values; keys the template does not declare are an error")
    parser.add_argument("--no-execute-changeset", action="store_true", help="create the change set and show it; change nothing")
    parser.add_argument("--s3-bucket", help=f"bucket to upload templates over {MAX_TEMPLATE_BODY} bytes to")
    parser.add_argument("--images-file", type=Path,
                        help=f"image parameters written by `batchjobs publish` (default: {IMAGES_FILE}, with --env "
                             f"{IMAGES_FILE.parent}/<env>/{IMAGES_FILE.name})")
    parser.add_argument("--timeout", default=DEFAULT_TIMEOUT, metavar="DURATION",
                        help=f"give up waiting after this long, exit 1 (90s, 30m, 2h, at most 24h; a bare number is seconds, as in "
                             f"the spec; default {DEFAULT_TIMEOUT})")
    add_aws_arguments(parser)


# ---------------------------------------------------------------------------------------------
# input

# a spec's top-level `jobs:` key: a file the template reader refuses that has one is a spec with a problem,
# for the spec loader to explain (e.g. a duplicate key, with its line and the key first set)
_SPEC_JOBS = re.compile(r"^jobs\s*:", re.MULTILINE)


def load_source(path: Path, io, env: str | None = None) -> tuple[str, dict[str, Any], str | None, Any]:
    """(template text, parsed template, stack name from the spec or the template's environment or None, the
    ``Environment`` the template is for or None)."""
    from ..model.environments import Environment

    from ..template.parameters import read_deployable

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    text = path.read_text(encoding="utf-8")
    try:
        data: dict[str, Any] | None = read_deployable(text, str(path))
    except UsageError:
        if not _SPEC_JOBS.search(text):
            raise
        data = None  # a spec the template reader refuses: load_spec says what is wrong with it
    if data is not None and "Resources" in data:
        target = Environment.from_metadata(data)  # templates/<env>/<stack>.yaml says which environment it is
        if env is not None and (target is None or target.name != env):
            made_for = f"is the template of environment {target.name}" if target else "is a template of no environment"
            raise UsageError(f"--env {env}: {path} {made_for}")
        return text, data, target.stack_name if target else None, target
    if data is not None and "jobs" not in data:
        raise UsageError(f"{path}: neither a template (no Resources) nor a job spec (no jobs)")
    from ..pipeline import generate_one
    from ..plan import load_spec

    generated = generate_one(path, load_spec(path, env=env))
    for warning in generated.warnings:
        io.err(f"warning: {path}: {warning}")
    for note in generated.notes:
        io.err("note: " + note.format(f"(generated from {path})"))
    if generated.findings:
        for finding in generated.findings:
            io.err(finding.format(f"(generated from {path})"))
        raise CheckFailed(f"deploy {generated.spec.stack}: the generated template has {len(generated.findings)} lint finding(s)")
    spec = generated.spec
    return generated.text, read_deployable(generated.text, str(path)), spec.stack, spec.environment


def check_target(aws, env, stack: str) -> None:
    """The caller's account and Region must be the environment's: exit 2 naming both otherwise."""
    from ..aws.sts import caller_account
    from ..model.environments import target_mismatch

    account = caller_account(aws) if env.account is not None else ""
    wrong = target_mismatch(env, account, aws.region)
    if wrong:
        raise UsageError(f"deploy {stack}: {wrong}; nothing was changed (use the environment's credentials, "
                         "or --profile / --region)")


def parse_timeout(text: str) -> int:
    """--timeout in seconds, read as the spec reads a duration (``parse_duration_seconds``): `90s`, `30m`,
    `2h`, or a bare number of seconds; from 1s to MAX_TIMEOUT."""
    from ..model.checks import parse_duration_seconds

    value: str | int = text.strip()
    if value.isascii() and value.isdigit():  # a YAML number in a spec; on the command line, digits
        value = int(value)
    try:
        return parse_duration_seconds(value, minimum=1, maximum=MAX_TIMEOUT, what="--timeout")
    except ValueError as err:
        raise UsageError(f"--timeout {text}: {err}") from None


# ---------------------------------------------------------------------------------------------
# output


def change_rows(changes: list[dict[str, Any]]) -> list[str]:
    rows = []
    for change in changes:
        rc = change.get("ResourceChange", {})
        replacement = rc.get("Replacement")
        note = "  (replacement)" if replacement == "True" else "  (may be replaced)" if replacement == "Conditional" else ""
        rows.append(f"  {rc.get('Action', '?'):<8} {rc.get('ResourceType', ''):<28} {rc.get('LogicalResourceId', '')}{note}")
    return rows


# ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, io) -> int:
    from ..aws.deployer import Deployer
    from ..aws.session import Aws
    from ..locate import images_file, read_images
    from ..template.parameters import capabilities, parse_overrides, stack_parameters

    timeout = parse_timeout(args.timeout)
    text, template, default_stack, environment = load_source(args.source, io, args.env)
    stack = args.stack_name or default_stack or args.source.stem
    declared = template.get("Parameters") or {}
    overrides = parse_overrides(args.parameter_overrides, declared)
    args.images_file = images_file(args.images_file, environment.name if environment else None)
    published = {k: v for k, v in read_images(args.images_file).items() if k in declared}

    size = len(text.encode("utf-8"))
    if size > MAX_TEMPLATE_BODY and not args.s3_bucket:
        raise UsageError(f"deploy {stack}: the template is {size} bytes, over CloudFormation's {MAX_TEMPLATE_BODY}: pass --s3-bucket")

    aws = Aws.from_args(args)
    if environment is not None:
        check_target(aws, environment, stack)  # before anything is read, created or changed
    deployer = Deployer(aws, stack, io.err, timeout)
    state = deployer.state()
    resolved = stack_parameters(declared, overrides, published, state.previous, deployer.deployed_defaults,
                                args.images_file, stack)
    for note in resolved.notes:
        io.err(note)

    change_set = deployer.change_set(state, text, resolved.parameters, capabilities(template),
                                     source=str(args.source), s3_bucket=args.s3_bucket)
    if change_set is None:
        io.out(f"{stack}: no changes")
        return 0
    rows = change_rows(change_set.changes)
    if args.no_execute_changeset:
        io.out(f"{stack}: change set {change_set.id} ({len(rows)} change(s)), not executed:")
        for row in rows:
            io.out(row)
        return 0
    io.err(f"{stack}: {len(rows)} change(s):")
    for row in rows:
        io.err(row)

    outcome = deployer.execute(change_set)
    if not outcome.succeeded:
        io.err(f"{stack}: {outcome.status}; what failed:")
        for event in outcome.failed:
            io.err(f"  {event.get('LogicalResourceId')} ({event.get('ResourceType')}): "
                   f"{event.get('ResourceStatusReason') or 'no reason given'}")
        first = outcome.failed[0] if outcome.failed else None
        why = f"{first.get('LogicalResourceId')}: {first.get('ResourceStatusReason')}" if first else "see the events above"
        raise CheckFailed(f"deploy {stack}: {outcome.status}: {len(outcome.failed)} resource(s) failed; first: {why}")

    io.out(f"{stack}: {outcome.status}")
    for output in deployer.outputs():
        io.out(f"  {output['OutputKey']} = {output.get('OutputValue', '')}")
    return 0

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CheckFailed, UsageError
from ..template.quotas import MAX_TEMPLATE_BODY

HELP = "create or update a stack through a change set (like `aws cloudformation deploy`)"
DEFAULT_TIMEOUT = "30m"
MAX_TIMEOUT = 24 * 3600
# Job stacks of a split spec deployed at once: each is its own CloudFormation stack, so they may run
# together; a few at a time keep the API calls (polling every 2 s each) within CloudFormation's request
# throttling. Our choice, not an AWS limit.
DEFAULT_CONCURRENT = 4
MAX_CONCURRENT = 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import IMAGES_FILE

    parser.add_argument("source", type=Path, metavar="CONFIG|TEMPLATE", help="a job spec (generated first) or a template")
    parser.add_argument("--stack-name", help="stack to create or update (default: the spec's stack, or the template's file name)")
    parser.add_argument("--forwarder", metavar="ACCOUNT",
                        help="deploy the spec's forwarder for this producer account (from_account) instead of its stack, "
                             "with that account's credentials (--profile); checked before any change (default stack name "
                             "<stack>-forwarder)")
    parser.add_argument("--env", metavar="NAME", help="the environment to deploy, for a spec with `environments` (required "
                                                      "there): its stack <stack>-<env>, in its account and Region only")
    parser.add_argument("--parameter-overrides", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
                        help="template parameter values; keys the template does not declare are an error")
    parser.add_argument("--no-execute-changeset", action="store_true", help="create the change set and show it; change nothing")
    parser.add_argument("--s3-bucket", help=f"bucket to upload templates over {MAX_TEMPLATE_BODY} bytes to")
    parser.add_argument("--max-concurrent", type=int, default=DEFAULT_CONCURRENT, metavar="N",
                        help=f"a split spec's job stacks deployed at once, after its shared stack (default {DEFAULT_CONCURRENT})")
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


@dataclass(frozen=True)
class Source:
    """One stack to deploy: its name, template text and parsed template."""

    stack: str
    text: str
    template: dict[str, Any]
    shared: bool = False  # a split spec's shared stack
    environment: Any = None  # the ``Environment`` it is for: deployed only in its account and Region


def load_sources(path: Path, io, stack_name: str | None, env: str | None = None) -> tuple[list[Source], bool]:
    """The stacks ``path`` deploys as, in order, and whether they are a split spec's (shared stack first,
    then one per job): a template is one stack; a spec is generated first (it must lint clean). ``env``: the
    environment of a spec with `environments` (a template says which one it is for)."""
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
        return [Source(stack_name or (target.stack_name if target else path.stem), text, data, environment=target)], False
    if data is not None and "jobs" not in data:
        raise UsageError(f"{path}: neither a template (no Resources) nor a job spec (no jobs)")
    from ..pipeline import generate_stacks
    from ..plan import load_spec

    spec = load_spec(path, env=env)
    split = spec.split == "per_job"
    if split and stack_name and stack_name != spec.stack:
        raise UsageError(f"--stack-name {stack_name}: {path} is split into stacks {spec.stack} and {spec.stack}-<job>, "
                         "named by the spec: deploy it without --stack-name (or deploy one template of templates/)")
    generated = generate_stacks(path, spec)
    said: set[str] = set()
    for item in generated:
        for warning in item.warnings:
            if warning not in said:
                said.add(warning)
                io.err(f"warning: {path}: {warning}")
        for note in item.notes:
            io.err("note: " + note.format(f"(generated from {path})"))
    findings = [(item, finding) for item in generated for finding in item.findings]
    if findings:
        for item, finding in findings:
            io.err(finding.format(f"({item.filename}, generated from {path})" if split else f"(generated from {path})"))
        raise CheckFailed(f"deploy {spec.stack}: the generated template has {len(findings)} lint finding(s)")
    return [Source(stack_name if stack_name and not split else item.stack_name, item.text,
                   read_deployable(item.text, str(path)), split and item.stack_name == spec.stack, spec.environment)
            for item in generated], split


def load_forwarder(path: Path, producer: str, io) -> tuple[str, dict[str, Any], str]:
    """(forwarder template text, parsed template, its default stack name) of the spec's forwarder for
    ``producer`` (generate's templates/forwarders/<stack>-<producer>.yaml), lint-clean."""
    from ..pipeline import generate_one
    from ..plan import load_spec
    from ..template.parameters import read_deployable

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if not _SPEC_JOBS.search(path.read_text(encoding="utf-8")):
        raise UsageError(f"--forwarder {producer}: {path} is not a job spec (the forwarder is generated from the spec)")
    generated = generate_one(path, load_spec(path))
    by_producer = {f.producer: f for f in generated.forwarders}
    if producer not in by_producer:
        known = ", ".join(by_producer) or "none: no trigger has from_account"
        raise UsageError(f"--forwarder {producer}: stack {generated.spec.stack} has no trigger from that account "
                         f"(its producers: {known})")
    forwarder = by_producer[producer]
    for note in forwarder.notes:
        io.err("note: " + note.format(f"(forwarder generated from {path})"))
    if forwarder.findings:
        for finding in forwarder.findings:
            io.err(finding.format(f"(forwarder generated from {path})"))
        raise CheckFailed(f"deploy {forwarder.stack_name}: the forwarder has {len(forwarder.findings)} lint finding(s)")
    return forwarder.text, read_deployable(forwarder.text, str(path)), forwarder.stack_name


def check_producer_account(aws, producer: str) -> None:
    """The credentials are the producer's (its account, or an account of its organization), or nothing is
    changed: a forwarder deployed elsewhere would forward another account's events."""
    from ..aws.identity import caller_account, caller_organization

    account = caller_account(aws)
    if producer.startswith("o-"):
        organization = caller_organization(aws)
        if organization != producer:
            where = f"in organization {organization}" if organization else "in no organization"
            raise UsageError(f"deploy --forwarder {producer}: the credentials are of account {account}, {where}, not "
                             f"in {producer}: use a profile of an account in {producer} (--profile)")
    elif account != producer:
        raise UsageError(f"deploy --forwarder {producer}: the credentials are of account {account}, not the producer "
                         f"account {producer}: use that account's profile (--profile)")


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
    from ..locate import images_file

    timeout = parse_timeout(args.timeout)
    if not 1 <= args.max_concurrent <= MAX_CONCURRENT:
        raise UsageError(f"--max-concurrent {args.max_concurrent}: from 1 to {MAX_CONCURRENT}")
    if args.forwarder:
        text, template, spec_stack = load_forwarder(args.source, args.forwarder, io)
        sources, split = [Source(args.stack_name or spec_stack or args.source.stem, text, template)], False
    else:
        sources, split = load_sources(args.source, io, args.stack_name, args.env)
    environment = sources[0].environment
    args.images_file = images_file(args.images_file, environment.name if environment else None)
    for source in sources:  # every stack's size before any is deployed
        size = len(source.text.encode("utf-8"))
        if size > MAX_TEMPLATE_BODY and not args.s3_bucket:
            raise UsageError(f"deploy {source.stack}: the template is {size} bytes, over CloudFormation's {MAX_TEMPLATE_BODY}: "
                             "pass --s3-bucket")
    if not split:
        deploy_stack(args, io, sources[0], timeout, producer=args.forwarder)
        return 0
    return deploy_split(args, io, sources, timeout)


def deploy_split(args: argparse.Namespace, io, sources: list[Source], timeout: int) -> int:
    """A split spec: its shared stack, then its job stacks, at most --max-concurrent at once (aws/fleet.py); a
    stack whose template and parameters equal the deployed ones is skipped. The deploy fails naming every
    job stack that failed."""
    from ..aws.fleet import SerializedOutput, deploy_in_order

    io = SerializedOutput(io)
    shared = next((source for source in sources if source.shared), None)  # none when the jobs share nothing
    jobs = [source for source in sources if not source.shared]
    failed = deploy_in_order(
        shared, jobs, lambda source: deploy_stack(args, io, source, timeout, skip_unchanged=True),
        max_concurrent=args.max_concurrent, failed=lambda source, err: io.err(f"error: {err}"),
    )
    if failed:
        names = ", ".join(sorted(source.stack for source in failed))
        raise CheckFailed(f"deploy: {len(failed)} of {len(jobs)} job stack(s) failed: {names}")
    io.out(f"{len(sources)} stack(s) deployed")
    return 0


def deploy_stack(args: argparse.Namespace, io, source: Source, timeout: int, *, skip_unchanged: bool = False,
                 producer: str | None = None) -> None:
    """Create or update one stack through a change set; CheckFailed when it fails. ``producer``: a forwarder's
    stack, deployed only with credentials of that account (or organization), checked before anything else."""
    from ..aws.deployer import Deployer
    from ..aws.session import Aws
    from ..locate import read_images
    from ..template.parameters import capabilities, parse_overrides, stack_parameters

    text, template, stack = source.text, source.template, source.stack
    declared = template.get("Parameters") or {}
    overrides = parse_overrides(args.parameter_overrides, declared)
    published = {k: v for k, v in read_images(args.images_file).items() if k in declared}

    aws = Aws.from_args(args)
    if producer is not None:
        check_producer_account(aws, producer)
    if source.environment is not None:
        check_target(aws, source.environment, stack)  # before anything is read, created or changed
    deployer = Deployer(aws, stack, io.err, timeout)
    state = deployer.state()
    resolved = stack_parameters(declared, overrides, published, state.previous, deployer.deployed_defaults,
                                args.images_file, stack)
    for note in resolved.notes:
        io.err(note)
    if skip_unchanged and deployer.runs(state, text, resolved.parameters):
        io.out(f"{stack}: no changes")
        return

    change_set = deployer.change_set(state, text, resolved.parameters, capabilities(template),
                                     source=str(args.source), s3_bucket=args.s3_bucket)
    if change_set is None:
        io.out(f"{stack}: no changes")
        return
    rows = change_rows(change_set.changes)
    if args.no_execute_changeset:
        io.out(f"{stack}: change set {change_set.id} ({len(rows)} change(s)), not executed:")
        for row in rows:
            io.out(row)
        return
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

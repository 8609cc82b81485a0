"""`batchjobs deploy CONFIG|TEMPLATE`: a change-set deploy, like `aws cloudformation deploy`.

Differences from the AWS CLI: unknown --parameter-overrides keys are an error; the image parameters
`batchjobs publish` recorded (.batchjobs/images.json) are used unless overridden; any other parameter
with a Default keeps the stack's value unless the Default changed since the deployed template (the
spec's `image:` changed: the new one is sent); a config file is generated (and must lint clean) before
it is deployed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..errors import CheckFailed, UsageError

HELP = "create or update a stack through a change set (like `aws cloudformation deploy`)"
MAX_TEMPLATE_BODY = 51_200  # bytes CloudFormation takes inline; larger templates go through S3
POLL_SECONDS = 2.0
DEFAULT_TIMEOUT = "30m"
CHANGE_SET_PREFIX = "batchjobs-"
MAX_TIMEOUT = 24 * 3600
_clock = time.monotonic  # the deadline's clock (tests replace it)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..aws import add_aws_arguments
    from ..locate import IMAGES_FILE

    parser.add_argument("source", type=Path, metavar="CONFIG|TEMPLATE", help="a job spec (generated first) or a template")
    parser.add_argument("--stack-name", help="stack to create or update (default: the spec's stack, or the template's file name)")
    parser.add_argument("--parameter-overrides", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
                        help="template parameter values; keys the template does not declare are an error")
    parser.add_argument("--no-execute-changeset", action="store_true", help="create the change set and show it; change nothing")
    parser.add_argument("--s3-bucket", help=f"bucket to upload templates over {MAX_TEMPLATE_BODY} bytes to")
    parser.add_argument("--images-file", type=Path, default=IMAGES_FILE,
                        help=f"image parameters written by `batchjobs publish` (default: {IMAGES_FILE})")
    parser.add_argument("--timeout", default=DEFAULT_TIMEOUT, metavar="DURATION",
                        help=f"give up waiting after this long, exit 1 (90s, 30m, 2h, at most 24h; a bare number is seconds, as in "
                             f"the spec; default {DEFAULT_TIMEOUT})")
    add_aws_arguments(parser)


# ---------------------------------------------------------------------------------------------
# input


def parse_template(text: str, source: str) -> dict[str, Any]:
    """A template's structure (JSON or YAML with short-form tags such as !Ref, read as plain values)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def any_tag(loader, _suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    Loader.add_multi_constructor("!", any_tag)
    try:
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        raise UsageError(f"{source}: not a YAML or JSON file: {err}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{source}: not a CloudFormation template or a job spec")
    return data


def load_source(path: Path, io) -> tuple[str, dict[str, Any], str | None]:
    """(template text, parsed template, stack name from the spec or None)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    text = path.read_text(encoding="utf-8")
    data = parse_template(text, str(path))
    if "Resources" in data:
        return text, data, None
    if "jobs" not in data:
        raise UsageError(f"{path}: neither a template (no Resources) nor a job spec (no jobs)")
    from ..pipeline import generate_one
    from ..model import load_spec

    generated = generate_one(path, load_spec(path))
    for warning in generated.warnings:
        io.err(f"warning: {path}: {warning}")
    for note in generated.notes:
        io.err("note: " + note.format(f"(generated from {path})"))
    if generated.findings:
        for finding in generated.findings:
            io.err(finding.format(f"(generated from {path})"))
        raise CheckFailed(f"deploy {generated.spec.stack}: the generated template has {len(generated.findings)} lint finding(s)")
    return generated.text, parse_template(generated.text, str(path)), generated.spec.stack


def parse_overrides(items: list[str], declared: dict[str, Any]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--parameter-overrides {item}: write KEY=VALUE")
        overrides[key] = value
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise UsageError(f"--parameter-overrides: the template has no parameter {', '.join(unknown)} (parameters: {allowed})")
    return overrides


def stack_parameters(declared: dict[str, Any], overrides: dict[str, str], published: dict[str, str],
                     previous: dict[str, str | None], deployed_defaults: Callable[[], dict[str, Any]],
                     images_file: Path, stack: str, io) -> list[dict[str, Any]]:
    """What to send for each parameter: an override, else the published image, else the template's Default
    where the stack has no value yet or the Default changed, else the stack's previous value.

    ``deployed_defaults()`` gives the Defaults of the template the stack was deployed from (called only if
    needed). A Default that is the deployed one (the spec's `image:` did not change) leaves the stack's value
    alone: an image published from another checkout (no images.json here, as in CI) or pinned with
    --parameter-overrides stays. A changed Default is sent, so a changed `image:` reaches the stack. A value
    that differs from the stack's is said, one line each."""
    parameters = []
    for name, declaration in declared.items():
        default = declaration.get("Default") if isinstance(declaration, dict) else None
        if name in overrides:
            value, source = overrides[name], "from --parameter-overrides"
        elif name in published:
            io.err(f"{name}={published[name]} (from {images_file})")
            value, source = published[name], f"from {images_file}"
        elif name in previous and (default is None or _same(deployed_defaults().get(name), default)):
            parameters.append({"ParameterKey": name, "UsePreviousValue": True})
            continue
        elif default is not None:
            value, source = str(default), "the template's default"
        else:
            raise UsageError(f"deploy {stack}: parameter {name} has no default: pass --parameter-overrides {name}=VALUE")
        if name in previous and previous[name] != value:
            io.err(f"{name}: {previous[name]} -> {value} ({source})")
        parameters.append({"ParameterKey": name, "ParameterValue": value})
    return parameters


def _same(deployed: Any, default: Any) -> bool:
    """Two Defaults as CloudFormation reads them (a YAML 1 and a "1" are one value)."""
    return deployed is not None and str(deployed) == str(default)


def template_defaults(body: str | dict[str, Any], stack: str) -> dict[str, Any]:
    """Parameter name -> Default of a deployed template (GetTemplate's body: text, or an already decoded dict)."""
    template = body if isinstance(body, dict) else parse_template(body, f"the template of stack {stack}")
    declared = template.get("Parameters") or {}
    return {name: d["Default"] for name, d in declared.items() if isinstance(d, dict) and "Default" in d}


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


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


def request_digest(text: str, parameters: list[dict[str, Any]], capabilities: list[str]) -> str:
    """What a change set was made from (template, parameters, capabilities), carried in its Description
    so that a later deploy can tell a reviewed change set of the same request from a stale one."""
    blob = json.dumps({"template": text, "parameters": parameters, "capabilities": capabilities}, sort_keys=True)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def settle_review(aws, stack: str, digest: str, io) -> dict[str, Any] | None:
    """A stack in REVIEW_IN_PROGRESS (created by `--no-execute-changeset`, never executed): the
    batchjobs change set made from this same request, to execute as reviewed; every other batchjobs
    change set of the stack is stale and deleted, so that a new one replaces it."""
    from ..aws import cloudformation as cfn

    ours = [cs for cs in cfn.list_change_sets(aws, stack) if str(cs.get("ChangeSetName", "")).startswith(CHANGE_SET_PREFIX)]
    reuse = next((cs for cs in ours if cs.get("Status") == "CREATE_COMPLETE" and cs.get("ExecutionStatus") == "AVAILABLE"
                  and digest in (cs.get("Description") or "")), None)
    for cs in ours:
        if cs is not reuse:
            cfn.delete_change_set(aws, stack, cs["ChangeSetId"])
            io.err(f"{stack}: deleted stale change set {cs['ChangeSetName']} (made from another template or parameters)")
    if reuse is not None:
        io.err(f"{stack}: using change set {reuse['ChangeSetName']}, made earlier from this same template and parameters")
    return reuse


def capabilities(template: dict[str, Any]) -> list[str]:
    """The IAM capabilities the template needs: named IAM resources need CAPABILITY_NAMED_IAM."""
    needed: set[str] = set()
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict):
            continue
        kind = str(resource.get("Type", ""))
        if kind.startswith("AWS::IAM::"):
            props = resource.get("Properties") or {}
            named = any(k in props for k in ("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"))
            needed.add("CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM")
        if kind in ("AWS::CloudFormation::Stack", "AWS::Serverless::Application"):
            needed.add("CAPABILITY_AUTO_EXPAND")
    if template.get("Transform"):
        needed.add("CAPABILITY_AUTO_EXPAND")
    return sorted(needed)


# ---------------------------------------------------------------------------------------------
# output


def _event_line(event: dict[str, Any]) -> str:
    stamp = event["Timestamp"].astimezone(timezone.utc).strftime("%H:%M:%S")
    reason = event.get("ResourceStatusReason") or ""
    line = f"{stamp}  {event.get('ResourceStatus', ''):<28} {event.get('ResourceType', ''):<28} {event.get('LogicalResourceId', '')}"
    return f"{line}  {reason}" if reason else line


def change_rows(change_set: dict[str, Any]) -> list[str]:
    rows = []
    for change in change_set.get("Changes", []):
        rc = change.get("ResourceChange", {})
        replacement = rc.get("Replacement")
        note = "  (replacement)" if replacement == "True" else "  (may be replaced)" if replacement == "Conditional" else ""
        rows.append(f"  {rc.get('Action', '?'):<8} {rc.get('ResourceType', ''):<28} {rc.get('LogicalResourceId', '')}{note}")
    return rows


def watch(aws, stack: str, after_event_id: str | None, total: int, io, deadline: float | None = None,
          timeout: float = 0) -> tuple[str, list[dict[str, Any]]]:
    """Print the stack's events as they come, with a progress line, until the stack settles; past
    ``deadline`` (of the ``_clock``) stop waiting: CheckFailed."""
    from ..aws import cloudformation as cfn

    seen: list[dict[str, Any]] = []
    done: set[str] = set()
    while True:
        events = cfn.stack_events(aws, stack, after_event_id)
        for event in events:
            io.err(_event_line(event))
            logical = event.get("LogicalResourceId")
            if logical and logical != stack and cfn.is_terminal(event.get("ResourceStatus", "")):
                done.add(logical)
        if events:
            after_event_id = events[-1]["EventId"]
            seen.extend(events)
        status = cfn.describe_stack(aws, stack)["StackStatus"]
        if total:
            io.err(f"[{min(len(done), total)}/{total} resources] {stack}: {status}")
        if cfn.is_terminal(status):
            return status, seen
        if deadline is not None and _clock() >= deadline:
            raise CheckFailed(
                f"deploy {stack}: still {status} after {_duration(timeout)} (--timeout): CloudFormation goes on without "
                f"us; follow it with `aws cloudformation describe-stack-events --stack-name {stack}` or in the console"
            )
        time.sleep(POLL_SECONDS)


# ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, io) -> int:
    from ..aws import cloudformation as cfn
    from ..aws.session import Aws
    from ..locate import read_images

    timeout = parse_timeout(args.timeout)
    text, template, spec_stack = load_source(args.source, io)
    stack = args.stack_name or spec_stack or args.source.stem
    declared = template.get("Parameters") or {}
    overrides = parse_overrides(args.parameter_overrides, declared)
    published = {k: v for k, v in read_images(args.images_file).items() if k in declared}

    body = text.encode("utf-8")
    if len(body) > MAX_TEMPLATE_BODY and not args.s3_bucket:
        raise UsageError(f"deploy {stack}: the template is {len(body)} bytes, over CloudFormation's {MAX_TEMPLATE_BODY}: pass --s3-bucket")

    aws = Aws.from_args(args)
    existing = cfn.describe_stack(aws, stack)
    status = existing["StackStatus"] if existing else None
    if status == "ROLLBACK_COMPLETE":
        raise CheckFailed(f"deploy {stack}: the stack is ROLLBACK_COMPLETE (its creation failed): delete it, then deploy again")
    if status and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise CheckFailed(f"deploy {stack}: the stack is {status}: wait until it settles")
    creating = status in (None, "REVIEW_IN_PROGRESS")
    previous = {} if creating else {p["ParameterKey"]: p.get("ParameterValue")
                                    for p in (existing or {}).get("Parameters", [])}
    deployed: list[dict[str, Any]] = []  # read once, when a parameter needs it

    def deployed_defaults() -> dict[str, Any]:
        if not deployed:
            deployed.append(template_defaults(cfn.original_template(aws, stack), stack))
        return deployed[0]

    parameters = stack_parameters(declared, overrides, published, previous, deployed_defaults, args.images_file, stack, io)

    needed = capabilities(template)
    digest = request_digest(text, parameters, needed)
    deadline = _clock() + timeout
    reviewed = settle_review(aws, stack, digest, io) if status == "REVIEW_IN_PROGRESS" else None
    if reviewed is not None:
        created = {"Id": reviewed["ChangeSetId"]}
    else:
        request: dict[str, Any] = dict(
            StackName=stack,
            ChangeSetName=CHANGE_SET_PREFIX + datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S"),
            ChangeSetType="CREATE" if creating else "UPDATE",
            Parameters=parameters,
            Capabilities=needed,
            Description=f"batchjobs deploy {str(args.source)[:900]} [{digest}]",
        )
        if len(body) > MAX_TEMPLATE_BODY:
            request["TemplateURL"] = cfn.upload_template(aws, args.s3_bucket, stack, text)
        else:
            request["TemplateBody"] = text

        io.err(f"{stack}: creating change set ({request['ChangeSetType']})")
        created = cfn.create_change_set(aws, **request)
        if created is None:
            io.out(f"{stack}: no changes")
            return 0
    change_set = cfn.wait_change_set(aws, stack, created["Id"], delay=POLL_SECONDS,
                                     timeout=max(1.0, deadline - _clock()))
    if cfn.is_no_changes(change_set):
        cfn.delete_change_set(aws, stack, created["Id"])
        io.out(f"{stack}: no changes")
        return 0
    if change_set["Status"] != "CREATE_COMPLETE":
        cfn.delete_change_set(aws, stack, created["Id"])
        raise CheckFailed(f"deploy {stack}: the change set failed: {change_set.get('StatusReason') or change_set['Status']}")

    rows = change_rows(change_set)
    if args.no_execute_changeset:
        io.out(f"{stack}: change set {created['Id']} ({len(rows)} change(s)), not executed:")
        for row in rows:
            io.out(row)
        return 0
    io.err(f"{stack}: {len(rows)} change(s):")
    for row in rows:
        io.err(row)

    marker = cfn.latest_event_id(aws, stack)
    cfn.execute_change_set(aws, stack, created["Id"])
    final, events = watch(aws, stack, marker, len(rows), io, deadline, timeout)
    if cfn.is_failure(final):
        failed = [e for e in events if e.get("ResourceStatus", "").endswith("_FAILED") and e.get("LogicalResourceId") != stack]
        io.err(f"{stack}: {final}; what failed:")
        for event in failed:
            io.err(f"  {event.get('LogicalResourceId')} ({event.get('ResourceType')}): {event.get('ResourceStatusReason') or 'no reason given'}")
        first = failed[0] if failed else None
        why = f"{first.get('LogicalResourceId')}: {first.get('ResourceStatusReason')}" if first else "see the events above"
        raise CheckFailed(f"deploy {stack}: {final}: {len(failed)} resource(s) failed; first: {why}")

    io.out(f"{stack}: {final}")
    outputs = cfn.describe_stack(aws, stack).get("Outputs") or []
    for output in sorted(outputs, key=lambda o: o["OutputKey"]):
        io.out(f"  {output['OutputKey']} = {output.get('OutputValue', '')}")
    return 0

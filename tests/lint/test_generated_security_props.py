"""Properties of the whole pipeline, on random specs built from strategies:

* a spec the model accepts generates a template with zero findings: cfn-lint (informational rules on)
  and our policy rules (generator/lint/rules), which includes the rendered RunTask overrides (E9101);
* a mutated spec is either accepted (and then the above holds) or rejected with a SpecError whose every
  problem is located (file:line:col and a field path): never another exception. So is a drawn spec the
  model refuses (trigger names are drawn to collide in logical IDs now and then).

The Linter is the process-wide one, so cfn-lint's rules load once for all examples.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.resources import build_template
from generator.resources.names import STACK_IDS, stack_logical_ids
from generator.errors import SpecError
from generator.pipeline import generate_one
from generator.model import load_spec
from generator.model.fargate import FARGATE_MEMORY_BY_CPU, LOG_RETENTION_DAYS
from generator.model.collisions import pascal_case

SPEC_PATH = Path("config/prop.yaml")
FULL_SPEC = Path(__file__).resolve().parent / "specs" / "full.yaml"
# Each example lints a whole template (~0.3 s). No shrink phase: shrinking a failure took over five minutes;
# the failing spec is printed as drawn (and saved in .hypothesis/ for the next run).
SETTINGS = settings(
    max_examples=int(os.environ.get("BATCHJOBS_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)

# --- strategies for valid specs --------------------------------------------------------------------

names = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,5})?", fullmatch=True)
# Job and trigger names that may give two resources one logical ID, so that the model's refusal is drawn too:
# a trigger named task-failed (the job's task-failure rule), trigger1 beside an unnamed first trigger, job
# report's trigger nightly-trigger1 beside job report-nightly's first trigger.
job_names = st.one_of(names, st.sampled_from(["report", "report-nightly"]))
trigger_names = st.one_of(
    names, st.sampled_from(["task-failed", "trigger1", "trigger2", "nightly-trigger1", "nightly-task-failed"])
)
env_names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,11}", fullmatch=True)
# Fixed override values: quotes, backslashes, ${...}, unicode; no <...> (a transformer placeholder).
fixed_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>"), max_size=20
).filter(lambda v: not v.startswith("$."))
S3_PATHS = ["$.detail.bucket.name", "$.detail.object.key", "$.detail.object.size", "$.detail.object.etag",
            "$.detail.reason", "$.time", "$.id", "$.region"]
PATTERN_FIELDS = ["orderId", "amount", "state", "customer"]
SQS_ARN = "arn:aws:sqs:us-east-1:123456789012:shared-dlq"


def fargate_sizes():
    return st.sampled_from(sorted(FARGATE_MEMORY_BY_CPU)).flatmap(
        lambda cpu: st.tuples(st.just(cpu), st.sampled_from(FARGATE_MEMORY_BY_CPU[cpu]))
    )


def overrides(paths: list[str]):
    value = st.one_of(fixed_values, st.sampled_from(paths)) if paths else fixed_values
    return st.fixed_dictionaries(
        {},
        optional={
            "environment": st.dictionaries(env_names, value, min_size=1, max_size=4),
            "command": st.lists(value, min_size=1, max_size=3),
        },
    )


def event_patterns():
    matcher = st.one_of(
        st.text(alphabet="abcdefxyz-", min_size=1, max_size=8),
        st.integers(min_value=-5, max_value=500),
        st.builds(lambda p: {"prefix": p}, st.text(alphabet="abc-", min_size=1, max_size=5)),
        st.builds(lambda n: {"numeric": [">", n]}, st.integers(min_value=0, max_value=100)),
        st.just({"exists": True}),
        st.builds(lambda v: {"anything-but": v}, st.text(alphabet="abc", min_size=1, max_size=4)),
    )
    detail = st.dictionaries(st.sampled_from(PATTERN_FIELDS), st.lists(matcher, min_size=1, max_size=2), max_size=3)
    return st.builds(
        lambda source, detail_type, d: {"source": [source], "detail-type": [detail_type], **({"detail": d} if d else {})},
        st.sampled_from(["com.example.orders", "my.app"]),
        st.sampled_from(["Order Placed", "Thing Happened"]),
        detail,
    )


@st.composite
def triggers(draw) -> dict[str, Any]:
    kind = draw(st.sampled_from(["schedule", "s3_upload", "event_pattern"]))
    trigger: dict[str, Any] = {}
    if draw(st.integers(0, 2)) == 0:  # a third of the triggers: most drawn specs are still valid
        trigger["name"] = draw(trigger_names)
    if kind == "schedule":
        trigger["schedule"] = draw(st.sampled_from(
            ["rate(1 hour)", "rate(15 minutes)", "rate(2 days)", "cron(0 2 * * ? *)", "cron(30 8 ? * MON-FRI *)",
             "@daily", "0 3 * * *"]))
        if draw(st.booleans()):
            trigger["timezone"] = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Tokyo"]))
        if draw(st.booleans()):
            trigger["flexible_window"] = draw(st.sampled_from(["5m", "1h"]))
        trigger.update(draw(overrides([])))
    elif kind == "s3_upload":
        upload = {"bucket": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{2,12}[a-z0-9]", fullmatch=True))}
        upload.update(draw(st.fixed_dictionaries({}, optional={
            "prefix": st.sampled_from(["incoming/", "a/b/", "x*y/"]),
            "suffix": st.sampled_from([".csv", ".json", ".gz"]),
        })))
        trigger["s3_upload"] = upload
        trigger.update(draw(overrides(S3_PATHS)))
    else:
        pattern = draw(event_patterns())
        trigger["event_pattern"] = pattern
        if draw(st.booleans()):
            trigger["event_bus"] = draw(st.sampled_from(["orders-bus", "arn:aws:events:us-east-1:123456789012:event-bus/ops"]))
        fields = [f"$.detail.{f}" for f in pattern.get("detail", {})] + ["$.id", "$.source", "$.detail-type"]
        trigger.update(draw(overrides(fields)))
    if draw(st.booleans()):
        trigger["dead_letter_queue"] = draw(st.sampled_from([True, False, SQS_ARN]))
    if draw(st.booleans()):
        trigger["retry"] = {"attempts": draw(st.integers(0, 185)), "max_event_age": draw(st.sampled_from(["1m", "1h", "24h", 600]))}
    if draw(st.booleans()):
        trigger["enabled"] = False
    return trigger


@st.composite
def jobs(draw) -> dict[str, Any]:
    cpu, memory = draw(fargate_sizes())
    image = draw(st.sampled_from([
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/job:1.0",
        "public.ecr.aws/docker/library/python:3.12-slim",
        "busybox:latest",
    ]))
    job: dict[str, Any] = {"image": image, "cpu": cpu, "memory": memory,
                           "triggers": draw(st.lists(triggers(), min_size=1, max_size=3))}
    job.update(draw(st.fixed_dictionaries({}, optional={
        "capacity": st.one_of(
            st.sampled_from(["fargate", "fargate_spot"]),
            st.builds(lambda a, b: {"fargate": a, "fargate_spot": b}, st.integers(0, 5), st.integers(1, 5)),
        ),
        "architecture": st.sampled_from(["x86_64", "arm64"]),
        "task_count": st.integers(1, 10),
        "alarms": st.booleans(),
        "dead_letter_queue": st.sampled_from([True, False, SQS_ARN]),
        "log_retention_days": st.sampled_from(LOG_RETENTION_DAYS),
        "environment": st.dictionaries(env_names, fixed_values, max_size=3),
        "command": st.lists(fixed_values, min_size=1, max_size=3),
        "tags": st.dictionaries(st.sampled_from(["team", "owner", "env"]), st.text(alphabet="abc123", max_size=6), max_size=2),
        "secrets": st.just({"TOKEN": "arn:aws:ssm:us-east-1:123456789012:parameter/app/token",
                            "DB": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}),
        "permissions": st.just({"s3_read": ["in-bucket/data/"], "s3_write": ["out-bucket"],
                                "statements": [{"actions": ["dynamodb:GetItem"],
                                                "resources": ["arn:aws:dynamodb:us-east-1:123456789012:table/t"]}]}),
    })))
    return job


@st.composite
def valid_specs(draw) -> dict[str, Any]:
    stack_jobs = draw(st.lists(job_names, min_size=1, max_size=2, unique_by=pascal_case))
    spec: dict[str, Any] = {
        "stack": draw(st.from_regex(r"[a-z][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True)),
        "cluster": draw(st.sampled_from([{"name": "processing"}, {"create": True},
                                         {"arn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod"}])),
        "network": {"subnets": ["subnet-12345678"], "security_groups": ["sg-87654321"],
                    "assign_public_ip": draw(st.booleans())},
        "jobs": {name: draw(jobs()) for name in stack_jobs},
    }
    notifications = draw(st.sampled_from([None, {"email": ["ops@example.com"]},
                                          {"topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts"}]))
    if notifications:
        spec["notifications"] = notifications
    kms = draw(st.sampled_from([None, {"create": True}, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab"]))
    if kms:
        spec["kms_key"] = kms
    return spec


def generate(data: dict[str, Any]):
    spec = load_spec(SPEC_PATH, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return generate_one(SPEC_PATH, spec)


def formatted(generated) -> list[str]:
    return [f.format(generated.filename) for f in generated.findings]


LOCATED = re.compile(rf"^{re.escape(str(SPEC_PATH))}:\d+:\d+: [A-Za-z_][\w.\[\]-]*: \S")


def assert_located(err: SpecError) -> None:
    """Every problem says where: file:line:col, then the field path, then a message."""
    assert err.problems
    for problem in err.problems:
        assert problem.line is not None and problem.column is not None and problem.path and problem.message, problem
        assert LOCATED.match(str(problem)), str(problem)


def assert_ids_listed(generated) -> None:
    """resources/names.py's list of the stack's logical IDs (what the spec checks for collisions) is the template's."""
    template, _ = build_template(generated.spec)
    built = [*template.parameters, *template.resources]
    listed = stack_logical_ids(generated.spec.jobs)
    assert sorted(i.id for i in listed if i.job is not None) == sorted(i for i in built if i not in STACK_IDS)


def test_full_featured_scan_spec_is_clean():
    generated = generate_one(FULL_SPEC, load_spec(FULL_SPEC))
    assert formatted(generated) == []


@SETTINGS
@given(valid_specs())
def test_accepted_specs_generate_templates_with_zero_findings(data):
    try:
        generated = generate(data)
    except SpecError as err:  # e.g. names that collide in logical IDs: a rejection must still be located
        assert_located(err)
        return
    assert formatted(generated) == [], yaml.safe_dump(data, sort_keys=False)
    assert_ids_listed(generated)


# --- invalid mutations ------------------------------------------------------------------------------

BAD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 100_000), st.text(max_size=10),
    st.sampled_from(["*", "s3:*", "$.", "$.detail", "<x>", "rate(1 hours)", "cron(0 1 * * * *)", "arn:aws:sqs:x",
                     "subnet-", "FARGATE", 300, 8, [], {}, ["*"]]),
)


def _sites(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _sites(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _sites(child, (*path, index))
    return found


@st.composite
def mutated_specs(draw) -> dict[str, Any]:
    data = copy.deepcopy(draw(valid_specs()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_sites(data)[1:]))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "drop":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["cpu", "schedule", "s3_upload", "timezone", "arn", "create", "typo"]))] = draw(BAD_VALUES)
        else:
            parent[path[-1]] = draw(BAD_VALUES)
    return data


@SETTINGS
@given(mutated_specs())
def test_mutated_specs_are_rejected_with_a_message_or_generate_clean(data):
    try:
        generated = generate(data)
    except SpecError as err:
        assert_located(err)
        return
    assert formatted(generated) == [], yaml.safe_dump(data, sort_keys=False)

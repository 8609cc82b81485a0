"""Quotas a template can run into, each with its value and its limit.

A check is ``over`` above its limit and ``near`` within 10% of it. Sizes that depend on values only
known at deploy time (``!Sub`` with pseudo parameters) are estimated with long sample values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..eventbridge.pattern import MAX_PATTERN_LENGTH
from ..eventbridge.transform import MAX_TEMPLATE_LENGTH, MAX_VARIABLES
from ..template.quotas import MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BODY, MAX_TEMPLATE_S3
from .template import compact_json, properties, resolve_for_size, resources

NEAR = 0.9  # flag from 90% of a limit

# EventBridge: targets per rule ("up to five (5) targets",
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html)
MAX_TARGETS_PER_RULE = 5
# EventBridge: a target's constant Input, in characters (Target.Input: Maximum length of 8192,
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html)
MAX_TARGET_INPUT = 8192
# CloudFormation's template quotas (MAX_TEMPLATE_BODY, MAX_RESOURCES, ...) are in generator.template.quotas


@dataclass(frozen=True)
class LimitCheck:
    subject: str  # "template", a logical ID, "CsvAnalyzerTrigger1Rule target run-csv-analyzer"
    what: str  # "targets per rule"
    value: int
    limit: int
    unit: str = ""
    advice: str = ""  # what to do when over
    estimated: bool = False

    @property
    def status(self) -> str:
        if self.value > self.limit:
            return "over"
        if self.value >= NEAR * self.limit:
            return "near"
        return "ok"

    @property
    def flagged(self) -> bool:
        return self.status != "ok"

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        approx = "~" if self.estimated else ""
        text = f"{self.subject}: {self.what}: {approx}{self.value:,} of {self.limit:,}{unit}"
        if self.status == "over" and self.advice:
            text += f" ({self.advice})"
        return text


def check_limits(template: dict[str, Any], text: str, stack_name: str) -> list[LimitCheck]:
    """Every check, flagged or not, template-wide ones first, then by logical ID."""
    size = len(text.encode("utf-8"))
    checks = [
        LimitCheck("template", "body size", size, MAX_TEMPLATE_BODY, "bytes",
                   "deploy through S3: batchjobs deploy --s3-bucket B, or aws cloudformation deploy --s3-bucket B"),
        LimitCheck("template", "size uploaded to S3", size, MAX_TEMPLATE_S3, "bytes", "split the stack"),
        LimitCheck("template", "resources", len(resources(template)), MAX_RESOURCES, "", "split the stack"),
        LimitCheck("template", "outputs", len(template.get("Outputs") or {}), MAX_OUTPUTS, "", "split the stack"),
        LimitCheck("template", "parameters", len(template.get("Parameters") or {}), MAX_PARAMETERS, "", "split the stack"),
    ]
    for logical_id, resource in sorted(resources(template).items()):
        if resource.get("Type") == "AWS::Events::Rule":
            checks.extend(_rule_checks(logical_id, properties(resource), stack_name))
    return checks


def _rule_checks(logical_id: str, props: dict[str, Any], stack_name: str) -> list[LimitCheck]:
    targets = [t for t in props.get("Targets") or [] if isinstance(t, dict)]
    checks = [LimitCheck(logical_id, "targets", len(targets), MAX_TARGETS_PER_RULE, "", "use one rule per target")]
    if "EventPattern" in props:
        pattern = resolve_for_size(props["EventPattern"], stack_name)
        estimated = pattern != props["EventPattern"]
        checks.append(LimitCheck(logical_id, "event pattern", len(compact_json(pattern)), MAX_PATTERN_LENGTH,
                                 "characters", "shorten the pattern or split the trigger", estimated))
    for target in targets:
        name = f"{logical_id} target {target.get('Id', '?')}"
        transformer = target.get("InputTransformer")
        if isinstance(transformer, dict):
            paths = transformer.get("InputPathsMap") or {}
            checks.append(LimitCheck(name, "input transformer variables", len(paths), MAX_VARIABLES, "",
                                     "read fewer values from the event"))
            template = transformer.get("InputTemplate")
            if isinstance(template, str):
                checks.append(LimitCheck(name, "input template", len(template), MAX_TEMPLATE_LENGTH, "characters",
                                         "move fixed values into the job's environment"))
        if isinstance(target.get("Input"), str):
            checks.append(LimitCheck(name, "constant input", len(target["Input"]), MAX_TARGET_INPUT, "characters",
                                     "move fixed values into the job's environment"))
    return checks

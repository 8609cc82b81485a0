"""E9102: a target that starts a run-controlled job's state machine sends valid PascalCase RunTask overrides."""

from __future__ import annotations

import json
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import override_problems, representative_event

STATE_MACHINE = "AWS::StepFunctions::StateMachine"
EXECUTION_INPUT = "$$.Execution.Input"


def _passes_input_as_overrides(properties: dict) -> bool:
    """The definition (an object) has a Task state whose Overrides are the execution input."""
    definition = properties.get("Definition")
    states = definition.get("States") if isinstance(definition, dict) else None
    return isinstance(states, dict) and any(
        isinstance(state, dict) and isinstance(state.get("Parameters"), dict)
        and state["Parameters"].get("Overrides.$") == EXECUTION_INPUT
        for state in states.values()
    )


def _containers(cfn: Any, properties: dict) -> set[str] | None:
    ref = (properties.get("DefinitionSubstitutions") or {}).get("TaskDefinitionArn")
    if isinstance(ref, dict) and isinstance(ref.get("Ref"), str):
        task = cfn.get_resources(["AWS::ECS::TaskDefinition"]).get(ref["Ref"])
        definitions = ((task or {}).get("Properties") or {}).get("ContainerDefinitions")
        if isinstance(definitions, list):
            return {c.get("Name") for c in definitions if isinstance(c, dict)}
    return None


def _camel(value: Any, problems: list[str], where: str = "") -> Any:
    """PascalCase keys -> RunTask's camelCase (to check with the same rules), noting keys not in PascalCase."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str) and key[:1].islower():
                problems.append(f"has {where}{key!r} in camelCase: Step Functions' ECS integration takes PascalCase")
            out[key[:1].lower() + key[1:] if isinstance(key, str) else key] = _camel(item, problems, f"{where}{key}.")
        return out
    if isinstance(value, list):
        return [_camel(item, problems, where) for item in value]
    return value


def _targets(cfn: Any):
    for name, resource in cfn.get_resources(["AWS::Events::Rule"]).items():
        targets = (resource.get("Properties") or {}).get("Targets")
        for i, target in enumerate(targets if isinstance(targets, list) else []):
            if isinstance(target, dict):
                yield name, "AWS::Events::Rule", resource, target, ["Resources", name, "Properties", "Targets", i]
    for name, resource in cfn.get_resources(["AWS::Scheduler::Schedule"]).items():
        target = (resource.get("Properties") or {}).get("Target")
        if isinstance(target, dict):
            yield name, "AWS::Scheduler::Schedule", resource, target, ["Resources", name, "Properties", "Target"]


class ExecutionInputOverridesValid(CloudFormationLintRule):
    id = "E9102"
    shortdesc = "Targets that start a state machine send it valid RunTask overrides"
    description = (
        "A rule or schedule target that starts a state machine of this template whose RunTask state takes its "
        "Overrides from the execution input ($$.Execution.Input) sets Input or InputTransformer (otherwise the "
        "event itself becomes the overrides), and what it sends, rendered for a representative event, is a "
        "TaskOverride in PascalCase with containers of the task definition and string environment values"
    )
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html"
    tags = ["resources", "events", "scheduler", "stepfunctions", "ecs", "batchjobs"]

    def match(self, cfn):
        from generator.eventbridge.transform import TransformError, render

        machines = cfn.get_resources([STATE_MACHINE])
        matches = []
        for name, kind, resource, target, path in _targets(cfn):
            arn = target.get("Arn")
            machine = arn.get("Ref") if isinstance(arn, dict) else None
            properties = (machines.get(machine) or {}).get("Properties") if isinstance(machine, str) else None
            if not isinstance(properties, dict) or not _passes_input_as_overrides(properties):
                continue
            where = f"{name}: the input of state machine {machine}"
            containers = _containers(cfn, properties)
            if isinstance(target.get("Input"), str):
                at = [*path, "Input"]
                try:
                    sent = json.loads(target["Input"])
                except ValueError:
                    matches.append(RuleMatch(at, f"{where}: Input is not JSON"))
                    continue
            elif isinstance(target.get("InputTransformer"), dict) and kind == "AWS::Events::Rule":
                transformer = target["InputTransformer"]
                at = [*path, "InputTransformer", "InputTemplate"]
                paths, template = transformer.get("InputPathsMap") or {}, transformer.get("InputTemplate")
                if not isinstance(template, str) or not isinstance(paths, dict):
                    continue  # intrinsic functions: nothing to render
                event = representative_event(resource.get("Properties") or {})
                try:
                    text = render(dict(paths), template, event, rule_name=name)
                    sent = json.loads(text) if text is not None else None
                except (TransformError, ValueError) as err:
                    matches.append(RuleMatch(at, f"{where}: {err}"))
                    continue
                if sent is None:
                    matches.append(RuleMatch(at, f"{where}: AWS would deliver nothing for a representative event"))
                    continue
            else:
                matches.append(RuleMatch(path, f"{where}: no Input or InputTransformer, so the whole event would "
                                               "become RunTask's Overrides; send the overrides, or {} for none"))
                continue
            problems: list[str] = []
            camel = _camel(sent, problems)
            problems += override_problems(camel, containers)
            matches.extend(RuleMatch(at, f"{where} {problem}") for problem in problems)
        return matches

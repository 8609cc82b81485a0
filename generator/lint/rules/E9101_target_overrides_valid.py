"""E9101: what each ECS target delivers to RunTask is valid overrides, for a representative event."""

from __future__ import annotations

import json

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import (
    camel_case,
    camel_case_keys,
    ecs_targets,
    override_problems,
    representative_event,
)


class TargetOverridesValid(CloudFormationLintRule):
    id = "E9101"
    shortdesc = "Target Input/InputTransformer renders valid RunTask overrides"
    description = (
        "EventBridge sends a rule target's Input, or its InputTransformer filled from the event, as RunTask's "
        "overrides; Scheduler's universal RunTask target carries them in its request. Rendered for a "
        "representative event (S3 sample for S3 uploads, the scheduled event, or an event built from the "
        "pattern) they must be a JSON object with only TaskOverride fields, named containers of the task "
        "definition, string environment values and a command that is a list of strings; the universal target's "
        "request must be in PascalCase"
    )
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html"
    tags = ["resources", "events", "scheduler", "ecs", "batchjobs"]

    def match(self, cfn):
        from generator.eventbridge.transform import TransformError, render

        matches = []
        rules = cfn.get_resources(["AWS::Events::Rule"])
        for target in ecs_targets(cfn):
            task = target.task_definition(cfn)
            containers = None
            if task is not None and isinstance(task.get("ContainerDefinitions"), list):
                containers = {c.get("Name") for c in task["ContainerDefinitions"] if isinstance(c, dict)}
            where = f"{target.resource_name}: the ECS target's overrides"
            if target.universal:
                camel = camel_case_keys(target.params)
                if camel:
                    matches.append(RuleMatch(target.path(), (
                        f"{target.resource_name}: Scheduler's universal RunTask target takes the request in "
                        f"PascalCase; {', '.join(camel[:5])} {'is' if len(camel) == 1 else 'are'} camelCase")))
                elif "Overrides" in target.params:
                    for problem in override_problems(camel_case(target.params["Overrides"]), containers):
                        matches.append(RuleMatch(target.path(), f"{where} {problem}"))
                continue
            if "Input" in target.target and isinstance(target.target["Input"], str):
                path = [*target.target_path, "Input"]
                try:
                    overrides = json.loads(target.target["Input"])
                except ValueError:
                    matches.append(RuleMatch(path, f"{where}: Input is not JSON"))
                    continue
                for problem in override_problems(overrides, containers):
                    matches.append(RuleMatch(path, f"{where} {problem}"))
                continue
            transformer = target.target.get("InputTransformer")
            if not isinstance(transformer, dict) or target.resource_type != "AWS::Events::Rule":
                continue
            paths = transformer.get("InputPathsMap") or {}
            template = transformer.get("InputTemplate")
            if not isinstance(template, str) or not isinstance(paths, dict) or not all(
                isinstance(v, str) for v in paths.values()
            ):
                continue  # intrinsic functions: nothing to render
            path = [*target.target_path, "InputTransformer", "InputTemplate"]
            event = representative_event(rules[target.resource_name].get("Properties") or {})
            try:
                text = render(dict(paths), template, event, rule_name=target.resource_name)
            except TransformError as err:
                matches.append(RuleMatch(path, f"{where}: {err}"))
                continue
            if text is None:
                matches.append(RuleMatch(path, f"{where}: for a {event.get('detail-type')!r} event AWS would "
                                               "deliver nothing (the filled template is not JSON)"))
                continue
            try:
                overrides = json.loads(text)
            except ValueError:
                overrides = text
            for problem in override_problems(overrides, containers):
                matches.append(RuleMatch(path, f"{where} for a {event.get('detail-type')!r} event {problem}"))
        return matches

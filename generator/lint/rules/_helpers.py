"""Shared by our cfn-lint rules: policy statements of every resource type, action matching, ECS targets.

Where policies live is not known here: ``policy_statements`` walks the registry of generator.template.policies.

Plain functions only: cfn-lint instantiates every ``CloudFormationLintRule`` subclass a rule module
holds, so a base class here would be loaded as a rule of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

# the policy rules the spec applies to user statements too: one definition (re-exported for our rules)
from generator.model.policy_rules import action_matches, as_list, condition_values  # noqa: F401
from generator.template.policies import KINDS, POLICY_TYPES, PolicyStatement, items_with_paths  # noqa: F401
from generator.template.policies import policy_statements as _registry_statements
from generator.template.read import logical_id_of  # noqa: F401

Path = list  # list[str | int], as cfn-lint's RuleMatch takes it


def policy_statements(cfn: Any, kinds: tuple[str, ...] = KINDS) -> Iterator[PolicyStatement]:
    """Every statement of every policy document in the template, with the path to it: the template
    registry (generator.template.policies, which review reads too) over cfn-lint's resources."""
    return _registry_statements(cfn.get_resources(list(POLICY_TYPES)), kinds)


def grants(statement: PolicyStatement, action: str) -> bool:
    """The statement allows ``action`` (through Action, or through NotAction not excluding it)."""
    if not statement.allows:
        return False
    if "NotAction" in statement.statement:
        return not any(action_matches(p, action) for p in as_list(statement.statement["NotAction"]))
    return any(action_matches(p, action) for _, p in statement.actions())


# --- ECS targets of rules and schedules ---------------------------------------------------------------

FARGATE_PROVIDERS = {"FARGATE", "FARGATE_SPOT"}
UNIVERSAL_RUN_TASK = "aws-sdk:ecs:runtask"


@dataclass
class EcsTarget:
    """One rule/schedule target that runs an ECS task, in one spelling whatever the source.

    ``base`` is the path of the object holding the ECS parameters; ``keys`` maps our names to the key
    used there (rules and templated Scheduler targets: PascalCase; Scheduler's universal RunTask target:
    the RunTask request inside Target.Input, also in PascalCase: see ``universal_request``).
    """

    resource_name: str
    resource_type: str
    target: dict
    target_path: Path
    params: dict
    base: Path
    keys: dict[str, str]
    universal: bool = False

    def get(self, name: str) -> Any:
        return self.params.get(self.keys[name])

    def path(self, *names: str) -> Path:
        if self.universal:  # inside a JSON string: the match points at the Input property
            return list(self.base)
        return [*self.base, *(self.keys.get(n, n) for n in names)]

    @property
    def providers(self) -> list[str] | None:
        strategy = self.get("capacity")
        if not isinstance(strategy, list):
            return None
        return [str(item.get(self.keys["provider"], "")) for item in strategy if isinstance(item, dict)]

    @property
    def vpc(self) -> Any:
        network = self.get("network")
        if not isinstance(network, dict):
            return None
        return network.get(self.keys["vpc"])

    def task_definition(self, cfn: Any) -> dict | None:
        """The AWS::ECS::TaskDefinition's Properties when the target Refs one in this template."""
        ref = self.get("task_definition")
        if self.universal:
            ref = self.target.get("_task_definition_ref")
        if isinstance(ref, dict) and isinstance(ref.get("Ref"), str):
            resource = cfn.get_resources(["AWS::ECS::TaskDefinition"]).get(ref["Ref"])
            if resource and isinstance(resource.get("Properties"), dict):
                return resource["Properties"]
        return None

    def is_fargate(self, cfn: Any) -> bool | None:
        """True/False when the template says where the task runs; None when it does not."""
        launch_type = self.get("launch_type")
        if isinstance(launch_type, str):
            return launch_type == "FARGATE"
        providers = self.providers
        if providers:
            return all(p in FARGATE_PROVIDERS for p in providers)
        task = self.task_definition(cfn)
        if task is not None:
            compat = task.get("RequiresCompatibilities")
            if isinstance(compat, list) and compat:
                return compat == ["FARGATE"]
        return None

    def uses_awsvpc(self, cfn: Any) -> bool:
        if self.is_fargate(cfn):
            return True
        task = self.task_definition(cfn)
        return task is not None and task.get("NetworkMode") == "awsvpc"


RULE_KEYS = {
    "launch_type": "LaunchType", "capacity": "CapacityProviderStrategy", "provider": "CapacityProvider",
    "network": "NetworkConfiguration", "vpc": "AwsVpcConfiguration", "public_ip": "AssignPublicIp",
    "subnets": "Subnets", "task_definition": "TaskDefinitionArn",
}
SCHEDULE_KEYS = {**RULE_KEYS, "vpc": "AwsvpcConfiguration"}
# Scheduler's universal `aws-sdk:ecs:runTask` target: the RunTask request's members in PascalCase
UNIVERSAL_KEYS = {**SCHEDULE_KEYS, "task_definition": "TaskDefinition"}


def sub_text(value: Any) -> tuple[str | None, dict]:
    """A string, or the text of an Fn::Sub, with its variables map."""
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and len(value) == 1 and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        if isinstance(sub, str):
            return sub, {}
        if isinstance(sub, list) and len(sub) == 2 and isinstance(sub[0], str) and isinstance(sub[1], dict):
            return sub[0], sub[1]
    return None, {}


_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]*)\}")


def resolve_sub_json(text: str, placeholder: str = "SUBSTITUTED") -> Any:
    """The JSON an Fn::Sub produces, each ${Var} replaced by ``placeholder`` (${!x} is a literal ${x})."""
    text = _SUB_VARIABLE.sub(placeholder, text).replace("${!", "${")
    return json.loads(text)


def is_universal_run_task(target: dict) -> bool:
    text, _ = sub_text(target.get("Arn"))
    return text is not None and text.lower().endswith(UNIVERSAL_RUN_TASK)


def ecs_targets(cfn: Any) -> Iterator[EcsTarget]:
    """ECS targets of AWS::Events::Rule (EcsParameters) and AWS::Scheduler::Schedule (templated or universal)."""
    for name, resource in cfn.get_resources(["AWS::Events::Rule"]).items():
        properties = resource.get("Properties")
        targets = properties.get("Targets") if isinstance(properties, dict) else None
        if not isinstance(targets, list):
            continue
        for index, target in enumerate(targets):
            if isinstance(target, dict) and isinstance(target.get("EcsParameters"), dict):
                path = ["Resources", name, "Properties", "Targets", index]
                yield EcsTarget(name, "AWS::Events::Rule", target, path, target["EcsParameters"],
                                [*path, "EcsParameters"], RULE_KEYS)
    for name, resource in cfn.get_resources(["AWS::Scheduler::Schedule"]).items():
        properties = resource.get("Properties")
        target = properties.get("Target") if isinstance(properties, dict) else None
        if not isinstance(target, dict):
            continue
        path = ["Resources", name, "Properties", "Target"]
        if isinstance(target.get("EcsParameters"), dict):
            yield EcsTarget(name, "AWS::Scheduler::Schedule", target, path, target["EcsParameters"],
                            [*path, "EcsParameters"], SCHEDULE_KEYS)
        elif is_universal_run_task(target):
            request = universal_request(target)
            if isinstance(request, dict):
                view = dict(target)
                _, variables = sub_text(target.get("Input"))
                view["_task_definition_ref"] = variables.get("TaskDefinitionArn")
                yield EcsTarget(name, "AWS::Scheduler::Schedule", view, path, request, [*path, "Input"],
                                UNIVERSAL_KEYS, universal=True)


def universal_request(target: dict) -> Any:
    """The RunTask request a Scheduler universal target sends (its Input), or None if unreadable.

    Its members are in PascalCase (`Cluster`, `TaskDefinition`, `Overrides.ContainerOverrides`), as the
    AWS SDK integrations take them ("Parameters ... are expressed in PascalCase, even if the native service
    API is in camelCase", https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html;
    unverified for Scheduler beyond public working configurations): see ``camel_case_keys``.
    """
    text, _ = sub_text(target.get("Input"))
    if text is None:
        return None
    try:
        return resolve_sub_json(text)
    except ValueError:
        return None


def camel_case_keys(value: Any, where: str = "") -> list[str]:
    """Where a universal target's request has a key in camelCase (the ECS API's spelling, which the
    universal target refuses: "missing field TaskDefinition"); [] when every key is PascalCase."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            at = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and key[:1].islower():
                found.append(at)
            found += camel_case_keys(item, at)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += camel_case_keys(item, f"{where}[{index}]")
    return found


def camel_case(value: Any) -> Any:
    """PascalCase keys back to the API's camelCase (to check overrides with ``override_problems``)."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): camel_case(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_case(item) for item in value]
    return value


# --- dead-letter queues -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadLetterUse:
    """A rule's or schedule's target sending to a dead-letter queue."""

    resource_name: str
    resource_type: str
    arn_path: Path  # to DeadLetterConfig/Arn
    arn: Any
    queue: str | None  # logical ID of the AWS::SQS::Queue in this template, if it is one


def dead_letter_uses(cfn: Any) -> Iterator[DeadLetterUse]:
    queues = cfn.get_resources(["AWS::SQS::Queue"])

    def use(name: str, kind: str, target: Any, path: Path) -> DeadLetterUse | None:
        config = target.get("DeadLetterConfig") if isinstance(target, dict) else None
        if not isinstance(config, dict) or config.get("Arn") is None:
            return None
        queue = logical_id_of(config["Arn"])
        return DeadLetterUse(name, kind, [*path, "DeadLetterConfig", "Arn"], config["Arn"],
                             queue if queue in queues else None)

    for name, resource in cfn.get_resources(["AWS::Events::Rule"]).items():
        targets = (resource.get("Properties") or {}).get("Targets")
        for index, target in enumerate(targets if isinstance(targets, list) else []):
            found = use(name, "AWS::Events::Rule", target, ["Resources", name, "Properties", "Targets", index])
            if found:
                yield found
    for name, resource in cfn.get_resources(["AWS::Scheduler::Schedule"]).items():
        target = (resource.get("Properties") or {}).get("Target")
        found = use(name, "AWS::Scheduler::Schedule", target, ["Resources", name, "Properties", "Target"])
        if found:
            yield found


# --- a representative event for a rule, and RunTask overrides ----------------------------------------

def representative_event(properties: dict) -> dict:
    """An event the rule matches: the scheduled event for schedules, otherwise one the engine builds from
    the EventPattern (the S3 sample for S3 uploads)."""
    from generator.eventbridge.samples import event_matching, scheduled_event

    pattern = properties.get("EventPattern")
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError:
            pattern = None
    return event_matching(pattern) if isinstance(pattern, dict) else scheduled_event()


TASK_OVERRIDE_KEYS = {"containerOverrides", "cpu", "memory", "ephemeralStorage", "executionRoleArn",
                      "taskRoleArn", "inferenceAcceleratorOverrides"}
CONTAINER_OVERRIDE_KEYS = {"name", "command", "environment", "environmentFiles", "cpu", "memory",
                           "memoryReservation", "resourceRequirements"}


def override_problems(overrides: Any, containers: set[str] | None = None) -> list[str]:
    """Why ``overrides`` is not a RunTask TaskOverride ECS accepts ([] when it is)."""
    if not isinstance(overrides, dict):
        return [f"is {type(overrides).__name__}, not a JSON object (RunTask overrides)"]
    problems = [f"has {key!r}, which is not a TaskOverride field" for key in sorted(set(overrides) - TASK_OVERRIDE_KEYS)]
    containers_overridden = overrides.get("containerOverrides", [])
    if not isinstance(containers_overridden, list):
        return [*problems, "containerOverrides is not a list"]
    for i, item in enumerate(containers_overridden):
        where = f"containerOverrides[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object")
            continue
        problems += [f"{where} has {k!r}, which is not a ContainerOverride field"
                     for k in sorted(set(item) - CONTAINER_OVERRIDE_KEYS)]
        name = item.get("name")
        if not isinstance(name, str) or not name:
            problems.append(f"{where} has no container name")
        elif containers is not None and name not in containers:
            problems.append(f"{where} names container {name!r}, which the task definition does not have")
        environment = item.get("environment", [])
        if not isinstance(environment, list):
            problems.append(f"{where}.environment is not a list")
        else:
            for j, pair in enumerate(environment):
                if not isinstance(pair, dict) or not isinstance(pair.get("name"), str) or not pair["name"]:
                    problems.append(f"{where}.environment[{j}] has no name")
                elif not isinstance(pair.get("value"), str):
                    problems.append(f"{where}.environment[{j}] ({pair['name']}) value is "
                                    f"{json.dumps(pair.get('value'))}, not a string")
        command = item.get("command")
        if command is not None and not (isinstance(command, list) and all(isinstance(c, str) for c in command)):
            problems.append(f"{where}.command is not a list of strings")
    return problems

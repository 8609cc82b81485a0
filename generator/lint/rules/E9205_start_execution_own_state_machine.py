"""E9205: states:StartExecution only on a state machine of this template."""

from __future__ import annotations

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from generator.lint.rules._helpers import grants, policy_statements

START_EXECUTION = "states:StartExecution"
STATE_MACHINE = "AWS::StepFunctions::StateMachine"


def _state_machine_ref(resource, machines: set[str]) -> bool:
    """`!Ref M` or `!GetAtt M.Arn` of a state machine M of this template (Ref of a state machine is its ARN)."""
    if isinstance(resource, dict) and len(resource) == 1:
        if isinstance(resource.get("Ref"), str):
            return resource["Ref"] in machines
        value = resource.get("Fn::GetAtt")
        if isinstance(value, list) and len(value) == 2:
            return value[0] in machines and value[1] == "Arn"
        if isinstance(value, str):
            return value == value.split(".", 1)[0] + ".Arn" and value.split(".", 1)[0] in machines
    return False


class StartExecutionOwnStateMachine(CloudFormationLintRule):
    id = "E9205"
    shortdesc = "states:StartExecution only on this template's state machines"
    description = (
        "Every Allow statement that grants states:StartExecution (directly or through a wildcard) names its "
        "resources as Ref or GetAtt Arn of an AWS::StepFunctions::StateMachine of the same template: a rule's or "
        "schedule's role starts its own job's state machine and nothing else"
    )
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html"
    tags = ["resources", "iam", "stepfunctions", "security", "batchjobs"]

    def match(self, cfn):
        machines = set(cfn.get_resources([STATE_MACHINE]))
        matches = []
        for st in policy_statements(cfn, kinds=("identity",)):
            if not grants(st, START_EXECUTION):
                continue
            if "NotResource" in st.statement:
                matches.append(RuleMatch([*st.path, "NotResource"],
                                         f"{st.resource_name}: states:StartExecution with NotResource starts any "
                                         "other state machine; name this template's state machine"))
            for path, resource in st.resources():
                if not _state_machine_ref(resource, machines):
                    shown = resource if isinstance(resource, str) else "a value that is not this template's state machine"
                    matches.append(RuleMatch(path, f"{st.resource_name}: states:StartExecution on {shown}: name this "
                                                   "template's state machine (!Ref) so the role starts nothing else"))
        return matches

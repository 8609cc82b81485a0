"""moto's server, with what its change sets lack for cross-stack references: test support only.

moto 5.2 makes a stack's outputs and exports only in CreateStack: a stack made or updated by ExecuteChangeSet
gets no Outputs and exports nothing, and resolves no ``Fn::ImportValue``. CloudFormation itself does both for
a change set as for CreateStack (outputs with ``Export`` are the documented way to share values,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html).
This launcher wraps moto's two backend calls so that a change set's stack sees the exports of the account and
Region, and its executed outputs are exported, then runs ``moto.server`` unchanged.

Run as ``python tests/aws/moto_exports_server.py -H 127.0.0.1 -p PORT`` (tests/aws/test_aws_deploy_split.py).
"""

from __future__ import annotations

import sys


def patch() -> None:
    from moto.cloudformation.models import CloudFormationBackend

    create, execute = CloudFormationBackend.create_change_set, CloudFormationBackend.execute_change_set

    def create_change_set(self, stack_name, *args, **kwargs):
        result = create(self, stack_name, *args, **kwargs)
        for stack in self.stacks.values():
            if stack.name == stack_name:
                stack.cross_stack_resources = self.exports
                stack.resource_map.cross_stack_resources = self.exports
        return result

    def execute_change_set(self, change_set_name, stack_name=None):
        execute(self, change_set_name, stack_name)
        change_set = self.change_sets.get(change_set_name) or next(
            cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()  # moto sets the stack's template text, not its parsed form
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            self.exports[export.name] = export

    CloudFormationBackend.create_change_set = create_change_set
    CloudFormationBackend.execute_change_set = execute_change_set


if __name__ == "__main__":
    patch()
    from moto.server import main

    main(sys.argv[1:])

"""model: a YAML job spec -> a checked, defaults-resolved model (``StackSpec``).

Every check on one spec's values lives here (and, for what one trigger kind alone checks, in that kind's
module in generator/triggers); what needs the plan (logical-ID collisions) is checked by ``generator.plan``
through the loader's ``checks``. Later stages (resources, lint, aws) trust the model.

- yaml_source.py: the file's text -> plain data with the line and column of every value (libyaml when
  PyYAML has it); load.py: that data -> ``StackSpec``, errors as ``file:line:col: field.path: message``
- stack.py, job.py, trigger.py: the pydantic types of each level; stack_parts.py, job_parts.py their parts;
  base.py what they share
- checks.py (any level), arns.py, stack_checks.py, job_checks.py, permission_checks.py, trigger_checks.py:
  the checks the types' validators call; limits.py, fargate.py, policy_rules.py: the AWS facts they use
- transforms.py: what validation fills in (local times -> instants, each trigger's retry and DLQ)
- run_task.py: the RunTask overrides a trigger sends (the model checks their size)
- schema.py: the JSON Schema editors use
"""

from .job import JobSpec
from .load import load_spec, load_specs
from .stack import StackSpec
from .trigger import TriggerSpec

__all__ = ["load_spec", "load_specs", "StackSpec", "JobSpec", "TriggerSpec"]

"""spec: a YAML job spec -> a checked, defaults-resolved model (``StackSpec``).

Every check on user input lives here; later stages (resources, lint, aws) trust the model.
"""

from .load import load_spec, load_specs
from .model import JobSpec, StackSpec, TriggerSpec

__all__ = ["load_spec", "load_specs", "StackSpec", "JobSpec", "TriggerSpec"]

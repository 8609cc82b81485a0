"""template: reading a CloudFormation template, the stage lint, review and deploy share. Pure: no AWS calls.

* ``read``: template text -> plain data (``read_template``, ``TemplateError``), and resources, properties,
  intrinsics of that data;
* ``policies``: the one registry of where policy documents live, and the documents and statements found
  with it, for plain dicts and for cfn-lint's template alike;
* ``parameters``: what a deploy sends for each template parameter, and the capabilities it acknowledges;
* ``quotas``: CloudFormation's limits on a template.
"""

from .read import TemplateError, properties, read_template, resources

__all__ = ["TemplateError", "properties", "read_template", "resources"]

"""review: what a reviewer needs to judge a change to a stack, as pure functions.

Inputs are the checked spec (``StackSpec``) and templates as plain dicts (``parse_template``: the reader
of generator.template, shared with lint and deploy); nothing here reads files, runs git or prints.
``generator.commands.review`` does the I/O and picks the format.

* ``summary``: each job and trigger in words, with the next runs of schedules;
* ``iam``: every statement of every role and resource policy, intrinsics shown as ``!Ref X`` (where
  policies live: generator.template.policies, the registry lint reads too);
* ``limits``: EventBridge and CloudFormation quotas, each with its value and limit;
* ``diff``: resources added / removed / changed since a revision, with broadened permissions
  (``broadening``) and replacements (``replacement``: the properties that force one) flagged;
* ``diagram``: a Mermaid flowchart of the stack;
* ``report``: all of the above for one stack; ``render``: as text or Markdown.
"""

from .report import Baseline, StackReview, review_stack
from .template import TemplateError, parse_template

__all__ = ["Baseline", "StackReview", "TemplateError", "parse_template", "review_stack"]

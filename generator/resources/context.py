"""What every resource family shares while one stack is built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from troposphere import Tags, Template

from ..model import StackSpec

CONTEXT_KEY = "com.aws.cloudformation.Context"


def why(
    text: str, *, must: list[str] | None = None, mutable: str | None = None, checkov_skips: dict[str, str] | None = None
) -> dict[str, Any]:
    """Resource Metadata that says why it exists (cfn-lint's Context schema: I4010/W4011/W4012).

    ``checkov_skips`` (check id -> the reason a security reviewer would accept) become checkov's
    in-template suppressions, next to the context they explain.
    """
    context: dict[str, Any] = {"why": text}
    if must:
        context["must"] = must
    if mutable:
        context["mutable"] = mutable
    metadata: dict[str, Any] = {CONTEXT_KEY: context}
    if checkov_skips:
        metadata["checkov"] = {"skip": [{"id": k, "comment": v} for k, v in sorted(checkov_skips.items())]}
    return metadata


@dataclass
class StackContext:
    """The template being built and the stack-wide values resource families refer to."""

    spec: StackSpec
    template: Template
    cluster_arn: Any = None
    kms_key_arn: Any = None  # None: service-managed encryption
    topic_arn: Any = None
    schedule_group: Any = None
    # rules that publish to the topic (topic policy), filled as jobs are built
    topic_publisher_rules: list[Any] = field(default_factory=list)
    # `split: per_job`: the shared stack's name (this template is the shared stack, or one job's stack)
    split_from: str | None = None
    cluster_name: Any = None  # a job stack's created cluster, imported by name (None: see cluster.cluster_name)
    warnings: list[str] = field(default_factory=list)

    def tags(self, *extra: dict[str, str]) -> dict[str, str]:
        merged = dict(self.spec.tags)
        for more in extra:
            merged.update(more)
        return dict(sorted(merged.items()))

    def tag_props(self, *extra: dict[str, str]) -> dict[str, Any]:
        """``Tags`` for a resource's properties, or nothing: an untagged stack has no ``Tags: []`` noise."""
        tags = self.tags(*extra)
        return {"Tags": Tags(tags)} if tags else {}

"""Everything ``review`` shows for one stack, gathered from the spec and the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..model import StackSpec
from .diagram import mermaid
from .diff import StackDiff, diff_templates
from .forwarders import cross_account_lines
from .iam import IamView, iam_view
from .limits import LimitCheck, check_limits
from .summary import JobSummary, summarize
from .template import parse_template


@dataclass(frozen=True)
class Baseline:
    """The committed template to compare with: its text at ``rev``, or None if the stack is new there."""

    rev: str
    text: str | None
    path: str = ""  # where it was read, e.g. templates/csv-analyzer.yaml


@dataclass
class StackReview:
    stack: str
    source: str  # config/csv-analyzer.yaml
    description: str
    jobs: list[JobSummary]
    iam: IamView
    limits: list[LimitCheck]
    diagram: str
    diff: StackDiff | None = None
    baseline_path: str = ""
    notes: list[str] = field(default_factory=list)  # lint findings, stale template, generator warnings
    cross_account: list[str] = field(default_factory=list)  # bus policies and forwarders (review/forwarders.py)

    @property
    def flagged_limits(self) -> list[LimitCheck]:
        return [c for c in self.limits if c.flagged]

    @property
    def broadened(self) -> list:
        return self.diff.broadened if self.diff else []


def review_stack(
    spec: StackSpec,
    source: str,
    text: str,
    *,
    now: datetime,
    baseline: Baseline | None = None,
    notes: list[str] | None = None,
) -> StackReview:
    """``text`` is the template the spec generates now; ``baseline`` the one to diff against, if any."""
    template = parse_template(text)
    review = StackReview(
        stack=spec.stack,
        source=source,
        description=str(template.get("Description") or ""),
        jobs=summarize(spec, now),
        iam=iam_view(template),
        limits=check_limits(template, text, spec.stack),
        diagram=mermaid(spec, template),
        notes=list(notes or []),
        cross_account=cross_account_lines(spec),
    )
    if baseline is not None:
        old = parse_template(baseline.text) if baseline.text is not None else None
        review.diff = diff_templates(old, template, baseline.rev)
        review.baseline_path = baseline.path
    return review

"""A ``StackReview`` as plain text (for a terminal) or Markdown (to paste as a pull-request comment)."""

from __future__ import annotations

import re
from datetime import datetime

from ..triggers import KINDS
from .diff import StackDiff
from .iam import PolicyDocument, Statement
from .limits import LimitCheck
from .report import StackReview
from .summary import JobSummary, TriggerSummary

# --- shared wording ------------------------------------------------------------------------------------


def _job_line(job: JobSummary) -> str:
    tasks = f"{job.task_count} task{'s' if job.task_count > 1 else ''} per run"
    return f"{job.size}, {job.capacity}, {job.architecture}, {tasks}"


def _trigger_head(trigger: TriggerSummary) -> str:
    state = "" if trigger.enabled else " (disabled)"
    return f"{trigger.name}: {trigger.service} {trigger.logical_id}{state}"


def _runs(trigger: TriggerSummary) -> str:
    return ", ".join(_when(run) for run in trigger.next_runs)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _diff_title(diff: StackDiff, path: str) -> str:
    where = f" ({path})" if path else ""
    return f"Changes since {diff.rev}{where}"


def _diff_headline(diff: StackDiff) -> str | None:
    if diff.new_stack:
        return f"new stack: no template at {diff.rev}; {len(diff.added)} resources to create"
    if diff.unchanged:
        return f"no changes since {diff.rev}"
    return None


# --- text ----------------------------------------------------------------------------------------------


def render_text(reviews: list[StackReview]) -> str:
    return "\n\n".join(_text_stack(r) for r in reviews) + "\n"


def _text_stack(review: StackReview) -> str:
    out = [f"stack {review.stack} ({review.source})" + (f": {review.description}" if review.description else "")]
    out.extend(f"  note: {note}" for note in review.notes)
    if review.diff is not None:
        out += ["", _diff_title(review.diff, review.baseline_path)] + _text_diff(review.diff)
    out += ["", "Jobs"]
    for job in review.jobs:
        out.append(f"  {job.name}: {_job_line(job)}")
        out.append(f"    image: {job.image} (parameter {job.image_parameter})")
        out.append(f"    task definition {job.task_definition}; logs kept {job.log_retention_days} days; "
                   f"alarms {'on' if job.alarms else 'off'}")
        if job.state_machine:
            out.append(f"    runs through Step Functions state machine {job.state_machine}, which:")
            out.extend(f"      - {line}" for line in job.run_control)
        for trigger in job.triggers:
            out.append(f"    {_trigger_head(trigger)}")
            out.append(f"      {trigger.description}")
            if trigger.expression is not None:
                out.append(f"      next runs ({trigger.timezone}): {_runs(trigger) or '-'}")
                if trigger.runs_note:
                    out.append(f"        ({trigger.runs_note})")
            if trigger.overrides:
                out.append(f"      overrides: {', '.join(trigger.overrides)}")
            out.append(f"      retry: {trigger.retry}; dead letters: {trigger.dead_letter}")
    out += ["", "IAM"]
    for role in review.iam.roles:
        out.append(f"  role {role.resource}" + (f": {role.why}" if role.why else ""))
        for document in [d for d in (role.trust, *role.policies, *role.attached) if d is not None]:
            out.extend(_text_document(document, "    "))
        out.extend(f"    managed policy {arn}" for arn in role.managed_policies)
        if role.permissions_boundary:
            out.append(f"    permissions boundary {role.permissions_boundary}")
    for document in review.iam.resource_policies:
        on = f" on {', '.join(document.applies_to)}" if document.applies_to else ""
        out.append(f"  {document.title} {document.resource} ({document.resource_type}){on}")
        out.extend(_text_document(document, "    ", title=False))
    flagged = review.flagged_limits
    out += ["", f"Limits ({len(flagged)} flagged of {len(review.limits)})"]
    for check in sorted(review.limits, key=lambda c: c.status == "ok"):
        out.append(f"  {check.status.upper() if check.flagged else 'ok':5} {check}")
    out += ["", "Diagram (Mermaid)"] + ["  " + line for line in review.diagram.splitlines()]
    out += _text_cross_account(review)
    return "\n".join(out)


def _text_document(document: PolicyDocument, indent: str, *, title: bool = True) -> list[str]:
    out = [f"{indent}{document.title}"] if title else []
    inner = indent + ("  " if title else "")
    for statement in document.statements:
        first, *rest = statement.lines()
        out.append(f"{inner}{first}")
        out.extend(f"{inner}  {line}" for line in rest)
    return out


def _text_diff(diff: StackDiff) -> list[str]:
    headline = _diff_headline(diff)
    out = [f"  {headline}"] if headline else []
    if diff.broadened:
        out.append(f"  BROADENED PERMISSIONS ({len(diff.broadened)})")
        out.extend(f"    ! {b}" for b in diff.broadened)
    if diff.replacements:
        out.append(f"  REPLACEMENTS ({len(diff.replacements)})")
        out.extend(f"    ! {r}" for r in diff.replacements)
    if diff.removed:
        out.append(f"  REMOVED ({len(diff.removed)})")
        out.extend(f"    - {r}" for r in diff.removed)
    if diff.added and not diff.new_stack:
        out.append(f"  added ({len(diff.added)})")
        out.extend(f"    + {logical_id} ({kind})" for logical_id, kind in diff.added)
    if diff.changed:
        out.append(f"  changed ({len(diff.changed)})")
        for change in diff.changed:
            what = "metadata only" if change.metadata_only else change.shown_paths()
            out.append(f"    ~ {change.resource} ({change.resource_type}): {what}")
    if diff.new_permissions and not diff.new_stack:
        out.append(f"  permissions of new resources ({len(diff.new_permissions)})")
        out.extend(f"    + {p}" for p in diff.new_permissions)
    out.extend(f"  note: {note}" for note in diff.notes)
    return out


# --- Markdown ------------------------------------------------------------------------------------------


def render_markdown(reviews: list[StackReview]) -> str:
    return "\n\n".join(_md_stack(r) for r in reviews) + "\n"


def _code(text: str) -> str:
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#$])")


def _md(text: str) -> str:
    """Free text (descriptions, messages) with Markdown's special characters escaped: ARNs and keys are full
    of `*`, `_` and `${...}`, which GitHub would otherwise read as emphasis or math, and `<x>` as an HTML tag."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    return [_row(*header), "|" + "---|" * len(header)] + [_row(*r) for r in rows]


def _text_cross_account(review: StackReview) -> list[str]:
    return ["", "Cross-account (from_account)"] + [f"  {line}" for line in review.cross_account] if review.cross_account else []


def _md_stack(review: StackReview) -> str:
    out = [f"## batchjobs review: `{review.stack}` ({review.source})"]
    if review.description:
        out += ["", f"> {_md(review.description)}"]
    if review.notes:
        out += [""] + [f"- note: {_md(note)}" for note in review.notes]
    if review.diff is not None:
        out += ["", f"### {_diff_title(review.diff, review.baseline_path)}", ""] + _md_diff(review.diff)
    out += ["", "### Jobs and triggers", ""]
    out += _table(("job", "image", "size", "capacity", "logs"), [
        (_code(j.name), f"{_code(j.image)} (parameter {_code(j.image_parameter)})", j.size,
         f"{j.capacity}, {j.architecture}, {j.task_count} per run", f"{j.log_retention_days} days")
        for j in review.jobs])
    controlled = [j for j in review.jobs if j.state_machine]
    if controlled:
        out += [""] + [f"- {_code(j.name)} runs through Step Functions state machine {_code(j.state_machine)}, which "
                       + "; ".join(_md(line) for line in j.run_control) for j in controlled]
    out += [""]
    out += _table(("job", "trigger", "runs as", "fires on", "next runs", "overrides", "retry / DLQ"), [
        (_code(j.name), _code(t.name) + ("" if t.enabled else " (disabled)"), f"{t.service} {_code(t.logical_id)}",
         _md_fires_on(t), _md_runs(t), "<br>".join(_code(o) for o in t.overrides),
         f"{t.retry}; DLQ {_code(t.dead_letter) if t.dead_letter != 'none' else 'none'}")
        for j in review.jobs for t in j.triggers])
    flagged = review.flagged_limits
    out += ["", "### Limits", ""]
    if flagged:
        out += _md_limits(flagged)
    else:
        out.append(f"All {len(review.limits)} checks are below 90% of their limits.")
    out += ["", "<details><summary>All limit checks</summary>", ""] + _md_limits(review.limits) + ["", "</details>"]
    out += ["", "### IAM", ""]
    for role in review.iam.roles:
        out.append(f"**{_code(role.resource)}**" + (f": {_md(role.why)}" if role.why else ""))
        out.append("")
        rows = []
        for document in [d for d in (role.trust, *role.policies, *role.attached) if d is not None]:
            rows += [(document.title, *_md_statement(s)) for s in document.statements]
        rows += [("managed policy", "Allow", _code(arn), "", "", "") for arn in role.managed_policies]
        if role.permissions_boundary:
            rows.append(("permissions boundary", "", _code(role.permissions_boundary), "", "", ""))
        out += _table(("policy", "effect", "actions", "resources", "principals", "conditions"), rows) + [""]
    for document in review.iam.resource_policies:
        on = f" on {', '.join(_code(a) for a in document.applies_to)}" if document.applies_to else ""
        out += [f"**{_code(document.resource)}** {document.title} ({document.resource_type}){on}", ""]
        out += _table(("effect", "actions", "resources", "principals", "conditions"),
                      [_md_statement(s) for s in document.statements]) + [""]
    out += ["### Diagram", "", "```mermaid", review.diagram, "```"]
    if review.cross_account:
        out += ["", "### Cross-account (from_account)", ""] + [
            f"{'  ' if line.startswith('  ') else ''}- {_md(line.strip())}" for line in review.cross_account]
    return "\n".join(out)


def _md_fires_on(trigger: TriggerSummary) -> str:
    return _code(trigger.description) if KINDS[trigger.kind].sentence_is_code else _md(trigger.description)


def _md_runs(trigger: TriggerSummary) -> str:
    if trigger.expression is None:
        return ""
    runs = "<br>".join(_when(r) for r in trigger.next_runs) or "-"
    return runs + (f"<br>({_md(trigger.runs_note)})" if trigger.runs_note else "")


def _md_statement(statement: Statement) -> tuple[str, str, str, str, str]:
    neg = "NOT "
    return (
        statement.effect,
        (neg if statement.not_actions else "") + "<br>".join(_code(a) for a in statement.actions),
        (neg if statement.not_resources else "") + "<br>".join(_code(r) for r in statement.resources),
        (neg if statement.not_principals else "") + "<br>".join(_code(p) for p in statement.principals),
        "<br>".join(_code(str(c)) for c in statement.conditions),
    )


def _md_limits(checks: list[LimitCheck]) -> list[str]:
    marks = {"over": "**over**", "near": "near (>=90%)", "ok": "ok"}
    return _table(("resource", "limit", "value", "max", "status"), [
        (_code(c.subject), c.what, ("~" if c.estimated else "") + f"{c.value:,}", f"{c.limit:,} {c.unit}".strip(),
         marks[c.status] + (f": {_md(c.advice)}" if c.status == "over" and c.advice else ""))
        for c in checks])


def _md_diff(diff: StackDiff) -> list[str]:
    out = []
    headline = _diff_headline(diff)
    if headline:
        out += [_md(headline), ""]
    if diff.broadened:
        out += [f"**:warning: Broadened permissions ({len(diff.broadened)})**", ""]
        out += [f"- {_code(b.resource)} {b.document}: {_md(b.message)}" for b in diff.broadened] + [""]
    if diff.replacements:
        out += [f"**:warning: Replacements ({len(diff.replacements)})**", ""]
        out += [f"- {_code(r.resource)} ({r.resource_type}): **{r.kind}**"
                + (f" ({', '.join(r.properties)} changed)" if r.properties else "") + f": {_md(r.consequence)}"
                for r in diff.replacements] + [""]
    if diff.removed:
        out += [f"**Removed ({len(diff.removed)})**", ""]
        out += [f"- {_code(r.resource)} ({r.resource_type}): "
                + (f"logical ID becomes {_code(r.renamed_to)}: " if r.renamed_to else "") + _md(r.consequence)
                for r in diff.removed] + [""]
    rows = []
    if not diff.new_stack:
        rows += [("added", _code(logical_id), kind, "") for logical_id, kind in diff.added]
    rows += [("changed", _code(c.resource), c.resource_type,
              "metadata only" if c.metadata_only else _code(c.shown_paths())) for c in diff.changed]
    if rows:
        out += _table(("", "resource", "type", "what changed"), rows) + [""]
    if diff.new_permissions and not diff.new_stack:
        out += [f"<details><summary>Permissions of new resources ({len(diff.new_permissions)})</summary>", ""]
        out += [f"- {_code(p.resource)} {p.document}: {_md(p.message)}" for p in diff.new_permissions] + ["", "</details>", ""]
    out += [f"- note: {_md(note)}" for note in diff.notes]
    while out and out[-1] == "":
        out.pop()
    return out

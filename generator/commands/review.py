"""`batchjobs review [CONFIG ...] [--against REV] [--format text|markdown]`: what a reviewer needs.

For each spec: its jobs and triggers (next runs of schedules), every IAM statement per role, the limits
it comes near, a Mermaid diagram and, with --against, the diff of the template it generates now against
the one committed at REV, with broadened permissions and replacements flagged. A spec with environments is
reviewed per environment (templates/<env>/<stack>.yaml), then the environments are compared with each other. The work is done by the
pure functions in generator.review; this module reads files, runs git and picks the format.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path, PurePosixPath

from . import parse_instant
from ..errors import CheckFailed, UsageError

HELP = "what a reviewer needs: triggers and next runs, IAM per role, limits, diff against a revision, a diagram"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("configs", nargs="*", type=Path, metavar="CONFIG", help="spec files (default: config/*.yaml)")
    parser.add_argument("--against", metavar="REV",
                        help="git revision to diff with (its committed templates/<stack>.yaml), e.g. origin/main")
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="text (default) or markdown, to paste as a pull-request comment")
    parser.add_argument("--now", metavar="ISO-TIME",
                        help="count next runs from this time instead of now (ISO 8601; UTC if no offset)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR",
                        help="where the committed templates are (default: templates/)")
    parser.add_argument("--fail-on-broadening", action="store_true",
                        help="exit 1 when --against finds broadened permissions")


def run(args: argparse.Namespace, io) -> int:
    from ..pipeline import generate_stacks, source_label
    from ..review import TemplateError, review_stack
    from ..review.render import render_markdown, render_text
    from ..plan import load_specs
    from .generate import config_paths

    if args.fail_on_broadening and not args.against:
        raise UsageError("--fail-on-broadening needs --against REV (broadening is judged against a revision)")
    now = parse_instant(args.now, "--now")
    specs = load_specs(config_paths(args.configs))
    git = Git(args.against, args.templates) if args.against else None

    reviews, by_spec = [], {}
    for path, whole in specs:
        for generated in generate_stacks(path, whole):  # one, or a split spec's shared stack and job stacks
            spec = _stack_view(whole, generated.stack_name)
            on_disk = args.templates / generated.filename
            notes = list(generated.warnings)
            notes += [f"lint: {f.format(str(on_disk))}" for f in generated.findings]
            notes += [f"lint note: {f.format(str(on_disk))}" for f in generated.notes]
            if not on_disk.is_file():
                notes.append(f"{on_disk} does not exist yet: run `batchjobs generate` and commit it")
            elif on_disk.read_text(encoding="utf-8") != generated.text:
                notes.append(f"{on_disk} differs from what the spec generates (reviewed here): run `batchjobs generate`")
            if whole.environment and generated.stack is None:  # environments are compared stack to stack
                by_spec.setdefault(path, []).append((whole.environment, on_disk, generated.text))
            baseline = git.baseline(generated.filename) if git else None
            try:
                reviews.append(review_stack(spec, source_label(path), generated.text, now=now, baseline=baseline, notes=notes))
            except TemplateError as err:
                where = f"{baseline.path} at {baseline.rev}" if baseline else str(on_disk)
                raise UsageError(f"{where}: {err}") from err

    removed = git.stacks_without_spec({r.stack for r in reviews}) if git and not args.configs else []
    render = render_markdown if args.format == "markdown" else render_text
    text = render(reviews) + _environments(by_spec, args.format)
    if removed:
        text += "\n" + _removed_stacks(removed, args.against, args.format) + "\n"
    io.stdout.write(text)

    broadened = sum(len(r.broadened) for r in reviews)
    if args.fail_on_broadening and broadened:
        raise CheckFailed(f"{broadened} broadened permission(s) since {args.against} (listed in the report)")
    return 0


def _stack_view(spec, stack: str):
    """The spec as one of its stacks holds it: itself; with `split: per_job` the shared stack (no jobs) or one
    job's stack `<stack>-<job>` (that job alone), named as deployed."""
    if spec.split != "per_job":
        return spec
    if stack == spec.stack:
        return spec.model_copy(update={"jobs": {}})
    job = stack[len(spec.stack) + 1:]
    return spec.model_copy(update={"stack": stack, "jobs": {job: spec.jobs[job]}})


def _environments(by_spec: dict[Path, list], fmt: str) -> str:
    """For each spec with environments: each environment's stack, account and Region, and how they differ."""
    from ..pipeline import source_label
    from ..review import parse_template
    from ..review import environments as envs

    comparisons = []
    for path, items in by_spec.items():
        infos = [(envs.EnvironmentInfo(e.name, e.stack_name, e.account, e.region, str(target)), parse_template(text))
                 for e, target, text in items]
        comparisons.append(envs.compare_environments(items[0][0].stack, source_label(path), infos))
    return (envs.render_markdown if fmt == "markdown" else envs.render_text)(comparisons)


def _removed_stacks(names: list[str], rev: str, fmt: str) -> str:
    lines = [f"{name}: templates/{name}.yaml exists at {rev} but no spec makes it any more; "
             "the stack is not deleted by this change: delete it on purpose" for name in names]
    if fmt == "markdown":
        return f"## Stacks without a spec since `{rev}`\n\n" + "\n".join(f"- {line}" for line in lines)
    return "\n".join(f"note: {line}" for line in lines)


class Git:
    """The committed templates at one revision, read with `git show` (nothing is checked out)."""

    def __init__(self, rev: str, templates: Path):
        self.rev = rev
        root = Path(self._run("rev-parse", "--show-toplevel", what="find the git repository").strip())
        verified = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                                  capture_output=True, text=True)
        if verified.returncode != 0:  # ask git again for its own words, e.g. "bad revision 'x'"
            self._run("log", "-1", "--format=%H", "--end-of-options", rev, "--", what=f"--against {rev}")
            raise UsageError(f"--against {rev}: not a commit")
        try:
            relative = templates.resolve().relative_to(root.resolve())
        except ValueError as err:
            raise UsageError(f"--templates {templates} is outside the git repository {root}") from err
        self.folder = PurePosixPath(relative.as_posix())

    def baseline(self, filename: str):
        from ..review import Baseline

        path = str(self.folder / filename)
        found = subprocess.run(["git", "cat-file", "-e", f"{self.rev}:{path}"], capture_output=True, text=True)
        if found.returncode != 0:
            return Baseline(self.rev, None, path)
        return Baseline(self.rev, self._run("show", f"{self.rev}:{path}", what=f"read {path} at {self.rev}"), path)

    def stacks_without_spec(self, stacks: set[str]) -> list[str]:
        listing = self._run("ls-tree", "--name-only", self.rev, "--", f"{self.folder}/", what=f"list {self.folder} at {self.rev}")
        names = [PurePosixPath(line).name for line in listing.splitlines() if line.endswith(".yaml")]
        return sorted(name.removesuffix(".yaml") for name in names if name.removesuffix(".yaml") not in stacks)

    @staticmethod
    def _run(*argv: str, what: str) -> str:
        try:
            done = subprocess.run(["git", *argv], capture_output=True, text=True)
        except FileNotFoundError as err:
            raise UsageError(f"{what}: git is not installed or not on PATH") from err
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines()
            message = lines[-1].removeprefix("fatal: ") if lines else f"git exited with {done.returncode}"
            raise UsageError(f"{what}: {message}")
        return done.stdout

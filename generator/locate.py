"""Finding things the AWS verbs share: a job's spec and stack, templates, the publish result file.

run/status/logs name a JOB; its spec comes from ``--config FILE`` or from searching config/*.yaml,
its stack is ``spec.stack`` unless ``--stack-name`` says otherwise. A spec with `environments` needs
``--env NAME``: the job is that environment's, its stack ``<stack>-<env>``. Physical IDs are resolved from the
deployed stack by the logical IDs of the job's plan (``generator.plan``).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import SpecError, UsageError

IMAGES_FILE = Path(".batchjobs/images.json")  # publish writes it, deploy reads it (gitignored)


@dataclass(frozen=True)
class LocatedJob:
    config: Path
    spec: Any  # StackSpec
    job_name: str
    job: Any  # JobSpec
    stack_name: str  # the job's stack: the spec's, or with `split: per_job` `<stack>-<job>`
    shared_stack: str | None = None  # `split: per_job`: the stack of the shared resources (cluster, schedule group)

    @property
    def plan(self) -> Any:
        """The job's plan (``generator.plan.JobPlan``): its logical IDs and the names AWS knows it by."""
        from .plan import plan_job

        return plan_job(self.spec.stack, self.job_name, self.job)

    def resources(self, read: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        """Logical ID -> resource of the job's stack, read with ``read(stack name)``; with `split: per_job`
        the shared stack's too (its cluster and schedule group), the job's own winning."""
        found = dict(read(self.shared_stack)) if self.shared_stack else {}
        found.update(read(self.stack_name))
        return found


def add_job_arguments(parser: argparse.ArgumentParser, *, env: bool = True) -> None:
    parser.add_argument("job", metavar="JOB", help="job name, as under jobs: in the spec")
    parser.add_argument("--config", type=Path, metavar="FILE", help="the spec (default: the config/*.yaml naming JOB)")
    parser.add_argument("--stack-name", help="deployed stack (default: the spec's stack, <stack>-<env> with --env; "
                        "with split: per_job the shared stack, the job's being <stack>-<job>)")
    if env:  # `run` takes --env itself: NAME or, as before, KEY=VALUE
        parser.add_argument("--env", metavar="NAME", help="the environment, for a spec with `environments` (required there)")


def config_files(hint: str = "pass --config FILE") -> list[Path]:
    """config/*.yaml of the project in the working directory, sorted."""
    found = sorted(p for p in Path("config").glob("*.yaml") if p.is_file())
    if not found:
        raise UsageError(f"no config/*.yaml found: run from the project folder or {hint}")
    return found


def load_all_specs(config: Path | None, env: str | None = None) -> tuple[list[tuple[Path, Any]], list[SpecError]]:
    """Specs of --config, or of every config/*.yaml (files that do not load are returned as errors).

    A spec with `environments` gives the stack of environment ``env``, or of each environment when ``env``
    is None; a spec without gives its one stack either way."""
    from .plan import load_environments

    def of(path: Path) -> list[tuple[Path, Any]]:
        specs = load_environments(path)
        return [(path, s) for s in specs if env is None or s.environment is None or s.environment.name == env]

    if config is not None:
        if not config.is_file():
            raise UsageError(f"--config {config}: no such file")
        return of(config), []
    loaded, errors = [], []
    for path in config_files():
        try:
            loaded.extend(of(path))
        except SpecError as err:
            errors.append(err)
    return loaded, errors


def locate_job(job_name: str, config: Path | None = None, stack_name: str | None = None, env: str | None = None) -> LocatedJob:
    from .model.environments import select

    loaded, errors = load_all_specs(config, env)
    matches = [(path, spec) for path, spec in loaded if job_name in spec.jobs]
    if not matches:
        if errors:  # the job may be in a file that does not load: show why
            raise errors[0]
        if config is not None and env is not None:  # --env names none of the spec's environments
            select([(s, None) for s in _environments_of(config)], str(config), env)
        where = str(config) if config else "config/*.yaml"
        known = sorted({name for _, spec in loaded for name in spec.jobs})
        hint = f" (jobs: {', '.join(known)})" if known else ""
        in_env = f" (environment {env})" if env else ""
        raise UsageError(f"job {job_name}: not found in {where}{in_env}{hint}")
    files = sorted({path for path, _ in matches})
    if len(files) > 1:
        raise UsageError(f"job {job_name}: defined in more than one spec ({', '.join(map(str, files))}): pass --config FILE")
    path = files[0]
    spec = select([(s, None) for _, s in matches], str(path), env)[0]  # --env required with environments
    stack = stack_name or spec.stack
    if spec.split == "per_job":
        from .plan.names import job_stack_name

        return LocatedJob(path, spec, job_name, spec.jobs[job_name], job_stack_name(stack, job_name), stack)
    return LocatedJob(path, spec, job_name, spec.jobs[job_name], stack)


def _environments_of(config: Path) -> list[Any]:
    from .plan import load_environments

    return load_environments(config)


def jobs_with_repository(repository: str, config: Path | None = None, env: str | None = None) -> list[tuple[Path, str, Any]]:
    """(config, job name, job) for every job whose image is in ECR repository ``repository`` (in environment ``env``)."""
    loaded, _ = load_all_specs(config, env)
    found = []
    for path, spec in loaded:
        for name, job in spec.jobs.items():
            match = job.ecr_image
            if match and match.group("repository") == repository:
                found.append((path, name, job))
    return found


def images_file(given: Path | None, env: str | None) -> Path:
    """--images-file, else `.batchjobs/images.json`, or `.batchjobs/<env>/images.json` for an environment (each
    environment deploys the image published for it)."""
    if given is not None:
        return given
    return IMAGES_FILE.parent / env / IMAGES_FILE.name if env else IMAGES_FILE


def read_images(path: Path) -> dict[str, str]:
    """The publish result file: {parameter name: image reference}. Missing file: empty."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(f"{path}: cannot read the published images: {err}") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise UsageError(f"{path}: expected a JSON object of parameter name -> image (as `batchjobs publish` writes)")
    return data


def write_image(path: Path, parameter: str, image: str) -> None:
    from .fsutil import write_atomic

    images = read_images(path)
    images[parameter] = image
    write_atomic(path, json.dumps(dict(sorted(images.items())), indent=2) + "\n")


def physical_id(resources: dict[str, dict[str, Any]], logical_id: str, stack_name: str) -> str:
    """The deployed resource's physical ID, or an error saying the stack lacks it."""
    resource = resources.get(logical_id)
    if not resource or not resource.get("PhysicalResourceId"):
        raise UsageError(f"stack {stack_name} has no {logical_id}: deploy the job's current spec first (batchjobs deploy)")
    return resource["PhysicalResourceId"]


def cluster_of(located: LocatedJob, resources: dict[str, dict[str, Any]]) -> str:
    """The cluster the job runs on: the spec's name or ARN, or the stack's own cluster."""
    from .plan.names import CLUSTER

    cluster = located.spec.cluster
    return cluster.name or cluster.arn or physical_id(resources, CLUSTER, located.shared_stack or located.stack_name)


def family_of(located: LocatedJob) -> str:
    """The job's task definition family, as its plan names it."""
    return located.plan.family


def log_group_of(located: LocatedJob) -> str:
    """The job's log group, as its plan names it."""
    return located.plan.log_group

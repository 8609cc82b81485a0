"""Environments: one spec, several deployments (dev, prod), each its own stack `<stack>-<env>`.

```yaml
environments:
  dev:  {account: "111111111111", region: eu-west-1, jobs: {report: {triggers: [{name: nightly, enabled: false}]}}}
  prod: {account: "222222222222", region: eu-west-1, network: {subnets: [subnet-0prod]}, jobs: {report: {cpu: 1024}}}
```

The override is merged into the spec's plain data (before `defaults` are merged into the jobs, so an
environment's `defaults` reach every job): mappings key by key, at any depth; lists and scalars
replaced; the one-of mappings in ``REPLACED`` (a cluster's name/arn/create, say) replaced whole.
A job is matched by its name, a trigger by its ``name`` (an unnamed trigger has no name to match).
Every value an override sets is aliased in the positions to where the override wrote it, so a problem
it causes is reported at the override's line, and each problem found in only some environments names
them. The result is one plain-data spec per environment: the model validates each as a ``StackSpec``,
so everything after the model (plan, resources, review) sees an ordinary stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import Problem, SpecError, UsageError

if TYPE_CHECKING:
    from .load import Positions

Path_ = tuple[Any, ...]

KEY = "environments"
METADATA_KEY = "Batchjobs"  # the template's Metadata entry naming its environment, account and Region
# what an environment may override: every stack-level field but `stack` (the environment's stack is
# `<stack>-<env>`) and `environments`
OVERRIDABLE = ("description", "tags", "cluster", "network", "notifications", "kms_key", "defaults", "jobs")
TARGET = ("account", "region")  # where the environment lives: checked by `deploy` before any change
# one-of mappings: an override replaces them whole (merging `{arn: ...}` into `{name: ...}` would set both)
REPLACED = ("cluster", "kms_key", "notifications", "event_pattern", "s3_upload", "capacity")
ENV_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
MAX_ENV_NAME = 32
# An AWS account ID is 12 digits: "AWS account ID: A 12-digit number, such as 012345678901, that uniquely
# identifies an AWS account." https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
ACCOUNT_RE = re.compile(r"^\d{12}$")
# Region codes: "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "eu-central-2"
# https://docs.aws.amazon.com/general/latest/gr/rande.html#regional-endpoints
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass(frozen=True)
class Environment:
    """One environment of a spec: the spec validated with its overrides is an ordinary ``StackSpec``."""

    name: str
    stack: str  # the spec's own `stack`; the environment deploys `<stack>-<name>`
    account: str | None = None
    region: str | None = None
    names: tuple[str, ...] = ()  # every environment the spec defines, in spec order

    @property
    def stack_name(self) -> str:
        return f"{self.stack}-{self.name}"

    def metadata(self) -> dict[str, str]:
        """What the template's Metadata says of its environment (``from_metadata`` reads it back)."""
        found = {"Environment": self.name, "Stack": self.stack, "Account": self.account, "Region": self.region}
        return {k: v for k, v in found.items() if v is not None}

    @classmethod
    def from_metadata(cls, template: dict[str, Any]) -> "Environment | None":
        """The environment a generated template is for (None: a template without one)."""
        meta = (template.get("Metadata") or {}).get(METADATA_KEY) if isinstance(template.get("Metadata"), dict) else None
        if not isinstance(meta, dict) or not isinstance(meta.get("Environment"), str) or not isinstance(meta.get("Stack"), str):
            return None
        account, region = meta.get("Account"), meta.get("Region")
        return cls(meta["Environment"], meta["Stack"], str(account) if account is not None else None,
                   str(region) if region is not None else None)

    @property
    def template_path(self) -> str:
        """Where `generate` writes its template, under the templates folder."""
        return f"{self.name}/{self.stack}.yaml"


def select(loaded: list[tuple[Any, Any]], file: str, env: str | None) -> tuple[Any, Any]:
    """The (StackSpec, positions) of environment ``env`` among one spec's stacks (None: a spec without environments)."""
    names = [spec.environment.name for spec, _ in loaded if spec.environment]
    if not names:
        if env is not None:
            raise UsageError(f"--env {env}: {file} defines no environments")
        return loaded[0]
    if env is None:
        raise UsageError(f"{file} defines environments ({', '.join(names)}): pass --env NAME")
    for item in loaded:
        if item[0].environment.name == env:
            return item
    raise UsageError(f"--env {env}: {file} has no environment {env!r} (environments: {', '.join(names)})")


def target_mismatch(env: Environment, account: str, region: str) -> str | None:
    """Why credentials of ``account`` in ``region`` must not deploy ``env`` (None: they may)."""
    wrong = []
    if env.account is not None and account != env.account:
        wrong.append(f"account {env.account}, but the credentials in use are of account {account}")
    if env.region is not None and region != env.region:
        wrong.append(f"Region {env.region}, but the Region in use is {region}")
    if not wrong:
        return None
    return f"environment {env.name} is in " + " and in ".join(wrong)


def split(data: dict[str, Any], positions: "Positions", file: str) -> list[tuple[Environment | None, dict[str, Any], "Positions"]]:
    """The spec's plain data per environment (one item, with no environment, for a spec without any)."""
    if KEY not in data:
        return [(None, data, positions)]
    from .load import _dotted

    problems: list[Problem] = []

    def problem(path: Path_, message: str, *, key: bool = False) -> None:
        shown, position = positions.locate(path, key=key)
        line, column = position or (None, None)
        problems.append(Problem(file, _dotted(shown), message, line, column))

    envs = data[KEY]
    base = {k: v for k, v in data.items() if k != KEY}
    if not isinstance(envs, dict) or not envs:
        problem((KEY,), "must be a mapping of environment name -> overrides, e.g. `environments: {dev: {}, prod: {...}}`")
        raise SpecError(problems)
    stack = base.get("stack") if isinstance(base.get("stack"), str) else "stack"
    out = []
    for name, override in envs.items():
        at: Path_ = (KEY, name)
        if not ENV_NAME_RE.match(name) or len(name) > MAX_ENV_NAME:
            problem(at, f"environment name {name!r}: lowercase letters, digits and hyphens, starting with a letter, "
                        f"at most {MAX_ENV_NAME} characters (it names the stack `{stack}-<env>` and the folder templates/<env>/)",
                    key=True)
            continue
        override = {} if override is None else override
        if not isinstance(override, dict):
            problem(at, f"environment {name}: must be a mapping of overrides (or empty), got {type(override).__name__}")
            continue
        env_positions = _copy(positions)
        merged = dict(base)
        for field, value in override.items():
            where = at + (field,)
            if field in TARGET:
                _check_target(field, value, name, where, problem)
            elif field == "jobs":
                merged["jobs"] = _merge_jobs(base.get("jobs"), value, name, where, env_positions, problem)
            elif field in OVERRIDABLE:
                merged[field] = _merge((field,), base.get(field), value, where, env_positions)
            elif field in ("stack", KEY):
                problem(where, f"environment {name}: `{field}` cannot be overridden"
                               + (f" (the environment's stack is `{stack}-{name}`)" if field == "stack" else ""), key=True)
            else:
                allowed = ", ".join(TARGET + OVERRIDABLE)
                problem(where, f"environment {name}: unknown field {field!r} (allowed: {allowed})", key=True)
        if isinstance(base.get("stack"), str):
            merged["stack"] = f"{base['stack']}-{name}"
        target = Environment(name, stack, *(override.get(f) if isinstance(override.get(f), str) else None for f in TARGET),
                             names=tuple(envs))
        out.append((target, merged, env_positions))
    if problems:
        raise SpecError(problems)
    return out


def _check_target(field: str, value: Any, env: str, where: Path_, problem) -> None:
    if field == "account" and not (isinstance(value, str) and ACCOUNT_RE.match(value)):
        hint = ": quote it in YAML (an account ID may start with 0)" if isinstance(value, int) else ""
        problem(where, f"environment {env}: account must be a 12-digit AWS account ID as a string, got {value!r}{hint}")
    if field == "region" and not (isinstance(value, str) and REGION_RE.match(value)):
        problem(where, f"environment {env}: region must be an AWS Region code such as eu-west-1, got {value!r}")


def _merge_jobs(jobs: Any, override: Any, env: str, where: Path_, positions: "Positions", problem) -> Any:
    if not isinstance(override, dict):
        problem(where, f"environment {env}: jobs must be a mapping of job name -> overrides")
        return jobs
    if not isinstance(jobs, dict):
        return jobs  # the spec's own `jobs` is wrong: the model reports that
    merged = dict(jobs)
    for job_name, job_override in override.items():
        if job_name not in jobs:
            problem(where + (job_name,), f"environment {env}: no job {job_name!r} in jobs (jobs: {', '.join(jobs)}); "
                                         "an environment overrides jobs, it cannot add one", key=True)
            continue
        job, job_at = jobs[job_name], where + (job_name,)
        if not isinstance(job_override, dict) or not isinstance(job, dict):
            merged[job_name] = _merge(("jobs", job_name), job, job_override, job_at, positions)
            continue
        job = dict(job)
        for field, value in job_override.items():
            if field == "triggers":
                job[field] = _merge_triggers(job_name, job.get(field), value, env, job_at + (field,), positions, problem)
            else:
                job[field] = _merge(("jobs", job_name, field), job.get(field), value, job_at + (field,), positions)
        merged[job_name] = job
    return merged


def _merge_triggers(job: str, triggers: Any, override: Any, env: str, where: Path_, positions: "Positions", problem) -> Any:
    """Each override item names the trigger it changes; triggers are neither added nor removed."""
    if not isinstance(override, list):
        problem(where, f"environment {env}: triggers must be a list of overrides, each naming its trigger, "
                       "e.g. [{name: nightly, enabled: false}]")
        return triggers
    if triggers is None:
        problem(where, f"environment {env}: job {job} has no triggers of its own to override (triggers from `defaults` "
                       "are overridden as a whole list, under the environment's `defaults: {triggers: [...]}`)")
        return triggers
    if not isinstance(triggers, list):
        return triggers
    index = {t.get("name"): i for i, t in enumerate(triggers) if isinstance(t, dict) and isinstance(t.get("name"), str)}
    unnamed = sum(1 for t in triggers if not (isinstance(t, dict) and isinstance(t.get("name"), str)))
    merged = list(triggers)
    for k, item in enumerate(override):
        name = item.get("name") if isinstance(item, dict) else None
        if name is None or name not in index:
            named = f"named triggers: {', '.join(map(str, index))}" if index else "it has no named trigger"
            why = (f"; {unnamed} of its triggers ha{'s' if unnamed == 1 else 've'} no `name` and cannot be overridden: "
                   "give the trigger a name in the spec") if unnamed else ""
            what = f"no trigger named {name!r}" if name is not None else "a trigger override needs the `name` of the trigger it changes"
            problem(where + (k,), f"environment {env}: job {job}: {what} ({named}){why}")
            continue
        i = index[name]
        merged[i] = _merge(("jobs", job, "triggers", i), triggers[i], item, where + (k,), positions)
    return merged


def _merge(path: Path_, base: Any, value: Any, where: Path_, positions: "Positions") -> Any:
    """``value`` over ``base``: mappings key by key (but REPLACED ones whole), anything else replaced.
    Every value taken from the override reports at ``where`` (the override's own path)."""
    if isinstance(base, dict) and isinstance(value, dict) and path[-1] not in REPLACED:
        merged = dict(base)
        for key, item in value.items():
            merged[key] = _merge(path + (key,), base.get(key), item, where + (key,), positions)
        return merged
    positions.aliases[path] = where
    return value


def _copy(positions: "Positions") -> "Positions":
    from .load import Positions

    copy = Positions()
    copy.values, copy.keys, copy.blocks = positions.values, positions.keys, positions.blocks  # read-only after parsing
    copy.aliases = dict(positions.aliases)
    return copy


def name_problems(found: list[tuple[Environment | None, list[Problem]]]) -> list[Problem]:
    """One list of problems: a problem every environment has is reported once, others name their environments."""
    if len(found) == 1 and found[0][0] is None:
        return found[0][1]
    everywhere = len(found)
    by_problem: dict[Problem, list[str]] = {}
    for env, problems in found:
        for p in problems:
            by_problem.setdefault(p, []).append(env.name if env else "")
    out = []
    for p, envs in by_problem.items():
        if len(envs) == everywhere or p.path.startswith(KEY + "."):  # the latter's path names its environment
            out.append(p)
        else:
            out.append(Problem(p.file, p.path, f"{p.message} (in environment {', '.join(envs)})", p.line, p.column))
    return out

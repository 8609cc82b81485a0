"""Benchmark `batchjobs generate`: cold and warm fleets, one changed job, the examples, generation alone, --help.

    python benchmarks/generate_bench.py                  # 1,000 jobs, one config file each
    python benchmarks/generate_bench.py --jobs 200       # a quicker look
    python benchmarks/generate_bench.py --layout split   # one file, `split: per_job` (once the spec has it)
    python benchmarks/generate_bench.py --only help,examples,generation

Prints the machine (cores, CPU model, Python, package versions), then each figure beside its goal (issue
#13). Every `generate` runs as a user runs it: a fresh `python -m generator.cli` process in a scratch
project, with its own lint cache (BATCHJOBS_CACHE_DIR) so "cold" means an empty lint cache (not a cold
disk: cfn-lint is loaded once before). Bytecode is written (PYTHONDONTWRITEBYTECODE unset), as an installed
package has its .pyc files. Each figure is wall time and, in brackets, the CPU time (user + system) of the
process and its workers: on a shared machine the wall time grows with the others' load, the CPU time much less.
`cdk synth` of the same fleet (benchmarks/cdk/app.js: one stack per job, each a scheduled Fargate task, no
lint) is timed beside ours when `cdk` and aws-cdk-lib are installed: `npm install` in benchmarks/cdk, or
`--cdk-dir DIR` where it ran, or `cdk` on the PATH; otherwise that figure is skipped. Nothing is
downloaded. Not part of CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOALS = {  # issue #13, on a 2-core machine
    "cold": 150.0,
    "warm": None,
    "one_changed": 2.0,
    "examples_unchanged": 0.5,
    "generation_per_job_ms": 2.0,
    "help": 0.3,
}
KINDS = ("schedule", "s3_upload", "event_pattern")


# ---------------------------------------------------------------------------------------------- the fleet
def job_yaml(index: int, *, cpu: int = 256, indent: str = "  ") -> str:
    """One job; the trigger kind and settings vary with ``index`` so templates differ as real ones do."""
    kind = KINDS[index % len(KINDS)]
    name = f"job-{index:04d}"
    lines = [
        f"{name}:",
        f"  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:v{index % 7}",
        f"  cpu: {cpu}",
        f"  memory: {cpu * 2}",
        f"  environment: {{LOG_LEVEL: INFO, JOB_INDEX: '{index}'}}",
        "  triggers:",
    ]
    if kind == "schedule":
        lines.append(f"    - schedule: cron({index % 60} {index % 24} * * ? *)")
    elif kind == "s3_upload":
        lines += [
            f"    - s3_upload: {{bucket: uploads-{index % 13}, prefix: in/{name}/, suffix: .csv}}",
            "      environment: {INPUT_KEY: $.detail.object.key}",
        ]
        lines += ["  permissions:", f"    s3_read: [uploads-{index % 13}]"]
    else:
        lines += [
            "    - event_pattern:",
            "        source: [com.example.orders]",
            f"        detail-type: [Order{index % 5}]",
            "      environment: {ORDER_ID: $.detail.order-id}",
        ]
    return "".join(f"{indent}{line}\n" for line in lines)


STACK_HEAD = """stack: {stack}
cluster: {{name: production}}
network: {{subnets: [subnet-12345678], security_groups: [sg-87654321]}}
notifications: {{email: [ops@example.com]}}
{extra}jobs:
"""


def write_fleet(folder: Path, jobs: int, layout: str) -> list[Path]:
    """The config files of a fleet of ``jobs`` jobs. layout ``files``: one file (stack) per job;
    ``split``: one file of every job with ``split: per_job`` (a stack per job, issue #13)."""
    folder.mkdir(parents=True, exist_ok=True)
    if layout == "files":
        paths = []
        for index in range(jobs):
            path = folder / f"fleet-{index:04d}.yaml"
            path.write_text(STACK_HEAD.format(stack=f"fleet-{index:04d}", extra="") + job_yaml(index))
            paths.append(path)
        return paths
    path = folder / "fleet.yaml"
    body = STACK_HEAD.format(stack="fleet", extra="split: per_job\n")
    path.write_text(body + "".join(job_yaml(index) for index in range(jobs)))
    return [path]


def change_one_job(paths: list[Path], layout: str) -> None:
    """Change job 0's cpu (and memory with it), as a user editing one job would."""
    target = paths[0]
    text = target.read_text()
    changed = text.replace(job_yaml(0), job_yaml(0, cpu=512), 1)
    assert changed != text, "job 0 not found"
    target.write_text(changed)


# ---------------------------------------------------------------------------------------------- running
class Timing(tuple):
    """(wall seconds, CPU seconds of the process and the workers it waited for)."""

    def __new__(cls, wall: float, cpu: float):
        return super().__new__(cls, (wall, cpu))


def cli_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED")}
    env.update(PYTHONPATH=str(REPO), BATCHJOBS_CACHE_DIR=str(cache))
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> Timing:
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return Timing(elapsed, _children_cpu() - cpu)


def generate_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", "generate", *args]


def median_of(runs: int, fn) -> Timing:
    timings = [fn() for _ in range(runs)]
    return Timing(statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings))


# ---------------------------------------------------------------------------------------------- figures
def bench_fleet(work: Path, jobs: int, layout: str, env: dict[str, str], cache: Path) -> dict:
    project = work / "fleet"
    paths = write_fleet(project / "config", jobs, layout)
    warm_up = work / "warm-up"
    shutil.copytree(REPO / "config", warm_up / "config")
    timed(generate_cmd(), warm_up, dict(env, BATCHJOBS_CACHE_DIR="off"))  # cfn-lint read from disk once
    shutil.rmtree(cache, ignore_errors=True)
    out: dict = {}
    out["cold"] = timed(generate_cmd(), project, env)
    out["warm"] = timed(generate_cmd(), project, env)
    change_one_job(paths, layout)
    out["one_changed"] = timed(generate_cmd(), project, env)
    templates = sorted((project / "templates").rglob("*.yaml"))
    out["templates"] = len(templates)
    return out


def bench_examples(work: Path, env: dict[str, str], runs: int) -> Timing:
    project = work / "examples"
    shutil.copytree(REPO / "config", project / "config")
    timed(generate_cmd(), project, env)  # fills the lint cache and templates/
    return median_of(runs, lambda: timed(generate_cmd(), project, env))


def bench_one_job_cold(work: Path, env: dict[str, str], runs: int) -> Timing:
    """`generate` of a one-job spec (a schedule, as CDK's app has) with empty caches: loading cfn-lint and
    linting included, as a first run pays (compare `cdk synth, one job`, which does not lint)."""
    project = work / "one-job"
    write_fleet(project / "config", 1, "files")

    def once() -> Timing:
        shutil.rmtree(project / "templates", ignore_errors=True)
        cache = work / "one-job-cache"
        shutil.rmtree(cache, ignore_errors=True)
        return timed(generate_cmd(), project, dict(env, BATCHJOBS_CACHE_DIR=str(cache)))

    return median_of(runs, once)


def bench_help(env: dict[str, str], runs: int) -> Timing:
    cmd = [sys.executable, "-m", "generator.cli", "--help"]
    timed(cmd, REPO, env)
    return median_of(runs, lambda: timed(cmd, REPO, env))


def bench_generation(work: Path, jobs: int) -> Timing:
    """Milliseconds per job for spec -> template text (build_template + render, no lint, no load), best of 3:
    wall and CPU (this process's)."""
    sys.path.insert(0, str(REPO))
    from generator.pipeline import source_label
    from generator.plan import load_specs
    from generator.resources import build_template
    from generator.resources.render import render_yaml

    paths = write_fleet(work / "generation", jobs, "files")
    specs = load_specs(paths)
    best = best_cpu = float("inf")
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        for path, spec in specs:
            source = source_label(path)
            template, _ = build_template(spec, source)
            render_yaml(template, source)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return Timing(best / jobs * 1000, best_cpu / jobs * 1000)


def bench_cdk(work: Path, jobs: int, cdk_dir: Path | None) -> dict[str, Timing] | None:
    """`cdk synth` of the same fleet (benchmarks/cdk/app.js), when cdk and aws-cdk-lib are installed: on the
    PATH and beside app.js, or in ``cdk_dir`` (a folder where `npm install aws-cdk aws-cdk-lib constructs` ran)."""
    node = shutil.which("node")
    app = REPO / "benchmarks" / "cdk"
    env = dict(os.environ, CDK_DISABLE_VERSION_CHECK="1")
    if cdk_dir is None and (app / "node_modules" / ".bin" / "cdk").exists():
        cdk_dir = app  # `npm install` ran in benchmarks/cdk (package.json lists aws-cdk, aws-cdk-lib, constructs)
    if cdk_dir is not None:
        cdk = str(cdk_dir / "node_modules" / ".bin" / "cdk")
        env["NODE_PATH"] = str(cdk_dir / "node_modules")  # app.js's require() looks there too
    else:
        cdk = shutil.which("cdk")
    if not cdk or not Path(cdk).exists() or not node or not (app / "app.js").is_file():
        return None
    found = subprocess.run([node, "-e", "require.resolve('aws-cdk-lib')"], cwd=app, capture_output=True, env=env)
    if found.returncode != 0:
        return None
    version = subprocess.run([cdk, "--version"], capture_output=True, text=True, env=env).stdout.strip()
    print(f"  cdk {version}, node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()}")
    figures = {}
    for label, count in (("one job", 1), (f"{jobs} jobs", jobs)):
        out = work / f"cdk-{count}"
        env = dict(env, BENCH_JOBS=str(count))
        cmd = [cdk, "synth", "--quiet", "--no-notices", "--app", f"{node} app.js", "--output", str(out)]
        figures[label] = timed(cmd, app, env)
    return figures


def machine() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    versions = []
    for package in ("cfn-lint", "troposphere", "cfn-flip", "pydantic", "PyYAML"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} absent")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    return [
        f"machine: {cores} cores, {model}, {platform.system()} {platform.release()}",
        f"python:  {platform.python_implementation()} {platform.python_version()}",
        f"packages: {', '.join(versions)}",
        "load before: " + (" ".join(f"{x:.2f}" for x in load) if load else "unknown"),
    ]


def line(label: str, value, unit: str, goal: float | None) -> str:
    """A figure beside its goal; a Timing shows its CPU time in brackets (the goal is on the wall time)."""
    wall, cpu = value if isinstance(value, tuple) else (value, None)
    verdict = "" if goal is None else (f"  goal <= {goal:g} {unit}: " + ("met" if wall <= goal else "MISSED"))
    shown = f"{wall:9.3f} {unit}" + (f" (cpu {cpu:8.3f} {unit})" if cpu is not None else " " * 16)
    return f"  {label:<40} {shown}{verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--layout", choices=("files", "split"), default="files",
                        help="files: one config file (stack) per job; split: one file with `split: per_job`")
    parser.add_argument("--runs", type=int, default=5, help="runs whose median is shown (examples, --help)")
    parser.add_argument("--cdk-dir", type=Path, default=None,
                        help="a folder where `npm install aws-cdk aws-cdk-lib constructs` ran (default: cdk on PATH)")
    parser.add_argument("--cdk-jobs", type=int, default=None, help="jobs in CDK's fleet (default: --jobs)")
    parser.add_argument("--only", default="help,examples,generation,fleet,cdk",
                        help="comma-separated: help, examples, generation, fleet, cdk")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    for text in machine():
        print(text)
    print(f"fleet: {args.jobs} jobs, layout {args.layout}")
    with tempfile.TemporaryDirectory(prefix="batchjobs-bench-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        env = cli_env(cache)
        if "help" in only:
            print(line("batchjobs --help (median)", bench_help(env, args.runs), "s", GOALS["help"]), flush=True)
        if "examples" in only:
            value = bench_examples(work, env, args.runs)
            print(line("unchanged generate of config/ (median)", value, "s", GOALS["examples_unchanged"]), flush=True)
        if "examples" in only:
            value = bench_one_job_cold(work, env, min(args.runs, 3))
            print(line("one-job spec, cold (empty caches, median)", value, "s", None), flush=True)
        if "generation" in only:
            value = bench_generation(work, min(args.jobs, 200))
            print(line("generation alone, per job (best of 3)", value, "ms", GOALS["generation_per_job_ms"]), flush=True)
        if "fleet" in only:
            figures = bench_fleet(work, args.jobs, args.layout, env, cache)
            print(f"  {args.jobs} jobs -> {int(figures['templates'])} templates:")
            print(line("cold (empty lint cache)", figures["cold"], "s", GOALS["cold"]))
            print(line("warm (nothing changed)", figures["warm"], "s", GOALS["warm"]))
            print(line("one job changed", figures["one_changed"], "s", GOALS["one_changed"]), flush=True)
        if "cdk" in only:
            figures = bench_cdk(work, args.cdk_jobs or args.jobs, args.cdk_dir)
            if figures is None:
                print("  cdk synth: skipped (cdk, node or aws-cdk-lib not installed; see benchmarks/cdk/)")
            for label, value in (figures or {}).items():
                print(line(f"cdk synth, {label}", value, "s", None))
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    print("load after: " + (" ".join(f"{x:.2f}" for x in load) if load else "unknown"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

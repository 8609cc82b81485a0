"""Benchmark cfn-lint's cost per template, with and without generator/lint/speedups.py (issue #13).

    python benchmarks/lint_bench.py                     # 40 one-job templates of a split fleet, 3 rounds
    python benchmarks/lint_bench.py --jobs 90 --rounds 5
    python benchmarks/lint_bench.py --per-rule          # also: where the CPU goes, rule by rule
    python benchmarks/lint_bench.py --templates templates/*.yaml tests/golden/*/template.yaml

Prints the machine, then for each mode (speed-ups off, on) the CPU time per template (process time of this
one process: on a shared machine the wall time grows with the others' load, the CPU time much less) and
templates per second of wall time. Each round lints every template once with the speed-ups off and once
on, back to back in the same process and the same minute, with one Linter (its rules loaded once, as a lint
worker has them); the figure is the median over rounds. The speed-ups' memos start empty at each "on" pass,
as in a fresh worker. The findings of both modes are compared: the script fails if they differ.

--per-rule times each cfn-lint rule's own work (its matchall / validate / keyword methods, time spent in a
rule it calls is that rule's) over the first round's templates with the speed-ups on, and prints the rules
that cost the most: what switching a rule off would save, were that allowed (it is not: see the report).

The fleet is the one benchmarks/generate_bench.py uses (`split: per_job`: one stack per job, the three
trigger kinds in turn), rendered in this process without linting. Not part of CI.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import types
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def fleet_templates(jobs: int) -> list[str]:
    """The one-job templates of a split fleet of ``jobs`` jobs (the shared stack left out)."""
    import generate_bench

    from generator.pipeline import render_stacks
    from generator.plan import load_spec

    with tempfile.TemporaryDirectory() as work:
        [path] = generate_bench.write_fleet(Path(work) / "config", jobs, "split")
        generated = render_stacks(path, load_spec(path))
    return [g.text for g in generated if g.stack and g.stack != generated[0].stack]


def lint_pass(linter, texts: list[str]) -> tuple[float, float, list]:
    """(CPU seconds, wall seconds, results) of linting ``texts`` once."""
    cpu, wall = time.process_time(), time.perf_counter()
    results = [linter.check_text(text) for text in texts]
    return time.process_time() - cpu, time.perf_counter() - wall, results


class RuleTimer:
    """Each rule's own CPU time: a timed method's time less that of the timed methods it calls."""

    def __init__(self):
        self.own: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list] = []  # [rule id, time spent in timed callees]

    def _timed(self, rule_id: str, fn, args, kwargs):
        self._stack.append([rule_id, 0.0])
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            elapsed = time.process_time() - start
            _, inner = self._stack.pop()
            self.own[rule_id] += elapsed - inner
            if self._stack:
                self._stack[-1][1] += elapsed

    def _iterate(self, rule_id: str, iterator):
        while True:
            try:
                item = self._timed(rule_id, next, (iterator,), {})
            except StopIteration:
                return
            yield item

    def wrap(self, rule_id: str, method):
        def timed(*args, **kwargs):
            self.calls[rule_id] += 1
            result = self._timed(rule_id, method, args, kwargs)
            if isinstance(result, types.GeneratorType):
                return self._iterate(rule_id, result)
            return result

        return timed

    def instrument(self, rules) -> None:
        """Wrap, on each rule object, the methods cfn-lint calls to run it."""
        names = {"matchall", "matchall_resource_properties", "validate"}
        for rule in rules.values():
            names.update(getattr(rule, "rule_set", {}) or {})
        for rule_id, rule in rules.items():
            for name in names:
                method = getattr(rule, name, None)
                if isinstance(method, types.MethodType):
                    setattr(rule, name, self.wrap(rule_id, method))


def machine() -> list[str]:
    import generate_bench

    return generate_bench.machine()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=40, help="one-job templates of a split fleet (default 40)")
    parser.add_argument("--templates", nargs="*", type=Path, help="lint these files instead of a fleet")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-rule", action="store_true", help="also print the costliest rules")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    from generator.lint import Linter, speedups

    print("\n".join(machine()))
    texts = [p.read_text() for p in args.templates] if args.templates else fleet_templates(args.jobs)
    size = sum(len(t) for t in texts) / max(1, len(texts)) / 1024
    print(f"templates: {len(texts)} ({size:.1f} KB each on average)")
    if not speedups.supported():
        print("speed-ups: not applicable to this cfn-lint version; timing it as it is")
    linter = Linter()
    linter.check_text(texts[0])  # warm: imports, schemas, regex caches

    figures: dict[str, list[tuple[float, float]]] = {"off": [], "on": []}
    same = True
    for _ in range(args.rounds):
        speedups.uninstall()
        cpu, wall, plain = lint_pass(linter, texts)
        figures["off"].append((cpu, wall))
        if speedups.install():
            speedups.install_rules(linter._rules.data)  # noqa: SLF001 - as Linter() does
            cpu, wall, fast = lint_pass(linter, texts)
            figures["on"].append((cpu, wall))
            same = same and fast == plain
    n = len(texts)
    for mode, runs in figures.items():
        if not runs:
            continue
        cpu = statistics.median(c for c, _ in runs) / n
        wall = statistics.median(w for _, w in runs)
        print(f"  speed-ups {mode:<3}  cpu {cpu * 1000:7.1f} ms/template   {n / wall:6.2f} templates/s (wall)"
              f"   rounds: {' '.join(f'{c / n * 1000:.0f}' for c, _ in runs)} ms")
    if figures["on"]:
        off = statistics.median(c for c, _ in figures["off"])
        on = statistics.median(c for c, _ in figures["on"])
        print(f"  cpu saved: {(1 - on / off) * 100:.0f}%   findings identical: {same}")
        print(f"  memo: {speedups.stats}")

    if args.per_rule:
        timer = RuleTimer()
        speedups.install()
        speedups.install_rules(linter._rules.data)  # noqa: SLF001
        timer.instrument(linter._rules.data)  # noqa: SLF001
        cpu, _, _ = lint_pass(linter, texts)
        timed = sum(timer.own.values())
        print(f"\nper rule, speed-ups on: {cpu / n * 1000:.1f} ms/template in all, {timed / n * 1000:.1f} ms in rules")
        print(f"  {'rule':<7} {'ms/template':>11} {'share':>6} {'calls/template':>15}")
        for rule_id, own in sorted(timer.own.items(), key=lambda item: -item[1])[: args.top]:
            print(f"  {rule_id:<7} {own / n * 1000:11.2f} {own / cpu * 100:5.1f}% {timer.calls[rule_id] / n:15.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

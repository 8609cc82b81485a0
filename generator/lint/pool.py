"""Lint many templates: cached results first, the rest in worker processes that load cfn-lint once each.

``check_texts`` answers in the order asked and exactly as ``Linter.check_text`` would (each result is
sorted by position there), whether a result comes from the cache, this process or a worker: parallel and
serial runs print the same. Workers start only when more than one template needs linting and more than one
core is available; should the pool fail to start or break, the remaining templates are linted here.
"""

from __future__ import annotations

import os

from . import LintResult, shared_linter
from .cache import LintCache, key_for, linter_digest


WORKERS_ENV = "BATCHJOBS_LINT_WORKERS"  # at most this many worker processes (1: lint in this process)


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    cores = available_cores()
    try:
        return max(1, min(cores, int(os.environ.get(WORKERS_ENV, cores))))
    except ValueError:
        return cores


def check_texts(texts: list[str], *, cache: LintCache | None = None, workers: int | None = None) -> list[LintResult]:
    """Each template's ``LintResult``, in order. ``cache``: default the project's (``LintCache.default()``);
    ``workers``: default one per available core, at most $BATCHJOBS_LINT_WORKERS (1 lints here, in this process)."""
    cache = LintCache.default() if cache is None else cache
    linter = linter_digest()
    keys = [key_for(text, linter) for text in texts]
    results: dict[str, LintResult] = {}
    todo: dict[str, str] = {}  # key -> text, each distinct template once
    for key, text in zip(keys, texts):
        if key in results or key in todo:
            continue
        cached = cache.get(key)
        if cached is None:
            todo[key] = text
        else:
            results[key] = cached
    if todo:
        pending = list(todo)

        def store(index: int, result: LintResult) -> None:  # as each arrives: an interrupted run keeps its work
            results[pending[index]] = result
            cache.put(pending[index], result)

        _lint(list(todo.values()), workers or default_workers(), store)
    return [results[key] for key in keys]


def _lint(texts: list[str], workers: int, store) -> None:
    """Lint ``texts``, calling ``store(index, result)`` for each."""
    workers = min(workers, len(texts))
    if workers <= 1:
        return _serial(texts, 0, store)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_start_worker) as pool:
            # small chunks keep both workers busy to the end; templates differ in size
            chunksize = max(1, min(8, len(texts) // (workers * 4)))
            for result in pool.map(_check, texts, chunksize=chunksize):
                store(done, result)
                done += 1
    except (BrokenProcessPool, OSError):  # e.g. no semaphores in a sandbox, a worker killed: finish here
        pass
    _serial(texts[done:], done, store)


def _serial(texts: list[str], offset: int, store) -> None:
    if not texts:
        return
    linter = shared_linter()
    for index, text in enumerate(texts, offset):
        store(index, linter.check_text(text))


def _context():
    import multiprocessing

    # fork: a worker starts with this process's modules (model, resources) already imported; cfn-lint is
    # not among them (it is loaded only where linting happens), so each worker loads it once, in parallel
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _start_worker() -> None:
    shared_linter()  # load the rules before the first template arrives


def _check(text: str) -> LintResult:
    return shared_linter().check_text(text)

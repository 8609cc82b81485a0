"""Lint many templates: cached results first, the rest in worker processes that load cfn-lint once each.

A ``Batch`` takes templates as they are produced. A cached result is taken at once; the first template that
needs linting starts the workers (or ``start()`` does, earlier), so cfn-lint loads and lints on the other core
while the rest of the templates are still being built. ``results()`` answers in the order added and exactly
as ``Linter.check_text`` would (each result is sorted by position there), whether a result comes from the
cache, this process or a worker: parallel and serial runs print the same. Workers start only when more than
one core is available; should the pool fail to start or break, the remaining templates are linted here.
"""

from __future__ import annotations

import os
from typing import Any

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
    batch = Batch(cache=cache, workers=workers)
    for text in texts:
        batch.add(text)
    return batch.results()


class Batch:
    """Templates to lint, added one by one; ``results()`` once all are added."""

    def __init__(self, *, cache: LintCache | None = None, workers: int | None = None):
        self.cache = LintCache.default() if cache is None else cache
        self.workers = workers or default_workers()
        self._linter = linter_digest()
        self._keys: list[str] = []
        self._done: dict[str, LintResult] = {}
        self._todo: dict[str, str] = {}  # key -> text, each distinct template once, not yet linted
        self._futures: dict[str, Any] = {}  # key -> its worker's future
        self._pool: Any = None  # the worker pool, once started; False: it could not start, or broke

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            self.abort()

    def abort(self) -> None:
        """Stop the workers without waiting for them (the run failed: nothing they do is needed)."""
        if self._pool:
            self._pool.abort()
        self._pool = False
        self._futures.clear()

    def start(self) -> None:
        """Start the workers now, and have one of them load cfn-lint, ahead of the first template that needs
        it. The others load it with their first template: when a single template changed, a second worker
        loading cfn-lint would only take the core this process is building on."""
        if self._pool is None and self.workers > 1:
            self._pool = _start_pool(self.workers)
            if self._pool:
                self._pool.pool.submit(shared_linter)

    def add(self, text: str) -> None:
        key = key_for(text, self._linter)
        self._keys.append(key)
        if key in self._done or key in self._todo or key in self._futures:
            return
        cached = self.cache.get(key)
        if cached is not None:
            self._done[key] = cached
            return
        self.start()
        if self._pool:
            try:
                self._futures[key] = self._pool.submit(_check, text)
                return
            except (RuntimeError, OSError):  # a broken pool refuses new work: lint it here
                self._stop()
        self._todo[key] = text

    def results(self) -> list[LintResult]:
        """Each added template's result, in the order added (waits for the workers)."""
        from concurrent.futures.process import BrokenProcessPool

        for key, future in self._futures.items():
            try:
                self._store(key, future.result())
            except (BrokenProcessPool, OSError):  # a worker killed: what is left is linted here
                self._todo.setdefault(key, future.text)
        self._futures.clear()
        self._stop()
        if self._todo:
            linter = shared_linter()
            for key, text in self._todo.items():
                self._store(key, linter.check_text(text))
            self._todo.clear()
        return [self._done[key] for key in self._keys]

    def _stop(self) -> None:
        if self._pool:
            self._pool.shutdown()
        self._pool = False

    def _store(self, key: str, result: LintResult) -> None:  # as each arrives: an interrupted run keeps its work
        self._done[key] = result
        self.cache.put(key, result)


def _start_pool(workers: int) -> Any:
    """A pool of ``workers`` processes (each loads cfn-lint when first used); False when none can start."""
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
        pool.submit(_ready).result()  # with fork, every worker starts at the first task, before any thread
    except (OSError, ImportError, RuntimeError):  # e.g. no semaphores in a sandbox: lint here
        return False
    return _TextPool(pool)


class _TextPool:
    """The executor, each future remembering its template (to lint it here should its worker die)."""

    def __init__(self, pool: Any):
        self.pool = pool

    def submit(self, fn, text: str):
        future = self.pool.submit(fn, text)
        future.text = text
        return future

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        # the executor has no public way to stop a running task (terminate_workers() is Python 3.14's): end
        # its processes, or the interpreter would wait at exit for the one loading cfn-lint
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)


def _context():
    import multiprocessing

    # fork: a worker starts with this process's modules (model, resources) already imported; cfn-lint is
    # not among them (it is loaded only where linting happens), so each worker loads it once, in parallel
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _ready() -> None:
    pass


def _check(text: str) -> LintResult:
    return shared_linter().check_text(text)

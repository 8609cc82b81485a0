"""Lint many templates: cached results first, the rest in worker processes that load cfn-lint once each.

A ``Batch`` takes templates as they are produced. A cached result is taken at once. The first template that
needs linting starts a worker (or ``start()`` does, earlier), which loads cfn-lint and lints on another core
while this process goes on building the next templates; a second worker starts only when a second template
is waiting, so a run where one template changed loads cfn-lint once. ``results()`` answers in the order
added and exactly as ``Linter.check_text`` would (each result is sorted by position there), whether a
result comes from the cache, this process or a worker: parallel and serial runs print the same.

Workers are plain processes, each fed one template at a time over its own pipe (so a template goes to an
idle worker, never queues behind a busy one), started with fork where the platform has it: this process
starts no thread, so forking it is safe. Should a worker fail to start, die, or fail on a template, what it
had is linted here (where an error in cfn-lint surfaces with its traceback).
"""

from __future__ import annotations

import os
from collections import deque
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
    with Batch(cache=cache, workers=workers) as batch:
        for text in texts:
            batch.add(text)
        return batch.results()


class Batch:
    """Templates to lint, added one by one; ``results()`` once all are added. As a context manager, an error
    stops the workers at once (nothing they do is needed any more)."""

    def __init__(self, *, cache: LintCache | None = None, workers: int | None = None):
        self.cache = LintCache.default() if cache is None else cache
        self.workers = workers or default_workers()
        self._linter = linter_digest()
        self._keys: list[str] = []
        self._asked: set[str] = set()
        self._done: dict[str, LintResult] = {}
        self._waiting: deque[tuple[str, str]] = deque()  # (key, text): not given to a worker yet
        self._here: dict[str, str] = {}  # key -> text, to lint in this process
        self._pool: _Workers | None = None

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None:
            self.abort()

    def start(self) -> None:
        """Start a worker now, which loads cfn-lint ahead of the first template that needs it."""
        if self._pool is None and self.workers > 1:
            self._pool = _Workers(self.workers)
            self._pool.grow()

    def add(self, text: str) -> None:
        key = key_for(text, self._linter)
        self._keys.append(key)
        if key in self._asked:  # each distinct template once
            return
        self._asked.add(key)
        cached = self.cache.get(key)
        if cached is not None:
            self._done[key] = cached
            return
        self.start()
        if self._pool is None:
            self._here[key] = text
            return
        self._waiting.append((key, text))
        self._pump(block=False)

    def results(self) -> list[LintResult]:
        """Each added template's result, in the order added (waits for the workers)."""
        if self._pool is not None:
            while self._waiting or self._pool.busy:
                self._pump(block=True)
            self._pool.close()
        for key, text in self._here.items():
            self._store(key, shared_linter().check_text(text))
        self._here.clear()
        return [self._done[key] for key in self._keys]

    def abort(self) -> None:
        if self._pool is not None:
            self._pool.kill()
        self._waiting.clear()

    def _pump(self, *, block: bool) -> None:
        """Take the results that are in, and give the waiting templates to idle workers (starting another
        worker while templates wait and there is room for one)."""
        pool = self._pool
        assert pool is not None
        for (key, text), result in pool.collect(block=block and bool(pool.busy)):
            if result is None:  # the worker died or failed on it
                self._here[key] = text
            else:
                self._store(key, result)
        while self._waiting:
            worker = pool.idle() or pool.grow()
            if worker is None:
                break
            key, text = self._waiting.popleft()
            if not pool.give(worker, key, text):
                self._here[key] = text
        if not pool.alive:  # none could start, or all died: the rest is linted here
            self._here.update(self._waiting)
            self._waiting.clear()

    def _store(self, key: str, result: LintResult) -> None:  # as each arrives: an interrupted run keeps its work
        self._done[key] = result
        self.cache.put(key, result)


class _Workers:
    """Up to ``limit`` worker processes, each with a pipe; ``busy`` maps a worker to the template it lints."""

    def __init__(self, limit: int):
        self.limit = limit
        self.started = 0  # a worker that could not start counts: it is not tried again
        self.workers: list[Any] = []  # (process, connection) pairs, alive
        self.busy: dict[Any, tuple[str, str]] = {}

    @property
    def alive(self) -> bool:
        return bool(self.workers) or self.started < self.limit

    def grow(self):
        """A new idle worker, or None at the limit or when it cannot start."""
        if self.started >= self.limit:
            return None
        self.started += 1
        try:
            context = _context()
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True, name="batchjobs-lint")
            process.start()
            theirs.close()
        except (OSError, ImportError):  # e.g. no semaphores or no fork in a sandbox: lint here
            self.started = self.limit
            return None
        worker = (process, mine)
        self.workers.append(worker)
        return worker

    def idle(self):
        return next((worker for worker in self.workers if worker not in self.busy), None)

    def give(self, worker, key: str, text: str) -> bool:
        try:
            worker[1].send(text)
        except OSError:
            self._drop(worker)
            return False
        self.busy[worker] = (key, text)
        return True

    def collect(self, *, block: bool) -> list[tuple[tuple[str, str], LintResult | None]]:
        """The (key, text) and result of each worker that has answered (None: it died or failed)."""
        from multiprocessing.connection import wait

        by_connection = {worker[1]: worker for worker in self.busy}
        ready = wait(list(by_connection), timeout=None if block else 0) if by_connection else []
        found = []
        for connection in ready:
            worker = by_connection[connection]
            job = self.busy.pop(worker)
            try:
                result = connection.recv()
            except (EOFError, OSError):
                self._drop(worker)
                result = None
            found.append((job, result if isinstance(result, LintResult) else None))
        return found

    def close(self) -> None:
        for process, connection in self.workers:
            try:
                connection.send(None)  # done: the worker returns
            except OSError:
                pass
        for process, connection in self.workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
            connection.close()
        self.workers, self.busy = [], {}

    def kill(self) -> None:
        for process, connection in self.workers:
            process.kill()
            connection.close()
        for process, _ in self.workers:
            process.join(timeout=5)
        self.workers, self.busy = [], {}

    def _drop(self, worker) -> None:
        process, connection = worker
        self.busy.pop(worker, None)
        if worker in self.workers:
            self.workers.remove(worker)
        connection.close()
        process.join(timeout=5)


def _context():
    import multiprocessing

    # fork: a worker starts with this process's modules (model, resources) already imported; cfn-lint is
    # not among them (it is loaded only where linting happens), so each worker loads it once, in parallel
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _serve(connection) -> None:
    """A worker: load cfn-lint, then lint each template sent until None arrives. A template it fails on
    gets no result (a string), so that this process lints it and shows the error."""
    shared_linter()
    while True:
        try:
            text = connection.recv()
        except EOFError:
            return
        if text is None:
            return
        try:
            result: Any = _check(text)
        except Exception as err:  # noqa: BLE001 - reported by linting it again in the main process
            result = f"failed: {err!r}"
        connection.send(result)


def _check(text: str) -> LintResult:
    return shared_linter().check_text(text)

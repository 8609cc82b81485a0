"""The order of a split spec's deploy: its shared stack first (the job stacks import its exports), then
the job stacks, at most ``max_concurrent`` at once (CloudFormation runs stacks independently; the bound is
ours, to stay well within the API's request rates). A job stack that fails does not stop the others."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

from ..errors import BatchjobsError

S = TypeVar("S")


def deploy_in_order(shared: S | None, jobs: list[S], deploy: Callable[[S], None], *, max_concurrent: int,
                    failed: Callable[[S, BatchjobsError], None]) -> list[S]:
    """Deploy ``shared`` (an error there stops everything), then ``jobs`` in parallel; the jobs that failed,
    each reported to ``failed`` as it fails."""
    if shared is not None:
        deploy(shared)
    failures: list[S] = []

    def one(job: S) -> None:
        try:
            deploy(job)
        except BatchjobsError as err:  # a bad input, a failed stack or an AWS error: the others go on
            failed(job, err)
            failures.append(job)

    with ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="deploy") as pool:
        list(pool.map(one, jobs))
    return failures


class SerializedOutput:
    """A verb's output, one whole line at a time from several threads."""

    def __init__(self, io):
        self._io = io
        self._lock = threading.Lock()

    def out(self, text: str = "") -> None:
        with self._lock:
            self._io.out(text)

    def err(self, text: str = "") -> None:
        with self._lock:
            self._io.err(text)

"""aws/fleet.py: a split spec's shared stack deploys first; a failing job stack does not stop the others."""

from __future__ import annotations

import threading

import pytest

from generator.aws.fleet import deploy_in_order
from generator.errors import CheckFailed, UsageError


def test_shared_first_then_every_job_and_the_failures_are_returned():
    done: list[str] = []
    lock = threading.Lock()
    shared_done = threading.Event()
    reported: list[str] = []

    def deploy(name: str) -> None:
        if name != "shared":
            assert shared_done.is_set(), "a job stack started before the shared stack was deployed"
        with lock:
            done.append(name)
        if name == "shared":
            shared_done.set()
        if name in ("b", "d"):
            raise CheckFailed(f"deploy {name}: UPDATE_ROLLBACK_COMPLETE")

    failed = deploy_in_order("shared", ["a", "b", "c", "d"], deploy, max_concurrent=2,
                             failed=lambda name, err: reported.append(f"{name}: {err}"))
    assert done[0] == "shared" and sorted(done[1:]) == ["a", "b", "c", "d"]
    assert sorted(failed) == ["b", "d"]
    assert sorted(reported) == ["b: deploy b: UPDATE_ROLLBACK_COMPLETE", "d: deploy d: UPDATE_ROLLBACK_COMPLETE"]


def test_a_failing_shared_stack_stops_before_any_job_stack():
    started: list[str] = []

    def deploy(name: str) -> None:
        started.append(name)
        if name == "shared":
            raise UsageError("deploy shared: the template is over 51,200 bytes: pass --s3-bucket")

    with pytest.raises(UsageError):
        deploy_in_order("shared", ["a", "b"], deploy, max_concurrent=4, failed=lambda name, err: None)
    assert started == ["shared"]


def test_no_shared_stack_when_the_jobs_share_nothing():
    done: list[str] = []
    assert deploy_in_order(None, ["a"], done.append, max_concurrent=1, failed=lambda n, e: None) == []
    assert done == ["a"]

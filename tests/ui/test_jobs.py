"""Long work in the app's pool: run_each reports progress as it goes and, when the script is stopped (a Cancel
press or any rerun), drops the calls not yet started."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ui import jobs

started: list[int] = []
lock = threading.Lock()


def slow_square(n: int) -> int:
    with lock:
        started.append(n)
    time.sleep(0.2)
    return n * n


def slower_square(n: int) -> int:
    """Longer than the quarter second the wait reports at."""
    with lock:
        started.append(n)
    time.sleep(0.7)
    return n * n


class Stopped(Exception):
    """What Streamlit raises in the script thread when a rerun is asked for."""


@pytest.fixture
def threads(monkeypatch):
    executor = ThreadPoolExecutor(max_workers=2)
    monkeypatch.setattr(jobs, "pool", lambda: executor)
    started.clear()
    yield executor
    executor.shutdown(wait=True)


def test_every_call_runs_in_order_with_progress(threads):
    seen = []
    out = jobs.run_each(slow_square, [{"n": n} for n in range(5)], lambda done, total: seen.append((done, total)))
    assert out == [0, 1, 4, 9, 16]
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_stopped_script_drops_the_calls_not_started(threads):
    def stop_after_first(done: int, total: int) -> None:
        if done >= 1:
            raise Stopped

    with pytest.raises(Stopped):
        jobs.run_each(slow_square, [{"n": n} for n in range(12)], stop_after_first)
    threads.shutdown(wait=True)
    assert 1 <= len(started) <= jobs.WORKERS + 1 < 12


@pytest.fixture
def shared(monkeypatch):
    kept = {"results": jobs.OrderedDict(), "running": {}, "lock": threading.Lock()}
    monkeypatch.setattr(jobs, "_shared", lambda: kept)
    return kept


def test_a_wait_stopped_by_a_rerun_keeps_the_result_for_the_next_ask(threads, shared):

    def stop(waited: float) -> None:
        raise Stopped

    with pytest.raises(Stopped):
        jobs.run_job_waiting(slower_square, stop, n=7)
    threads.shutdown(wait=True)  # the job finished in its worker after the wait was stopped
    assert started == [7]
    assert jobs.run_job_waiting(slower_square, stop, n=7) == 49  # kept: no second run, no wait
    assert started == [7]


def test_one_job_per_inputs_however_many_ask(threads, shared):
    results = []
    askers = [threading.Thread(target=lambda: results.append(jobs.run_job_waiting(slow_square, lambda s: None, n=3)))
              for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert results == [9, 9, 9, 9] and started == [3]

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

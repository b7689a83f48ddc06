"""Long engine work runs in worker processes, never in the server's request threads.

HiGHS has crashed when several threads of one process solved at once, so every solve goes to a small
process pool shared by all sessions. Results are cached by their inputs (solves are deterministic), and
Streamlit computes a cached value once while other callers with the same inputs wait: a second click
while a solve runs waits for that solve instead of starting another, and a session's script run waits
for its own job, so a session never has more than one solve in flight.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import queue
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

import streamlit as st

WORKERS = max(1, min(4, (os.cpu_count() or 2)))
JOB_TIMEOUT_SECONDS = 300.0


@st.cache_resource(show_spinner=False)
def pool() -> ProcessPoolExecutor:
    # spawn: workers start clean, without the server's threads and locks
    return ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"))


def _function_key(function: types.FunctionType) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# a job's function is part of its cache key by its name (the same function in every rerun)
@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={types.FunctionType: _function_key})
def run_job(target: Callable[..., Any], **kwargs: Any) -> Any:
    """``target(**kwargs)`` (a module-level engine function; arguments and result picklable) run in the pool."""
    return pool().submit(target, **kwargs).result(timeout=JOB_TIMEOUT_SECONDS)


def submit_job(target: Callable[..., Any], **kwargs: Any):  # noqa: ANN201 - a concurrent.futures.Future
    """Start ``target(**kwargs)`` in the pool without waiting or caching; for work shown with a progress bar."""
    return pool().submit(target, **kwargs)


@st.cache_resource(show_spinner=False)
def _manager() -> Any:
    # a manager's queues can be sent to the pool's workers, which a plain multiprocessing queue cannot
    return multiprocessing.get_context("spawn").Manager()


def run_with_progress(target: Callable[..., Any], on_progress: Callable[[int, int], None], **kwargs: Any) -> Any:
    """``target(progress=<queue>, **kwargs)`` run in the pool; each ``(done, total)`` the worker puts on the queue
    is passed to ``on_progress`` in this thread while it runs (not cached: the engine caches in the worker)."""
    reports = _manager().Queue()
    future = pool().submit(target, progress=reports, **kwargs)
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while True:
        try:
            result = future.result(timeout=0.25)
            break
        except TimeoutError:
            if time.monotonic() > deadline:
                future.cancel()
                raise
        while True:
            try:
                done, total = reports.get_nowait()
            except queue.Empty:
                break
            on_progress(done, total)
    return result


def run_each(target: Callable[..., Any], calls: list[dict[str, Any]], on_progress: Callable[[int, int], None],
             ) -> list[Any]:
    """``target(**kwargs)`` for each of ``calls`` in the pool, a few in flight at a time, in the order given.

    ``on_progress(done, total)`` runs in this thread at least every quarter second: a Streamlit call there is
    where a rerun (the planner pressing Cancel, or changing anything) stops the script, and then the calls not
    yet started are dropped instead of keeping the pool busy (one already running finishes in its worker)."""
    results: list[Any] = [None] * len(calls)
    pending = list(enumerate(calls))
    running: dict[Any, int] = {}
    finished = 0
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    try:
        on_progress(0, len(calls))
        while pending or running:
            while pending and len(running) < WORKERS:
                index, kwargs = pending.pop(0)
                running[pool().submit(target, **kwargs)] = index
            done, _ = wait(list(running), timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                results[running.pop(future)] = future.result()
                finished += 1
            if time.monotonic() > deadline:
                raise TimeoutError("the work took too long")
            on_progress(finished, len(calls))
    finally:
        for future in running:
            future.cancel()
    return results


KEPT_RESULTS = 256


@st.cache_resource(show_spinner=False)
def _shared() -> dict[str, Any]:
    # results and the jobs in flight, by their inputs, shared by every session (solves are deterministic)
    return {"results": OrderedDict(), "running": {}, "lock": threading.Lock()}


def _inputs_key(target: Callable[..., Any], kwargs: dict[str, Any]) -> str:
    digest = hashlib.sha256(pickle.dumps(sorted(kwargs.items()), protocol=4)).hexdigest()
    return f"{_function_key(target)}:{digest}"  # type: ignore[arg-type]


def _keep(key: str, future: Any) -> None:
    shared = _shared()
    with shared["lock"]:
        shared["running"].pop(key, None)
        if future.cancelled() or future.exception() is not None:
            return  # a failure is not kept: asked again, the job runs again
        shared["results"][key] = future.result()
        while len(shared["results"]) > KEPT_RESULTS:
            shared["results"].popitem(last=False)


def run_job_waiting(target: Callable[..., Any], on_wait: Callable[[float], None], **kwargs: Any) -> Any:
    """:func:`run_job` that waits in this thread, calling ``on_wait(seconds so far)`` every quarter second.

    A Streamlit call in ``on_wait`` is where a rerun stops the script: a planner who changes the budget while a
    long (settlement-level) solve runs gets the page back at once instead of waiting for it. The job itself
    finishes in its worker and its result is kept, so asking for the same inputs again costs nothing; one job
    runs per inputs however many sessions ask."""
    shared = _shared()
    key = _inputs_key(target, kwargs)
    with shared["lock"]:
        if key in shared["results"]:
            shared["results"].move_to_end(key)
            return shared["results"][key]
        future = shared["running"].get(key)
        if future is None:
            future = pool().submit(target, **kwargs)
            shared["running"][key] = future
            future.add_done_callback(lambda done, key=key: _keep(key, done))
    started = time.monotonic()
    while True:
        try:
            return future.result(timeout=0.25)
        except TimeoutError:
            waited = time.monotonic() - started
            if waited > JOB_TIMEOUT_SECONDS:
                raise
            on_wait(waited)

"""Benchmarks, run by ``python -m bench [NAME ...]`` (``make bench``): figures written to ``bench/results/``.

Each benchmark is a module with ``run(repeats: int) -> dict`` listed in :data:`BENCHMARKS`; the runner writes
``bench/results/<name>.json`` and prints a summary. Benchmarks measure; they never fail a build on time.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

BENCHMARKS: dict[str, str] = {
    "cli_start": "bench.cli_start",
    "optimizer": "bench.optimizer",
    "robust": "bench.robust",
    "roadmap": "bench.roadmap",
    "scale": "bench.scale",
    "sweep": "bench.sweep",
    "whatif": "bench.whatif",
}


def measure(fn: Callable[[], Any], repeats: int) -> tuple[dict[str, Any], Any]:
    """Run ``fn`` ``repeats`` times; the median, min and max wall time in seconds, the median processor time of
    this process (less moved by other work on a shared machine), and the last return value."""
    times, cpu = [], []
    value = None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {"median_s": round(statistics.median(times), 6), "min_s": round(min(times), 6),
            "max_s": round(max(times), 6), "cpu_median_s": round(statistics.median(cpu), 6), "runs": repeats}, value


def environment() -> dict[str, Any]:
    import os

    import highspy
    import pulp

    return {"python": platform.python_version(), "platform": platform.platform(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "pulp": pulp.__version__,
            "highspy": getattr(highspy, "__version__", "unknown"),
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

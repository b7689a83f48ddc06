"""Robustness sweeps for the app, in pieces a worker process can run and report back on.

The app splits a sweep into chunks of draws (:func:`sweep_chunk`) so that it can show progress as chunks
come back, then turns all draws into the summary (:func:`sweep_report`). Each worker prepares a scenario's
sweep (its candidate plans: the optimizer's under central, all-low and all-high assumptions and the formula
baselines) once and keeps it. The draws are the same Latin hypercube as ``roadmap sweep`` with the same
seed, so the app and the command line give the same answer.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from engine.analysis.sweep import DrawOutcome, SweepResult, SweepSetup, evaluate_draw, prepare_sweep, sample_draws
from engine.interfaces import studies


def _setup(yaml_text: str, parameters: tuple[str, ...] | None, indicators: pd.DataFrame | None) -> SweepSetup:
    ctx, data_key = studies.uploaded(indicators)

    def build() -> SweepSetup:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        return prepare_sweep(prep.study, parameters)

    return studies.remember("sweep", (data_key, yaml_text, parameters), build)


def sweep_chunk(yaml_text: str, draws: int, seed: int, start: int, stop: int,
                parameters: tuple[str, ...] | None = None, indicators: pd.DataFrame | None = None,
                ) -> list[DrawOutcome]:
    """Evaluate draws ``start`` to ``stop - 1`` of the ``draws``-draw sample
    (:func:`engine.analysis.sweep.evaluate_draw`)."""
    setup = _setup(yaml_text, parameters, indicators)
    samples = sample_draws(setup.parameters, draws, seed)
    return [evaluate_draw(setup, index, samples[index]) for index in range(start, min(stop, draws))]


def sweep_report(yaml_text: str, seed: int, outcomes: list[DrawOutcome], seconds: float,
                 parameters: tuple[str, ...] | None = None, indicators: pd.DataFrame | None = None,
                 ) -> dict[str, Any]:
    """The summary of ``roadmap sweep --json`` (without the per-draw detail) for the draws evaluated."""
    setup = _setup(yaml_text, parameters, indicators)
    started = time.perf_counter()
    result = SweepResult(setup, sorted(outcomes, key=lambda o: o.index), seed, "app worker processes", seconds)
    out = result.to_json()
    out.pop("by_draw", None)
    out["report_seconds"] = round(time.perf_counter() - started, 3)
    return out

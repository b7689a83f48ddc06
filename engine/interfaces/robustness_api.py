"""Robustness sweeps for the app, in pieces a worker process can run and report back on.

The app splits a sweep into chunks of draws (:func:`sweep_chunk`) so that it can show progress as chunks
come back, then turns all draws into the summary (:func:`sweep_report`). Each worker prepares a scenario's
sweep (its candidate plans: the optimizer's under central, all-low and all-high assumptions and the formula
baselines) once and keeps it. The draws are the same Latin hypercube as ``roadmap sweep`` with the same
seed, so the app and the command line give the same answer.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

import pandas as pd

from engine.analysis.sweep import DrawOutcome, SweepResult, SweepSetup, evaluate_draw, prepare_sweep, sample_draws
from engine.core.scenario import scenario_from_text
from engine.interfaces.app_api import context_for, digest_indicators, direction_rules

_lock = threading.Lock()
_setups: OrderedDict[tuple[Any, ...], SweepSetup] = OrderedDict()


def _setup(yaml_text: str, parameters: tuple[str, ...] | None, indicators: pd.DataFrame | None) -> SweepSetup:
    key = (yaml_text, parameters, digest_indicators(indicators))
    with _lock:
        if key in _setups:
            return _setups[key]
    scenario = scenario_from_text(yaml_text, "scenario", direction_rules())
    setup = prepare_sweep(context_for(indicators), scenario, parameters, direction_rules())
    with _lock:
        _setups[key] = setup
        while len(_setups) > 2:
            _setups.popitem(last=False)
    return setup


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

"""Benchmark of the roadmap: build it for the 20 regions and write every export, in kk, ru and en.

Run by ``python -m bench roadmap`` (``make bench``); the figures (median seconds over repeats) go to
``bench/results/roadmap.json`` and to the screen. The allocation is the formula one, so the
benchmark does not depend on the optimizer.
"""

from __future__ import annotations

import statistics
import time

from engine.core.context import load_context
from engine.core.parameters import load_direction_rules
from engine.model.study import build_study, read_scenario
from engine.roadmap.charts import render_charts
from engine.roadmap.export import EXPORT_FORMATS, export_bytes
from engine.roadmap.pipeline import formula_inputs, roadmap_from_inputs

SCENARIO = """
name: Benchmark 2025-2030
base_year: 2024
horizon: [2025, 2030]
budget_bn_kzt: 500
objective: max_min_ratio
equity_share: 0.6
"""
REPEATS = 3


def _median(fn, repeats: int = REPEATS) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(repeats: int = REPEATS) -> dict:
    ctx = load_context()
    direction_rules = load_direction_rules()
    scenario = read_scenario(SCENARIO, direction_rules, "bench.yaml")
    figures: dict = {"repeats": repeats}
    seconds, inputs = _median(lambda: formula_inputs(build_study(ctx, scenario, direction_rules=direction_rules)),
                              repeats)
    figures["model_allocation_and_simulation_s"] = seconds
    figures["measures"] = None
    for lang in ("kk", "ru", "en"):
        seconds, roadmap = _median(lambda lang=lang: roadmap_from_inputs(inputs, lang), repeats)
        figures[f"build_{lang}_s"] = seconds
        figures["measures"] = len(roadmap.measures)
        seconds, charts = _median(lambda roadmap=roadmap: render_charts(roadmap), repeats)
        figures[f"charts_{lang}_s"] = seconds
        total = seconds
        for fmt in EXPORT_FORMATS:
            seconds, result = _median(lambda fmt=fmt, r=roadmap, c=charts: export_bytes(r, fmt, c), repeats)
            figures[f"export_{fmt}_{lang}_s"] = seconds
            figures[f"export_{fmt}_{lang}_bytes"] = len(result[2])
            total += seconds
        figures[f"all_exports_{lang}_s"] = total
    return figures


def summary(figures: dict) -> str:
    lines = ["roadmap: build and exports of the 20-region roadmap (median seconds)"]
    for key, value in figures.items():
        if key in ("benchmark", "environment"):
            continue
        lines.append(f"  {key:<32} {value:.3f}" if isinstance(value, float) else f"  {key:<32} {value}")
    return "\n".join(lines)

"""A robustness sweep at the region level: 1,000 Latin-hypercube draws of every ranged assumption.

``data/scenarios/concept_2025_2030.yaml`` on the default data; candidates: the optimizer's plans under the
central, all-low and all-high values and the three formula baselines; each draw rebuilds the model, solves
the draw's best plan (both stages) and simulates every candidate. Run on two local processes (the goal:
under 60 s on 2 cores) and, for the per-draw cost, on one. Benchmarks measure; they never fail on time.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

from engine.model.study import build_study

SCENARIO = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "concept_2025_2030.yaml"
DRAWS = 1000
GOALS = {"draws_1000_on_2_cores_s": 60.0}


def run(repeats: int = 1) -> dict[str, Any]:
    from engine.analysis.sweep import ProcessEvaluator, SequentialEvaluator, prepare_sweep, run_sweep
    from engine.core.context import load_context
    from engine.core.parameters import load_direction_rules
    from engine.model.study import read_scenario

    ctx = load_context()
    direction_rules = load_direction_rules(known_units=set(ctx.dataset.units.index))
    scenario = read_scenario(SCENARIO, direction_rules)
    started = time.perf_counter()
    setup = prepare_sweep(build_study(ctx, scenario, direction_rules=direction_rules))
    setup_seconds = time.perf_counter() - started
    sequential = run_sweep(setup, 20, seed=1, evaluator=SequentialEvaluator())
    per_draw = statistics.median(d.seconds for d in sequential.draws)
    runs = []
    result = None
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = run_sweep(setup, DRAWS, seed=0, evaluator=ProcessEvaluator(2))
        runs.append(time.perf_counter() - started)
    assert result is not None
    doc = result.to_json()
    best = min(runs)
    return {
        "scenario": str(SCENARIO.relative_to(SCENARIO.parents[2])), "draws": DRAWS,
        "parameters": len(setup.parameters), "candidates": list(setup.candidates), "workers": 2,
        "cpus": os.cpu_count(), "setup_seconds": round(setup_seconds, 3),
        "sweep_seconds": [round(r, 3) for r in runs], "best_sweep_seconds": round(best, 3),
        "per_draw_median_seconds_one_process": round(per_draw, 4),
        "best_plan_status": doc["best_plan_status"], "robust_choice": doc["robust_choice"],
        "top_parameters": [s["parameter"] for s in doc["sensitivity"][:5]],
        "goals": GOALS, "goals_met": {"draws_1000_on_2_cores_s": best <= GOALS["draws_1000_on_2_cores_s"]},
        "notes": ["sweep_seconds: run_sweep on ProcessEvaluator(2), the setup (candidate plans) excluded",
                  "per_draw_median_seconds_one_process: the same evaluation in this process, 20 draws"],
    }


def summary(figures: dict[str, Any]) -> str:
    return (f"sweep: {figures['draws']} draws x {figures['parameters']} parameters x "
            f"{len(figures['candidates'])} candidates on {figures['workers']} processes: "
            f"{figures['best_sweep_seconds']:.1f} s (goal {figures['goals']['draws_1000_on_2_cores_s']:.0f} s); "
            f"{figures['per_draw_median_seconds_one_process'] * 1000:.0f} ms per draw in one process; setup "
            f"{figures['setup_seconds']:.1f} s; most influential: {', '.join(figures['top_parameters'][:3])}")

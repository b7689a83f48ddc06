"""The optimizer on the default data: 20 regions x 4 directions x 6 years (``data/scenarios/concept_2025_2030.yaml``).

Figures: the end-to-end solve (scenario and data loaded; prepare, both stages, simulation of the plan, metrics
by year, three formula baselines and explanations) as the median of repeated runs, split into preparing the
model, building the LPs (our coefficient dictionaries, then PuLP), the solver, and the report; the same for
every objective; and a 21-point frontier. Goals (DESIGN section 9): end-to-end median under 100 ms, frontier
under 3 s. They are reported, never asserted.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench import measure
from engine.allocation.prepared import with_scenario
from engine.model.study import build_study

SCENARIO = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "concept_2025_2030.yaml"
GOALS = {"end_to_end_median_s": 0.100, "frontier_21_s": 3.0}


def run(repeats: int = 7) -> dict[str, Any]:
    from engine.allocation import compute_frontier, optimize, prepare
    from engine.allocation.objectives import Anchors, growth_stage, primary_stage
    from engine.allocation.solve import check_solver
    from engine.core.context import load_context
    from engine.core.parameters import load_direction_rules
    from engine.core.scenario import OBJECTIVES
    from engine.model.study import read_scenario

    started = time.perf_counter()
    ctx = load_context()
    load_seconds = time.perf_counter() - started
    direction_rules = load_direction_rules(known_units=set(ctx.dataset.units.index))
    scenario = read_scenario(SCENARIO, direction_rules)
    check_solver("highs")
    # warm caches (imports, solver start-up check)
    optimize(build_study(ctx, scenario, direction_rules=direction_rules))

    end_to_end, result = measure(lambda: optimize(build_study(ctx, scenario, direction_rules=direction_rules)),
                                 3 * repeats)
    # what the What-if page does on an edit: the study kept, a budget never solved before, the whole report
    edited = prepare(build_study(ctx, scenario, direction_rules=direction_rules))
    optimize(edited)
    budgets = iter([scenario.replace(budget_bn_kzt={y: b * (0.7 + 0.01 * k) for y, b in scenario.budget_bn_kzt.items()})
                    for k in range(3 * repeats)])
    budget_edit, _ = measure(lambda: optimize(with_scenario(edited, next(budgets))), 3 * repeats)
    timings = [optimize(build_study(ctx, scenario, direction_rules=direction_rules)).timings for _ in range(repeats)]
    split = {key: round(statistics.median(t[key] for t in timings), 6)
             for key in ("prepare_seconds", "optimize_seconds", "report_seconds", "total_seconds")}

    prep = prepare(build_study(ctx, scenario, direction_rules=direction_rules))
    def build_both() -> tuple[Any, Any]:
        return (primary_stage(prep.forms, scenario, Anchors()),
                growth_stage(prep.forms, scenario, "max_min_ratio", 9.0, Anchors()))

    lp_build, _ = measure(build_both, repeats)
    stages = {s.key: {"variables": s.variables, "constraints": s.constraints, "pulp_build_s": s.build_seconds,
                      "solver_s": s.solve_seconds, "coefficient_range": s.coefficient_range} for s in result.stages}
    core, _ = measure(lambda: optimize(with_scenario(prep, scenario), with_baselines=False), repeats)

    by_objective = {}
    for objective in OBJECTIVES:
        other = scenario.replace(objective=objective)

        def solve_other(other: Any = other) -> Any:
            return optimize(build_study(ctx, other, direction_rules=direction_rules))

        figures, solved = measure(solve_other, max(3, repeats // 2))
        by_objective[objective] = {**figures, "status": solved.status.value,
                                   "optimize_s": solved.timings.get("optimize_seconds"),
                                   "solver_s": round(sum(s.solve_seconds for s in solved.stages), 6),
                                   "pulp_build_s": round(sum(s.build_seconds for s in solved.stages), 6)}

    frontier, points = measure(lambda: compute_frontier(build_study(ctx, scenario, direction_rules=direction_rules),
                                                        21), 3)
    frontier_prepared, _ = measure(lambda: compute_frontier(with_scenario(prep, scenario), 21), 3)
    return {
        "scenario": str(SCENARIO.relative_to(SCENARIO.parents[2])),
        "size": {"units": len(prep.forms.units), "directions": 4, "years": len(scenario.years),
                 "levers": len(prep.forms.names), "bonus_variables": len(prep.forms.bonus_names)},
        "data_load_s": round(load_seconds, 6),
        "end_to_end": end_to_end,
        "budget_edit_end_to_end": budget_edit,
        "end_to_end_split_median_s": split,
        "lp_construction_both_stages": lp_build,
        "stages": stages,
        "solve_without_report": core,
        "by_objective": by_objective,
        "frontier_21": {**frontier, "points": len(points.points), "status": points.status.value},
        "frontier_21_prepared_model": frontier_prepared,
        "goals": GOALS,
        "goals_met": {"end_to_end_median_s": end_to_end["median_s"] <= GOALS["end_to_end_median_s"],
                      "budget_edit_median_s": budget_edit["median_s"] <= GOALS["end_to_end_median_s"],
                      "frontier_21_s": frontier["median_s"] <= GOALS["frontier_21_s"]},
        "notes": [
            "end_to_end: optimize() from a loaded dataset and scenario (the study built each run: the no-policy "
            "projection, the response model, the linear forms); report_seconds holds six exact simulations (the plan "
            "and five formula baselines, engine/model/simulate.py) and metrics for every year",
            "budget_edit_end_to_end: the What-if page's path: a study prepared once, each run a budget not solved "
            "before and the whole report (formula baselines included); the no-policy metrics are kept per model",
            "cpu_median_s: processor time of this process; wall time on a shared machine also holds others' work",
            "solve_without_report: a prepared model, no formula baselines (still simulates the plan)",
            "stages: pulp_build_s is LinearProgram -> PuLP; solver_s is PuLP's HiGHS call (model transfer + run)",
        ],
    }


def summary(figures: dict[str, Any]) -> str:
    split = figures["end_to_end_split_median_s"]
    lines = [f"optimizer on {figures['scenario']} ({figures['size']['levers']} levers):",
             f"  end-to-end median {figures['end_to_end']['median_s'] * 1000:.0f} ms "
             f"(goal {figures['goals']['end_to_end_median_s'] * 1000:.0f} ms): prepare "
             f"{split['prepare_seconds'] * 1000:.0f} ms, stages {split['optimize_seconds'] * 1000:.0f} ms, report "
             f"{split['report_seconds'] * 1000:.0f} ms; processor "
             f"{figures['end_to_end']['cpu_median_s'] * 1000:.0f} ms",
             f"  budget edit on a prepared study median {figures['budget_edit_end_to_end']['median_s'] * 1000:.0f} ms "
             f"(processor {figures['budget_edit_end_to_end']['cpu_median_s'] * 1000:.0f} ms)",
             f"  LP construction (both stages) {figures['lp_construction_both_stages']['median_s'] * 1000:.1f} ms"]
    for key, stage in figures["stages"].items():
        lines.append(f"  stage {key}: {stage['variables']} variables x {stage['constraints']} constraints, PuLP build "
                     f"{stage['pulp_build_s'] * 1000:.1f} ms, solver {stage['solver_s'] * 1000:.1f} ms")
    lines.append(f"  solve without report (prepared model) {figures['solve_without_report']['median_s'] * 1000:.0f} ms")
    for objective, f in figures["by_objective"].items():
        lines.append(f"  {objective:<16} median {f['median_s'] * 1000:6.0f} ms  stages "
                     f"{f['optimize_s'] * 1000:5.0f} ms (solver {f['solver_s'] * 1000:.0f} ms)  {f['status']}")
    lines.append(f"  frontier 21 points: {figures['frontier_21']['median_s']:.2f} s (goal "
                 f"{figures['goals']['frontier_21_s']:.0f} s), "
                 f"{figures['frontier_21_prepared_model']['median_s']:.2f} s on a prepared model")
    return "\n".join(lines)

"""A robust solve (engine.analysis.robust) against a plain solve, and how stable its out-of-sample mean is in K.

Figures: wall time of ``open_study + optimize`` and of ``open_study + solve_robust`` with K = 30 (the target is
at most 20x); for K in 10, 20, 30 the robust plan's in-sample mean (its own draws, re-simulated) and its mean on
40 fresh draws (another seed), with the central plan and every formula on the same fresh draws (mean and 95th
percentile of the default scenario's max/min ratio).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bench import measure

FRESH_SEED, FRESH_DRAWS, KS = 12345, 40, (10, 20, 30)


def run(repeats: int = 1) -> dict[str, Any]:
    from engine.allocation import optimize
    from engine.allocation.baselines import FORMULAS, formula_allocation
    from engine.allocation.run import solve_plan
    from engine.analysis.robust import build_draws, solve_robust
    from engine.analysis.sweep import fit_allocation, scored_metric
    from engine.core.paths import DEFAULT_SCENARIO
    from engine.model.simulate import simulate_spending
    from engine.model.study import open_study

    plain, _ = measure(lambda: optimize(open_study(DEFAULT_SCENARIO)), repeats)
    robust, result = measure(lambda: solve_robust(open_study(DEFAULT_SCENARIO), 30, seed=1), repeats)
    study = open_study(DEFAULT_SCENARIO)
    fresh = build_draws(study, FRESH_DRAWS, seed=FRESH_SEED)
    central = fresh.central

    def judged(allocation: Any) -> dict[str, float]:
        values = []
        for prep in fresh.preps:
            spending, _ = fit_allocation(prep.model, allocation)
            values.append(scored_metric(prep, simulate_spending(prep.model, spending), spending))
        return {"mean": float(np.mean(values)), "p95": float(np.quantile(values, 0.95))}

    by_k = {}
    for k in KS:
        solved = result if k == 30 else solve_robust(study, k, seed=1, compare_central=False)
        inside = solved.to_json()["in_sample"]
        outside = judged(solved.allocation)
        by_k[str(k)] = {"in_sample_mean": inside["metric_mean_simulated"], "in_sample_p95":
                        inside["metric_p95_simulated"], "out_of_sample_mean": outside["mean"],
                        "out_of_sample_p95": outside["p95"],
                        "gap_in_minus_out": inside["metric_mean_simulated"] - outside["mean"]}
    plans = {"central": judged(solve_plan(central).allocation)}
    for formula in FORMULAS:
        if formula.applies(central.forms.units):
            plans[f"formula_{formula.name}"] = judged(formula_allocation(central.forms, central.scenario, formula))
    return {"scenario": str(DEFAULT_SCENARIO.name), "plain_solve": plain, "robust_solve_k30": robust,
            "ratio_robust_to_plain": round(robust["median_s"] / plain["median_s"], 2),
            "robust_timings_k30": result.timings, "fresh_draws": FRESH_DRAWS, "fresh_seed": FRESH_SEED,
            "robust_by_k": by_k, "others_out_of_sample": plans}


def summary(f: dict[str, Any]) -> str:
    lines = [f"robust solve K=30 {f['robust_solve_k30']['median_s']:.1f} s against a plain solve "
             f"{f['plain_solve']['median_s']:.2f} s ({f['ratio_robust_to_plain']}x)"]
    for k, v in f["robust_by_k"].items():
        lines.append(f"  K={k}: in sample {v['in_sample_mean']:.5f} (p95 {v['in_sample_p95']:.4f}), out of sample "
                     f"{v['out_of_sample_mean']:.5f} (p95 {v['out_of_sample_p95']:.4f})")
    for name, v in f["others_out_of_sample"].items():
        lines.append(f"  {name}: out of sample {v['mean']:.5f} (p95 {v['p95']:.4f})")
    return "\n".join(lines)

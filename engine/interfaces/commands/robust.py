"""``roadmap solve --robust``: one plan against Latin-hypercube draws of the assumptions (engine.analysis.robust)."""

from __future__ import annotations

import argparse
from typing import Any

from engine.core.errors import ExitCode, ScenarioError, problem
from engine.core.jsonio import write_json


def run_robust_solve(args: argparse.Namespace) -> int:
    from engine.analysis.robust import DEFAULT_DRAWS, parse_risk, solve_robust
    from engine.interfaces.commands.common import ProgressBar, study_from_args

    if args.solver != "highs":
        raise ScenarioError([problem("--solver", "pr_robust_highs", None, None, args.solver)])
    if args.mps is not None:
        raise ScenarioError([problem("--mps", "pr_no_mps_robust")])
    draws = DEFAULT_DRAWS if args.draws is None else args.draws
    risk = parse_risk(args.risk)
    study = study_from_args(args)
    bar = ProgressBar("draws", args.json_out != "-")
    result = solve_robust(study, draws, 0 if args.seed is None else args.seed, risk, time_limit=args.time_limit,
                          progress=bar)
    payload = result.to_json()
    write_json(args.json_out, payload)
    if args.json_out != "-":
        print(render_robust(payload))
    if result.status == "optimal":
        return ExitCode.OK
    return ExitCode.INFEASIBLE if result.status == "infeasible" else ExitCode.FAILURE


def render_robust(payload: dict[str, Any]) -> str:
    """A short summary of a robust solve for the terminal."""
    d = payload["draws"]
    lines = [f"Scenario: {payload['scenario']['name']}",
             f"Robust solve: {payload['status']}, {payload['risk']} {payload['metric']} ({payload['sense']}) over "
             f"{d['count']} draws of {len(d['parameters'])} parameters (seed {d['seed']}), {payload['iterations']} "
             f"LP(s), {payload['timings'].get('total_seconds', 0):.1f} s"]
    s = payload["in_sample"]
    if payload["status"] == "optimal":
        lines.append(f"  in sample: objective {s['objective_linear_model']:.6g} in the linear model, "
                     f"{s['objective_simulated']:.6g} re-simulated (largest gap of one draw "
                     f"{s['largest_linear_gap']:.3g}); metric mean {s['metric_mean_simulated']:.6g}, "
                     f"5th-95th percentile {s['metric_p05_simulated']:.6g}-{s['metric_p95_simulated']:.6g}")
        central = s.get("central_plan") or {}
        if central:
            lines.append(f"  the plan optimized at the central values, on the same draws: objective "
                         f"{central['objective_simulated']:.6g}, metric mean {central['metric_mean_simulated']:.6g}")
        spent = sum(r["bn_kzt"] for r in payload["allocation"])
        lines.append(f"  spends {spent:,.1f} bn; judge it out of sample with: roadmap sweep --plan robust=FILE "
                     "--seed (another seed)")
    lines += [f"Note: {n}" for n in payload.get("notes", [])]
    return "\n".join(lines)

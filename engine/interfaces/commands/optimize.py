"""``roadmap solve`` (allocate a scenario's budget and explain it) and ``roadmap frontier``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.core.errors import ExitCode, ScenarioError, problem
from engine.core.jsonio import write_json
from engine.interfaces.commands.choices import SOLVERS
from engine.interfaces.commands.common import add_study_arguments, exit_code, study_from_args

if TYPE_CHECKING:
    pass


def register(sub: argparse._SubParsersAction) -> None:
    solve = sub.add_parser("solve", help="allocate a scenario's budget across regions, directions and years",
                           description="Optimize a scenario and explain the plan. Exit 0 when solved, 3 when "
                                       "infeasible (the JSON is still written), 2 for invalid input.")
    _common(solve, SOLVERS)
    solve.add_argument("--json", dest="json_out", default=None,
                       help="write the result as JSON to this file ('-' for standard output)")
    solve.add_argument("--mps", type=Path, default=None,
                       help="write the last model solved as an MPS file (with an OBJSENSE section)")
    solve.add_argument("--robust", action="store_true",
                       help="one plan against --draws Latin-hypercube draws of every parameter with a range")
    solve.add_argument("--draws", type=int, default=None, help="draws of a robust solve (default 30)")
    solve.add_argument("--seed", type=int, default=None, help="seed of a robust solve's draws (default 0)")
    solve.add_argument("--risk", default=None, help="objective of a robust solve over the draws: expected "
                                                    "(default), cvar:A (e.g. cvar:0.9) or worst")
    solve.set_defaults(handler=run_solve)

    frontier = sub.add_parser("frontier", help="the equity-efficiency frontier of a scenario",
                              description="Trace the most national growth for each level of the equity metric.")
    _common(frontier, SOLVERS)
    frontier.add_argument("--points", type=int, default=21, help="number of points (2-201, default 21)")
    frontier.add_argument("--json", dest="json_out", default=None,
                          help="write the frontier as JSON to this file ('-' for standard output)")
    frontier.set_defaults(handler=run_frontier)

    target = sub.add_parser("target", help="the least yearly budget that reaches a target on one criterion",
                            description="Bisect the yearly budget until the plan's metric in the year is at most the "
                                        "value; out of reach says the best value and what binds.")
    add_study_arguments(target)
    target.add_argument("--metric", required=True,
                        help="max_min_ratio, theil_t_weighted, williamson, share_pop_below_75pct or problem_regions")
    target.add_argument("--value", type=float, required=True, help="the target: the metric at most this")
    target.add_argument("--year", type=int, default=None, help="the year judged (default: the horizon's last)")
    target.add_argument("--curve", type=int, default=0, metavar="POINTS",
                        help="also the budget-outcome curve at this many budgets (2-51)")
    target.add_argument("--json", dest="json_out", default=None,
                        help="write the result as JSON to this file ('-' for standard output)")
    target.set_defaults(handler=run_target)


def _common(parser: argparse.ArgumentParser, solvers: tuple[str, ...]) -> None:
    add_study_arguments(parser)
    parser.add_argument("--solver", choices=solvers, default="highs", help="solver (default: highs; cbc fallback)")
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="time limit of each solve; a solve it stops is reported as time_limit_feasible")


def run_solve(args: argparse.Namespace) -> int:
    from engine.allocation import optimize

    if getattr(args, "robust", False):
        from engine.interfaces.commands.robust import run_robust_solve

        return run_robust_solve(args)
    given = [f"--{k}" for k in ("draws", "seed", "risk") if getattr(args, k, None) is not None]
    if given:
        raise ScenarioError([problem(given[0], "pr_add_robust", None, None, getattr(
            args, given[0][2:]))
])
    study = study_from_args(args)
    if args.mps is not None and not args.mps.parent.exists():
        raise ScenarioError([problem(str(args.mps), "pr_mps_folder_missing")])
    result = optimize(study, solver=args.solver, time_limit=args.time_limit, mps_path=args.mps)
    write_json(args.json_out, result.to_json())
    if args.json_out != "-":
        print(render_result(result))
    return exit_code(result.status)


def render_result(result: Any) -> str:
    """A short plain-text summary of a solve for the terminal."""
    lines = [f"Scenario: {result.scenario['name']}", f"Status: {result.status.value} (solver {result.solver})",
             f"Objective: {result.objective}"]
    if result.status.solved:
        p = result.primary_metric
        lines.append(f"  {p['label']}: optimizer {p['optimizer_value']:.6g}, simulated {p['simulated_value']:.6g} "
                     f"{p['unit']}")
        lines.append(f"  objective_value {result.objective_value:.10g}: {result.objective_label}")
        lines.append("Spending by direction (bn): " + ", ".join(
            f"{k} {v:,.1f}" for k, v in result.spending_by("direction").items()))
        lines.append("Spending by part (bn): " + ", ".join(
            f"{k} {v:,.1f}" for k, v in result.spending_by("part").items()))
        before, base, after = result.metrics_before, result.metrics_baseline, result.metrics_after
        lines.append(f"Max/min ratio: {before['max_min_ratio']:.3f} in the base year; {base['max_min_ratio']:.3f} "
                     f"without new policy and {after['max_min_ratio']:.3f} with the plan at the horizon")
        lines.append(f"Problem regions: {len(result.problem_regions_before)} in the base year; "
                     f"{len(result.problem_regions_baseline)} without new policy and "
                     f"{len(result.problem_regions_after or [])} with the plan at the horizon")
    for e in result.explanations:
        if e.topic in ("shadow_price", "binding", "warning", "lasting", "conflict", "relaxation", "infeasible",
                       "error"):
            lines.append(f"- {e.text}")
    return "\n".join(lines)


def run_frontier(args: argparse.Namespace) -> int:
    from engine.allocation import compute_frontier
    from engine.allocation.frontier import MAX_POINTS

    if not 2 <= args.points <= MAX_POINTS:
        raise ScenarioError([problem("--points", "pr_between_2_and", None, None, args.points, most=MAX_POINTS)])
    frontier = compute_frontier(study_from_args(args), args.points, solver=args.solver, time_limit=args.time_limit)
    write_json(args.json_out, frontier.to_json())
    if args.json_out != "-":
        print(f"Frontier of {frontier.label} against national growth: {frontier.status.value}, "
              f"{len(frontier.points)} points in {frontier.seconds:.2f} s")
        print(f"  {frontier.metric:>20} {'growth (bn)':>14}  equity / efficiency (bn)")
        for p in frontier.points:
            print(f"  {p.equity_value:>20.6g} {p.national_growth:>14,.1f}  {p.by_part.get('equity', 0):,.0f} / "
                  f"{p.by_part.get('efficiency', 0):,.0f}")
        for note in frontier.notes:
            print(f"Note: {note}")
    return exit_code(frontier.status)


def run_target(args: argparse.Namespace) -> int:
    from engine.analysis.target import least_budget

    if args.curve and not 2 <= args.curve <= 51:
        raise ScenarioError([problem("--curve", "pr_between_2_51", None, None, args.curve)])
    study = study_from_args(args)
    year = args.year if args.year is not None else study.last_year
    found = least_budget(study, args.metric, args.value, year, args.curve)
    write_json(args.json_out, found.to_json())
    if args.json_out != "-":
        if found.status == "reached":
            print(f"{found.metric} at most {found.target:g} in {found.year}: reached with "
                  f"{found.least_budget_bn_kzt_per_year:,.1f} bn a year ({found.value_at_budget:.6g}; no policy "
                  f"{found.value_without_policy:.6g}; {found.solves} solves)")
        else:
            print(f"{found.metric} at most {found.target:g} in {found.year}: out of reach; the best is "
                  f"{found.best_value:.6g} with {found.best_budget_bn_kzt_per_year:,.1f} bn a year (no policy "
                  f"{found.value_without_policy:.6g})")
            for text in found.binding:
                print(f"  binds: {text}")
        for point in found.curve:
            print(f"  {point['budget_bn_kzt_per_year']:>10,.1f} bn/yr  {point['value']}")
        for note in found.notes:
            print(f"Note: {note}")
    return ExitCode.OK

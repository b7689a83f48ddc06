"""``roadmap simulate``, ``roadmap backtest`` and ``roadmap migration``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from engine.interfaces.commands.common import add_study_arguments

if TYPE_CHECKING:
    from engine.analysis.backtest import BacktestResult
    from engine.model.simulate import SimulationResult

# the analysis module's MAX_HORIZON, repeated so that building the parser imports no numerics
DEFAULT_MAX_HORIZON = 5


def register(sub: argparse._SubParsersAction) -> None:
    sim = sub.add_parser("simulate", help="baseline and plan trajectories to the horizon, both criteria by year")
    add_study_arguments(sim)
    sim.add_argument("--allocation", type=Path, default=None,
                     help="plan: CSV (unit_id, direction, year, bn_kzt) or JSON (a list, or roadmap solve --json); "
                          "default: no new spending")
    sim.add_argument("--json", dest="json_out", type=Path, default=None, metavar="OUT",
                     help="write the full result as JSON to OUT ('-' for standard output)")
    sim.set_defaults(handler=run_simulate)

    back = sub.add_parser("backtest", help="forecast from several origin years with the baseline and simple "
                                           "methods, compare with the data; beta and sigma convergence")
    back.add_argument("--origins", type=int, nargs="+", default=None,
                      help="origin years (default: every year with three years of data up to it and one after)")
    back.add_argument("--max-horizon", type=int, default=DEFAULT_MAX_HORIZON,
                      help=f"longest horizon in years (default {DEFAULT_MAX_HORIZON})")
    back.add_argument("--data", type=Path, default=None, help="dataset folder (default: data/kazakhstan)")
    back.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    back.set_defaults(handler=run_backtest_command)

    mig = sub.add_parser("migration", help="calibration of the gravity migration model on the observed flows")
    mig.add_argument("--data", type=Path, default=None, help="dataset folder (default: data/kazakhstan)")
    mig.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    mig.set_defaults(handler=run_migration)


def run_simulate(args: argparse.Namespace) -> int:
    from engine.core.jsonio import write_json
    from engine.interfaces.commands.common import study_from_args
    from engine.model.simulate import read_allocation, simulate_scenario

    study = study_from_args(args)
    allocation = read_allocation(args.allocation, study.model, study.years) if args.allocation else None
    result = simulate_scenario(study, allocation)
    write_json(args.json_out, result.to_json())
    if args.json_out is not None and str(args.json_out) != "-":
        print(f"wrote {args.json_out}")
    if args.json_out is None or str(args.json_out) != "-":
        print(render_simulation(result))
    return 0


def render_simulation(result: SimulationResult) -> str:
    base, plan = result.metrics["baseline"], result.metrics["plan"]
    lines = [f"Scenario {result.scenario.name}: {len(result.model.units)} units, "
             f"{result.allocation['bn_kzt'].sum():,.1f} bn tenge in {len(result.allocation)} cells", "",
             f"  {'year':<6}{'problem regions':>17}{'max/min ratio':>19}{'Williamson':>19}{'population, mn':>19}",
             f"  {'':<6}{'base':>8}{'plan':>9}{'base':>9}{'plan':>10}{'base':>9}{'plan':>10}{'base':>9}"
             f"{'plan':>10}"]
    for year in result.years:
        b, p = base[year], plan[year]
        lines.append(f"  {year:<6}{b['problem_regions']:>8}{p['problem_regions']:>9}{b['max_min_ratio']:>9.2f}"
                     f"{p['max_min_ratio']:>10.2f}{b['williamson']:>9.4f}{p['williamson']:>10.4f}"
                     f"{result.baseline.population[year].sum() / 1e6:>9.3f}"
                     f"{result.plan.population[year].sum() / 1e6:>10.3f}")
    gap = result.gap
    lines += ["", f"Linear view vs simulator: largest gap {gap.max_abs:,.3f} thousand tenge per person "
                  f"({gap.max_rel:.3%}); " + ", ".join(f"{k} {v:,.3f}" for k, v in gap.by_reason.items()),
              f"Baseline: {result.model.baseline.method}"]
    return "\n".join(lines)


def run_backtest_command(args: argparse.Namespace) -> int:
    from engine.analysis.backtest import run_backtest
    from engine.core.context import load_context
    from engine.core.errors import DataValidationError, Problem, problem
    from engine.core.jsonio import write_json
    from engine.core.parameters import ParameterValues, load_direction_rules

    ctx = load_context(args.data)
    if not 1 <= args.max_horizon <= 20:
        raise DataValidationError([problem("--max-horizon", "pr_1_20_years", None, None, args.max_horizon)])
    assumptions = ParameterValues(load_direction_rules(known_units=set(ctx.dataset.units.index)))
    try:
        result = run_backtest(ctx.dataset, assumptions, args.origins, args.max_horizon)
    except ValueError as exc:
        raise DataValidationError([Problem("--origins", str(exc), value=" ".join(map(str, args.origins or [])))]
                                  ) from None
    if args.json:
        write_json("-", result.to_json())
    else:
        print(render_backtest(result))
    return 0


def render_backtest(result: BacktestResult) -> str:
    doc = result.to_json()
    lines = [f"Backtest: forecasts from {len(result.origins)} origin years ({result.origins[0]}-{result.origins[-1]}) "
             f"at horizons 1-{result.max_horizon}, {doc['pairs']} pairs; GRP per capita relative to the national "
             "level, units on unchanged territory", "",
             f"  {'method':<18}{'MAPE %':>9}{'ratio error %':>15}   MAPE by origin"]
    for name in result.ranking():
        scores = doc["methods"][name]
        marker = " (default)" if name == result.default else ""
        by_origin = " ".join(f"{o['origin']}:{o['mape']:.1f}" for o in scores["by_origin"])
        lines.append(f"  {name + marker:<18}{scores['mape']:>9.2f}{scores['ratio_error']:>15.2f}   {by_origin}")
    lines += ["", "  convergence speed scan (the engine's method):"]
    lines += [f"    {row['convergence']:>6.1%}  MAPE {row['mape']:.2f}  ratio error {row['ratio_error']:.1f}"
              for row in doc["selection"]["rate_scan"]]
    beta = doc["convergence"]["beta"]
    lines += ["", f"Beta convergence, pooled {doc['convergence']['years'][0]}-{doc['convergence']['years'][1]}: "
                  f"{beta['estimate']:.2%} a year (se {beta['se']:.2%}, clustered {beta['se_clustered']:.2%}; "
                  f"{beta['observations']} changes)"]
    for block in doc["convergence"]["divisions"]:
        pooled, sigma = block["beta_pooled"], block["sigma"]
        text = f"  {block['years'][0]}-{block['years'][1]} ({block['units']} units): "
        text += f"beta {pooled['estimate']:.2%} (se {pooled['se_clustered']:.2%})" if pooled else "beta -"
        if sigma["slope_per_year"] is not None:
            text += f"; sigma slope {sigma['slope_per_year']:+.4f} a year (se {sigma['se']:.4f})"
        lines.append(text)
    lines += [""] + [f"Note: {n}" for n in doc["notes"]]
    return "\n".join(lines)


def run_migration(args: argparse.Namespace) -> int:
    from engine.core.context import load_context
    from engine.core.errors import DataValidationError, Problem
    from engine.core.jsonio import write_json
    from engine.core.parameters import ParameterValues, load_direction_rules
    from engine.model.migration import calibrate_gravity

    ctx = load_context(args.data)
    assumptions = ParameterValues(load_direction_rules(known_units=set(ctx.dataset.units.index)))
    try:
        fit = calibrate_gravity(ctx.dataset, assumptions)
    except ValueError as exc:
        raise DataValidationError([Problem("dataset", str(exc), column="interregional_net_migration")]) from None
    doc = fit.to_json()
    if args.json:
        write_json("-", doc)
        return 0
    p, f = doc["parameters"], doc["fit"]
    lines = [f"Gravity model {doc['model']}", f"years {doc['years'][0]}-{doc['years'][-1]}, "
             f"{f['unit_years']} unit-years", "",
             f"  a (origin population)      {p['a']:.3f}  (se {doc['standard_errors']['a']:.3f})",
             f"  b (destination population) {p['b']:.3f}  (se {doc['standard_errors']['b']:.3f})",
             f"  beta (income ratio)        {p['beta']:.3f}  (se {doc['standard_errors']['beta']:.3f})",
             f"  gamma (distance, fixed)    {p['gamma']:.3f}", "",
             f"  R2 of net migration per 1,000: {f['r2_net_rate_per_1000']:.3f}; RMSE {f['rmse_net_rate_per_1000']:.2f}"
             f" per 1,000; R2 in persons {f['r2_net_persons']:.3f}; signs right {f['sign_agreement']:.0%}"]
    lines += [f"Note: {n}" for n in doc["notes"]]
    print("\n".join(lines))
    return 0

"""What the app asks of the engine, as functions of plain, picklable inputs (YAML text, frames, numbers).

The app runs these in worker processes (``ui/jobs.run_job``), so every argument and result crosses a
process boundary and is cached by its value: scenarios travel as YAML text, an uploaded indicator table
as a DataFrame, results as the optimizer's public JSON. Each worker keeps the loaded context, the levers
and the prepared models it built (a few per process), so a change of budget, objective or bounds re-solves
without rebuilding the model.

A frontier point's plan (the most national growth holding the equity metric at the point's level) is
solved here from the optimizer's own stages, and reported with the same keys as
:meth:`engine.allocation.OptimizationResult.to_json` where they apply.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd

from engine.allocation import Prepared, compute_frontier, optimize, prepare
from engine.allocation.baselines import FORMULAS, formula_allocation
from engine.allocation.frontier import EQUITY_OBJECTIVES
from engine.allocation.objectives import Anchors, growth_stage, relaxed_level, solve_stage
from engine.allocation.outcomes import problem_region_setup, simulated_growth
from engine.allocation.report import allocation_frame, allocation_rows, metrics_by_year, reduction_per_bn
from engine.allocation.run import with_scenario
from engine.core.diagnose import Context, load_context, metrics_for_values
from engine.core.i18n import format_number, has_text, t
from engine.core.jsonio import json_safe
from engine.core.parameters import DIRECTIONS, DirectionRules, load_direction_rules
from engine.core.paths import DEFAULT_SCENARIO
from engine.core.scenario import OBJECTIVES, Scenario, parse_scenario, scenario_from_text
from engine.model.simulate import simulate_plan
from engine.roadmap import export_bytes, prepare_inputs, roadmap_from_inputs
from engine.roadmap.pipeline import RoadmapInputs
from engine.roadmap.result import Roadmap
from engine.roadmap.safe import export_filename

#: The parameters that move the results most (see rules/directions.yaml): offered as low/central/high.
KEY_ASSUMPTIONS = ("capital_return", "implementation_efficiency", "hub_premium", "spillover_share",
                   "co_financing_ratio", "interaction_leverage", "baseline_convergence", "baseline_real_growth")
MAX_SCENARIO_BYTES = 1024 * 1024
SOLVER = "highs"
_CACHED_MODELS = 6
T = TypeVar("T")


# ---------------------------------------------------------------------------------------------------
# Per-process caches (a worker solves one job at a time; the lock guards a caller's own threads)
# ---------------------------------------------------------------------------------------------------

_lock = threading.Lock()
_contexts: OrderedDict[str, Context] = OrderedDict()
_models: OrderedDict[tuple[Any, ...], Prepared] = OrderedDict()
_roadmap_inputs: OrderedDict[tuple[Any, ...], RoadmapInputs] = OrderedDict()


def _remember(cache: OrderedDict, key: Any, build: Callable[[], T], size: int = _CACHED_MODELS) -> T:
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = build()
    with _lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


@lru_cache(maxsize=1)
def default_context() -> Context:
    return load_context()


@lru_cache(maxsize=1)
def direction_rules() -> DirectionRules:
    return load_direction_rules(known_units=set(default_context().dataset.units.index))


def digest_indicators(indicators: pd.DataFrame | None) -> str:
    """A short fingerprint of an indicator table (``"default"`` for none)."""
    if indicators is None:
        return "default"
    hashed = pd.util.hash_pandas_object(indicators.reset_index(drop=True), index=True).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


def context_for(indicators: pd.DataFrame | None) -> Context:
    """The default context, or the default with its indicators replaced by ``indicators`` (an upload)."""
    base = default_context()
    if indicators is None:
        return base
    return _remember(_contexts, digest_indicators(indicators),
                     lambda: Context(base.dataset.with_indicators(indicators), base.typology, base.problem_rules),
                     size=2)


def _prepared(ctx: Context, data_key: str, scenario: Scenario) -> Prepared:
    key = (data_key, scenario.base_year, scenario.last_year, tuple(sorted(scenario.assumptions.items())))
    prep = _remember(_models, key, lambda: prepare(ctx, scenario, direction_rules()))
    return with_scenario(prep, scenario)


# ---------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------

def default_scenario_yaml() -> str:
    """The shipped default scenario (the Concept of Regional Development 2025-2030)."""
    return DEFAULT_SCENARIO.read_text(encoding="utf-8")


def check_scenario_yaml(text: str, source: str = "scenario") -> str:
    """The scenario in ``text`` checked (every key, levers, unit ids) and written back as canonical YAML.

    Raises
    ------
    ScenarioError
        For a text over :data:`MAX_SCENARIO_BYTES`, unsafe or malformed YAML, or any bad key or value.
    """
    from engine.core.errors import Problem, ScenarioError

    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem(source, f"a scenario file may hold at most {MAX_SCENARIO_BYTES // 1024} KB",
                                     value=len(text.encode("utf-8")))])
    return scenario_from_text(text, source, direction_rules(), set(default_context().dataset.units.index)).to_yaml()


def scenario_yaml(fields: Mapping[str, Any], source: str = "what-if") -> str:
    """Canonical YAML of a scenario given as the keys of a scenario file (checked like a file)."""
    return parse_scenario(dict(fields), source, direction_rules(), set(default_context().dataset.units.index)).to_yaml()


def scenario_fields(text: str) -> dict[str, Any]:
    """The keys of a scenario file, every optional key filled in (budget as a mapping year -> bn)."""
    scenario = scenario_from_text(text, "scenario", direction_rules())
    out = scenario.to_dict()
    out["directions"] = {d: {"min": scenario.bounds(d).min, "max": scenario.bounds(d).max} for d in DIRECTIONS}
    out["unit_caps_bn_kzt"] = dict(scenario.unit_caps_bn_kzt)
    out["equity_weight"] = scenario.equity_weight
    out["assumptions"] = dict(scenario.assumptions)
    out["description"] = scenario.description
    return out


def assumption_table(keys: tuple[str, ...] = KEY_ASSUMPTIONS) -> list[dict[str, Any]]:
    """Each parameter's central value, range, unit, basis and source (from rules/directions.yaml)."""
    params = direction_rules().parameters
    return [{"id": k, "central": params[k].central, "low": params[k].low, "high": params[k].high,
             "unit": params[k].unit, "basis": params[k].basis, "source": params[k].source,
             "is_assumption": params[k].is_assumption} for k in keys if k in params]


def assumption_parameters() -> list[str]:
    """Every model parameter with no published estimate for Kazakhstan (basis assumption or proxy)."""
    return sorted(k for k, p in direction_rules().parameters.items() if p.is_assumption)


# ---------------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------------

def solve(yaml_text: str, hold: tuple[str, float] | None = None,
          indicators: pd.DataFrame | None = None) -> dict[str, Any]:
    """The plan of a scenario as the optimizer's public JSON (see :class:`OptimizationResult`).

    With ``hold = (metric, level)`` the plan is a frontier point's instead: the most national growth with
    the equity metric held at ``level`` (:func:`solve_at_level`).
    """
    ctx = context_for(indicators)
    scenario = scenario_from_text(yaml_text, "scenario", direction_rules())
    if hold is not None:
        return solve_at_level(ctx, digest_indicators(indicators), scenario, hold[0], float(hold[1]))
    prep = _prepared(ctx, digest_indicators(indicators), scenario)
    out = optimize(ctx, scenario, solver=SOLVER, prepared=prep).to_json()
    out["hold"] = None
    return out


def frontier(yaml_text: str, points: int = 11, indicators: pd.DataFrame | None = None) -> dict[str, Any]:
    """The equity-efficiency frontier of a scenario (:func:`engine.allocation.compute_frontier`) as JSON."""
    ctx = context_for(indicators)
    scenario = scenario_from_text(yaml_text, "scenario", direction_rules())
    prep = _prepared(ctx, digest_indicators(indicators), scenario)
    return compute_frontier(ctx, scenario, points, solver=SOLVER, prepared=prep).to_json()


def solve_at_level(ctx: Context, data_key: str, scenario: Scenario, metric: str, level: float) -> dict[str, Any]:
    """A frontier point's plan: maximise national growth holding ``metric`` at ``level`` (no worse).

    The scenario's constraints and budget apply as in :func:`engine.allocation.compute_frontier`; the plan is
    then simulated exactly and compared with the no-policy baseline and the formula allocations. There is
    no budget shadow price (the hold is not the scenario's own objective).
    """
    equity = scenario.replace(objective=EQUITY_OBJECTIVES.get(scenario.objective, "shortfall"))
    prep = _prepared(ctx, data_key, equity)
    forms, model = prep.forms, prep.model
    anchors = Anchors(problems=problem_region_setup(ctx, forms, equity) if equity.objective == "problem_regions"
                      else None)
    stage = growth_stage(forms, equity, metric, relaxed_level(metric, level), anchors, key="frontier")
    solution = solve_stage(stage, SOLVER, None)
    years = model.baseline.years
    last = scenario.last_year
    base_metrics, base_problems = metrics_by_year(ctx, prep.no_policy, years)
    out: dict[str, Any] = {
        "status": solution.status.value, "objective": scenario.objective, "scenario": scenario.to_dict(),
        "hold": {"metric": metric, "level": level}, "parts": {"units": forms.parts.parts},
        "metrics_before": base_metrics[scenario.base_year], "metrics_baseline": base_metrics[last],
        "metrics_after": None, "metrics_by_year": {"baseline": base_metrics},
        "problem_regions_by_year": {"baseline": {y: len(v) for y, v in base_problems.items()}},
        "trajectories": {"years": years, "baseline": _trajectories(prep.no_policy, years)},
        "allocation": [], "baselines": [], "explanations": [], "conflicts": [], "relaxations": [],
        "budget_shadow_price": {"available": False, "by_year": [], "note": ""}, "message": solution.message,
    }
    if not solution.solved:
        return json_safe(out)
    rows = allocation_rows(forms, solution.values)
    plan = simulate_plan(model, allocation_frame(rows))
    plan_metrics, plan_problems = metrics_by_year(ctx, plan, years)
    spent = sum(r.bn_kzt for r in rows)
    out.update({
        "allocation": [asdict(r) for r in rows],
        "metrics_after": plan_metrics[last],
        "metrics_by_year": {"baseline": base_metrics, "plan": plan_metrics},
        "problem_regions_by_year": {"baseline": {y: len(v) for y, v in base_problems.items()},
                                    "plan": {y: len(v) for y, v in plan_problems.items()}},
        "trajectories": {"years": years, "baseline": _trajectories(prep.no_policy, years),
                         "plan": _trajectories(plan, years)},
        "baselines": formula_baselines(prep, base_metrics[last]),
        "plan_reduction_per_bn": {**reduction_per_bn(base_metrics[last], plan_metrics[last], spent),
                                  "national_growth": simulated_growth(plan, prep.no_policy, scenario.years) / spent
                                  if spent > 0 else None},
    })
    return json_safe(out)


def _trajectories(plan: Any, years: list[int]) -> dict[str, Any]:
    from engine.allocation.report import trajectories_json

    return trajectories_json(plan, years)


def formula_baselines(prep: Prepared, no_policy_last: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The formula allocations of the same budget (:data:`engine.allocation.baselines.FORMULAS`), simulated."""
    scenario = prep.scenario
    last = scenario.last_year
    out = []
    for formula in FORMULAS:
        allocation = formula_allocation(prep.forms, scenario, formula)
        spent = float(allocation["bn_kzt"].sum()) if len(allocation) else 0.0
        plan = simulate_plan(prep.model, allocation)
        metrics, _ = metrics_for_values(prep.ctx, plan.grp_per_capita[last], plan.population[last], last)
        reduction = reduction_per_bn(no_policy_last, metrics, spent)
        reduction["national_growth"] = (simulated_growth(plan, prep.no_policy, scenario.years) / spent
                                        if spent > 0 else None)
        out.append({"name": formula.name, "description": formula.description, "spent_bn": spent,
                    "metrics_after": metrics, "reduction_per_bn": reduction})
    return out


# ---------------------------------------------------------------------------------------------------
# Roadmap
# ---------------------------------------------------------------------------------------------------

def build_roadmap(yaml_text: str, allocation: pd.DataFrame, lang: str, indicators: pd.DataFrame | None = None,
                  hold: tuple[str, float] | None = None) -> Roadmap:
    """The two-part roadmap of a scenario with the optimizer's ``allocation``, in ``lang``.

    ``hold`` says the allocation is a frontier point's (see :func:`solve`), and the roadmap's note says so.
    The simulated inputs are kept per process, so the same plan in another language is not simulated again.
    """
    ctx = context_for(indicators)
    scenario = scenario_from_text(yaml_text, "scenario", direction_rules())
    frame = allocation[["unit_id", "direction", "year", "bn_kzt"]].reset_index(drop=True)
    key = (digest_indicators(indicators), yaml_text, digest_indicators(frame))
    inputs = _remember(_roadmap_inputs, key, lambda: prepare_inputs(ctx, scenario, frame,
                                                                    direction_rules=direction_rules(),
                                                                    allocation_kind="optimizer"), size=4)
    roadmap = roadmap_from_inputs(ctx, scenario, inputs, lang)
    if hold is None:
        return roadmap
    note = t("hold_note", lang, metric=metric_name(hold[0], lang), level=format_number(float(hold[1]), lang, 4))
    return replace(roadmap, allocation_note=note)


def metric_name(metric: str, lang: str) -> str:
    """The name of an optimizer metric (``max_min_ratio``, ``min_grp_per_capita``, ``shortfall``...) in ``lang``."""
    return t(f"metric_{metric}", lang) if has_text(f"metric_{metric}") else t(metric, lang)


def export_name(roadmap: Roadmap, fmt: str) -> str:
    """The file name :func:`export_roadmap` gives ``roadmap`` in format ``fmt``."""
    return export_filename(roadmap.scenario_name, roadmap.lang, fmt)


def export_roadmap(roadmap: Roadmap, fmt: str) -> tuple[str, str, bytes]:
    """``(file name, MIME type, bytes)`` of ``roadmap`` in ``fmt`` (see :func:`engine.roadmap.export_bytes`)."""
    return export_bytes(roadmap, fmt)


def export_plan(yaml_text: str, allocation: pd.DataFrame, lang: str, fmt: str,
                indicators: pd.DataFrame | None = None, hold: tuple[str, float] | None = None,
                ) -> tuple[str, str, bytes]:
    """The roadmap of a scenario's plan in ``lang``, exported as ``fmt``: ``(file name, MIME type, bytes)``."""
    return export_bytes(build_roadmap(yaml_text, allocation, lang, indicators, hold), fmt)


# ---------------------------------------------------------------------------------------------------
# Views of a result for the app's charts and tables (cheap; run in the server thread)
# ---------------------------------------------------------------------------------------------------

ALLOCATION_COLUMNS = ["unit_id", "direction", "year", "bn_kzt", "part"]
INEQUALITY_CRITERIA = ("max_min_ratio", "williamson", "theil_t_weighted")


def allocation_views(result: Mapping[str, Any]) -> dict[str, pd.DataFrame | pd.Series]:
    """A solved plan's allocation summed several ways (bn tenge over the horizon unless said otherwise).

    ``by_cell`` unit x direction; ``by_unit`` per unit; ``per_capita`` thousand tenge per base-year resident
    (``bn x 1e6 / persons``); ``by_direction_part`` direction x part; ``by_year`` year x part.
    """
    frame = pd.DataFrame(result.get("allocation") or [], columns=ALLOCATION_COLUMNS)
    frame["bn_kzt"] = frame["bn_kzt"].astype(float)
    baseline = (result.get("trajectories") or {}).get("baseline") or {}
    population = pd.Series({u: float(v["population"][0]) for u, v in baseline.items()}, dtype=float)
    units = list(population.index) or sorted(set(frame["unit_id"]))
    directions = [d for d in DIRECTIONS if d in set(frame["direction"])]
    by_cell = (frame.pivot_table(index="unit_id", columns="direction", values="bn_kzt", aggfunc="sum", fill_value=0.0)
               .reindex(index=units, columns=directions, fill_value=0.0))
    by_unit = frame.groupby("unit_id")["bn_kzt"].sum().reindex(units, fill_value=0.0)
    per_capita = by_unit * 1e6 / population.reindex(units) if len(population) else by_unit * float("nan")
    by_direction_part = (frame.pivot_table(index="direction", columns="part", values="bn_kzt", aggfunc="sum",
                                           fill_value=0.0).reindex(index=directions, fill_value=0.0))
    by_year = frame.pivot_table(index="year", columns="part", values="bn_kzt", aggfunc="sum", fill_value=0.0)
    return {"by_cell": by_cell, "by_unit": by_unit, "per_capita": per_capita,
            "by_direction_part": by_direction_part, "by_year": by_year}


def equity_part_share(result: Mapping[str, Any]) -> float:
    """The share of the allocated money in the equity part (0 when nothing is allocated)."""
    by_part: dict[str, float] = {}
    for row in result.get("allocation") or []:
        by_part[row["part"]] = by_part.get(row["part"], 0.0) + float(row["bn_kzt"])
    total = sum(by_part.values())
    return by_part.get("equity", 0.0) / total if total > 0 else 0.0


def trajectory_frame(result: Mapping[str, Any], units: list[str], indicator: str = "grp_per_capita",
                     ) -> pd.DataFrame:
    """``indicator`` by year (index) for each unit under the baseline and the plan (columns ``(unit, kind)``)."""
    trajectories = result.get("trajectories") or {}
    years = [int(y) for y in trajectories.get("years", [])]
    columns = {}
    for unit in units:
        for kind in ("baseline", "plan"):
            series = (trajectories.get(kind) or {}).get(unit)
            if series is not None:
                columns[(unit, kind)] = series[indicator]
    return pd.DataFrame(columns, index=years)


def criteria_by_year(result: Mapping[str, Any]) -> pd.DataFrame:
    """Both criteria by year: problem regions and the inequality measures, baseline and plan.

    Columns are ``(criterion, kind)`` with kind ``baseline`` or ``plan``; the index is the year.
    """
    rows: dict[int, dict[tuple[str, str], float]] = {}
    for kind, by_year in (result.get("metrics_by_year") or {}).items():
        for year, metrics in by_year.items():
            row = rows.setdefault(int(year), {})
            for key in ("problem_regions", *INEQUALITY_CRITERIA):
                if metrics.get(key) is not None:
                    row[(key, kind)] = float(metrics[key])
    return pd.DataFrame.from_dict(rows, orient="index").sort_index()


def ratio_only_years(result: Mapping[str, Any]) -> list[int]:
    """Years in which the plan wins on the max/min ratio alone (Williamson or Theil worse than the baseline)."""
    from engine.roadmap.build import ratio_only_years as years_of
    from engine.roadmap.result import CriteriaRow

    by_year = result.get("metrics_by_year") or {}
    baseline, plan = by_year.get("baseline") or {}, by_year.get("plan") or {}
    rows = tuple(CriteriaRow(int(y), baseline[y], plan[y]) for y in sorted(plan, key=int) if y in baseline)
    return years_of(rows)


def baseline_comparison(result: Mapping[str, Any]) -> pd.DataFrame:
    """The plan beside the formula allocations of the same budget: spending, criteria at the horizon, and
    reduction per bn (``(no policy - with the allocation) / bn``; positive is better). Index: ``plan`` and
    the formula names."""
    keys = ("problem_regions", *INEQUALITY_CRITERIA)
    rows = {}
    if result.get("metrics_after"):
        spent = sum(float(r["bn_kzt"]) for r in result.get("allocation") or [])
        reduction = result.get("plan_reduction_per_bn") or {}
        rows["plan"] = {"spent_bn": spent, **{k: result["metrics_after"].get(k) for k in keys},
                        **{f"reduction_{k}": reduction.get(k) for k in (*INEQUALITY_CRITERIA, "national_growth")}}
    for formula in result.get("baselines") or []:
        reduction = formula.get("reduction_per_bn") or {}
        rows[formula["name"]] = {"spent_bn": formula.get("spent_bn"),
                                 **{k: (formula.get("metrics_after") or {}).get(k) for k in keys},
                                 **{f"reduction_{k}": reduction.get(k)
                                    for k in (*INEQUALITY_CRITERIA, "national_growth")}}
    return pd.DataFrame.from_dict(rows, orient="index")


__all__ = ["DEFAULT_SCENARIO", "KEY_ASSUMPTIONS", "MAX_SCENARIO_BYTES", "OBJECTIVES", "allocation_views",
           "assumption_parameters", "assumption_table", "baseline_comparison", "build_roadmap", "check_scenario_yaml",
           "context_for", "criteria_by_year", "default_scenario_yaml", "equity_part_share", "export_name",
           "export_plan", "export_roadmap", "formula_baselines", "frontier", "metric_name", "ratio_only_years",
           "scenario_fields",
           "scenario_yaml", "solve", "solve_at_level", "trajectory_frame"]

"""What the app asks of the engine, as functions of plain, picklable inputs (YAML text, frames, numbers).

The app runs these in worker processes (``ui/jobs.run_job``), so every argument and result crosses a
process boundary and is cached by its value: scenarios travel as YAML text, an uploaded indicator table
as a DataFrame, results as the optimizer's public JSON. Each worker keeps its datasets, prepared studies and
results in :mod:`engine.interfaces.studies`, so a change of budget, objective or bounds re-solves without
rebuilding the model, and the roadmap of a plan reads the result its solve made (no second simulation).

A frontier point's plan (the most national growth holding the equity metric at the point's level) is the
optimizer's own result (:func:`engine.allocation.optimize_at_level`), with ``hold`` set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from engine.allocation import compute_frontier, optimize, optimize_at_level
from engine.allocation.result import OptimizationResult
from engine.core.errors import ScenarioError, problem
from engine.core.i18n import local
from engine.core.parameters import DIRECTIONS, DirectionRules
from engine.core.paths import DEFAULT_SCENARIO
from engine.core.scenario import OBJECTIVES
from engine.interfaces import studies
from engine.interfaces.studies import default_context, digest_indicators
from engine.roadmap import export_bytes
from engine.roadmap.pipeline import inputs_from_result, metric_name, roadmap_from_inputs
from engine.roadmap.result import Roadmap
from engine.roadmap.safe import export_filename

#: The parameters that move the results most (see rules/directions.yaml): offered as low/central/high.
KEY_ASSUMPTIONS = ("capital_return", "implementation_efficiency", "hub_premium", "spillover_share",
                   "co_financing_ratio", "interaction_leverage", "baseline_convergence", "baseline_real_growth",
                   "absorption_cap_scale")
MAX_SCENARIO_BYTES = 1024 * 1024
SOLVER = "highs"


def direction_rules() -> DirectionRules:
    """rules/directions.yaml checked against the default dataset's units."""
    return studies.rules_for(None)


# ---------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------

def default_scenario_yaml() -> str:
    """The shipped default scenario (the Concept of Regional Development 2025-2030)."""
    return DEFAULT_SCENARIO.read_text(encoding="utf-8")


def check_scenario_yaml(text: str, source: str = "scenario") -> str:
    """The scenario in ``text`` checked (every key, parameters, unit ids) and written back as canonical YAML.

    Raises
    ------
    ScenarioError
        For a text over :data:`MAX_SCENARIO_BYTES`, unsafe or malformed YAML, or any bad key or value.
    """
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError([problem(source, "pr_scenario_file_kb", None, None, len(text.encode("utf-8")),
                                     kb=MAX_SCENARIO_BYTES // 1024)])
    return studies.scenario_of(text, name=source).to_yaml()


def scenario_yaml(fields: Mapping[str, Any], source: str = "what-if") -> str:
    """Canonical YAML of a scenario given as the keys of a scenario file (checked like a file)."""
    return studies.scenario_of(dict(fields), name=source).to_yaml()


def scenario_fields(text: str) -> dict[str, Any]:
    """The keys of a scenario file, every optional key filled in (budget as a mapping year -> bn)."""
    scenario = studies.scenario_of(text)
    out = scenario.to_dict()
    out["directions"] = {d: {"min": scenario.bounds(d).min, "max": scenario.bounds(d).max} for d in DIRECTIONS}
    out["unit_caps_bn_kzt"] = dict(scenario.unit_caps_bn_kzt)
    out["equity_weight"] = scenario.equity_weight
    out["assumptions"] = dict(scenario.assumptions)
    out["description"] = scenario.description
    out["indicator"] = scenario.indicator
    return out


def reason_words(ctx: Any, reason: str, lang: str) -> str:
    """A problem-region reason of a diagnosis in ``lang`` (the engine writes reasons in English)."""
    from engine.roadmap.build import reason_text

    return reason_text(ctx, reason, lang)


def assumption_table(keys: tuple[str, ...] = KEY_ASSUMPTIONS, lang: str = "en") -> list[dict[str, Any]]:
    """Each parameter's central value, range, unit (in ``lang``), basis and source (from rules/directions.yaml)."""
    params = direction_rules().parameters
    return [{"id": k, "central": params[k].central, "low": params[k].low, "high": params[k].high,
             "unit": local(params[k].unit, lang), "basis": params[k].basis, "source": local(params[k].source, lang),
             "is_assumption": params[k].is_assumption} for k in keys if k in params]


def assumption_parameters() -> list[str]:
    """Every model parameter with no published estimate for Kazakhstan (basis assumption or proxy)."""
    return sorted(k for k, p in direction_rules().parameters.items() if p.is_assumption)


# ---------------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------------

def _result(yaml_text: str, hold: tuple[str, float] | None, indicators: pd.DataFrame | None,
            ) -> OptimizationResult:
    """The optimizer's result of a scenario (a frontier point's with ``hold``), solved once per process."""
    ctx, data_key = studies.uploaded(indicators)

    def solve_now() -> OptimizationResult:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        if hold is None:
            return optimize(prep, solver=SOLVER)
        return optimize_at_level(prep, hold[0], float(hold[1]), solver=SOLVER)

    key = (data_key, yaml_text, None if hold is None else (str(hold[0]), float(hold[1])))
    return studies.remember("result", key, solve_now)


def solve(yaml_text: str, hold: tuple[str, float] | None = None,
          indicators: pd.DataFrame | None = None) -> dict[str, Any]:
    """The plan of a scenario as the optimizer's public JSON (see :class:`OptimizationResult`).

    With ``hold = (metric, level)`` the plan is a frontier point's instead: the most national growth with
    the equity metric held at ``level`` (:func:`engine.allocation.optimize_at_level`).
    """
    return _result(yaml_text, hold, indicators).to_json()


def frontier(yaml_text: str, points: int = 11, indicators: pd.DataFrame | None = None) -> dict[str, Any]:
    """The equity-efficiency frontier of a scenario (:func:`engine.allocation.compute_frontier`) as JSON."""
    ctx, data_key = studies.uploaded(indicators)
    prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
    return compute_frontier(prep, points, solver=SOLVER).to_json()


def budget_curve(yaml_text: str, metric: str, points: int = 7, indicators: pd.DataFrame | None = None,
                 ) -> list[dict[str, float | None]]:
    """The scenario's ``metric`` in its last year against the same budget every year (``roadmap target
    --curve``): what more money would buy, and where the absorption caps stop it."""
    from engine.analysis.target import budget_curve as curve

    ctx, data_key = studies.uploaded(indicators)
    prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
    return list(curve(prep.study, metric, prep.scenario.last_year, points))


def budget_curve_budgets(yaml_text: str, metric: str, points: int = 7, indicators: pd.DataFrame | None = None,
                         ) -> list[float]:
    """The yearly budgets of :func:`budget_curve`'s points, to solve one job per point (progress, cancel)."""
    from engine.analysis.target import curve_budgets

    ctx, data_key = studies.uploaded(indicators)
    prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
    return curve_budgets(prep.study, metric, points)


def budget_curve_point(yaml_text: str, metric: str, budget: float, indicators: pd.DataFrame | None = None,
                       ) -> dict[str, float | None]:
    """One point of :func:`budget_curve`: the metric with ``budget`` every year."""
    from engine.analysis.target import curve_point

    ctx, data_key = studies.uploaded(indicators)
    prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
    return curve_point(prep.study, metric, prep.scenario.last_year, budget)


# ---------------------------------------------------------------------------------------------------
# Roadmap
# ---------------------------------------------------------------------------------------------------

def build_roadmap(yaml_text: str, lang: str, indicators: pd.DataFrame | None = None,
                  hold: tuple[str, float] | None = None) -> Roadmap:
    """The two-part roadmap of a scenario's plan (the result :func:`solve` reports), in ``lang``.

    ``hold`` says the plan is a frontier point's, and the roadmap's note says so. The roadmap reads the
    result's trajectories: the plan is not simulated again, and another language costs nothing more.

    Raises
    ------
    ScenarioError
        When the scenario has no plan.
    """
    result = _result(yaml_text, hold, indicators)
    ctx, data_key = studies.uploaded(indicators)

    def inputs() -> Any:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        return inputs_from_result(prep.study, result)

    key = (data_key, yaml_text, None if hold is None else (str(hold[0]), float(hold[1])))
    return roadmap_from_inputs(studies.remember("roadmap", key, inputs), lang)


def export_name(roadmap: Roadmap, fmt: str) -> str:
    """The file name :func:`export_roadmap` gives ``roadmap`` in format ``fmt``."""
    return export_filename(roadmap.scenario_name, roadmap.lang, fmt)


def export_roadmap(roadmap: Roadmap, fmt: str) -> tuple[str, str, bytes]:
    """``(file name, MIME type, bytes)`` of ``roadmap`` in ``fmt`` (see :func:`engine.roadmap.export_bytes`)."""
    return export_bytes(roadmap, fmt)


def export_plan(yaml_text: str, lang: str, fmt: str, indicators: pd.DataFrame | None = None,
                hold: tuple[str, float] | None = None) -> tuple[str, str, bytes]:
    """The roadmap of a scenario's plan in ``lang``, exported as ``fmt``: ``(file name, MIME type, bytes)``."""
    return export_bytes(build_roadmap(yaml_text, lang, indicators, hold), fmt)


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
    """The plan beside the formula allocations of the same budget: spending, criteria at the horizon (scored as
    the optimizer scores them: after the last year's demand impulse when the scenario scores what lasts), and
    reduction per bn (``(no policy - with the allocation) / bn``; positive is better). Index: ``plan`` and
    the formula names."""
    keys = ("problem_regions", *INEQUALITY_CRITERIA)
    rows = {}
    # the criteria as the optimizer scored them (after the last year's impulse) where the result has them
    lasting = (result.get("lasting_effects") or {}).get("metrics_after_lasting")
    if result.get("metrics_after"):
        spent = sum(float(r["bn_kzt"]) for r in result.get("allocation") or [])
        reduction = result.get("plan_reduction_per_bn") or {}
        criteria = lasting or result["metrics_after"]
        rows["plan"] = {"spent_bn": spent, **{k: criteria.get(k) for k in keys},
                        **{f"reduction_{k}": reduction.get(k) for k in (*INEQUALITY_CRITERIA, "national_growth")}}
    for formula in result.get("baselines") or []:
        reduction = formula.get("reduction_per_bn") or {}
        criteria = (formula.get("metrics_lasting") if lasting else None) or formula.get("metrics_after") or {}
        rows[formula["name"]] = {"spent_bn": formula.get("spent_bn"), **{k: criteria.get(k) for k in keys},
                                 **{f"reduction_{k}": reduction.get(k)
                                    for k in (*INEQUALITY_CRITERIA, "national_growth")}}
    return pd.DataFrame.from_dict(rows, orient="index")


__all__ = ["DEFAULT_SCENARIO", "KEY_ASSUMPTIONS", "MAX_SCENARIO_BYTES", "OBJECTIVES", "allocation_views",
           "assumption_parameters", "assumption_table", "baseline_comparison", "build_roadmap", "check_scenario_yaml",
           "criteria_by_year", "default_context", "default_scenario_yaml", "digest_indicators", "direction_rules",
           "equity_part_share", "export_name", "export_plan", "export_roadmap", "frontier", "metric_name",
           "ratio_only_years", "scenario_fields", "scenario_yaml", "solve", "trajectory_frame"]


def backtest(indicators: pd.DataFrame | None = None) -> dict[str, Any]:
    """``roadmap backtest --json`` on the session's data (the default, or the upload), computed once per data."""
    from engine.analysis.backtest import run_backtest
    from engine.core.parameters import ParameterValues

    ctx, key = studies.uploaded(indicators)
    return studies.remember("result", ("backtest", key), lambda: run_backtest(
        ctx.dataset, ParameterValues(studies.rules_for())).to_json())


def backtest_frame(doc: Mapping[str, Any]) -> pd.DataFrame:
    """One row per method, best first: mean MAPE, mean ratio error and the MAPE from each origin year."""
    rows = []
    for name in doc["selection"]["ranking"]:
        scores = doc["methods"][name]
        row = {"method": name, "mape": scores["mape"], "ratio_error": scores["ratio_error"]}
        row.update({str(o["origin"]): o["mape"] for o in scores["by_origin"]})
        rows.append(row)
    return pd.DataFrame(rows)


SMALL_MOVE_SHARE = 0.02  # engine.analysis.target.SMALL_MOVE_SHARE, repeated to keep the import light


def small_move_note(result: Mapping[str, Any], lang: str) -> str:
    """A plain sentence when the plan moves the max/min ratio by under 2% (scored after the last year's
    impulse) and leaves the problem-region count where it is; empty otherwise."""
    from engine.core.i18n import format_number, t

    lasting = (result.get("lasting_effects") or {}).get("metrics_after_lasting") or {}
    baseline = result.get("metrics_baseline") or {}
    if not lasting or not baseline.get("max_min_ratio"):
        return ""
    share = (baseline["max_min_ratio"] - lasting["max_min_ratio"]) / baseline["max_min_ratio"]
    count = int(baseline.get("problem_regions", 0)) - int(lasting.get("problem_regions", 0))
    if share >= SMALL_MOVE_SHARE or count > 0:
        return ""
    return t("small_move_note", lang, share=format_number(100 * share, lang, 1), count=count,
             year=(result.get("lasting_effects") or {}).get("year", ""))

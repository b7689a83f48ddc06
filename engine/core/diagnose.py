"""Diagnosis of disparity: metrics across units in a year, their trend, and the problem regions.

This is the engine entry point behind ``roadmap diagnose`` and the app's Diagnosis page.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from engine.core.context import Context
from engine.core.data import Dataset
from engine.core.errors import DataValidationError, problem
from engine.core.i18n import Text, has_text
from engine.core.metrics import compute_disparity_metrics, disparity_metrics_of_arrays
from engine.core.rules import ProblemRuleSet
from engine.core.validation import DEFAULT_INDICATOR

POPULATION = "population"


@dataclass(frozen=True)
class UnitDiagnosis:
    unit_id: str
    name_en: str
    name_ru: str
    name_kk: str
    value: float
    population: float
    economic_type: str
    macro_region: str
    problem: bool
    problem_reasons: list[str]


@dataclass(frozen=True)
class Diagnosis:
    year: int
    indicator: str
    indicator_unit: str
    units: list[UnitDiagnosis]
    metrics: dict[str, Any]
    trend: dict[int, dict[str, Any]]
    #: what to know about the values: English with str(), in any language with Text.render
    notes: list[Text] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of ``roadmap diagnose --json`` (a stable interface)."""
        return {
            "year": self.year,
            "indicator": self.indicator,
            "indicator_unit": self.indicator_unit,
            "units": [asdict(u) for u in self.units],
            "metrics": self.metrics,
            "trend": {str(y): m for y, m in sorted(self.trend.items())},
            "notes": [str(n) for n in self.notes],
            "note_messages": [n.to_json() for n in self.notes],
        }


def group_labels(ctx: Context, units: list[str], grouping: str) -> pd.Series:
    """The group of each unit under a typology grouping (``unassigned`` where the rules say nothing)."""
    spec = ctx.typology.groupings.get(grouping)
    labels = {u: (spec.group_of(u) if spec else None) or "unassigned" for u in units}
    return pd.Series(labels, name=grouping, dtype=object)


def within(index: pd.Index, among: Any) -> np.ndarray:
    """Which entries of ``index`` are in ``among``, by hash lookup (``Index.isin`` on strings takes some 40x
    longer, which counts when every plan's problem regions are judged over 6,000 settlements)."""
    among = pd.Index(among)
    return (among if among.is_unique else among.unique()).get_indexer(index) >= 0


def _value_near(dataset: Dataset, indicator: str, year: int, carry_back: int) -> pd.Series:
    values = dataset.values(indicator, year)
    for back in range(1, carry_back + 1):
        older = dataset.values(indicator, year - back)
        missing = older.index.difference(values.index).intersection(dataset.units_in_year(year))
        if len(missing):
            values = pd.concat([values, older.loc[missing]]).sort_index()
    return values


def evaluate_problem_regions(values: dict[str, pd.Series], population: pd.Series, rules: ProblemRuleSet,
                             ) -> dict[str, list[str]]:
    """Which units are problem regions, and why.

    ``values`` maps each indicator a rule uses to its values by unit; units without a value for a rule
    are not judged by that rule. National levels are population-weighted means over the units that
    have the indicator. Returns ``unit_id -> reasons`` for every unit in ``population``; a unit is a
    problem region when its reasons satisfy the rule set's combine mode.
    """
    units = population.index.tolist()  # plain strings: iterating pandas' Arrow strings is slow at 10^4 units
    met: dict[str, list[str]] = {u: [] for u in units}
    judged: dict[str, int] = dict.fromkeys(units, 0)
    for rule in rules.rules:
        series = values.get(rule.indicator)
        if series is None:
            continue
        if series.index.equals(population.index):  # the same units in the same order: no lookups
            values_array = series.to_numpy(dtype=float)
            kept = np.flatnonzero(~np.isnan(values_array))
            if not len(kept):
                continue
            values_array = values_array[kept]
            weights = population.to_numpy(dtype=float)[kept]
            names = [units[k] for k in kept.tolist()]
        else:
            series = series[within(series.index, population.index)].dropna()
            if series.empty:
                continue
            values_array = series.to_numpy(dtype=float)
            weights = population.reindex(series.index).to_numpy(dtype=float)
            names = series.index.tolist()
        national = float(np.dot(values_array, weights) / weights.sum())
        for unit_id in names:
            judged[unit_id] += 1
        for k in np.flatnonzero(_meets(rule, values_array, national)).tolist():
            met[names[k]].append(_reason(rule, float(values_array[k]), national))
    flagged: dict[str, list[str]] = {}
    for unit_id, reasons in met.items():
        if rules.combine_mode == "any":
            hit = len(reasons) >= 1
        elif rules.combine_mode == "all":
            hit = judged[unit_id] > 0 and len(reasons) == judged[unit_id]
        else:
            hit = len(reasons) >= rules.combine_count
        flagged[unit_id] = reasons if hit else []
    return flagged


def rule_margins(values: dict[str, pd.Series], population: pd.Series, rules: ProblemRuleSet,
                 ) -> dict[str, list[dict[str, Any]]]:
    """Each unit's distance to each problem rule's threshold: ``unit_id -> [{rule, indicator, value, bound,
    margin_share, met}]``, ``margin_share`` positive when the unit is clear of the rule (``(value - bound) /
    bound`` for a floor, ``(bound - value) / bound`` for a ceiling). National levels as in
    :func:`evaluate_problem_regions`."""
    units = population.index.tolist()
    out: dict[str, list[dict[str, Any]]] = {u: [] for u in units}
    for rule in rules.rules:
        series = values.get(rule.indicator)
        if series is None:
            continue
        series = series[within(series.index, population.index)].dropna()
        if series.empty:
            continue
        values_array = series.to_numpy(dtype=float)
        weights = population.reindex(series.index).to_numpy(dtype=float)
        national = float(np.dot(values_array, weights) / weights.sum())
        share_of_national = rule.kind in ("below_share_of_national", "above_multiple_of_national")
        bound = rule.threshold * national if share_of_national else float(rule.threshold)
        floor = rule.kind.startswith("below")
        met = _meets(rule, values_array, national)
        for k, unit_id in enumerate(series.index.tolist()):
            value = float(values_array[k])
            margin = (value - bound) / abs(bound) if floor else (bound - value) / abs(bound)
            out[unit_id].append({"rule": rule.id, "indicator": rule.indicator, "value": value, "bound": bound,
                                 "margin_share": margin, "met": bool(met[k])})
    return out


def _meets(rule: Any, values: np.ndarray, national: float) -> np.ndarray:
    """Which ``values`` meet ``rule``."""
    if rule.kind == "below_share_of_national":
        return values < rule.threshold * national
    if rule.kind == "above_multiple_of_national":
        return values > rule.threshold * national
    if rule.kind == "below_value":
        return values < rule.threshold
    return values > rule.threshold


def _reason(rule: Any, value: float, national: float) -> str:
    """Why a unit that meets ``rule`` (:func:`_meets`) is flagged, in words."""
    if rule.kind == "below_share_of_national":
        text = f"{rule.indicator} {value:,.1f} is below {rule.threshold:g} x national {national:,.1f}"
    elif rule.kind == "above_multiple_of_national":
        text = f"{rule.indicator} {value:,.1f} is above {rule.threshold:g} x national {national:,.1f}"
    elif rule.kind == "below_value":
        text = f"{rule.indicator} {value:,.1f} is below {rule.threshold:g}"
    else:
        text = f"{rule.indicator} {value:,.1f} is above {rule.threshold:g}"
    return f"{text} (rule {rule.id})"


def problem_regions_in_year(ctx: Context, year: int, overrides: dict[str, pd.Series] | None = None,
                            population: pd.Series | None = None) -> dict[str, list[str]]:
    """Problem-region reasons per unit in ``year`` from the data, with optional indicator overrides."""
    if overrides is None and population is None:  # the data's own verdict: once per year and rule set
        key = ("problem_regions", year, ctx.problem_rules)
        cache = ctx.dataset._value_cache
        if key not in cache:
            cache[key] = problem_regions_in_year(ctx, year, {})
        return {u: list(r) for u, r in cache[key].items()}
    units = ctx.dataset.units_in_year(year)
    pop = population if population is not None else ctx.dataset.values(POPULATION, year)
    pop = pop[within(pop.index, units)]
    values: dict[str, pd.Series] = {}
    for rule in ctx.problem_rules.rules:
        if overrides and rule.indicator in overrides:
            values[rule.indicator] = overrides[rule.indicator]
        else:
            values[rule.indicator] = _value_near(ctx.dataset, rule.indicator, year, rule.carry_back_years)
    return evaluate_problem_regions(values, pop, ctx.problem_rules)


def metrics_for_year(ctx: Context, indicator: str, year: int) -> tuple[dict[str, Any], pd.Series, pd.Series]:
    """Disparity metrics of ``indicator`` in ``year``, with the values and populations used."""
    units = ctx.dataset.units_in_year(year)
    values = ctx.dataset.values(indicator, year)
    population = ctx.dataset.values(POPULATION, year)
    problems = []
    if values.empty:
        problems.append(problem("dataset", "pr_no_values_in_year", None, "indicator", indicator, indicator=indicator,
                                year=year))
    missing_pop = sorted(set(values.index) - set(population.index))
    if missing_pop:
        problems.append(problem("dataset", "pr_no_population_for", None, "population", ", ".join(missing_pop),
                                year=year, indicator=indicator))
    if problems:
        raise DataValidationError(problems)
    population = population.loc[values.index]
    groups = group_labels(ctx, list(values.index), "economic_type")
    metrics = compute_disparity_metrics(values, population, groups)
    reasons = problem_regions_in_year(ctx, year)
    metrics["problem_regions"] = sum(1 for r in reasons.values() if r)
    metrics["units"] = len(values)
    metrics["units_missing"] = len(set(units) - set(values.index))
    return metrics, values, population


def metrics_for_values(ctx: Context, values: pd.Series, population: pd.Series, year: int,
                       indicator: str = DEFAULT_INDICATOR, projected: dict[str, pd.Series] | None = None,
                       ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The metrics of ``roadmap diagnose`` for given values (a projection, say), with problem regions.

    ``values`` and ``population`` are indexed by unit id. Problem-region rules on ``indicator`` use
    ``values``; rules on other indicators use the data of ``year`` (or the nearest earlier year the rule
    allows, else the latest year with data), unless ``projected`` gives their values (the model's
    projection of unemployment, say).
    """
    units = values.index.tolist()
    if not population.index.equals(values.index):
        population = population.loc[values.index]
    if values.index.has_duplicates:  # the Series form names the duplicated units
        metrics = compute_disparity_metrics(values, population, group_labels(ctx, units, "economic_type"))
    else:
        spec = ctx.typology.groupings.get("economic_type")
        groups = np.array([(spec.group_of(u) if spec else None) or "unassigned" for u in units], dtype=object)
        metrics = disparity_metrics_of_arrays(values.to_numpy(dtype=float), population.to_numpy(dtype=float),
                                              groups, units)
    overrides = {indicator: values}
    for rule in ctx.problem_rules.rules:
        if rule.indicator != indicator:
            held = (projected or {}).get(rule.indicator)
            if held is None:
                held = latest_values(ctx.dataset, rule.indicator, year)
            overrides[rule.indicator] = held if held.index.equals(values.index) \
                else held[within(held.index, values.index)]
    reasons = evaluate_problem_regions(overrides, population, ctx.problem_rules)
    metrics["problem_regions"] = sum(1 for r in reasons.values() if r)
    metrics["units"] = len(values)
    metrics["units_missing"] = 0
    return _clean(metrics), reasons


def latest_values(dataset: Dataset, indicator: str, year: int) -> pd.Series:
    """Values of ``indicator`` in ``year``, or in the latest earlier year that has any (else the latest year):
    how :func:`metrics_for_values` holds the indicators the model does not project."""
    key = ("latest", indicator, year)
    if key not in dataset._value_cache:
        found = pd.Series(dtype=float)
        years = [y for y in dataset.years(indicator) if y <= year] or dataset.years(indicator)
        for candidate in sorted(years, reverse=True):
            values = dataset.values(indicator, candidate)
            if len(values):
                found = values
                break
        dataset._value_cache[key] = found
    return dataset._value_cache[key].copy()


def complete_years(ctx: Context, indicator: str) -> list[int]:
    """Years in which every existing unit has both ``indicator`` and population."""
    years = []
    for year in ctx.dataset.years(indicator):
        units = set(ctx.dataset.units_in_year(year))
        if units and units <= set(ctx.dataset.values(indicator, year).index) \
                and units <= set(ctx.dataset.values(POPULATION, year).index):
            years.append(year)
    return years


def diagnose(ctx: Context, year: int | None = None, indicator: str = DEFAULT_INDICATOR) -> Diagnosis:
    """Diagnose disparity of ``indicator`` across the units existing in ``year``.

    The default year is the latest in which every unit has the indicator and a population.

    Raises
    ------
    DataValidationError
        When the indicator or year has no data, naming what is missing.
    """
    dataset = ctx.dataset
    if indicator not in set(dataset.indicators["indicator"]):
        raise DataValidationError([problem("dataset", "pr_unknown_indicator_available", None, "indicator", indicator,
                                           available=", ".join(dataset.indicator_names()))])
    years = complete_years(ctx, indicator)
    if year is None:
        if not years:
            raise DataValidationError([problem("dataset", "pr_no_complete_year", None, "indicator", indicator)])
        year = years[-1]
    metrics, values, population = metrics_for_year(ctx, indicator, year)
    reasons = problem_regions_in_year(ctx, year)
    economic = group_labels(ctx, list(values.index), "economic_type")
    macro = group_labels(ctx, list(values.index), "macro_region")
    units = [UnitDiagnosis(
        unit_id=u, name_en=dataset.name(u, "en"), name_ru=dataset.name(u, "ru"), name_kk=dataset.name(u, "kk"),
        value=float(values[u]), population=float(population[u]), economic_type=str(economic[u]),
        macro_region=str(macro[u]), problem=bool(reasons.get(u)), problem_reasons=list(reasons.get(u, [])),
    ) for u in values.sort_values(ascending=False).index]
    trend: dict[int, dict[str, Any]] = {}
    for y in dataset.years(indicator):
        try:
            trend[y] = metrics_for_year(ctx, indicator, y)[0]
        except DataValidationError:
            continue
    notes = []
    flagged = dataset.indicators[(dataset.indicators["indicator"] == indicator)
                                 & (dataset.indicators["year"] == year)
                                 & (dataset.indicators["unit_id"].isin(values.index))
                                 & (dataset.indicators["flag"].fillna("") != "")]
    name = Text(indicator) if has_text(indicator) else indicator
    if len(flagged):
        flags = [Text(f"data_flag_{f}") if has_text(f"data_flag_{f}") else f for f in sorted(set(flagged["flag"]))]
        notes.append(Text("diag_flagged", {"count": len(flagged), "total": len(values), "indicator": name,
                                           "year": year, "flags": flags}))
    if metrics["units_missing"]:
        notes.append(Text("diag_missing", {"count": metrics["units_missing"], "indicator": name, "year": year}))
    return Diagnosis(year, indicator, dataset.indicator_unit(indicator), units, _clean(metrics),
                     {y: _clean(m) for y, m in trend.items()}, notes)


def _clean(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 10) if isinstance(v, float) and math.isfinite(v) else v) for k, v in metrics.items()}

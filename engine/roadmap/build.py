"""Turn an allocation and its trajectories into the two-part roadmap.

Which part a measure belongs to follows ``rules/roadmap.yaml`` (unit class x direction); a measure is all
the spending on one direction in one unit over the horizon. Both criteria by year come from
:func:`engine.core.diagnose.metrics_for_values` on the baseline's and the plan's trajectory columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from engine.core.context import Context
from engine.core.diagnose import metrics_for_values
from engine.core.errors import DataValidationError, Problem, ScenarioError, problem
from engine.core.i18n import LANGUAGES, format_number, has_text, local, t, unit_name
from engine.core.parameters import DIRECTIONS
from engine.core.roadmap_rules import PARTS, PRIORITIES, RoadmapRules, classify_units, load_roadmap_rules
from engine.core.scenario import Scenario
from engine.model.labour import projected_indicators
from engine.model.response import ResponseModel
from engine.model.simulate import fill_segments
from engine.roadmap.result import (
    CRITERIA,
    CriteriaRow,
    DiagnosisSummary,
    Measure,
    MeasureEffect,
    ParameterUse,
    Part,
    PriorityEntry,
    Roadmap,
    RuleEntry,
    SourceEntry,
    UnitRow,
)

#: Parameters every direction's effect rests on besides its own responses.
SHARED_PARAMETERS = ("implementation_efficiency", "segment_breakpoints_share_of_grp", "segment_slopes",
                     "absorption_cap_scale", "segment_decline_scale")
#: Parameters of the no-policy baseline every comparison rests on.
BASELINE_PARAMETERS = ("baseline_real_growth", "baseline_convergence", "baseline_population_years")
ALLOCATION_FILE = "allocation"
_RULE_SUFFIX = re.compile(r"\(rule ([^)]+)\)\s*$")


class Trajectories(Protocol):
    """Yearly values by unit (rows) and year (columns): :class:`engine.model.simulate.PlanTrajectories` or a
    Baseline."""

    @property
    def grp_per_capita(self) -> pd.DataFrame: ...

    @property
    def population(self) -> pd.DataFrame: ...


def build_roadmap(ctx: Context, scenario: Scenario, model: ResponseModel, allocation: pd.DataFrame,
                  baseline_trajectories: Trajectories, plan_trajectories: Trajectories, lang: str = "en", *,
                  rules: RoadmapRules | None = None, allocation_note: str = "",
                  classes: Mapping[str, str] | None = None, reach: tuple[Mapping[str, Any], ...] = ()) -> Roadmap:
    """Build the two-part roadmap of ``allocation`` (columns ``unit_id, direction, year, bn_kzt``).

    ``baseline_trajectories`` and ``plan_trajectories`` are the no-policy and the plan's trajectories of
    the same ``model`` (``simulate_plan(model, empty_allocation())`` and ``simulate_plan(model, allocation)``).
    A ``part`` column in ``allocation`` (the optimizer's tag) is compared with the rules, and a
    disagreement is reported as a warning; the rules decide. ``classes`` (each unit's class under the rules)
    defaults to the classification of the base year; below the region level pass the optimizer's
    (:func:`engine.allocation.forms.classify_parts`), which gives a unit the class of its region. ``reach``
    (:func:`engine.analysis.target.reach`, one per criterion) says plainly where the budget barely moves a
    criterion, and what budget would.

    Raises
    ------
    DataValidationError
        When the allocation names an unknown unit, direction or year, a negative amount, an ineligible
        cell, or more than a unit can absorb (every problem listed).
    ScenarioError
        When ``lang`` is not one of kk, ru, en.
    """
    if lang not in LANGUAGES:
        raise ScenarioError([problem("language", "pr_one_of", None, None, lang, allowed=', '.join(LANGUAGES))])
    rules = rules or load_roadmap_rules(direction_rules=model.assumptions.direction_rules)
    cells = check_allocation(allocation, model, scenario)
    if classes is None:
        classes = classify_units(ctx, scenario.base_year, rules, units=list(model.units))
    units = ctx.dataset.units
    horizon = scenario.last_year
    years = scenario.years
    base_y, plan_y = baseline_trajectories.grp_per_capita, plan_trajectories.grp_per_capita
    base_p, plan_p = baseline_trajectories.population, plan_trajectories.population
    alone_base_y, alone_base_p = model.baseline.grp_per_capita, model.baseline.population
    alone_base_g = model.baseline.grp_bn
    spending_by_lever = fill_segments(model, pd.DataFrame(
        [(u, d, y, v) for (u, d, y), v in sorted(cells.items())], columns=["unit_id", "direction", "year", "bn_kzt"]))

    measures: dict[str, list[Measure]] = {p: [] for p in PARTS}
    for (unit, direction), by_year in sorted(_group_cells(cells).items()):
        rule = rules.assignment(classes[unit], direction)
        spending = {y: float(by_year.get(y, 0.0)) for y in years}
        spent_years = [y for y, v in spending.items() if v > 0]
        alone_grp, alone_pop = _direct_effect(model, spending_by_lever, unit, direction, horizon)
        effect = MeasureEffect(
            horizon, float(base_y.at[unit, horizon]), float(plan_y.at[unit, horizon]),
            _pct(plan_y.at[unit, horizon], base_y.at[unit, horizon]),
            float(base_p.at[unit, horizon]), float(plan_p.at[unit, horizon]),
            float(plan_p.at[unit, horizon] - base_p.at[unit, horizon]),
            _pct((alone_base_g.at[unit, horizon] + alone_grp) * 1e6 / (alone_base_p.at[unit, horizon] + alone_pop),
                 alone_base_y.at[unit, horizon]),
            alone_pop)
        direction_spec = model.directions[direction]
        instrument_names = {i.id: i.names.get(lang) or i.names["en"] for i in direction_spec.instruments}
        parameters = tuple(sorted(set(direction_spec.parameter_ids()) | set(SHARED_PARAMETERS)))
        params = model.assumptions.direction_rules.parameters
        measures[rule.part].append(Measure(
            id=f"{unit}.{direction}", unit_id=unit, region=unit_name(units, unit, lang), unit_class=classes[unit],
            direction=direction, direction_name=t(direction, lang), part=rule.part,
            instruments=rule.instruments, instrument_names=tuple(instrument_names.get(i, i) for i in rule.instruments),
            actors=rule.actors, actor_names=tuple(t(f"actor_{a}", lang) for a in rule.actors),
            budget_by_year=spending, start_year=min(spent_years), end_year=max(spent_years), effect=effect,
            kpi_targets={y: float(plan_y.at[unit, y]) for y in years},
            kpi_baseline={y: float(base_y.at[unit, y]) for y in years},
            rule_id=rule.id, parameters=parameters,
            assumption_parameters=tuple(p for p in parameters if params[p].is_assumption),
            priorities=rule.priorities))
    parts = []
    for pid in PARTS:
        chosen = sorted(measures[pid], key=lambda m: (m.region.casefold(), DIRECTIONS.index(m.direction)))
        budget = {y: float(sum(m.budget_by_year[y] for m in chosen)) for y in years}
        parts.append(Part(pid, t(f"part_{pid}_title", lang), t(f"part_{pid}_rationale", lang), tuple(chosen),
                          budget))
    equity, efficiency = parts

    criteria = _criteria(ctx, scenario, baseline_trajectories, plan_trajectories, model.assumptions)
    all_measures = equity.measures + efficiency.measures
    warnings = _warnings(scenario, criteria, equity, efficiency, lang)
    mismatched = part_mismatches(allocation, classes, rules)
    if mismatched:
        warnings.append(t("warn_part_mismatch", lang, count=len(mismatched), cells=", ".join(mismatched)))
    warnings += [reach_text(r, lang) for r in reach if r.get("small")]
    frame = _allocation_frame(cells, classes, rules, units, lang)
    used_rules = sorted({m.rule_id for m in all_measures})
    return Roadmap(
        lang=lang, scenario_name=scenario.title(lang), objective=scenario.objective, base_year=scenario.base_year,
        indicator=scenario.indicator,
        years=tuple(years), budget_by_year=dict(scenario.budget_bn_kzt),
        equity_share_required=float(scenario.equity_share), allocation_note=allocation_note,
        diagnosis=_diagnosis(ctx, scenario.base_year, baseline_trajectories, classes, lang),
        parts=(equity, efficiency), criteria=criteria, warnings=tuple(warnings),
        priorities=tuple(PriorityEntry(p, t(f"priority_{p}", lang), local(rules.priorities[p].rationale, lang),
                                       rules.priorities[p].source,
                                       tuple(m.id for m in all_measures if p in m.priorities)) for p in PRIORITIES),
        rules=tuple(_rule_entry(rules, rid, lang) for rid in used_rules),
        assumptions=_assumptions(model, all_measures, lang),
        sources=tuple(_sources(ctx, rules, lang)),
        allocation=frame, unit_classes=dict(classes), reach=tuple(dict(r) for r in reach))


# ---------------------------------------------------------------------------------------------------
# Allocation
# ---------------------------------------------------------------------------------------------------

def check_allocation(allocation: pd.DataFrame, model: ResponseModel, scenario: Scenario,
                     name: str = ALLOCATION_FILE) -> dict[tuple[str, str, int], float]:
    """Sum an allocation by (unit, direction, year), checking every row against the model and the scenario.

    Raises
    ------
    DataValidationError
        Listing every bad row (row numbers count from 1) and every cell beyond what a unit can absorb.
    """
    problems: list[Problem] = []
    missing = [c for c in ("unit_id", "direction", "year", "bn_kzt") if c not in allocation.columns]
    if missing:
        raise DataValidationError([problem(name, "pr_missing_column_plain", None, c) for c in missing])
    units, years = set(model.units), set(scenario.years)
    cells: dict[tuple[str, str, int], float] = {}
    for row, (unit, direction, year, amount) in enumerate(
            allocation[["unit_id", "direction", "year", "bn_kzt"]].itertuples(index=False), start=1):
        bad = False
        if unit not in units:
            problems.append(problem(name, "pr_unit_not_existing", row, "unit_id", unit, year=scenario.base_year))
            bad = True
        if direction not in DIRECTIONS:
            problems.append(problem(name, "pr_unknown_direction", row, "direction", direction,
                                    allowed=', '.join(DIRECTIONS)))
            bad = True
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = None
        if year not in years:
            problems.append(problem(name, "pr_year_outside_horizon", row, "year", year, first=scenario.first_year,
                                    last=scenario.last_year))
            bad = True
        try:
            value = float(amount)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            problems.append(problem(name, "pr_bn_non_negative", row, "bn_kzt", amount))
            bad = True
        if bad:
            continue
        if unit not in model.eligible[direction]:
            problems.append(problem(name, "pr_direction_not_available", row, "unit_id", unit, direction=direction))
            continue
        if value > 0:
            cells[(unit, direction, year)] = cells.get((unit, direction, year), 0.0) + value
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame([(u, d, y, v) for (u, d, y), v in sorted(cells.items())],
                         columns=["unit_id", "direction", "year", "bn_kzt"])
    try:
        fill_segments(model, frame)
    except ValueError as exc:
        raise DataValidationError([Problem(name, str(exc))]) from None
    return cells


def _group_cells(cells: Mapping[tuple[str, str, int], float]) -> dict[tuple[str, str], dict[int, float]]:
    out: dict[tuple[str, str], dict[int, float]] = {}
    for (unit, direction, year), value in cells.items():
        out.setdefault((unit, direction), {})[year] = value
    return out


def _allocation_frame(cells: Mapping[tuple[str, str, int], float], classes: Mapping[str, str], rules: RoadmapRules,
                      units: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = [(u, unit_name(units, u, lang), classes[u], d, rules.part_of(classes[u], d), y, v)
            for (u, d, y), v in sorted(cells.items())]
    return pd.DataFrame(rows, columns=["unit_id", "region", "unit_class", "direction", "part", "year", "bn_kzt"])


def _direct_effect(model: ResponseModel, spending: list[float], unit: str, direction: str, year: int,
                   ) -> tuple[float, float]:
    """GRP (bn) and population added in ``unit`` in ``year`` by the spending on ``direction`` there alone.

    The linear effects of :mod:`engine.model.response` only: the interaction bonus and induced migration depend on
    the other measures too, so they belong to the region's total, not to one measure.
    """
    grp = pop = 0.0
    for k, lever in enumerate(model.levers):
        if spending[k] <= 0 or lever.unit != unit or lever.direction != direction:
            continue
        for e in model.effects[k]:
            if e.unit == unit and e.year == year:
                grp += spending[k] * e.grp_bn
                pop += spending[k] * e.population
    return grp, pop


def _pct(plan: float, base: float) -> float:
    return float((plan / base - 1.0) * 100.0) if base else 0.0


# ---------------------------------------------------------------------------------------------------
# Criteria, warnings, diagnosis
# ---------------------------------------------------------------------------------------------------

def _criteria(ctx: Context, scenario: Scenario, baseline: Trajectories, plan: Trajectories,
              parameters: Any = None) -> tuple[CriteriaRow, ...]:
    rows = []
    for year in [scenario.base_year, *scenario.years]:
        if year not in baseline.grp_per_capita.columns or year not in plan.grp_per_capita.columns:
            continue
        values = []
        for traj in (baseline, plan):
            projected = (projected_indicators(ctx, parameters, traj, baseline, year)
                         if parameters is not None and traj is plan and hasattr(plan, "grp_bn") else None)
            metrics, _ = metrics_for_values(ctx, traj.grp_per_capita[year], traj.population[year], year,
                                            projected=projected)
            values.append({k: float(metrics[k]) for k in CRITERIA})
        rows.append(CriteriaRow(year, values[0], values[1]))
    return tuple(rows)


def ratio_only_years(criteria: tuple[CriteriaRow, ...], tolerance: float = 1e-9) -> list[int]:
    """Years in which the plan lowers the max/min ratio below the baseline while Williamson or Theil rises."""
    out = []
    for row in criteria:
        b, p = row.baseline, row.plan
        ratio_better = p["max_min_ratio"] < b["max_min_ratio"] - tolerance
        other_worse = (p["williamson"] > b["williamson"] + tolerance
                       or p["theil_t_weighted"] > b["theil_t_weighted"] + tolerance)
        if ratio_better and other_worse:
            out.append(row.year)
    return out


def _warnings(scenario: Scenario, criteria: tuple[CriteriaRow, ...], equity: Part, efficiency: Part,
              lang: str) -> list[str]:
    out = []
    years = ratio_only_years(criteria)
    if years:
        out.append(f"{t('ratio_only_warning', lang)} ({', '.join(str(y) for y in years)})")
    total = equity.total_bn + efficiency.total_bn
    if total > 0 and equity.total_bn / total < scenario.equity_share - 1e-6:
        out.append(t("warn_equity_share", lang, actual=format_number(100 * equity.total_bn / total, lang),
                     required=format_number(100 * scenario.equity_share, lang)))
    for year in scenario.years:
        budget = float(scenario.budget_bn_kzt.get(year, 0.0))
        spent = equity.budget_by_year[year] + efficiency.budget_by_year[year]
        slack = 1e-6 * max(1.0, budget)
        if spent > budget + slack:
            out.append(t("warn_over_budget", lang, year=year, allocated=format_number(spent, lang),
                         budget=format_number(budget, lang)))
        elif spent < budget - slack and not scenario.allow_unspent:
            out.append(t("warn_unspent", lang, year=year, amount=format_number(budget - spent, lang),
                         budget=format_number(budget, lang)))
    return out


def reach_text(reach: Mapping[str, Any], lang: str) -> str:
    """A criterion the budget barely moves, in words, with what a budget aimed at it could do."""
    count = reach["metric"] == "problem_regions"
    digits = 0 if count else 3

    def number(value: float) -> str:
        return format_number(value, lang, digits)

    text = t("reach_small", lang, metric=t(reach["metric"], lang), year=reach["year"],
             budget=format_number(reach["budget_bn_kzt_per_year"], lang, 0),
             share=format_number(100 * reach["moved_share"], lang, 1), without=number(reach["without_policy"]),
             plan=number(reach["with_plan"]))
    best = reach.get("best_value")
    if best is None or best >= reach["without_policy"] - 1e-9:
        return text + " " + t("reach_none", lang)
    if reach.get("least_budget_bn_kzt_per_year") is not None:
        return text + " " + t("reach_budget", lang, best=number(best), target=number(reach["target"]),
                              budget=format_number(reach["least_budget_bn_kzt_per_year"], lang, 0))
    return text + " " + t("reach_best", lang, best=number(best))


def part_mismatches(allocation: pd.DataFrame, classes: Mapping[str, str], rules: RoadmapRules) -> list[str]:
    """Cells whose ``part`` tag (from the optimizer) differs from ``rules/roadmap.yaml``, as ``unit x direction``."""
    if "part" not in allocation.columns:
        return []
    out = set()
    for unit, direction, part in allocation[["unit_id", "direction", "part"]].itertuples(index=False):
        if unit in classes and direction in DIRECTIONS and part != rules.part_of(classes[unit], direction):
            out.add(f"{unit} x {direction}")
    return sorted(out)


def _diagnosis(ctx: Context, year: int, baseline: Trajectories, classes: Mapping[str, str], lang: str,
               ) -> DiagnosisSummary:
    values, population = baseline.grp_per_capita[year], baseline.population[year]
    metrics, reasons = metrics_for_values(ctx, values, population, year)
    units = ctx.dataset.units
    rows = tuple(UnitRow(u, unit_name(units, u, lang), classes[u], float(values[u]), float(population[u]),
                         bool(reasons.get(u)), tuple(reason_text(ctx, r, lang) for r in reasons.get(u, [])))
                 for u in values.sort_values(ascending=False).index)
    return DiagnosisSummary(year, {k: float(metrics[k]) for k in CRITERIA},
                            unit_name(units, str(metrics["max_unit"]), lang),
                            unit_name(units, str(metrics["min_unit"]), lang), rows)


def indicator_name(indicator: str, lang: str) -> str:
    return t(indicator, lang) if has_text(indicator) else indicator


def reason_text(ctx: Context, reason: str, lang: str) -> str:
    """A problem-region reason in ``lang``, rebuilt from the rule it names (the engine writes reasons in English)."""
    match = _RULE_SUFFIX.search(reason)
    rule = next((r for r in ctx.problem_rules.rules if match and r.id == match.group(1)), None)
    if rule is None:
        return reason
    return t(f"reason_{rule.kind}", lang, indicator=indicator_name(rule.indicator, lang),
             threshold=format_number(rule.threshold, lang, 2))


# ---------------------------------------------------------------------------------------------------
# Rules, assumptions and sources behind the roadmap
# ---------------------------------------------------------------------------------------------------

def _rule_entry(rules: RoadmapRules, rule_id: str, lang: str) -> RuleEntry:
    a = next(a for a in rules.assignments if a.id == rule_id)
    return RuleEntry(a.id, a.unit_class, a.direction, a.part, local(a.rationale, lang), a.source)


def _assumptions(model: ResponseModel, measures: tuple[Measure, ...], lang: str) -> tuple[ParameterUse, ...]:
    used = set(BASELINE_PARAMETERS)
    for m in measures:
        used.update(m.parameters)
    assumptions = model.assumptions
    out = []
    for pid in sorted(used):
        p = assumptions.direction_rules.parameters[pid]
        value: float | tuple[float, ...] = assumptions.vector(pid) if isinstance(p.central, tuple) \
            else assumptions.value(pid)
        out.append(ParameterUse(pid, value, p.low, p.high, local(p.unit, lang), p.basis, local(p.source, lang),
                                pid in assumptions.overrides))
    return tuple(out)


def _sources(ctx: Context, rules: RoadmapRules, lang: str = "en") -> list[SourceEntry]:
    """The sources of the rules, titled in ``lang`` (the texts themselves cite in the language of the source
    unless the rules give them in every language)."""
    out = [SourceEntry("Smagulova & Sermagambet (2022)", local(rules.source, lang))]
    for gid, grouping in sorted(ctx.typology.groupings.items()):
        name = t(gid, lang) if has_text(gid) else gid
        out.append(SourceEntry(f"{ctx.typology.file}: {name}", " ".join(local(grouping.source, lang).split())))
    hub_sources = sorted({local(h.source, lang) for h in ctx.typology.hubs})
    if hub_sources:
        out.append(SourceEntry(f"{ctx.typology.file}: {t('source_hubs', lang)}", " ".join(hub_sources)))
    for rule in ctx.problem_rules.rules:
        name = t(f"reason_{rule.kind}", lang, indicator=indicator_name(rule.indicator, lang),
                 threshold=format_number(rule.threshold, lang, 2))
        out.append(SourceEntry(f"{ctx.problem_rules.file}: {name}", " ".join(local(rule.source, lang).split())))
    out.extend(read_dataset_sources(ctx.dataset.root, lang))
    return out


def read_dataset_sources(root: Path | None, lang: str = "en") -> list[SourceEntry]:
    """The numbered headline sources of a dataset's ``SOURCES.md`` (section ``## Sources``), if it has one; in
    ``lang`` from ``SOURCES.<lang>.md`` when the dataset translates them.

    >>> read_dataset_sources(None)
    []
    """
    if root is None or not (root / "SOURCES.md").is_file():
        return []
    path = root / f"SOURCES.{lang}.md" if (root / f"SOURCES.{lang}.md").is_file() else root / "SOURCES.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[SourceEntry] = []
    inside = False
    item = re.compile(r"^\d+\.\s+\*\*(.+?)\*\*\s*(?:\([^)]*\))?\s*:?\s*(.*)$")
    for line in lines:
        if line.startswith("## "):
            inside = line[3:].strip().lower().startswith("sources")
            continue
        if not inside:
            continue
        match = item.match(line)
        if match:
            out.append(SourceEntry(match.group(1).strip(), match.group(2).strip()))
        elif out and line.startswith("   ") and line.strip():
            last = out[-1]
            out[-1] = SourceEntry(last.title, f"{last.text} {line.strip()}".strip())
    label = root.name
    return [SourceEntry(f"{label}/{path.name}: {s.title}", s.text) for s in out]

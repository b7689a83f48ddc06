"""Turning a solution into what a planner reads: allocation rows, trajectories, metrics by year, gaps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from engine.allocation.forms import LinearForms
from engine.allocation.result import AllocationRow, Gap
from engine.core.context import Context
from engine.core.diagnose import metrics_for_values
from engine.model.labour import UNEMPLOYMENT, unemployment_under_plan
from engine.model.simulate import PlanTrajectories

ALLOCATION_DECIMALS = 9
ALLOCATION_FLOOR_BN = 1e-7  # amounts below this are solver noise, not spending
REDUCTION_METRICS = ("max_min_ratio", "williamson", "theil_t_weighted", "gini_weighted", "problem_regions")


def allocation_rows(forms: LinearForms, values: Mapping[str, float]) -> tuple[AllocationRow, ...]:
    """Spending by unit x direction x year (segments summed), tagged with its part, in a fixed order."""
    return rows_of_cells(forms, *allocation_cells(forms, values))


def allocation_cells(forms: LinearForms, values: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """The cells :func:`allocation_rows` reports (ids into ``forms.cell_keys``, in its order) and their amounts,
    rounded as it rounds them: what the simulator evaluates (:func:`engine.model.simulate.fill_cells`)."""
    used = forms.lever_values(values)
    amounts = forms.cell_sums(np.where(used > 0, used, 0.0))
    spent = forms.cell_order[amounts[forms.cell_order] >= ALLOCATION_FLOOR_BN]
    return spent, np.array([round(a, ALLOCATION_DECIMALS) for a in amounts[spent].tolist()], dtype=float)


def rows_of_cells(forms: LinearForms, cells: np.ndarray, amounts: np.ndarray) -> tuple[AllocationRow, ...]:
    keys, part_of = forms.cell_keys, forms.parts.part_of
    return tuple(AllocationRow(*keys[c], amount, part_of(keys[c][0], keys[c][1]))
                 for c, amount in zip(cells.tolist(), amounts.tolist(), strict=True))


def allocation_frame(rows: tuple[AllocationRow, ...]) -> pd.DataFrame:
    """The columns :func:`engine.model.simulate.simulate_plan` reads."""
    return pd.DataFrame([(r.unit_id, r.direction, r.year, r.bn_kzt) for r in rows],
                        columns=["unit_id", "direction", "year", "bn_kzt"])


def segments_out_of_order(forms: LinearForms, values: Mapping[str, float], tolerance: float = 1e-6) -> int:
    """Cells where the LP used a later (flatter) segment while an earlier one had room.

    The simulator fills segments in order, so such cells are evaluated with more effect than the LP
    counted; a plan whose last stage rewards effect per bn never does this.
    """
    used = forms.lever_values(values)
    order = np.lexsort((np.asarray(forms.segments_of), forms.lever_cell))
    cell, used, cap = forms.lever_cell[order], used[order], forms.capacity[order]
    same = np.r_[cell[1:] == cell[:-1], False]
    # a segment with room followed, in the same cell, by a used one
    hit = (used < cap - tolerance) & same & np.r_[used[1:] > tolerance, False]
    return int(len(set(cell[hit].tolist())))


def trajectories_json(plan: PlanTrajectories, years: list[int]) -> dict[str, Any]:
    """``unit_id -> {indicator -> list by year}`` (GRP per capita, population, GRP, bonus)."""
    tables = {"grp_per_capita": (plan.grp_per_capita, 6), "population": (plan.population, 3),
              "grp_bn": (plan.grp_bn, 6)}
    arrays = {k: np.round(t[years].to_numpy(dtype=float), d).tolist() for k, (t, d) in tables.items()}
    return {str(unit): {k: arrays[k][i] for k in tables} for i, unit in enumerate(plan.grp_per_capita.index)}


def plain_index(series: pd.Series) -> pd.Series:
    """``series`` indexed by plain Python strings: the metric functions look units up one by one, which is
    twice as fast on an object index as on pandas' Arrow strings at the settlement level (same values)."""
    return pd.Series(series.to_numpy(), index=pd.Index(series.index.tolist(), dtype=object), name=series.name)


def metrics_by_year(ctx: Context, plan: PlanTrajectories, years: list[int], no_policy: PlanTrajectories | None = None,
                    parameters: Any = None) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]]]:
    """Metrics of ``roadmap diagnose`` and the problem regions of a trajectory, year by year.

    With ``no_policy`` and ``parameters`` a plan's unemployment is projected from its GRP against the no-policy
    path (:func:`engine.model.labour.unemployment_under_plan`); otherwise the latest observed rates hold."""
    metrics: dict[int, dict[str, Any]] = {}
    problems: dict[int, list[str]] = {}
    for year in years:
        projected = None
        if no_policy is not None and parameters is not None:
            rates = unemployment_under_plan(ctx, parameters, plan.grp_per_capita[year],
                                            no_policy.grp_per_capita[year], year)
            projected = None if rates is None else {UNEMPLOYMENT: rates}
        m, reasons = metrics_for_values(ctx, plain_index(plan.grp_per_capita[year]), plain_index(plan.population[year]),
                                        year, projected=projected)
        metrics[year] = m
        problems[year] = sorted(u for u, r in reasons.items() if r)
    return metrics, problems


def reduction_per_bn(before: Mapping[str, Any], after: Mapping[str, Any], spent: float) -> dict[str, float | None]:
    """``(metric without the plan - metric with it) / bn spent`` for each disparity metric (positive = better)."""
    if spent <= 0:
        return dict.fromkeys(REDUCTION_METRICS)
    return {key: (float(before[key]) - float(after[key])) / spent for key in REDUCTION_METRICS}


def gap_report(metric: str, linear: float | None, simulated: float | None, out_of_order: int,
               notes: tuple[str, ...] = ()) -> Gap:
    """The optimizer's figure against the simulator's, with the reason for the difference."""
    reason = ("The optimizer expands GRP per capita to first order around the baseline population "
              "(dy = (dGRP x 1e6 - y dP) / P) and may keep the interaction bonus below its ceilings; the "
              "simulator divides GRP by the projected population and always applies the full bonus.")
    for note in notes:
        reason += " " + note
    if out_of_order:
        reason += (f" In {out_of_order} cell(s) the optimizer used a flatter segment before a steeper one had "
                   "filled; the simulator fills segments in order and so credits them with more effect.")
    difference = None if linear is None or simulated is None else simulated - linear
    return Gap(metric, linear, simulated, difference, reason)


def lasting_effects(ctx: Context, model: Any, plan: PlanTrajectories, year: int, no_policy_metrics: dict[str, Any],
                    plan_metrics: dict[str, Any], no_policy: PlanTrajectories | None = None) -> dict[str, Any]:
    """The plan's effect in ``year`` without that year's demand impulse, which fades the year after.

    The demand impulse of a direction raises GRP in the year of spending only (its multiplier x the effective
    bn spent, rules/directions.yaml). Taking it out of the plan's GRP in ``year`` leaves what lasts: the capital
    returns, spillovers and moves of people. ``share_from_impulse`` is the part of each criterion's
    improvement over no policy that the impulse alone makes (0 when there is no improvement). With
    ``no_policy``, unemployment is projected from the lasting GRP per person (the Okun link).
    """
    from engine.allocation.outcomes import impulse_by_unit

    impulse = impulse_by_unit(model, plan, year)
    population = plan.population[year]
    lasting_y = (plan.grp_bn[year] - impulse.reindex(plan.grp_bn.index).fillna(0.0)) * 1e6 / population
    projected = None
    if no_policy is not None:
        rates = unemployment_under_plan(ctx, model.assumptions, lasting_y, no_policy.grp_per_capita[year], year)
        projected = None if rates is None else {UNEMPLOYMENT: rates}
    lasting, _ = metrics_for_values(ctx, plain_index(lasting_y), plain_index(population), year, projected=projected)
    shares = {}
    for key in ("max_min_ratio", "williamson", "theil_t_weighted", "share_pop_below_75pct"):
        gain = (no_policy_metrics.get(key) or 0.0) - (plan_metrics.get(key) or 0.0)
        lost = (lasting.get(key) or 0.0) - (plan_metrics.get(key) or 0.0)
        shares[key] = round(lost / gain, 6) if gain > 1e-12 else 0.0
    return {"year": year, "demand_impulse_bn": round(float(impulse.sum()), 6),
            "metrics_after_lasting": lasting, "share_from_impulse": shares,
            "method": "the plan's GRP in the year less that year's demand impulse (multiplier x effective bn spent "
                      "in the year), per person of the plan's population"}

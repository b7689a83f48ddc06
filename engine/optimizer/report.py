"""Turning a solution into what a planner reads: allocation rows, trajectories, metrics by year, gaps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from engine.diagnose import Context, metrics_for_values
from engine.optimizer.forms import LinearForms
from engine.optimizer.result import AllocationRow, Gap
from engine.simulate import PlanTrajectories

ALLOCATION_DECIMALS = 9
ALLOCATION_FLOOR_BN = 1e-7  # amounts below this are solver noise, not spending
REDUCTION_METRICS = ("max_min_ratio", "williamson", "theil_t_weighted", "gini_weighted", "problem_regions")


def allocation_rows(forms: LinearForms, values: Mapping[str, float]) -> tuple[AllocationRow, ...]:
    """Spending by unit x direction x year (segments summed), tagged with its part, in a fixed order."""
    cells: dict[tuple[str, str, int], float] = defaultdict(float)
    for k, name in enumerate(forms.names):
        amount = values.get(name, 0.0)
        if amount > 0:
            cells[(forms.units_of[k], forms.directions_of[k], forms.years_of[k])] += amount
    rows = []
    for (unit, direction, year), amount in sorted(cells.items()):
        if amount >= ALLOCATION_FLOOR_BN:
            rows.append(AllocationRow(unit, direction, year, round(amount, ALLOCATION_DECIMALS),
                                      forms.parts.part_of(unit, direction)))
    return tuple(rows)


def allocation_frame(rows: tuple[AllocationRow, ...]) -> pd.DataFrame:
    """The columns :func:`engine.simulate.simulate_plan` reads."""
    return pd.DataFrame([(r.unit_id, r.direction, r.year, r.bn_kzt) for r in rows],
                        columns=["unit_id", "direction", "year", "bn_kzt"])


def segments_out_of_order(forms: LinearForms, values: Mapping[str, float], tolerance: float = 1e-6) -> int:
    """Cells where the LP used a later (flatter) segment while an earlier one had room.

    The simulator fills segments in order, so such cells are evaluated with more effect than the LP
    counted; a plan whose last stage rewards effect per bn never does this.
    """
    by_cell: dict[tuple[str, str, int], list[tuple[int, float, float]]] = defaultdict(list)
    for k, name in enumerate(forms.names):
        by_cell[(forms.units_of[k], forms.directions_of[k], forms.years_of[k])].append(
            (forms.segments_of[k], values.get(name, 0.0), float(forms.capacity[k])))
    count = 0
    for segments in by_cell.values():
        segments.sort()
        for (_, used, cap), (_, later, _) in zip(segments, segments[1:], strict=False):
            if later > tolerance and used < cap - tolerance:
                count += 1
                break
    return count


def trajectories_json(plan: PlanTrajectories, years: list[int]) -> dict[str, Any]:
    """``unit_id -> {indicator -> list by year}`` (GRP per capita, population, GRP, bonus)."""
    out: dict[str, Any] = {}
    for unit in plan.grp_per_capita.index:
        out[str(unit)] = {
            "grp_per_capita": [round(float(plan.grp_per_capita.at[unit, y]), 6) for y in years],
            "population": [round(float(plan.population.at[unit, y]), 3) for y in years],
            "grp_bn": [round(float(plan.grp_bn.at[unit, y]), 6) for y in years],
        }
    return out


def metrics_by_year(ctx: Context, plan: PlanTrajectories, years: list[int],
                    ) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]]]:
    """Metrics of ``roadmap diagnose`` and the problem regions of a trajectory, year by year."""
    metrics: dict[int, dict[str, Any]] = {}
    problems: dict[int, list[str]] = {}
    for year in years:
        m, reasons = metrics_for_values(ctx, plan.grp_per_capita[year], plan.population[year], year)
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

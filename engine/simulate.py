"""Forward simulation of a plan: trajectories by unit and year, baseline and plan, and both criteria.

``simulate_plan`` evaluates any allocation (the optimizer's, a formula baseline's, or one typed by hand)
with the response model exactly: spending fills each direction's segments in order, the interaction bonus
is the smaller of its two ceilings, and GRP per capita is GRP over population (not the optimizer's
first-order expansion).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from engine.model import ResponseModel

ALLOCATION_COLUMNS = ("unit_id", "direction", "year", "bn_kzt")


@dataclass(frozen=True, eq=False)
class PlanTrajectories:
    """Yearly values by unit (rows) and year (columns, base year first) under a plan."""

    grp_per_capita: pd.DataFrame
    population: pd.DataFrame
    grp_bn: pd.DataFrame
    bonus_bn: pd.DataFrame
    lever_spending: list[float]


def empty_allocation() -> pd.DataFrame:
    return pd.DataFrame({"unit_id": pd.Series(dtype=str), "direction": pd.Series(dtype=str),
                         "year": pd.Series(dtype=int), "bn_kzt": pd.Series(dtype=float)})


def fill_segments(model: ResponseModel, allocation: pd.DataFrame) -> list[float]:
    """Spending per lever when each (unit, direction, year) amount fills its segments in order.

    Raises ValueError naming the cell when an amount exceeds what the unit can absorb or is not
    eligible.
    """
    wanted: dict[tuple[str, str, int], float] = defaultdict(float)
    for row in allocation.itertuples(index=False):
        if row.bn_kzt:
            wanted[(str(row.unit_id), str(row.direction), int(row.year))] += float(row.bn_kzt)
    spending = [0.0] * len(model.levers)
    by_cell: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for k, lever in enumerate(model.levers):
        by_cell[(lever.unit, lever.direction, lever.year)].append(k)
    for cell, amount in wanted.items():
        if amount < 0:
            raise ValueError(f"negative spending for {cell}: {amount}")
        indices = sorted(by_cell.get(cell, []), key=lambda k: model.levers[k].segment)
        if not indices:
            raise ValueError(f"{cell[1]} is not available in {cell[0]} in {cell[2]}")
        left = amount
        for k in indices:
            take = min(left, model.levers[k].capacity)
            spending[k] = take
            left -= take
        if left > 1e-6 * max(1.0, amount):
            raise ValueError(f"{amount:.3f} bn exceeds what {cell[0]} can absorb for {cell[1]} in {cell[2]} "
                             f"({amount - left:.3f} bn)")
    return spending


def simulate_spending(model: ResponseModel, spending: list[float]) -> PlanTrajectories:
    """Trajectories for spending given per lever (see :func:`fill_segments`)."""
    base = model.baseline
    grp = base.grp_bn.copy()
    pop = base.population.copy()
    d_grp: dict[tuple[str, int], float] = defaultdict(float)
    d_pop: dict[tuple[str, int], float] = defaultdict(float)
    bonus_base: dict[tuple[str, int], float] = defaultdict(float)
    for k, amount in enumerate(spending):
        if amount <= 0:
            continue
        for e in model.effects[k]:
            d_grp[(e.unit, e.year)] += amount * e.grp_bn
            d_pop[(e.unit, e.year)] += amount * e.population
        for year, value in model.bonus_base[k].items():
            bonus_base[(model.levers[k].unit, year)] += amount * value
    bonus = pd.DataFrame(0.0, index=grp.index, columns=grp.columns)
    for (unit, year), covers in model.bonus_cover.items():
        ceiling = sum(spending[k] * per_bn for k, per_bn in covers)
        value = min(model.bonus_cap * bonus_base.get((unit, year), 0.0), model.bonus_cap * ceiling)
        if value > 0:
            bonus.at[unit, year] = value
    for (unit, year), value in d_grp.items():
        grp.at[unit, year] += value
    for (unit, year), value in d_pop.items():
        pop.at[unit, year] += value
    grp = grp + bonus
    return PlanTrajectories(grp * 1e6 / pop, pop, grp, bonus, list(spending))


def simulate_plan(model: ResponseModel, allocation: pd.DataFrame) -> PlanTrajectories:
    """Evaluate an allocation (columns ``unit_id, direction, year, bn_kzt``) with the full model."""
    return simulate_spending(model, fill_segments(model, allocation))

"""Formula baselines: simple rules for sharing the same budget, simulated like the optimized plan.

Each formula gives unit i a weight from base-year data (``y_i`` GRP per capita, ``P_i`` population,
``ybar`` the population-weighted national mean):

* ``equal_per_capita``: ``w_i = P_i``;
* ``gap_proportional``: ``w_i = max(0, ybar - y_i)``, the gap below the national average;
* ``eu_style``: ``w_i = P_i x max(0, ybar - y_i) / ybar``, population times the prosperity gap, after the
  Berlin method of EU Cohesion Policy (Regulation (EU) 2021/1060, Annex XXVI) with the national mean in
  place of the EU's.

Each year's budget is shared in proportion to the weights, no unit getting more than it can absorb that
year (the sum of its cells' capacities, and its cap in ``unit_caps_bn_kzt``); what a full unit cannot take
goes to the others by the same weights. Inside a unit the money is split over the eligible directions in
proportion to their capacity. Direction shares and the equity share of the scenario are not imposed: the
formulas are what a planner would get without the optimizer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.optimizer.forms import LinearForms
from engine.scenario import Scenario


@dataclass(frozen=True)
class Formula:
    name: str
    description: str
    weight: Callable[[float, float, float], float]  # (y_i, P_i, ybar) -> weight


FORMULAS = (
    Formula("equal_per_capita", "the same amount per resident in every unit (weight P_i)",
            lambda y, p, ybar: p),
    Formula("gap_proportional", "in proportion to the gap below the national average (weight max(0, ybar - y_i))",
            lambda y, p, ybar: max(0.0, ybar - y)),
    Formula("eu_style", "population times prosperity gap, after the EU's Berlin method "
            "(weight P_i x max(0, ybar - y_i) / ybar)", lambda y, p, ybar: p * max(0.0, ybar - y) / ybar),
)


def water_fill(amount: float, weights: Mapping[str, float], room: Mapping[str, float]) -> dict[str, float]:
    """Share ``amount`` by ``weights`` with no unit above its ``room``; what overflows goes to the others.

    Exactly: x_i = min(lambda w_i, room_i) with lambda the level at which the x_i add up to ``amount`` (every
    unit full when they cannot), found by sorting the units by room_i / w_i, the level at which each fills.

    >>> water_fill(10.0, {"a": 1.0, "b": 1.0}, {"a": 2.0, "b": 100.0})
    {'a': 2.0, 'b': 8.0}
    """
    out = dict.fromkeys(weights, 0.0)
    units = sorted(u for u, w in weights.items() if w > 0 and room.get(u, 0.0) > 0)
    if amount <= 1e-9 or not units:
        return out
    w = np.array([weights[u] for u in units], dtype=float)
    r = np.array([room[u] for u in units], dtype=float)
    order = np.argsort(np.log(r) - np.log(w), kind="stable")  # by r_i / w_i, the level at which i fills
    w, r = w[order], r[order]
    filled = np.r_[0.0, np.cumsum(r)]  # room of the first j units (full at levels up to r_j / w_j)
    x = r.copy()
    for j in range(len(units)):
        rest = w[j:] / w[j:].max()  # the others share what is left by their weights (scaled: no underflow)
        share = rest / rest.sum()
        left = amount - filled[j]
        if left * share[0] < r[j] - 1e-12:  # unit j, the next to fill, does not: nor does any after it
            x[j:] = np.minimum(left * share, r[j:])
            break
    for u, value in zip(np.array(units)[order], x, strict=True):
        out[str(u)] = float(value)
    return out


def _unit_year_capacity(forms: LinearForms) -> dict[tuple[str, int], dict[str, float]]:
    """Capacity by (unit, year) and direction, computed once per forms."""
    cached = forms.__dict__.get("_unit_year_capacity")
    if cached is None:
        cached = defaultdict(lambda: defaultdict(float))
        for (unit, direction, year), cap in zip(forms.cell_keys, forms.cell_capacity.tolist(), strict=True):
            cached[(unit, year)][direction] += cap
        forms.__dict__["_unit_year_capacity"] = cached
    return cached


def formula_allocation(forms: LinearForms, scenario: Scenario, formula: Formula) -> pd.DataFrame:
    """The allocation (columns ``unit_id, direction, year, bn_kzt``) a formula gives (see the module text)."""
    base = forms.model.baseline
    y0 = base.grp_per_capita[base.base_year]
    p0 = base.population[base.base_year]
    ybar = float((y0 * p0).sum() / p0.sum())
    weights = {u: formula.weight(float(y0[u]), float(p0[u]), ybar) for u in forms.units}
    cells = _unit_year_capacity(forms)
    rows = []
    for year in scenario.years:
        room = {}
        for unit in forms.units:
            capacity = sum(cells.get((unit, year), {}).values())
            room[unit] = min(capacity, scenario.unit_caps_bn_kzt.get(unit, capacity))
        shares = water_fill(scenario.budget_bn_kzt[year], weights, room)
        for unit, amount in sorted(shares.items()):
            if amount <= 0:
                continue
            by_direction = cells[(unit, year)]
            capacity = sum(by_direction.values())
            for direction, cap in sorted(by_direction.items()):
                if cap > 0:
                    rows.append((unit, direction, year, min(cap, amount * cap / capacity)))
    return pd.DataFrame(rows, columns=["unit_id", "direction", "year", "bn_kzt"])

"""Formula baselines: simple rules for sharing the same budget, simulated like the optimized plan.

Each formula gives unit i a weight from base-year data (``y_i`` GRP per capita, ``P_i`` population,
``ybar`` the population-weighted national mean):

* ``equal_per_capita``: ``w_i = P_i``;
* ``gap_proportional``: ``w_i = max(0, ybar - y_i)``, the gap below the national average;
* ``eu_style``: ``w_i = P_i x max(0, ybar - y_i) / ybar``, population times the prosperity gap, after the
  Berlin method of EU Cohesion Policy (Regulation (EU) 2021/1060, Annex XXVI) with the national mean in
  place of the EU's;
* ``status_quo``: ``w_i`` = the region's 2026 subvention under the general-transfers law for 2026-2028
  (data/kazakhstan/general_transfers.csv; the regions that pay budget withdrawals get none; Turkistan,
  Shymkent and Ulytau, whose figures were not found, are a flagged estimate: the reported total less the
  others, shared by population); at the region level only;
* ``equal_split``: ``w_i = 1``, the same amount for every unit.

The roadmap's own formula (:func:`part_formula_allocation`, ``equal_per_capita_by_part``) splits each year's
budget between the two parts first, then equally per head within a part.

Each year's budget is shared in proportion to the weights, no unit getting more than it can absorb that
year (the sum of its cells' capacities, and its cap in ``unit_caps_bn_kzt``); what a full unit cannot take
goes to the others by the same weights. Inside a unit the money is split over the eligible directions in
proportion to their capacity. Direction shares and the equity share of the scenario are not imposed: the
formulas are what a planner would get without the optimizer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from engine.allocation.forms import LinearForms
from engine.allocation.outcomes import lasting_trajectories, simulated_growth, simulated_metric
from engine.allocation.report import plain_index, reduction_per_bn
from engine.allocation.result import BaselineComparison
from engine.core.diagnose import metrics_for_values
from engine.core.parameters import DIRECTIONS
from engine.core.roadmap_rules import PARTS, RoadmapRules
from engine.core.scenario import Scenario
from engine.model.labour import projected_indicators
from engine.model.response import ResponseModel
from engine.model.simulate import fill_cells, simulate_spending

if TYPE_CHECKING:
    from engine.allocation.objectives import Anchors
    from engine.allocation.prepared import Prepared


@dataclass(frozen=True)
class Formula:
    name: str
    description: str
    weight: Callable[[float, float, float], float]  # (y_i, P_i, ybar) -> weight
    by_unit: Callable[[], Mapping[str, float]] | None = None  # a table of weights by unit id instead

    def weights(self, units: Sequence[str], y0: Any, p0: Any, ybar: float) -> np.ndarray:
        if self.by_unit is not None:
            table = self.by_unit()
            return np.array([float(table.get(u, 0.0)) for u in units])
        return np.array([self.weight(float(y0[u]), float(p0[u]), ybar) for u in units])

    def applies(self, units: Sequence[str]) -> bool:
        """Whether the formula has a weight for any of ``units`` (a table by region has none below the region
        level)."""
        return self.by_unit is None or any(self.by_unit().get(u, 0.0) > 0 for u in units)


TRANSFERS_FILE = "general_transfers.csv"


def status_quo_weights() -> dict[str, float]:
    """Each region's 2026 subvention (thousand tenge) from data/kazakhstan/general_transfers.csv, estimates
    included (flag ``estimate``)."""
    import csv

    from engine.core.paths import DEFAULT_DATA_DIR

    with (DEFAULT_DATA_DIR / TRANSFERS_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["unit_id"]: float(row["thousand_kzt"]) for row in csv.DictReader(handle)
                if row["kind"] == "subvention" and row["year"] == "2026"}


FORMULAS = (
    Formula("equal_per_capita", "the same amount per resident in every unit (weight P_i)",
            lambda y, p, ybar: p),
    Formula("gap_proportional", "in proportion to the gap below the national average (weight max(0, ybar - y_i))",
            lambda y, p, ybar: max(0.0, ybar - y)),
    Formula("eu_style", "population times prosperity gap, after the EU's Berlin method "
            "(weight P_i x max(0, ybar - y_i) / ybar)", lambda y, p, ybar: p * max(0.0, ybar - y) / ybar),
    Formula("status_quo", "each region's share of the 2026 subventions of the general-transfers law 2026-2028 "
            "(three regions estimated from the reported total)", lambda y, p, ybar: 0.0, status_quo_weights),
    Formula("equal_split", "the same amount for every unit (weight 1)", lambda y, p, ybar: 1.0),
)


def water_fill_array(amount: float, weights: Sequence[float] | np.ndarray, room: Sequence[float] | np.ndarray,
                     ) -> np.ndarray:
    """Share ``amount`` by ``weights`` with no entry above its ``room``; what overflows goes to the others.

    Exactly: x_i = min(lambda w_i, room_i) with lambda the level at which the x_i add up to ``amount`` (every
    entry full when they cannot; entries with no weight or no room get nothing), found by sorting the entries
    by room_i / w_i, the level at which each fills: entry j is the first that does not fill when what is left
    after the earlier ones, shared by the weights of j and those after it, leaves j below its room.

    >>> water_fill_array(10.0, [1.0, 1.0, 2.0], [1.0, 100.0, 100.0]).tolist()
    [1.0, 3.0, 6.0]
    """
    w_all, r_all = np.asarray(weights, dtype=float), np.asarray(room, dtype=float)
    out = np.zeros(len(w_all))
    take = np.flatnonzero((w_all > 0) & (r_all > 0))
    if amount <= 1e-9 or not len(take):
        return out
    w, r = w_all[take], r_all[take]
    order = np.argsort(np.log(r) - np.log(w), kind="stable")
    w, r = w[order], r[order]
    left = amount - np.r_[0.0, np.cumsum(r)[:-1]]  # what is left for entry j and those after it
    scaled = w / w.max()
    if scaled.min() > 1e-200:  # suffix sums of the weights (as shares of the largest) stay exact enough
        tail = np.cumsum(scaled[::-1])[::-1]
        share = scaled / tail
    else:  # weights hundreds of orders of magnitude apart: the same shares from logarithms
        log_w = np.log(w)
        log_tail = np.logaddexp.accumulate(log_w[::-1])[::-1]
        share, tail = np.exp(log_w - log_tail), None
    x = r.copy()
    stops = np.flatnonzero(left * share < r - 1e-12)
    if len(stops):
        j = int(stops[0])
        rest = scaled[j:] / tail[j] if tail is not None else np.exp(np.log(w[j:]) - log_tail[j])
        x[j:] = np.minimum(left[j] * rest, r[j:])
    out[take[order]] = x
    return out


def water_fill(amount: float, weights: Mapping[str, float], room: Mapping[str, float]) -> dict[str, float]:
    """:func:`water_fill_array` by unit name (units missing from ``room`` have none).

    >>> water_fill(10.0, {"a": 1.0, "b": 1.0}, {"a": 2.0, "b": 100.0})
    {'a': 2.0, 'b': 8.0}
    """
    units = sorted(weights)
    shares = water_fill_array(amount, [weights[u] for u in units], [room.get(u, 0.0) for u in units])
    out = dict.fromkeys(weights, 0.0)
    out.update(zip(units, shares.tolist(), strict=True))
    return out


def formula_allocation(forms: LinearForms, scenario: Scenario, formula: Formula) -> pd.DataFrame:
    """The allocation (columns ``unit_id, direction, year, bn_kzt``) a formula gives (see the module text),
    by year, then unit and direction."""
    cells, amounts = formula_cells(forms, scenario, formula)
    if cells is None:
        return pd.DataFrame(columns=["unit_id", "direction", "year", "bn_kzt"])
    keys = forms.cell_keys
    return pd.DataFrame({"unit_id": [keys[c][0] for c in cells.tolist()],
                         "direction": [keys[c][1] for c in cells.tolist()],
                         "year": np.asarray(forms.model.cell_year)[cells].astype(np.int64), "bn_kzt": amounts})


def formula_cells(forms: LinearForms, scenario: Scenario, formula: Formula,
                  ) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """:func:`formula_allocation` as the cells' ids (``forms.cell_keys``) and amounts, in the same order."""
    base = forms.model.baseline
    y0 = base.grp_per_capita[base.base_year]
    p0 = base.population[base.base_year]
    ybar = float((y0 * p0).sum() / p0.sum())
    by_name = sorted(range(len(forms.units)), key=forms.units.__getitem__)  # the order of the rows and of ties
    units = [forms.units[i] for i in by_name]
    weights = formula.weights(units, y0, p0, ybar)
    caps = np.array([scenario.unit_caps_bn_kzt.get(u, np.inf) for u in units])
    model = forms.model
    rank = np.empty(len(by_name), dtype=np.int64)
    rank[by_name] = np.arange(len(by_name))
    cell_unit = rank[model.cell_unit]  # each cell's unit, as a position in ``units``
    cell_capacity = forms.cell_capacity
    cell_year = np.asarray(model.cell_year)
    chosen, amounts = [], []
    for year in scenario.years:
        in_year = cell_year == year
        capacity = np.bincount(cell_unit[in_year], weights=cell_capacity[in_year], minlength=len(units))
        shares = water_fill_array(scenario.budget_bn_kzt[year], weights, np.minimum(capacity, caps))
        cells = forms.cell_order[in_year[forms.cell_order]]  # by unit, then direction
        unit = cell_unit[cells]
        keep = (shares[unit] > 0) & (cell_capacity[cells] > 0)
        cells, unit = cells[keep], unit[keep]
        chosen.append(cells)
        amounts.append(np.minimum(cell_capacity[cells], shares[unit] * cell_capacity[cells] / capacity[unit]))
    if not chosen:
        return None, None
    return np.concatenate(chosen), np.concatenate(amounts)


def compare_formulas(prep: Prepared, anchors: Anchors, no_policy_last: Mapping[str, Any], metric: str,
                     ) -> tuple[BaselineComparison, ...]:
    """Every formula of :data:`FORMULAS` at the study's budget, simulated: spending, the criteria at the
    horizon, the objective's metric and the reduction per bn. Computed once per prepared study and metric."""
    key = ("formulas", metric)
    with prep.memo_lock:
        if key in prep.memo:
            return prep.memo[key]
    scenario = prep.scenario
    last = scenario.last_year
    out = []
    forms = prep.forms
    for formula in (f for f in FORMULAS if f.applies(forms.units)):
        cells, amounts = formula_cells(forms, scenario, formula)
        if cells is None:
            cells, amounts = np.zeros(0, dtype=np.int64), np.zeros(0)
        spent = float(amounts.sum())
        plan = simulate_spending(prep.model, fill_cells(prep.model, cells, amounts))
        metrics, _ = metrics_for_values(prep.ctx, plain_index(plan.grp_per_capita[last]),
                                        plain_index(plan.population[last]), last,
                                        projected=projected_indicators(prep.ctx, prep.assumptions, plan,
                                                                       prep.no_policy, last))
        unit_of = np.asarray(forms.model.cell_unit)[cells]
        by_unit = dict(sorted((str(forms.model.units[u]), v) for u, v in zip(*_sums_by(unit_of, amounts),
                                                                                   strict=True)))
        reduction = reduction_per_bn(no_policy_last, metrics, spent)
        reduction["national_growth"] = (simulated_growth(plan, prep.no_policy, scenario.years) / spent
                                        if spent > 0 else None)
        lasting = None
        if prep.forms.lasting:
            after = lasting_trajectories(prep.model, plan, last)
            lasting, _ = metrics_for_values(prep.ctx, plain_index(after.grp_per_capita[last]),
                                            plain_index(after.population[last]), last,
                                            projected=projected_indicators(prep.ctx, prep.assumptions, after,
                                                                           prep.no_policy, last))
        out.append(BaselineComparison(
            formula.name, formula.description, round(spent, 6), metrics,
            simulated_metric(metric, prep.ctx, scenario, plan, prep.no_policy, anchors, prep.model,
                             prep.forms.lasting), reduction,
            {u: round(float(v), 6) for u, v in by_unit.items()}, lasting))
    comparisons = tuple(out)
    with prep.memo_lock:
        prep.memo[key] = comparisons
    return comparisons


def _sums_by(keys: np.ndarray, amounts: np.ndarray) -> tuple[list[int], list[float]]:
    """The distinct ``keys`` in increasing order and the sum of ``amounts`` over each."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct.tolist(), np.bincount(inverse, weights=amounts, minlength=len(distinct)).tolist()


PART_FORMULA_NAME = "equal_per_capita_by_part"  # the roadmap's formula, when no optimized plan is given


def part_formula_allocation(scenario: Scenario, model: ResponseModel, classes: Mapping[str, str],
                       rules: RoadmapRules) -> pd.DataFrame:
    """The roadmap's formula when no optimized plan is given: allocation ``unit_id, direction, year, bn_kzt,
    part``.

    Each year's budget is split between the two parts by the scenario's ``equity_share`` (the least share
    the equity part must get). Within a part the money goes equally per head of base-year population to
    the units with at least one eligible direction in that part, and within a unit equally to those
    directions. A cell never takes more than the unit can absorb (the model's segment capacity) or its
    share of the scenario's yearly unit cap; what a capped cell cannot take is spread over the other
    cells of the part in the same proportions (water-filling). Money no cell can absorb stays unspent and
    is reported.

    For one part and year with budget B and cells c (weight w_c = population of the unit / number of
    the unit's eligible directions in the part, capacity k_c), the amounts are x_c = min(lambda w_c, k_c)
    with lambda chosen so that sum x_c = B (or every cell full when sum k_c < B).
    """
    population = model.baseline.population[model.baseline.base_year]
    cells_by_part: dict[str, list[tuple[str, str]]] = {p: [] for p in PARTS}
    for unit in model.units:
        for direction in DIRECTIONS:
            if unit in model.eligible[direction]:
                cells_by_part[rules.part_of(classes[unit], direction)].append((unit, direction))
    capacity: dict[tuple[str, str, int], float] = {}
    for lever in model.levers:
        key = (lever.unit, lever.direction, lever.year)
        capacity[key] = capacity.get(key, 0.0) + lever.capacity
    per_unit_cells = {u: sum(1 for p in PARTS for c in cells_by_part[p] if c[0] == u) for u in model.units}
    rows: list[tuple[str, str, int, float, str]] = []
    for year in scenario.years:
        budget = float(scenario.budget_bn_kzt.get(year, 0.0))
        shares = {"equity": scenario.equity_share, "efficiency": 1.0 - scenario.equity_share}
        for part in PARTS:
            cells = cells_by_part[part]
            if not cells or budget * shares[part] <= 0:
                continue
            counts = {u: sum(1 for c in cells if c[0] == u) for u, _ in cells}
            weights = [float(population[u]) / counts[u] for u, _ in cells]
            caps = []
            for unit, direction in cells:
                cap = capacity.get((unit, direction, year), 0.0)
                if unit in scenario.unit_caps_bn_kzt:
                    cap = min(cap, scenario.unit_caps_bn_kzt[unit] / per_unit_cells[unit])
                caps.append(cap)
            amounts = water_fill_array(budget * shares[part], weights, caps).tolist()
            rows.extend((u, d, year, a, part) for (u, d), a in zip(cells, amounts, strict=True) if a > 0)
    return pd.DataFrame(rows, columns=["unit_id", "direction", "year", "bn_kzt", "part"])

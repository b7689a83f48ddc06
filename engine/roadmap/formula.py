"""A formula allocation for a roadmap when no optimized plan is given.

Each year's budget is split between the two parts by the scenario's ``equity_share`` (the least share
the equity part must get). Within a part the money goes equally per head of base-year population to
the units with at least one eligible direction in that part, and within a unit equally to those
directions. A cell never takes more than the unit can absorb (the model's segment capacity) or its
share of the scenario's yearly unit cap; what a capped cell cannot take is spread over the other
cells of the part in the same proportions (water-filling). Money no cell can absorb stays unspent and
is reported.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from engine.allocation.baselines import water_fill_array
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import Scenario
from engine.model.response import ResponseModel
from engine.roadmap.rules import PARTS, RoadmapRules

FORMULA_NAME = "equal_per_capita_by_part"


def formula_allocation(scenario: Scenario, model: ResponseModel, classes: Mapping[str, str],
                       rules: RoadmapRules) -> pd.DataFrame:
    """Allocation ``unit_id, direction, year, bn_kzt, part`` by the formula of the module text.

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

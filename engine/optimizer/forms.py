"""Numbers the optimizer's models are built from: the response model's levers as coefficient arrays.

Everything here is computed once per scenario and reused by every stage, the frontier and the formula
baselines. Units: money in bn tenge, GRP in bn tenge, GRP per capita in thousand tenge per person,
people in persons (see :mod:`engine.model`).

Per-capita effects at the horizon's last year T use the first-order expansion of :mod:`engine.model`:
``dy_i = (dGRP_i x 1e6 - y_i dP_i) / P_i`` around the baseline ``y_i(T)``, ``P_i(T)``. The national mean
at T is ``sum GRP x 1e6 / sum P``; migration only moves people, so the denominator is the baseline's and
the mean is exactly linear in spending.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.diagnose import Context
from engine.levers import DIRECTIONS
from engine.model import ResponseModel

EQUITY, EFFICIENCY = "equity", "efficiency"
PARTS = (EQUITY, EFFICIENCY)
PART_RULE = ("Each allocation's part follows rules/roadmap.yaml: a unit gets the first class whose test it meets "
             "in the base year (problem region, GRP per capita below the national population-weighted mean, "
             "agglomeration hub, otherwise leading), and the class x direction table says equity or efficiency. "
             "The equity share is equity spending over the whole budget, summed over the horizon years.")


@dataclass(frozen=True)
class PartRule:
    """Which part of the roadmap spending on each (unit, direction) belongs to, and why (see :data:`PART_RULE`).

    ``parts`` gives each unit's part for its main direction (agglomeration), for summaries by unit.
    """

    parts: dict[str, str]
    reasons: dict[str, str]
    classes: dict[str, str]
    table: dict[tuple[str, str], str]
    text: str = PART_RULE

    def part_of(self, unit: str, direction: str) -> str:
        """The part of spending on ``direction`` in ``unit``."""
        return self.table[(self.classes[unit], direction)]


def classify_parts(ctx: Context, model: ResponseModel) -> PartRule:
    """Tag spending by unit and direction ``equity`` or ``efficiency`` by rules/roadmap.yaml, from base-year data."""
    from engine.roadmap.rules import classify_units, default_roadmap_rules

    rules = default_roadmap_rules()
    base = model.baseline.base_year
    classes = classify_units(ctx, base, rules, units=list(model.units))
    table = {(c, d): rules.part_of(c, d) for c in rules.class_ids for d in model.directions}
    by_class = {c.id: c for c in rules.classes}
    parts = {u: table[(classes[u], "agglomeration")] for u in model.units}
    reasons = {u: f"class {classes[u]} in {base}: {by_class[classes[u]].rationale.strip()}" for u in model.units}
    return PartRule(parts, reasons, classes, table)


@dataclass(frozen=True, eq=False)
class LinearForms:
    """The response model as coefficient arrays (one entry per lever ``k``) and sparse per-unit rows.

    ``per_capita[i]`` maps lever k to the first-order change of unit i's GRP per capita at T per bn;
    ``bonus_base[(u, t)]`` and ``bonus_cover[(u, t)]`` map lever k to the bonus ceiling (bn) per bn, the
    bonus cap already applied; ``bonus_per_capita[u]`` is 1e6 / P_u(T).
    """

    model: ResponseModel
    parts: PartRule
    last_year: int
    names: list[str]
    units_of: list[str]
    directions_of: list[str]
    years_of: list[int]
    segments_of: list[int]
    capacity: np.ndarray
    growth: np.ndarray
    grp_last: np.ndarray
    per_capita: dict[str, dict[int, float]]
    bonus_keys: list[tuple[str, int]]
    bonus_names: list[str]
    bonus_base: dict[tuple[str, int], dict[int, float]]
    bonus_cover: dict[tuple[str, int], dict[int, float]]
    y_last: dict[str, float]
    population_last: dict[str, float]
    population_total_last: float
    national_last: float
    levers_by_year: dict[int, list[int]]
    levers_by_direction: dict[str, list[int]]
    levers_by_unit_year: dict[tuple[str, int], list[int]]

    @property
    def units(self) -> list[str]:
        return self.model.units

    @property
    def years(self) -> list[int]:
        return self.model.years

    def national_coefficient(self, k: int) -> float:
        """Change of the national mean GRP per capita at T (thousand tenge) per bn on lever k."""
        return float(self.grp_last[k]) * 1e6 / self.population_total_last

    def bonus_name(self, unit: str, year: int) -> str:
        return f"bonus_{unit}_{year}"

    def part_of_lever(self, k: int) -> str:
        return self.parts.part_of(self.units_of[k], self.directions_of[k])

    def unit_bonus_at_last(self, unit: str) -> str | None:
        key = (unit, self.last_year)
        return self.bonus_name(*key) if key in self.bonus_base else None


def lever_name(unit: str, direction: str, year: int, segment: int) -> str:
    """Variable name of a lever: lower-case letters, digits and underscores only."""
    return f"x_{unit}_{direction}_{year}_s{segment}"


def build_forms(model: ResponseModel, parts: PartRule) -> LinearForms:
    """Collect the coefficients of every lever once (see the module text), from the model's sparse matrices."""
    last = model.years[-1]
    base = model.baseline
    y_last = {u: float(v) for u, v in base.grp_per_capita[last].items()}
    p_last = {u: float(v) for u, v in base.population[last].items()}
    pop_total = float(sum(p_last.values()))
    national = float(sum(y_last[u] * p_last[u] for u in y_last) / pop_total)
    units = model.units
    n_units, ny = model.cell_shape()
    j_last = base.years.index(last)
    last_cols = np.arange(n_units) * ny + j_last
    grp = model.grp_effect.tocsr()
    growth = np.asarray(grp.sum(axis=1)).ravel()
    grp_last = np.asarray(grp[:, last_cols].sum(axis=1)).ravel()
    per_capita_last = model.per_capita_effect[:, last_cols].tocsc()
    per_capita: dict[str, dict[int, float]] = {}
    for i, unit in enumerate(units):
        lo, hi = per_capita_last.indptr[i], per_capita_last.indptr[i + 1]
        per_capita[unit] = {int(k): float(c) for k, c in zip(per_capita_last.indices[lo:hi],
                                                             per_capita_last.data[lo:hi], strict=True) if c}
    unit_names = np.array(units, dtype=object)
    directions = np.array(DIRECTIONS, dtype=object)
    units_of = unit_names[model.lever_unit].tolist()
    directions_of = directions[model.lever_direction].tolist()
    years_of = model.lever_year.astype(int).tolist()
    segments_of = model.lever_segment.astype(int).tolist()
    names = [lever_name(u, d, y, g) for u, d, y, g in zip(units_of, directions_of, years_of, segments_of, strict=True)]
    by_year: dict[int, list[int]] = defaultdict(list)
    by_direction: dict[str, list[int]] = defaultdict(list)
    by_unit_year: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, (unit, direction, year) in enumerate(zip(units_of, directions_of, years_of, strict=True)):
        by_year[year].append(k)
        by_direction[direction].append(k)
        by_unit_year[(unit, year)].append(k)
    cap = model.bonus_cap
    cover = (model.bonus_cover_effect * cap).tocsc()
    raised = (model.bonus_base_effect * cap).tocsc()
    bonus_cover: dict[tuple[str, int], dict[int, float]] = {}
    bonus_base: dict[tuple[str, int], dict[int, float]] = {}
    for c in sorted(np.flatnonzero(np.diff(cover.indptr)), key=lambda c: (units[c // ny], base.years[c % ny])):
        key = (units[c // ny], base.years[c % ny])
        lo, hi = cover.indptr[c], cover.indptr[c + 1]
        bonus_cover[key] = {int(k): float(v) for k, v in zip(cover.indices[lo:hi], cover.data[lo:hi], strict=True)}
        lo, hi = raised.indptr[c], raised.indptr[c + 1]
        bonus_base[key] = {int(k): float(v) for k, v in zip(raised.indices[lo:hi], raised.data[lo:hi], strict=True)
                           if v}
    # a bonus with nothing to raise, or no interaction spending to raise it, is always zero
    keys = [key for key in bonus_cover if bonus_base[key] and bonus_cover[key] and cap > 0]
    return LinearForms(
        model=model, parts=parts, last_year=last, names=names, units_of=units_of, directions_of=directions_of,
        years_of=years_of, segments_of=segments_of, capacity=model.lever_capacity.astype(float).copy(),
        growth=growth, grp_last=grp_last, per_capita=per_capita, bonus_keys=keys,
        bonus_names=[f"bonus_{u}_{t}" for u, t in keys], bonus_base={k: bonus_base[k] for k in keys},
        bonus_cover={k: bonus_cover[k] for k in keys}, y_last=y_last, population_last=p_last,
        population_total_last=pop_total, national_last=national, levers_by_year=dict(by_year),
        levers_by_direction=dict(by_direction), levers_by_unit_year=dict(by_unit_year))


def describe_forms(forms: LinearForms) -> dict[str, Any]:
    """Sizes of the model, for reports and benchmarks."""
    return {"levers": len(forms.names), "bonus_variables": len(forms.bonus_keys), "units": len(forms.units),
            "years": len(forms.years), "effects": int((abs(forms.model.grp_effect) + abs(forms.model.population_effect)
                                                       ).nnz)}

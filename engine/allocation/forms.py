"""Numbers the optimizer's models are built from: the response model's levers as coefficient arrays.

Everything here is computed once per scenario and reused by every stage, the frontier and the formula
baselines. Units: money in bn tenge, GRP in bn tenge, GRP per capita in thousand tenge per person,
people in persons (see :mod:`engine.model.response`).

Per-capita effects at the horizon's last year T use the first-order expansion of :mod:`engine.model.response`:
``dy_i = (dGRP_i x 1e6 - y_i dP_i) / P_i`` around the baseline ``y_i(T)``, ``P_i(T)``. The national mean
at T is ``sum GRP x 1e6 / sum P``; migration only moves people, so the denominator is the baseline's and
the mean is exactly linear in spending.

**What lasts.** The metrics at T are scored after the demand impulse of T's own spending has faded: that
impulse (the multiplier x the effective bn, rules/directions.yaml) raises GRP in the year of spending only,
so a plan could otherwise buy a better ratio at T with money whose effect is gone in T + 1. The per-capita
coefficients at T and the GRP at T that the national mean reads leave it out (:func:`last_year_impulse`); the
national growth summed over the horizon keeps every year's impulse, which is output the economy did produce.
The interaction bonus on that impulse (at most the bonus cap x the impulse) is left in: second order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from engine.allocation.program import ValueMap
from engine.core.context import Context
from engine.core.parameters import DIRECTIONS
from engine.model.response import ResponseModel

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
    """Tag spending by unit and direction ``equity`` or ``efficiency`` by rules/roadmap.yaml, from base-year data.

    Below the region level a unit takes the class of the region above it (the classes' tests read regional
    indicators), except that a hub unit (:func:`engine.model.response.hub_units_at_level`) is classed as a hub.
    """
    from engine.core.roadmap_rules import classify_units, default_roadmap_rules
    from engine.model.response import ancestors, unit_level

    rules = default_roadmap_rules()
    base = model.baseline.base_year
    units = list(model.units)
    by_class = {c.id: c for c in rules.classes}
    if unit_level(ctx.dataset, units) == "region":
        classes = classify_units(ctx, base, rules, units=units)
        reasons = {u: f"class {classes[u]} in {base}: {by_class[classes[u]].rationale.strip()}" for u in units}
    else:
        region = _regions_above(ctx, units, ancestors)
        regional = classify_units(ctx, base, rules, units=sorted(set(region.values())))
        hub_class = next((c.id for c in rules.classes if c.kind == "typology_hub"), None)
        hubs = set(model.hubs)
        classes, reasons = {}, {}
        for u in units:
            own = hub_class if (u in hubs and hub_class) else regional[region[u]]
            classes[u] = own
            why = "a hub unit" if own == hub_class and u in hubs else f"the class of its region {region[u]}"
            reasons[u] = f"class {own} in {base} ({why}): {by_class[own].rationale.strip()}"
    table = {(c, d): rules.part_of(c, d) for c in rules.class_ids for d in model.directions}
    parts = {u: table[(classes[u], "agglomeration")] for u in units}
    return PartRule(parts, reasons, classes, table)


def _regions_above(ctx: Context, units: list[str], ancestors: Any) -> dict[str, str]:
    """The region-level unit above each unit (its nearest ancestor of level ``region``)."""
    from engine.core.errors import DataValidationError, problem

    level = dict(zip(ctx.dataset.units.index, ctx.dataset.units["level"], strict=True))
    out, missing = {}, []
    for u in units:
        region = next((a for a in ancestors(ctx.dataset, u) if level.get(a) == "region"), None)
        if region is None:
            missing.append(u)
        else:
            out[u] = region
    if missing:
        raise DataValidationError([problem("units.csv", "pr_needs_parent_region", None, "parent_id",
                                           ", ".join(missing[:5]))])
    return out


@dataclass(frozen=True, eq=False)
class LinearForms:
    """The response model as coefficient arrays (one entry per lever ``k``) and sparse matrices.

    ``per_capita_matrix`` (levers x units) holds the first-order change of each unit's GRP per capita at T
    per bn on each lever; ``bonus_base_matrix`` and ``bonus_cover_matrix`` (levers x ``bonus_keys``) the two
    bonus ceilings (bn) per bn, the bonus cap already applied. ``per_capita``, ``bonus_base``,
    ``bonus_cover`` and ``levers_by_*`` give the same numbers as dictionaries (built on first use).
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
    per_capita_matrix: sp.csc_matrix
    bonus_keys: list[tuple[str, int]]
    bonus_names: list[str]
    bonus_base_matrix: sp.csc_matrix
    bonus_cover_matrix: sp.csc_matrix
    y_last: dict[str, float]
    population_last: dict[str, float]
    population_total_last: float
    national_last: float
    lever_unit: np.ndarray
    lever_year: np.ndarray
    lever_direction: np.ndarray
    equity: np.ndarray  # bool per lever: spending in the equity part
    # resettlers' effect on the receiving units as (levers x origins) @ (origins x units), when that is sparser
    mobility_factor: tuple[sp.csr_matrix, sp.csr_matrix] | None = None
    per_capita_own: sp.csc_matrix | None = None  # per_capita_matrix without the factored part
    mobility_names: tuple[str, ...] = ()
    lasting: bool = True  # the metrics at T leave out T's demand impulse (module text)

    @property
    def units(self) -> list[str]:
        return self.model.units

    @property
    def years(self) -> list[int]:
        return self.model.years

    @cached_property
    def unit_position(self) -> dict[str, int]:
        """Each unit's column in :attr:`per_capita_matrix` (its place in :attr:`units`)."""
        return {u: i for i, u in enumerate(self.units)}

    @cached_property
    def per_capita(self) -> dict[str, dict[int, float]]:
        m = self.per_capita_matrix
        return {u: {int(k): float(c) for k, c in zip(m.indices[m.indptr[i]:m.indptr[i + 1]],
                                                     m.data[m.indptr[i]:m.indptr[i + 1]], strict=True) if c}
                for i, u in enumerate(self.units)}

    def _by_key(self, m: sp.csc_matrix) -> dict[tuple[str, int], dict[int, float]]:
        return {key: {int(k): float(c) for k, c in zip(m.indices[m.indptr[j]:m.indptr[j + 1]],
                                                       m.data[m.indptr[j]:m.indptr[j + 1]], strict=True)}
                for j, key in enumerate(self.bonus_keys)}

    @cached_property
    def bonus_base(self) -> dict[tuple[str, int], dict[int, float]]:
        return self._by_key(self.bonus_base_matrix)

    @cached_property
    def bonus_cover(self) -> dict[tuple[str, int], dict[int, float]]:
        return self._by_key(self.bonus_cover_matrix)

    @cached_property
    def levers_by_year(self) -> dict[int, list[int]]:
        return _groups(self.years_of)

    @cached_property
    def levers_by_direction(self) -> dict[str, list[int]]:
        return _groups(self.directions_of)

    @cached_property
    def levers_by_unit_year(self) -> dict[tuple[str, int], list[int]]:
        return _groups(list(zip(self.units_of, self.years_of, strict=True)))

    @property
    def lever_cell(self) -> np.ndarray:
        """The (unit, direction, year) cell of each lever (an index into :attr:`cell_keys`)."""
        return self.model.lever_cell

    @cached_property
    def cell_keys(self) -> list[tuple[str, str, int]]:
        """(unit, direction, year) of each cell of the model."""
        m = self.model
        return [(self.units[u], DIRECTIONS[d], int(y)) for u, d, y in zip(m.cell_unit, m.cell_direction, m.cell_year,
                                                                         strict=True)]

    @cached_property
    def cell_capacity(self) -> np.ndarray:
        """Absorption capacity of each cell (its segments' capacities summed), bn."""
        return np.bincount(self.lever_cell, weights=self.capacity, minlength=len(self.cell_keys))

    @cached_property
    def cell_order(self) -> np.ndarray:
        """Cell indices sorted by (unit, direction, year)."""
        keys = self.cell_keys
        return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)

    def cell_sums(self, per_lever: np.ndarray) -> np.ndarray:
        """``per_lever`` summed over each cell's segments."""
        return np.bincount(self.lever_cell, weights=per_lever, minlength=len(self.cell_keys))

    def lever_values(self, values: Mapping[str, float]) -> np.ndarray:
        """The levers' values in a solution (0 where missing), as an array."""
        if isinstance(values, ValueMap):
            leading = values.leading(self.names)  # a program's levers are its first variables
            if leading is not None:
                return leading
        return np.array([values.get(n, 0.0) for n in self.names], dtype=float)

    @cached_property
    def bonus_last_unit(self) -> np.ndarray:
        """For each bonus variable, the index of its unit when its year is T, else -1."""
        index = {u: i for i, u in enumerate(self.units)}
        return np.array([index[u] if t == self.last_year else -1 for u, t in self.bonus_keys], dtype=np.int64)

    def bonus_ceiling(self, lever_high: np.ndarray) -> np.ndarray:
        """The most each bonus variable can be when no lever exceeds ``lever_high``: the smaller of its two
        ceilings with every lever at that bound."""
        return np.minimum(np.asarray(self.bonus_base_matrix.T @ lever_high).ravel(),
                          np.asarray(self.bonus_cover_matrix.T @ lever_high).ravel())

    def national_coefficient(self, k: int) -> float:
        """Change of the national mean GRP per capita at T (thousand tenge) per bn on lever k."""
        return float(self.grp_last[k]) * 1e6 / self.population_total_last

    def bonus_name(self, unit: str, year: int) -> str:
        return f"bonus_{unit}_{year}"

    def part_of_lever(self, k: int) -> str:
        return self.parts.part_of(self.units_of[k], self.directions_of[k])

    def unit_bonus_at_last(self, unit: str) -> str | None:
        key = (unit, self.last_year)
        return self.bonus_name(*key) if key in self._bonus_positions else None

    @cached_property
    def _bonus_positions(self) -> dict[tuple[str, int], int]:
        return {key: j for j, key in enumerate(self.bonus_keys)}


def _groups(keys: list) -> dict:
    out: dict = defaultdict(list)
    for k, key in enumerate(keys):
        out[key].append(k)
    return dict(out)


def lever_name(unit: str, direction: str, year: int, segment: int) -> str:
    """Variable name of a lever: lower-case letters, digits and underscores only."""
    return f"x_{unit}_{direction}_{year}_s{segment}"


def build_forms(model: ResponseModel, parts: PartRule, lasting: bool = True) -> LinearForms:
    """Collect the coefficients of every lever once (see the module text), from the model's sparse matrices.

    ``lasting``: score the metrics at T without the demand impulse of T's spending (module text).
    """
    last = model.years[-1]
    base = model.baseline
    y_last = {u: float(v) for u, v in base.grp_per_capita[last].items()}
    p_last = {u: float(v) for u, v in base.population[last].items()}
    pop_total = float(sum(p_last.values()))
    national = float(sum(y_last[u] * p_last[u] for u in y_last) / pop_total)
    units = model.units
    n_units, ny = model.cell_shape()
    last_cols = np.arange(n_units) * ny + base.years.index(last)
    scale, cell = model.lever_scale, model.lever_cell
    growth = scale * np.asarray(model.cell_grp.sum(axis=1)).ravel()[cell]
    impulse = last_year_impulse(model) if lasting else np.zeros(len(scale))
    grp_last = scale * np.asarray(model.cell_grp[:, last_cols].sum(axis=1)).ravel()[cell] - impulse
    per_capita_matrix = (sp.diags(scale) @ model.cell_per_capita[:, last_cols].tocsr()[cell]).tocsc()
    if impulse.any():
        levers = np.flatnonzero(impulse)
        p_units = base.population[last].to_numpy(dtype=float)
        owner = model.lever_unit[levers]
        per_capita_matrix = (per_capita_matrix - sp.csc_matrix(
            (impulse[levers] * 1e6 / p_units[owner], (levers, owner)), shape=per_capita_matrix.shape)).tocsc()
        # a lever whose only effect at T was the impulse leaves rounding residue, not a coefficient
        per_capita_matrix.data[np.abs(per_capita_matrix.data) < 1e-12] = 0.0
        grp_last[np.abs(grp_last) < 1e-15] = 0.0
    per_capita_matrix.eliminate_zeros()
    lever_unit, lever_direction, lever_year = model.lever_unit, model.lever_direction, model.lever_year
    unit_names = np.array(units, dtype=object)
    directions = np.array(DIRECTIONS, dtype=object)
    units_of = unit_names[lever_unit].tolist()
    directions_of = directions[lever_direction].tolist()
    years_of = lever_year.astype(int).tolist()
    segments_of = model.lever_segment.astype(int).tolist()
    names = [f"x_{u}_{d}_{y}_s{g}" for u, d, y, g in zip(units_of, directions_of, years_of, segments_of, strict=True)]
    cap = model.bonus_cap
    cover_cells = model.cell_bonus_cover.tocsc()
    base_cells = model.cell_bonus_base.tocsc()
    # a bonus with nothing to raise, or no interaction spending to raise it, is always zero
    has_base = np.asarray(abs(base_cells).sum(axis=0)).ravel() > 0
    has_cover = np.asarray(abs(cover_cells).sum(axis=0)).ravel() > 0
    columns = list(np.flatnonzero(has_base & has_cover)) if cap > 0 else []
    columns.sort(key=lambda c: (units[c // ny], base.years[c % ny]))
    keys = [(units[c // ny], base.years[c % ny]) for c in columns]
    per_lever = sp.diags(scale * cap)
    bonus_base_matrix = (per_lever @ base_cells[:, columns].tocsr()[cell]).tocsc()
    bonus_cover_matrix = (per_lever @ cover_cells[:, columns].tocsr()[cell]).tocsc()
    for m in (bonus_base_matrix, bonus_cover_matrix):
        m.eliminate_zeros()
    equity_cells = np.array([[parts.part_of(u, d) == EQUITY for d in DIRECTIONS] for u in units], dtype=bool)
    equity = equity_cells[lever_unit, lever_direction] if len(units) else np.zeros(0, dtype=bool)
    factor = mobility_factor(model, per_capita_matrix, last)
    return LinearForms(
        model=model, parts=parts, last_year=last, names=names, units_of=units_of, directions_of=directions_of,
        years_of=years_of, segments_of=segments_of, capacity=model.lever_capacity.astype(float).copy(),
        growth=growth, grp_last=grp_last, per_capita_matrix=per_capita_matrix, bonus_keys=keys,
        bonus_names=[f"bonus_{u}_{t}" for u, t in keys], bonus_base_matrix=bonus_base_matrix,
        bonus_cover_matrix=bonus_cover_matrix, y_last=y_last, population_last=p_last,
        population_total_last=pop_total, national_last=national, lever_unit=lever_unit, lever_year=lever_year,
        lever_direction=lever_direction, equity=equity, mobility_factor=factor[0] if factor else None,
        per_capita_own=factor[1] if factor else None,
        mobility_names=tuple(f"movers_{o}" for o in model.mobility_origins) if factor else (), lasting=lasting)


def last_year_impulse(model: ResponseModel) -> np.ndarray:
    """Per lever: bn of GRP at T that the demand impulse of one bn on it makes, for levers in T (else 0)."""
    multiplier = np.zeros(len(DIRECTIONS))
    for name, direction in model.directions.items():
        response = direction.response("demand_impulse")
        if response is not None and name in DIRECTIONS:
            multiplier[DIRECTIONS.index(name)] = model.assumptions.value(response.params["multiplier"])
    in_last = model.lever_year == model.years[-1]
    return np.where(in_last, model.lever_scale * multiplier[model.lever_direction], 0.0)


FACTOR_MIN_SAVING = 50_000  # coefficients the factored form must save before the LP uses it


def mobility_factor(model: ResponseModel, per_capita: sp.csc_matrix, last: int,
                    ) -> tuple[tuple[sp.csr_matrix, sp.csr_matrix], sp.csc_matrix] | None:
    """The resettlers' per-capita effect on the receiving units, factored, when that saves coefficients.

    A mobility lever k in origin o moves ``a_k`` = scale_k x 1000 / cost x (1 - return rate) people, who
    reach destination d in the share S_od of the gravity model; d's GRP per capita at T changes by
    ``a_k S_od g_d`` with g_d = y_d (employment x productivity - 1) / P_d (the first-order expansion of
    :mod:`engine.model.response`). So that block of the per-capita matrix is A S diag(g) with A (levers x origins)
    one entry per lever: the LP gets one variable per origin (its resettlers by T) instead of a
    coefficient per lever and destination. Returns ((A, S diag(g) as origins x units), the per-capita
    matrix without that block), or None when it would save fewer than :data:`FACTOR_MIN_SAVING`.
    """
    response = model.directions["mobility"].response("relocation_between")
    origins, dests = list(model.mobility_origins), list(model.mobility_destinations)
    if response is None or model.mobility_shares is None or not origins or not dests:
        return None
    mobility = np.flatnonzero(model.lever_direction == DIRECTIONS.index("mobility"))
    unit_index = {u: i for i, u in enumerate(model.units)}
    dest_set = {unit_index[d] for d in dests}
    coo = per_capita.tocoo()
    moved = np.isin(coo.row, mobility) & np.isin(coo.col, list(dest_set))
    if moved.sum() < FACTOR_MIN_SAVING:
        return None
    a = model.assumptions.value
    p = {role: a(pid) for role, pid in response.params.items()}
    movers = 1000.0 / p["cost"] * (1 - p["return_rate"])
    base = model.baseline
    y = base.grp_per_capita[last].loc[dests].to_numpy(dtype=float)
    pop = base.population[last].loc[dests].to_numpy(dtype=float)
    g = y * (p["employment"] * p["productivity"] - 1.0) / pop
    position = {unit_index[o]: i for i, o in enumerate(origins)}
    rows = mobility
    cols = np.array([position[u] for u in model.lever_unit[mobility]], dtype=np.int64)
    lever_movers = sp.csr_matrix((model.lever_scale[mobility] * movers, (rows, cols)),
                                 shape=(model.n_levers, len(origins)))
    dest_cols = np.array([unit_index[d] for d in dests])
    s_g = model.mobility_shares * g[None, :]
    r, c = np.nonzero(s_g)
    to_units = sp.csr_matrix((s_g[r, c], (r, dest_cols[c])), shape=(len(origins), len(model.units)))
    own = sp.csc_matrix((coo.data[~moved], (coo.row[~moved], coo.col[~moved])), shape=per_capita.shape)
    return (lever_movers, to_units), own


def describe_forms(forms: LinearForms) -> dict[str, Any]:
    """Sizes of the model, for reports and benchmarks."""
    return {"levers": len(forms.names), "bonus_variables": len(forms.bonus_keys), "units": len(forms.units),
            "years": len(forms.years), "effects": int(forms.model.cell_grp.nnz + forms.model.cell_population.nnz)}

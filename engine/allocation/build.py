"""Building the optimizer's linear programs from the response model and a scenario.

A model is first a :class:`engine.allocation.program.LinearProgram`: columns and rows as plain data (row
blocks as sparse matrices over the levers), with a registry saying which rule (and unit, year, direction)
each constraint comes from. A solver sees it only in :mod:`engine.allocation.solve`, so the same program can
be checked, homogenised (Charnes-Cooper), made elastic, or evaluated at a solution without asking the
solver. Constraint names are rule id first, then unit and year,
lower-case letters, digits and underscores only (PuLP rewrites ``-+[] ->/``).

Shared constraints (one builder per rule kind, each returning early when it has nothing to constrain):

* ``budget_<year>``: spending in the year equals the year's budget (``<=`` with ``allow_unspent``);
* ``direction_min_<d>`` / ``direction_max_<d>``: a direction's spending over the horizon between its
  minimum and maximum share of the total budget;
* ``equity_share``: spending in the equity part over the horizon at least ``equity_share`` x the total
  budget;
* with a scenario's ``progress`` (engine.core.progress) both shares are of the years still open, the years
  after ``as_of``: the years already spent are held as they were and a share is a choice about the rest;
* ``unit_cap_<unit>_<year>``: a unit's spending in a year at most its cap;
* ``bonus_base_<unit>_<year>`` / ``bonus_cover_<unit>_<year>``: the interaction bonus at most the smaller
  of its two ceilings (:mod:`engine.model.response`).

Eligibility and absorption capacity are the levers themselves: a lever exists only where its direction is
eligible, and its upper bound is its segment's capacity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from engine.allocation.forms import LinearForms
from engine.allocation.program import (
    EQ,
    GE,
    LE,
    MAX,
    MIN,
    T_VAR,
    Assembled,
    LinearProgram,
    PulpModel,
    Row,
    RowInfo,
    Variable,
    coefficient_range,
    homogenize,
    safe_name,
    to_pulp,
)
from engine.core.scenario import Scenario

__all__ = ["EQ", "GE", "LE", "MAX", "MIN", "T_VAR", "Assembled", "LinearProgram", "PulpModel", "Row", "RowInfo",
           "Variable", "add_budget_rows", "add_bonus_rows", "add_direction_rows", "add_equity_share_row",
           "add_unit_cap_rows", "build_base_program", "coefficient_range", "combine", "growth_expression",
           "homogenize", "national_expression", "per_capita_block", "per_capita_expression", "safe_name", "to_pulp"]


# ---------------------------------------------------------------------------------------------------
# Shared constraints, one builder per rule kind (levers are the program's first variables)
# ---------------------------------------------------------------------------------------------------

def _indicator_rows(forms: LinearForms, masks: Sequence[np.ndarray]) -> sp.csr_matrix:
    """One row per mask, with coefficient 1 on the levers the mask selects."""
    rows = np.concatenate([np.full(int(m.sum()), i) for i, m in enumerate(masks)]) if masks else np.zeros(0, int)
    cols = np.concatenate([np.flatnonzero(m) for m in masks]) if masks else np.zeros(0, int)
    return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(masks), len(forms.names)))


def add_budget_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    sense = LE if scenario.allow_unspent else EQ
    years = scenario.years
    lp.add_rows([f"budget_{y}" for y in years], _indicator_rows(forms, [forms.lever_year == y for y in years]), sense,
                [scenario.budget_bn_kzt[y] for y in years], [RowInfo("budget", year=y) for y in years])


def add_direction_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    from engine.core.parameters import DIRECTIONS

    total = scenario.open_budget
    open_levers = _open_levers(forms, scenario)
    for direction, bounds in sorted(scenario.directions.items()):
        mask = (forms.lever_direction == (DIRECTIONS.index(direction) if direction in DIRECTIONS else -1)) & open_levers
        if bounds.min > 0:
            lp.add_rows([f"direction_min_{direction}"], _indicator_rows(forms, [mask]), GE, bounds.min * total,
                        RowInfo("direction_min", direction=direction))
        if bounds.max < 1:
            lp.add_rows([f"direction_max_{direction}"], _indicator_rows(forms, [mask]), LE, bounds.max * total,
                        RowInfo("direction_max", direction=direction))


def add_equity_share_row(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    if scenario.equity_share <= 0:
        return
    lp.add_rows(["equity_share"], _indicator_rows(forms, [np.asarray(forms.equity) & _open_levers(forms, scenario)]),
                GE, scenario.equity_share * scenario.open_budget, RowInfo("equity_share"))


def _open_levers(forms: LinearForms, scenario: Scenario) -> np.ndarray:
    """The levers of the years a solve chooses (:attr:`Scenario.open_years`)."""
    return np.asarray(forms.lever_year) >= min(scenario.open_years, default=scenario.last_year + 1)


def add_unit_cap_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    index = {u: i for i, u in enumerate(forms.units)}
    names, masks, rhs, infos = [], [], [], []
    for unit, cap in sorted(scenario.unit_caps_bn_kzt.items()):
        if unit not in index:
            continue
        own = forms.lever_unit == index[unit]
        for year in scenario.years:
            mask = own & (forms.lever_year == year)
            if mask.any():
                names.append(f"unit_cap_{safe_name(unit)}_{year}")
                masks.append(mask)
                rhs.append(cap)
                infos.append(RowInfo("unit_cap", unit=unit, year=year))
    lp.add_rows(names, _indicator_rows(forms, masks), LE, rhs, infos)


def add_bonus_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    """``bonus_base_<unit>_<year>`` and ``bonus_cover_<unit>_<year>`` for each bonus, in that order."""
    keys = forms.bonus_keys
    if not keys:
        return
    n_keys = len(keys)
    start = lp.index_of(forms.bonus_names[0])
    identity = sp.csr_matrix((np.ones(n_keys), (np.arange(n_keys), start + np.arange(n_keys))),
                             shape=(n_keys, start + n_keys))
    blocks = []
    for ceiling in (forms.bonus_base_matrix, forms.bonus_cover_matrix):
        levers = -ceiling.T.tocsr()
        levers = sp.csr_matrix((levers.data, levers.indices, levers.indptr), shape=(n_keys, start + n_keys))
        blocks.append(levers + identity)
    order = np.column_stack([np.arange(n_keys), n_keys + np.arange(n_keys)]).ravel()
    matrix = sp.vstack(blocks, format="csr")[order]
    names, infos = [], []
    safe = {unit: safe_name(unit) for unit in forms.units}
    for unit, year in keys:
        for rule in ("bonus_base", "bonus_cover"):
            names.append(f"{rule}_{safe[unit]}_{year}")
            infos.append(RowInfo(rule, unit=unit, year=year))
    lp.add_rows(names, matrix, LE, 0.0, infos)


SHARED_BUILDERS: dict[str, Callable[[LinearProgram, LinearForms, Scenario], None]] = {
    "budget": add_budget_rows,
    "direction": add_direction_rows,
    "equity_share": add_equity_share_row,
    "unit_cap": add_unit_cap_rows,
    "bonus": add_bonus_rows,
}


def build_base_program(forms: LinearForms, scenario: Scenario, name: str, sense: str) -> LinearProgram:
    """The levers, the bonus variables and every shared constraint; objectives add the rest.

    A lever in a model year outside the scenario's horizon has no budget: its upper bound is zero. A bonus
    variable's upper bound is the smaller of its ceilings with every lever at its bound.
    """
    lp = LinearProgram(name, sense)
    in_horizon = np.isin(forms.lever_year, list(scenario.budget_bn_kzt))
    lever_high = np.where(in_horizon, forms.capacity, 0.0).astype(float)
    lp.add_variables(forms.names, 0.0, lever_high.tolist())
    # the bonus's implied bound made explicit: dual simplex then starts dual feasible instead of spending a
    # first phase on 10^4 unbounded bonus columns (settlement-level growth stage: 70k -> 46k iterations)
    lp.add_variables(forms.bonus_names, 0.0, forms.bonus_ceiling(lever_high).tolist())
    add_mover_rows(lp, forms)
    for builder in SHARED_BUILDERS.values():
        builder(lp, forms, scenario)
    return lp


def add_mover_rows(lp: LinearProgram, forms: LinearForms) -> None:
    """``movers_<origin>`` = the resettlers a plan moves from each origin by T, when the forms factor them
    (:func:`engine.allocation.forms.mobility_factor`): ``movers_def_<origin>`` defines it."""
    if forms.mobility_factor is None:
        return
    lever_movers, _ = forms.mobility_factor
    start = lp.add_variables(list(forms.mobility_names))
    n_origins = len(forms.mobility_names)
    levers = -lever_movers.T.tocsr()
    levers = sp.csr_matrix((levers.data, levers.indices, levers.indptr), shape=(n_origins, start + n_origins))
    identity = sp.csr_matrix((np.ones(n_origins), (np.arange(n_origins), start + np.arange(n_origins))),
                             shape=levers.shape)
    origins = forms.model.mobility_origins
    lp.add_rows([f"movers_def_{safe_name(o)}" for o in origins], levers + identity, EQ, 0.0,
                [RowInfo("movers_def", unit=o) for o in origins])


# ---------------------------------------------------------------------------------------------------
# Linear expressions of the outcomes
# ---------------------------------------------------------------------------------------------------

def per_capita_expression(forms: LinearForms, unit: str) -> tuple[float, dict[str, float]]:
    """GRP per capita of ``unit`` at T (thousand tenge): constant and coefficients, to first order."""
    coeffs = {forms.names[k]: c for k, c in forms.per_capita[unit].items()}
    bonus = forms.unit_bonus_at_last(unit)
    if bonus is not None:
        coeffs[bonus] = coeffs.get(bonus, 0.0) + 1e6 / forms.population_last[unit]
    return forms.y_last[unit], coeffs


def national_expression(forms: LinearForms) -> tuple[float, dict[str, float]]:
    """National GRP per capita at T (thousand tenge): exact, since migration conserves people."""
    scale = 1e6 / forms.population_total_last
    used = np.flatnonzero(forms.grp_last)
    coeffs = dict(zip([forms.names[k] for k in used], (forms.grp_last[used] * scale).tolist(), strict=True))
    for (_, year), name in zip(forms.bonus_keys, forms.bonus_names, strict=True):
        if year == forms.last_year:
            coeffs[name] = scale
    return forms.national_last, coeffs


def growth_expression(forms: LinearForms) -> dict[str, float]:
    """National GRP gain over the horizon years (bn, summed over years): exact."""
    used = np.flatnonzero(forms.growth)
    coeffs = dict(zip([forms.names[k] for k in used], forms.growth[used].tolist(), strict=True))
    for name in forms.bonus_names:
        coeffs[name] = 1.0
    return coeffs


def combine(*parts: tuple[float, Mapping[str, float]]) -> dict[str, float]:
    """``sum weight x coefficients`` over ``(weight, coefficients)`` pairs."""
    out: dict[str, float] = {}
    for weight, coeffs in parts:
        for v, c in coeffs.items():
            out[v] = out.get(v, 0.0) + weight * c
    return out


def per_capita_block(forms: LinearForms) -> tuple[np.ndarray, sp.csr_matrix]:
    """GRP per capita of every unit at T, to first order: constants (units) and coefficients (units x levers,
    bonus variables and, when factored, resettlers by origin: :func:`build_base_program`'s column order).
    Computed once per forms."""
    cached = forms.__dict__.get("_per_capita_block")
    if cached is None:
        cached = _per_capita_block(forms)
        forms.__dict__["_per_capita_block"] = cached  # a cache on the frozen forms, like functools.cached_property
    return cached


def _per_capita_block(forms: LinearForms) -> tuple[np.ndarray, sp.csr_matrix]:
    n_levers, n_bonus, n_movers = len(forms.names), len(forms.bonus_names), len(forms.mobility_names)
    width = n_levers + n_bonus + n_movers
    own = forms.per_capita_own if forms.per_capita_own is not None else forms.per_capita_matrix
    levers = own.T.tocsr()
    levers = sp.csr_matrix((levers.data, levers.indices, levers.indptr), shape=(len(forms.units), width))
    if forms.mobility_factor is not None:
        movers = forms.mobility_factor[1].T.tocoo()  # units x origins
        levers = levers + sp.csr_matrix((movers.data, (movers.row, n_levers + n_bonus + movers.col)),
                                        shape=levers.shape)
    at_last = np.flatnonzero(forms.bonus_last_unit >= 0)
    units = forms.bonus_last_unit[at_last]
    population = np.array([forms.population_last[u] for u in forms.units])
    bonus = sp.csr_matrix((1e6 / population[units], (units, n_levers + at_last)), shape=levers.shape)
    constants = np.array([forms.y_last[u] for u in forms.units])
    return constants, (levers + bonus).tocsr()

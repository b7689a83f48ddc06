"""The model both the optimizer and the simulator use: the no-policy baseline and the response to spending.

Units are those existing in the base year. Money is in billions of tenge at base-year prices, GRP per
capita in thousand tenge per person (so GRP in bn = GRP per capita x population / 1e6), people in persons.

**Baseline** (no new policy; :func:`build_baseline`). National GRP per capita grows at a rate g a year;
each unit's log gap to the national population-weighted level shrinks by a share beta a year (beta
convergence): ln(y_it / Y_t) = (1 - beta)^t ln(y_i0 / Y_0), levels rescaled each year so that the
population-weighted mean equals Y_t = Y_0 (1 + g)^t. By default g = ``baseline_real_growth`` and beta =
``baseline_convergence`` (rules); with ``fit_until`` both are estimated from the data up to that year (g:
log-linear trend of the national level, nominal since the data are nominal; beta: pooled least squares of
the yearly change of the log gaps on their previous level) -- the backtest uses this. Population: each
unit's mean yearly log change over the last ``baseline_population_years`` years up to the base year, the
2022 census rebasing left out (the trend). Where interregional net migration is observed up to the base
year, the trend is split into natural growth and migration, and migration follows the gravity model
(:mod:`engine.model.migration`) anchored to the observed flows: P_it = P_i,t-1 exp(n_i) + net_i(P_t-1, y_t-1),
with net = gravity + anchor (zero sum, so the country's population changes by natural growth only).

**Response.** Spending ``x`` (bn) on direction d in unit i in year t is split into concave segments
(``segment_breakpoints_share_of_grp`` of the unit's base-year GRP, with ``segment_slopes``); only
``implementation_efficiency`` of it is effective. Per effective bn:

* ``demand_impulse``: GRP +multiplier in year t only;
* ``capital_return``: GRP +return x (1 + hub_premium in hubs) every year from t + lag;
* ``spillover``: units within ``max_hops`` borders on the region graph (:mod:`engine.core.graph`) share
  ``share`` of that capital return, each weighted by ``decay`` per extra border;
* ``relocation_within``: 1000 / cost persons move to the regional centre; GRP +gain x GRP per capita
  for each of them from year t on;
* ``relocation_between``: 1000 / cost persons leave, (1 - return_rate) of them stay away, spread over the
  destinations by the calibrated gravity model's shares (:func:`engine.model.migration.destination_shares`,
  base-year populations and GRP per capita, road distances); the origin loses origin_loss x its GRP per
  capita per person, a destination gains employment x productivity x its GRP per capita per person;
* ``co_financing``: ratio private tenge per public tenge, earning the capital return from t + lag;
* ``efficiency_bonus``: the GRP effects of agglomeration and compression in the same unit rise by
  ``cap`` x the density of the unit's actor graph (:func:`engine.core.graph.build_actor_graph`: government,
  business and population, linked by the partnership instruments). The links built equal leverage x the
  unit's capital return per bn x the interaction spending made at least ``lag`` years earlier; the links
  needed equal the effect they raise; density = min(1, built / needed). So the bonus is
  min(cap x effect, cap x built): the two ceilings the optimizer writes as constraints.

**Levels.** The same model runs on regions, districts or settlements (``level`` in units.csv;
:func:`planning_level`). Below the region level: a unit is a hub when a unit above it is; eligibility by
listed units covers the units under them; resettlers go to the non-rural units under the receiving regions
(:func:`destination_units`); compression moves a rural settlement's movers to its district's town
(:func:`receiving_units`: the origin loses their people and output, the town gains them with the
productivity gain, so the national effect equals the region-level one); and there is no gravity model of
migration (it is calibrated on flows between regions).

**Representation.** Effects are sparse matrices levers x (unit, year) cells, built with numpy from
per-cell templates (every segment of a cell has the same effect times its slope), so a settlement-level
model of some 10^5 levers builds in about a second; the simulator and the optimizer's forms use the matrices.

Everything but the efficiency bonus is linear in spending per segment; the bonus is the smaller of two
linear terms, which the optimizer writes as two constraints. Per-capita values are GRP / population; the
optimizer uses their first-order expansion around the baseline (``dy = (dGRP x 1e6 - y dP) / P``), the
simulator the exact ratio; the simulator also lets baseline migration react to the plan's change of GRP per
capita (:mod:`engine.model.simulate`). The gap between the two views is reported by
:func:`engine.model.simulate.compare_with_linear`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from engine.core.data import BOUNDARY_SUFFIX, LEVELS, Dataset
from engine.core.errors import DataValidationError, problem
from engine.core.graph import EARTH_RADIUS_KM, border_graph, graph_hops, spillover_weights
from engine.core.parameters import DIRECTIONS, Direction, ParameterValues
from engine.model.migration import MIN_DISTANCE_KM, BaselineMigration, GravityParameters, build_baseline_migration

GRP_PER_CAPITA = "grp_per_capita"
POPULATION = "population"
BONUS_DIRECTIONS = ("agglomeration", "peripheral_compression")
# Years whose population was rebased on a new census (data/kazakhstan/SOURCES.md: "population jumps in 2022
# reflect the census re-basing, not migration"); a trend leaves out the change into them.
CENSUS_REBASING_YEARS = (2022,)
PLANNING_LEVELS = ("region", "district", "settlement")
# Rural settlements (units.csv ``kind``): below the region level they send people (compression, mobility) but
# do not receive resettlers, who are housed in towns and cities; a village's compression movers go to the
# district's town or, where there is none, its centre.
RURAL_KINDS = ("village", "district_centre")
VILLAGE = "village"
FULL_HOPS_UNITS = 500  # up to this many units every pair's hop count is kept; beyond, only within spillover reach


def planning_level(dataset: Dataset) -> str:
    """The finest of region, district, settlement whose units have a population value in some year.

    The default dataset plans by region; a district or settlement dataset (:mod:`engine.core.scale`) holds its
    regions as parents without indicators, or with them, and plans at its own level.
    """
    with_values = set(dataset.indicators.loc[dataset.indicators["indicator"].isin(
        (POPULATION, POPULATION + BOUNDARY_SUFFIX)), "unit_id"])
    levels = set(dataset.units.loc[dataset.units.index.isin(with_values), "level"])
    finest = [level for level in PLANNING_LEVELS if level in levels]
    return finest[-1] if finest else "region"


def unit_level(dataset: Dataset, units: list[str]) -> str:
    """The level shared by ``units`` (``region`` for an empty list).

    Raises
    ------
    DataValidationError
        When the units are of more than one level, or not in the dataset.
    """
    if not units:
        return "region"
    level_of = _column(dataset, "level")
    levels = sorted({level_of[u] for u in units if u in level_of})
    missing = sorted(u for u in units if u not in level_of)
    if missing or len(levels) != 1 or levels[0] not in LEVELS:
        what = f"not in units.csv: {', '.join(missing[:5])}" if missing else f"units of levels {', '.join(levels)}"
        raise DataValidationError([problem("dataset", "pr_one_level", None, "level", ", ".join(levels), what=what)])
    return levels[0]


def ancestors(dataset: Dataset, unit: str) -> list[str]:
    """The parent, grandparent, ... of ``unit`` (``parent_id`` chain in units.csv)."""
    parents = dataset._value_cache.get(("model.parents",))
    if parents is None:
        parents = {str(u): str(p) for u, p in dataset.units["parent_id"].items() if isinstance(p, str) and p}
        dataset._value_cache[("model.parents",)] = parents
    out: list[str] = []
    current = parents.get(unit)
    while current is not None and current not in out and len(out) < 10:
        out.append(current)
        current = parents.get(current)
    return out


# ---------------------------------------------------------------------------------------------------
# Baseline
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Baseline:
    """No-policy trajectories by unit (rows) and year (columns, the base year first)."""

    base_year: int
    years: list[int]
    units: list[str]
    grp_per_capita: pd.DataFrame
    population: pd.DataFrame
    method: str
    migration: BaselineMigration | None = None
    net_migration: pd.DataFrame | None = None  # persons a year by unit and year (None: not separated)
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def grp_bn(self) -> pd.DataFrame:
        return self.grp_per_capita * self.population / 1e6

    def national_mean(self, year: int) -> float:
        pop = self.population[year]
        return float((self.grp_per_capita[year] * pop).sum() / pop.sum())


def population_growth(dataset: Dataset, units: list[str], base_year: int, window: int) -> pd.Series:
    """Average yearly log growth of each unit's population over ``window`` years up to the base year.

    The mean of the yearly log changes in the window, leaving out the change into a census rebasing year
    (:data:`CENSUS_REBASING_YEARS`: the 2022 jump of up to 8% is a new count, not growth). Uses the series
    on 2022 boundaries when the base year is 2022 or later, else the series on the base year's division
    (:func:`division_panel`); a dataset without the 2022-boundary series uses its own. A unit with no
    usable change gets 0.
    """
    years = range(base_year - window, base_year + 1)
    level = unit_level(dataset, units)
    panel = None
    if base_year >= 2022:
        panel = cached_panel(dataset, POPULATION + BOUNDARY_SUFFIX, level).reindex(index=units, columns=list(years))
    if panel is None or panel.isna().all().all():  # a dataset below the region level has one population series
        panel = division_panel(dataset, POPULATION, units, years)
    changes = np.log(panel.astype(float)).diff(axis=1)
    changes = changes.drop(columns=[y for y in CENSUS_REBASING_YEARS if y in changes.columns])
    return changes.mean(axis=1, skipna=True).fillna(0.0).rename("population_growth")


def cached_panel(dataset: Dataset, indicator: str, level: str) -> pd.DataFrame:
    """:meth:`Dataset.panel`, kept on the dataset (which never changes) for the next model; do not modify it."""
    key = ("model.panel", indicator, level)
    if key not in dataset._value_cache:
        dataset._value_cache[key] = dataset.panel(indicator, level)
    return dataset._value_cache[key]


def division_panel(dataset: Dataset, indicator: str, units: list[str], years: Iterable[int]) -> pd.DataFrame:
    """``indicator`` for ``units`` (rows) and ``years`` (columns) on the territories the units have.

    A unit's own value where it existed that year, else its value on the 2022 boundaries where the
    dataset has one (BNS retrospective series of Turkistan and Shymkent before 2018); missing otherwise.
    The units' level (:func:`unit_level`) chooses the panel.
    """
    units, years = list(units), [int(y) for y in years]
    key = ("division_panel", indicator, tuple(units), tuple(years))
    if key not in dataset._value_cache:  # data only: a sweep rebuilds its baseline per draw from the same panels
        dataset._value_cache[key] = _division_panel(dataset, indicator, units, years)
    return dataset._value_cache[key].copy()


def _division_panel(dataset: Dataset, indicator: str, units: list[str], years: list[int]) -> pd.DataFrame:
    level = unit_level(dataset, units)
    own = cached_panel(dataset, indicator, level).reindex(index=units, columns=years).astype(float)
    retro = cached_panel(dataset, indicator + BOUNDARY_SUFFIX, level).reindex(index=units, columns=years).astype(float)
    rows = dataset.units.loc[units]
    start = rows["valid_from"].astype("Float64").fillna(-10_000).to_numpy(dtype=float)[:, None]
    end = rows["valid_to"].astype("Float64").fillna(10_000).to_numpy(dtype=float)[:, None]
    year_row = np.array(years, dtype=float)[None, :]
    own = own.where((start <= year_row) & (year_row <= end))  # own values only where the unit existed
    frame = own.combine_first(retro).reindex(index=units, columns=years)
    frame.columns = pd.Index(years)
    return frame


def estimate_trend(dataset: Dataset, units: list[str], fit_until: int) -> dict[str, Any]:
    """National growth and beta convergence of GRP per capita from the data up to ``fit_until``.

    On the division of ``fit_until`` (:func:`division_panel`), with Y_t the population-weighted national
    level: g = exp(slope) - 1 of the least-squares line through ln Y_t (nominal: the data have no regional
    deflators); beta = - sum(x dx) / sum(x^2) over all units and pairs of consecutive years, x = ln(y_it/Y_t)
    and dx its change the next year (pooled least squares through the origin; beta < 0 means divergence).
    """
    years = [y for y in dataset.years(GRP_PER_CAPITA) if y <= fit_until]
    y = division_panel(dataset, GRP_PER_CAPITA, units, years)
    p = division_panel(dataset, POPULATION, units, years)
    complete = [c for c in years if y[c].notna().all() and p[c].notna().all()]
    if len(complete) < 2:
        raise DataValidationError([problem("dataset", "pr_two_complete_years", None, "fit_until", fit_until,
                                           grp_per_capita=GRP_PER_CAPITA,
                                           population=POPULATION, fit_until=fit_until)])
    national = pd.Series({c: float((y[c] * p[c]).sum() / p[c].sum()) for c in complete})
    slope = float(np.polyfit(np.array(complete, dtype=float), np.log(national.to_numpy()), 1)[0])
    gaps = np.log(y[complete].div(national, axis=1))
    pairs = [(a, b) for a, b in zip(complete, complete[1:], strict=False) if b == a + 1]
    x = np.concatenate([gaps[a].to_numpy() for a, _ in pairs])
    dx = np.concatenate([(gaps[b] - gaps[a]).to_numpy() for a, b in pairs])
    return {"growth": math.exp(slope) - 1, "convergence": float(-(x @ dx) / (x @ x)), "years": complete,
            "observations": int(len(x)), "prices": "nominal"}


def build_baseline(dataset: Dataset, base_year: int, last_year: int, assumptions: ParameterValues,
                   units: list[str] | None = None, fit_until: int | None = None) -> Baseline:
    """Project GRP per capita and population from ``base_year`` to ``last_year`` without new policy.

    The method is the module's **Baseline** paragraph. With ``fit_until`` the national growth and the
    convergence speed are estimated from the data up to that year (:func:`estimate_trend`), else they are
    the rules' ``baseline_real_growth`` and ``baseline_convergence``. Migration data are used up to
    ``min(base_year, fit_until)``.

    Raises
    ------
    DataValidationError
        When a unit has no GRP per capita or population in the base year.
    """
    units = units if units is not None else dataset.units_in_year(base_year)
    y0 = division_panel(dataset, GRP_PER_CAPITA, units, [base_year])[base_year].dropna()
    p0 = division_panel(dataset, POPULATION, units, [base_year])[base_year].dropna()
    missing = [u for u in units if u not in y0.index or u not in p0.index]
    if missing:
        raise DataValidationError([problem("dataset", "pr_no_base_year_values", None, "unit_id", ", ".join(missing),
                                           grp_per_capita=GRP_PER_CAPITA,
                                           population=POPULATION, base_year=base_year)])
    years = list(range(base_year, last_year + 1))
    if fit_until is None:
        growth, beta = assumptions.value("baseline_real_growth"), assumptions.value("baseline_convergence")
        parameters: dict[str, Any] = {"growth": growth, "convergence": beta, "source": "rules/directions.yaml"}
    else:
        parameters = estimate_trend(dataset, units, fit_until)
        growth, beta = parameters["growth"], parameters["convergence"]
        parameters["source"] = f"estimated from the data up to {fit_until}"
    window = int(round(assumptions.value("baseline_population_years")))
    pop_growth = population_growth(dataset, units, base_year, window)
    y = y0.loc[units].astype(float)
    p = p0.loc[units].astype(float)
    migration: BaselineMigration | None = None
    if unit_level(dataset, units) == "region":
        migration = build_baseline_migration(dataset, units, base_year, pop_growth, p, y, assumptions,
                                             min(base_year, fit_until if fit_until is not None else base_year))
    anchored = migration is not None and migration.anchor is not None
    y_array, p_array = y.to_numpy(dtype=float), p.to_numpy(dtype=float)
    national0 = float((y_array * p_array).sum() / p_array.sum())
    gaps = np.log(y_array / national0)
    # arrays in the units' order, year by year (the same arithmetic as on Series, without their alignment)
    grp, pops, nets = {base_year: y_array}, {base_year: p_array}, {}
    trend = pop_growth.reindex(y.index).to_numpy(dtype=float)
    natural = migration.natural_growth.reindex(y.index).to_numpy(dtype=float) if anchored else None
    for step, year in enumerate(years[1:], start=1):
        if anchored:
            assert migration is not None
            nets[year] = migration.net_array(y.index, pops[year - 1], grp[year - 1])
            pop = pops[year - 1] * np.exp(natural) + nets[year]
        else:
            pop = p_array * np.exp(trend * step)
        national = national0 * (1 + growth) ** step
        level = np.exp(gaps * (1 - beta) ** step)
        level = level * pop.sum() / (level * pop).sum()  # keep the weighted mean at the national level
        grp[year] = national * level
        pops[year] = pop
    first = base_year - window
    method = (f"baseline from {base_year}: national GRP per capita {growth:+.1%} a year, log gaps to it shrink "
              f"{beta:.2%} a year ({parameters['source']}); population: mean log growth {first}-{base_year}")
    if anchored:
        assert migration is not None
        method += (", split into natural growth and interregional migration (gravity model anchored to the "
                   f"observed net migration {migration.anchored_years[0]}-{migration.anchored_years[-1]})")
    elif migration is None:
        method += ("; no migration model below the region level (the gravity model is calibrated on flows "
                   "between regions): the plan moves only the people its programmes pay to move")
    index = y.index

    def frame(columns: dict[int, np.ndarray]) -> pd.DataFrame:
        return pd.DataFrame(np.column_stack(list(columns.values())), index=index, columns=list(columns))

    net_frame = frame(nets) if anchored and nets else None
    return Baseline(base_year, years, list(units), frame(grp), frame(pops), method, migration, net_frame,
                    parameters)


# ---------------------------------------------------------------------------------------------------
# Levers and their linear effects
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lever:
    """One decision variable: spending on a segment of a direction in a unit in a year (bn)."""

    unit: str
    direction: str
    year: int
    segment: int
    capacity: float


@dataclass(frozen=True)
class Effect:
    """What one bn on a lever does to one unit in one year."""

    unit: str
    year: int
    grp_bn: float
    population: float


@dataclass(frozen=True, eq=False)
class ResponseModel:
    """The baseline, the levers, and the linear effect of one bn on each lever, as sparse matrices.

    A *cell* is a (unit, direction, year) where the direction is eligible: ``cell_unit`` (index into
    :attr:`units`), ``cell_direction`` (index into :data:`engine.core.parameters.DIRECTIONS`), ``cell_year``. Its
    segments are the levers: ``lever_cell``, ``lever_segment``, ``lever_capacity`` (bn) and ``lever_scale``
    (the effective share of a bn on that segment: implementation efficiency x the segment's slope).
    Columns are ``i x len(years) + j`` for unit i and the j-th year of the baseline (the base year first).

    * ``cell_grp`` / ``cell_population``: GRP (bn) and people per effective bn in the cell;
    * ``cell_bonus_base``: the part of that effect on the cell's own unit the interaction bonus can raise;
    * ``cell_bonus_cover``: for interaction cells, bn of bonus ceiling per effective bn (before ``bonus_cap``).

    A lever's effect is ``lever_scale x`` its cell's row (:attr:`grp_effect` and the other ``*_effect``
    matrices, levers x columns, are built on first use); :meth:`cell_spending` turns lever spending into
    effective money per cell, which the simulator multiplies by the cell matrices. :attr:`levers`,
    :attr:`effects`, :attr:`bonus_base` and :attr:`bonus_cover` give the same numbers as Python objects.
    """

    baseline: Baseline
    assumptions: ParameterValues
    directions: dict[str, Direction]
    eligible: dict[str, list[str]]
    hubs: tuple[str, ...]
    cell_unit: np.ndarray
    cell_direction: np.ndarray
    cell_year: np.ndarray
    lever_cell: np.ndarray
    lever_segment: np.ndarray
    lever_scale: np.ndarray
    lever_capacity: np.ndarray
    cell_grp: sp.csr_matrix
    cell_population: sp.csr_matrix
    cell_bonus_base: sp.csr_matrix
    cell_bonus_cover: sp.csr_matrix
    bonus_cap: float
    hops: dict[str, dict[str, int]] = field(default_factory=dict)
    region_graph: nx.Graph | None = None  # the border graph of the base year (engine.core.graph)
    receiving: dict[str, str] = field(default_factory=dict)  # compression: unit -> the unit people move to
    mobility_origins: tuple[str, ...] = ()
    mobility_destinations: tuple[str, ...] = ()
    mobility_shares: np.ndarray | None = None  # origins x destinations (rows sum to one)

    @cached_property
    def destination_shares(self) -> dict[str, dict[str, float]]:
        """Where each mobility origin's movers go: destination -> share (the positive entries of
        :attr:`mobility_shares`)."""
        if self.mobility_shares is None:
            return {o: {} for o in self.mobility_origins}
        return {o: {d: float(v) for d, v in zip(self.mobility_destinations, row.tolist(), strict=True) if v > 0}
                for o, row in zip(self.mobility_origins, self.mobility_shares, strict=True)}

    @property
    def years(self) -> list[int]:
        return self.baseline.years[1:]

    @property
    def units(self) -> list[str]:
        return self.baseline.units

    @property
    def n_levers(self) -> int:
        return int(len(self.lever_capacity))

    @property
    def lever_unit(self) -> np.ndarray:
        return self.cell_unit[self.lever_cell]

    @property
    def lever_direction(self) -> np.ndarray:
        return self.cell_direction[self.lever_cell]

    @property
    def lever_year(self) -> np.ndarray:
        return self.cell_year[self.lever_cell]

    def cell_shape(self) -> tuple[int, int]:
        """(units, baseline years): the shape a column vector of the effect matrices reshapes to."""
        return len(self.baseline.units), len(self.baseline.years)

    def cell_spending(self, spending: Any) -> np.ndarray:
        """Effective bn per cell: sum over the cell's levers of spending x ``lever_scale``."""
        weights = np.asarray(spending, dtype=float) * self.lever_scale
        return np.bincount(self.lever_cell, weights=weights, minlength=len(self.cell_unit))

    def _per_lever(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        return (sp.diags(self.lever_scale) @ matrix[self.lever_cell]).tocsr()

    # GRP (bn), population, and the bonus base and cover per bn on each lever: sparse levers x columns
    grp_effect = cached_property(lambda self: self._per_lever(self.cell_grp))
    population_effect = cached_property(lambda self: self._per_lever(self.cell_population))
    bonus_base_effect = cached_property(lambda self: self._per_lever(self.cell_bonus_base))
    bonus_cover_effect = cached_property(lambda self: self._per_lever(self.cell_bonus_cover))

    @cached_property
    def cells(self) -> dict[tuple[str, str, int], np.ndarray]:
        """Lever indices of each (unit, direction, year), in segment order."""
        order = np.lexsort((self.lever_segment, self.lever_cell))
        sorted_cells = self.lever_cell[order]
        starts = np.flatnonzero(np.r_[True, sorted_cells[1:] != sorted_cells[:-1]])
        ends = np.r_[starts[1:], len(order)]
        units = self.units
        out = {}
        for a, b in zip(starts, ends, strict=True):
            c = self.lever_cell[order[a]]
            out[(units[self.cell_unit[c]], DIRECTIONS[self.cell_direction[c]], int(self.cell_year[c]))] = order[a:b]
        return out

    @cached_property
    def levers(self) -> list[Lever]:
        units = self.units
        return [Lever(units[u], DIRECTIONS[d], int(y), int(s), float(c)) for u, d, y, s, c in zip(
            self.lever_unit, self.lever_direction, self.lever_year, self.lever_segment, self.lever_capacity,
            strict=True)]

    @cached_property
    def effects(self) -> list[list[Effect]]:
        units, years = self.units, self.baseline.years
        ny = len(years)
        grp, pop = self.grp_effect.tocsr(), self.population_effect.tocsr()
        out = []
        for k in range(self.n_levers):
            cols = np.union1d(grp.indices[grp.indptr[k]:grp.indptr[k + 1]],
                              pop.indices[pop.indptr[k]:pop.indptr[k + 1]])
            g, q = grp[k, cols].toarray().ravel(), pop[k, cols].toarray().ravel()
            items = sorted(((units[c // ny], years[c % ny]), (gv, qv)) for c, gv, qv in zip(cols, g, q, strict=True))
            out.append([Effect(u, w, float(gv), float(qv)) for (u, w), (gv, qv) in items])
        return out

    @cached_property
    def bonus_base(self) -> list[dict[int, float]]:
        years, ny = self.baseline.years, len(self.baseline.years)
        m = self.bonus_base_effect.tocsr()
        return [{years[c % ny]: float(v) for c, v in zip(m.indices[m.indptr[k]:m.indptr[k + 1]],
                                                        m.data[m.indptr[k]:m.indptr[k + 1]], strict=True)}
                for k in range(self.n_levers)]

    @cached_property
    def bonus_cover(self) -> dict[tuple[str, int], list[tuple[int, float]]]:
        units, years, ny = self.units, self.baseline.years, len(self.baseline.years)
        m = self.bonus_cover_effect.tocsc()
        out: dict[tuple[str, int], list[tuple[int, float]]] = {}
        for c in np.flatnonzero(np.diff(m.indptr)):
            rows, data = m.indices[m.indptr[c]:m.indptr[c + 1]], m.data[m.indptr[c]:m.indptr[c + 1]]
            out[(units[c // ny], years[c % ny])] = [(int(k), float(v)) for k, v in sorted(zip(rows, data, strict=True))]
        return dict(sorted(out.items()))

    def capacity(self, unit: str, direction: str, year: int) -> float:
        ks = self.cells.get((unit, direction, int(year)))
        return float(self.lever_capacity[ks].sum()) if ks is not None else 0.0

    @cached_property
    def cell_per_capita(self) -> sp.csr_matrix:
        """First-order effect of one effective bn in each cell on GRP per capita (thousand tenge), cells x
        columns: ``(dGRP x 1e6 - y dP) / P`` around the baseline."""
        y = self.baseline.grp_per_capita.to_numpy(dtype=float).ravel()
        p = self.baseline.population.to_numpy(dtype=float).ravel()
        grp, pop = self.cell_grp.tocsr(), self.cell_population.tocsr()
        return (grp * 1e6 - pop.multiply(y[None, :])).multiply(1.0 / p[None, :]).tocsr()

    @cached_property
    def per_capita_effect(self) -> sp.csr_matrix:
        """:attr:`cell_per_capita` per bn on each lever, levers x columns."""
        return self._per_lever(self.cell_per_capita)

    def per_capita_coefficients(self, k: int) -> list[tuple[str, int, float]]:
        """First-order effect of one bn on lever k on GRP per capita (thousand tenge), by unit and year."""
        return [(e.unit, e.year, (e.grp_bn * 1e6 - float(self.baseline.grp_per_capita.at[e.unit, e.year])
                                  * e.population) / float(self.baseline.population.at[e.unit, e.year]))
                for e in self.effects[k]]


def hub_units_at_level(dataset: Dataset, units: list[str], hubs: Iterable[str]) -> list[str]:
    """The units that are agglomeration hubs: the hubs themselves, and below the region level the units of a
    hub city (kind ``city``) and, in a hub oblast (Aktobe), the unit of its centre and the units under it;
    never a rural settlement (:data:`RURAL_KINDS`).

    A unit is a hub oblast's centre when its English name or centre is the oblast's centre (units.csv).
    """
    hub_set = set(hubs)
    kind, name, centre = _column(dataset, "kind"), _column(dataset, "name_en"), _column(dataset, "centre")
    out = []
    for u in units:
        if u in hub_set:
            out.append(u)
            continue
        if kind[u] in RURAL_KINDS:
            continue
        chain = [u, *ancestors(dataset, u)]
        for below, above in zip(chain, chain[1:], strict=False):
            if above not in hub_set:
                continue
            if kind[above] == "city" or _same_place(name[below], centre[above]) \
                    or _same_place(centre[below], centre[above]):
                out.append(u)
            break
    return out


def _column(dataset: Dataset, column: str) -> dict[str, Any]:
    """A units.csv column as a plain dict (cached on the dataset: lookups by unit in loops)."""
    key = ("model.column", column)
    if key not in dataset._value_cache:
        dataset._value_cache[key] = dict(zip(dataset.units.index, dataset.units[column], strict=True))
    return dataset._value_cache[key]


def _same_place(a: object, b: object) -> bool:
    """Whether two place names are the same town, allowing transliteration (Aktobe / Aktobe city)."""
    from difflib import SequenceMatcher

    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return False
    names = [p.strip().lower() for p in b.replace(")", "").split("(") if p.strip()]
    return max(SequenceMatcher(None, a.strip().lower(), n).ratio() for n in names) >= 0.8


def eligible_units(direction: Direction, dataset: Dataset, units: list[str]) -> list[str]:
    """Units where ``direction`` can be spent: their kind is listed, or they or a unit above them is."""
    kinds = set(direction.eligible_kinds)
    listed = set(direction.eligible_units)
    kind = _column(dataset, "kind")
    return [u for u in units if kind[u] in kinds or u in listed
            or (listed and any(a in listed for a in ancestors(dataset, u)))]


def destination_units(direction: Direction, dataset: Dataset, units: list[str]) -> list[str]:
    """Receiving units of a relocation direction: the listed units, and below the region level the units
    under them that are not rural settlements (:data:`RURAL_KINDS`)."""
    listed = set(direction.destinations)
    kind = _column(dataset, "kind")
    return [u for u in units if u in listed
            or (kind[u] not in RURAL_KINDS and any(a in listed for a in ancestors(dataset, u)))]


def receiving_units(dataset: Dataset, units: list[str], population: pd.Series) -> dict[str, str]:
    """Where managed compression moves people: a village's most populous sibling that is not a village (the
    district's town, else its centre); every other unit keeps its movers (they move to its own centre)."""
    kind = dataset.units["kind"].reindex(units).to_numpy()
    parent = dataset.units["parent_id"].reindex(units).to_numpy()
    pop = population.reindex(units).to_numpy(dtype=float)
    centres: dict[str, int] = {}
    for i in np.flatnonzero(kind != VILLAGE):
        key = str(parent[i])
        if key not in centres or pop[i] > pop[centres[key]]:
            centres[key] = int(i)
    return {u: units[centres.get(str(parent[i]), i)] if kind[i] == VILLAGE else u for i, u in enumerate(units)}


def centre_distance_matrix(dataset: Dataset, origins: list[str], destinations: list[str], base_year: int,
                           road_factor: float, region_distances: pd.DataFrame | None = None) -> np.ndarray:
    """Road km between centres (great-circle x ``road_factor``), origins x destinations, at least
    :data:`engine.model.migration.MIN_DISTANCE_KM`. Regions use the baseline's migration distances when given."""
    if region_distances is not None:
        d = region_distances.loc[origins, destinations].to_numpy(dtype=float)
    else:
        rows = dataset.units
        lat1, lon1 = (np.radians(rows.loc[origins, c].to_numpy(dtype=float))[:, None] for c in ("lat", "lon"))
        lat2, lon2 = (np.radians(rows.loc[destinations, c].to_numpy(dtype=float))[None, :] for c in ("lat", "lon"))
        h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        d = road_factor * 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return np.maximum(d, MIN_DISTANCE_KM)


def mobility_shares(origins: list[str], destinations: list[str], population: pd.Series, income: pd.Series,
                    distance: np.ndarray, params: GravityParameters) -> np.ndarray:
    """Shares of movers from each origin (rows) to each destination (columns), the origin itself excluded:
    s_oj = P_j^b (y_j/y_o)^beta d_oj^-gamma normalised over j (as
    :func:`engine.model.migration.destination_shares`)."""
    p = population.loc[destinations].to_numpy(dtype=float)
    yo = income.loc[origins].to_numpy(dtype=float)[:, None]
    yd = income.loc[destinations].to_numpy(dtype=float)[None, :]
    w = p[None, :] ** params.destination_elasticity * (yd / yo) ** params.income_elasticity \
        * distance ** (-params.distance_elasticity)
    w[np.array(origins)[:, None] == np.array(destinations)[None, :]] = 0.0
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w, total, out=np.zeros_like(w), where=total > 0)


class _Triplets:
    """Effects of one bn of *effective* money in each (unit, year) cell of a direction, gathered as COO
    triplets (cell, target column, value) before they are spread over the segments."""

    def __init__(self) -> None:
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {
            "grp": [], "pop": [], "bonus": [], "cover": []}

    def add(self, what: str, cell: np.ndarray, column: np.ndarray, value: Any) -> None:
        cell, column, value = np.broadcast_arrays(cell, column, value)
        self.parts[what].append((cell.ravel(), column.ravel(), value.ravel().astype(float)))

    def arrays(self, what: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        chunks = self.parts[what]
        if not chunks:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        return tuple(np.concatenate([c[i] for c in chunks]) for i in range(3))  # type: ignore[return-value]


def build_response_model(dataset: Dataset, baseline: Baseline, assumptions: ParameterValues, hubs: Iterable[str],
                         ) -> ResponseModel:
    """Enumerate the levers of a horizon and the linear effect of one bn on each (see the module text).

    Levers are ordered by direction (:data:`DIRECTIONS`), eligible unit, year and segment. Units below the
    region level are hubs when a unit above them is one.
    """
    directions = dict(assumptions.direction_rules.directions)
    units = baseline.units
    index = {u: i for i, u in enumerate(units)}
    byears = baseline.years
    years = byears[1:]
    ny, nt = len(byears), len(years)
    base = baseline.base_year
    a = assumptions.value
    efficiency = a("implementation_efficiency")
    breakpoints = np.array(assumptions.vector("segment_breakpoints_share_of_grp"))
    slopes = np.array(assumptions.vector("segment_slopes"))
    # scalar scales of the caps and of the concavity, so that sweeps can draw them (rules/directions.yaml)
    if "absorption_cap_scale" in assumptions.direction_rules.parameters:
        breakpoints = breakpoints * assumptions.value("absorption_cap_scale")
    if "segment_decline_scale" in assumptions.direction_rules.parameters:
        slopes = np.clip(1.0 - assumptions.value("segment_decline_scale") * (1.0 - slopes), 0.0, None)
    n_seg = len(breakpoints)
    hub_set = set(hub_units_at_level(dataset, units, hubs))
    region_graph = border_graph(dataset.adjacency_in_year(base), units)
    reach = max([r.max_hops for d in directions.values() for r in d.responses if r.kind == "spillover"] or [0])
    hops = (graph_hops(region_graph) if len(units) <= FULL_HOPS_UNITS else
            {u: dict(nx.single_source_shortest_path_length(region_graph, u, cutoff=reach)) for u in units})
    eligible = {d: eligible_units(directions[d], dataset, units) for d in DIRECTIONS}
    grp0 = baseline.grp_bn[base]
    pop0 = baseline.population[base]
    y = baseline.grp_per_capita.to_numpy(dtype=float)  # units x baseline years
    yflat = y.ravel()
    receiving = receiving_units(dataset, units, pop0) if unit_level(dataset, units) != "region" else {}
    receiving_index = np.array([index[receiving.get(u, u)] for u in units], dtype=np.int64)

    mobility = directions["mobility"]
    dests = destination_units(mobility, dataset, units)
    origins = eligible["mobility"]
    gravity = GravityParameters.from_assumptions(assumptions)
    distance = centre_distance_matrix(dataset, origins, dests, base, a("road_distance_factor"),
                                      baseline.migration.distance_km if baseline.migration is not None else None)
    share_matrix = (mobility_shares(origins, dests, pop0, baseline.grp_per_capita[base], distance, gravity)
                    if origins and dests else np.zeros((len(origins), len(dests))))
    capital_per_bn = np.array([a("capital_return") * (1 + a("hub_premium") * (u in hub_set)) for u in units])
    year_pos = np.arange(1, ny)  # column offsets of the model years

    blocks: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {"grp": [], "pop": [], "bonus": [],
                                                                           "cover": []}
    cell_parts: list[tuple[np.ndarray, ...]] = []
    lever_parts: list[tuple[np.ndarray, ...]] = []
    offset = 0
    for did in DIRECTIONS:
        direction = directions[did]
        elig = np.array([index[u] for u in eligible[did]], dtype=np.int64)
        if not len(elig):
            continue
        n_cells = len(elig) * nt
        cell_unit = np.repeat(elig, nt)  # cell c = position of the unit x nt + year position
        cell_t = np.tile(year_pos, len(elig))  # column offset of the spending year
        cells = np.arange(n_cells)
        trip = _Triplets()
        bonus = did in BONUS_DIRECTIONS

        def later(start_offset: np.ndarray, cells: np.ndarray = cells) -> tuple[np.ndarray, np.ndarray]:
            """(cell, year column offset) pairs with the year at or after each cell's start."""
            grid = np.broadcast_to(year_pos[None, :], (len(cells), nt))
            mask = grid >= start_offset[:, None]
            return np.broadcast_to(cells[:, None], (len(cells), nt))[mask], grid[mask]

        for response in direction.responses:
            p = {role: a(pid) for role, pid in response.params.items()}
            if response.kind == "demand_impulse":
                col = cell_unit * ny + cell_t
                trip.add("grp", cells, col, p["multiplier"])
                if bonus:
                    trip.add("bonus", cells, col, p["multiplier"])
            elif response.kind == "capital_return":
                c, w = later(cell_t + int(round(p["lag"])))
                trip.add("grp", c, cell_unit[c] * ny + w, capital_per_bn[cell_unit[c]])
                if bonus:
                    trip.add("bonus", c, cell_unit[c] * ny + w, capital_per_bn[cell_unit[c]])
            elif response.kind == "spillover":
                capital = direction.response("capital_return")
                if capital is None or response.max_hops <= 0 or p["share"] <= 0:
                    continue
                c, w = later(cell_t + int(round(a(capital.params["lag"]))))
                nb_ptr, nb_idx, nb_w = [0], [], []
                for unit in eligible[did]:
                    weights = spillover_weights(hops, unit, response.max_hops, p["decay"])
                    nb_idx += [index[v] for v in weights]
                    nb_w += list(weights.values())
                    nb_ptr.append(len(nb_idx))
                ptr = np.array(nb_ptr)
                pos = c // nt
                counts = ptr[pos + 1] - ptr[pos]
                pick = np.repeat(ptr[pos] - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
                cu, wu = np.repeat(c, counts), np.repeat(w, counts)
                nb, wt = np.array(nb_idx, dtype=np.int64)[pick], np.array(nb_w, dtype=float)[pick]
                trip.add("grp", cu, nb * ny + wu, p["share"] * capital_per_bn[cell_unit[cu]] * wt)
            elif response.kind == "relocation_within":
                persons = 1000.0 / p["cost"]
                c, w = later(cell_t)
                origin = cell_unit[c]
                gain = persons * p["gain"] * yflat[origin * ny + w] / 1e6
                target = receiving_index[origin]
                moved = target != origin
                trip.add("grp", c, origin * ny + w, np.where(moved, -persons * yflat[origin * ny + w] / 1e6, gain))
                if moved.any():
                    trip.add("pop", c[moved], origin[moved] * ny + w[moved], -persons)
                    trip.add("grp", c[moved], target[moved] * ny + w[moved],
                             persons * yflat[origin[moved] * ny + w[moved]] / 1e6 + gain[moved])
                    trip.add("pop", c[moved], target[moved] * ny + w[moved], persons)
                if bonus:
                    trip.add("bonus", c, origin * ny + w, gain)
            elif response.kind == "relocation_between":
                movers = 1000.0 / p["cost"] * (1 - p["return_rate"])
                c, w = later(cell_t)
                origin = cell_unit[c]
                trip.add("grp", c, origin * ny + w, -movers * p["origin_loss"] * yflat[origin * ny + w] / 1e6)
                trip.add("pop", c, origin * ny + w, -movers)
                if dests:
                    dest = np.array([index[d] for d in dests])
                    row_of = np.full(len(units), -1, dtype=np.int64)
                    row_of[[index[o] for o in origins]] = np.arange(len(origins))
                    sh = share_matrix[row_of[origin]]
                    keep = sh > 0
                    cc = np.broadcast_to(c[:, None], sh.shape)[keep]
                    ww = np.broadcast_to(w[:, None], sh.shape)[keep]
                    dd = np.broadcast_to(dest[None, :], sh.shape)[keep]
                    ss = sh[keep]
                    trip.add("grp", cc, dd * ny + ww,
                             movers * ss * p["employment"] * p["productivity"] * yflat[dd * ny + ww] / 1e6)
                    trip.add("pop", cc, dd * ny + ww, movers * ss)
            elif response.kind == "co_financing":
                c, w = later(cell_t + int(round(p["lag"])))
                trip.add("grp", c, cell_unit[c] * ny + w, p["ratio"] * capital_per_bn[cell_unit[c]])
            elif response.kind == "efficiency_bonus":
                c, w = later(cell_t + int(round(p["lag"])))
                trip.add("cover", c, cell_unit[c] * ny + w, p["leverage"] * capital_per_bn[cell_unit[c]])

        cap_total = breakpoints[-1] * grp0.to_numpy(dtype=float)[elig]
        person_cap = _person_capacity(direction, assumptions, pop0)
        if person_cap is not None:
            cap_total = np.minimum(cap_total, person_cap.to_numpy(dtype=float)[elig])
        widths = np.diff(np.r_[0.0, breakpoints]) / breakpoints[-1]
        for what in blocks:
            cell, col, value = trip.arrays(what)
            blocks[what].append((cell + offset, col, value))
        cell_parts.append((cell_unit, np.full(n_cells, DIRECTIONS.index(did)), np.array(byears)[cell_t]))
        lever_parts.append((np.repeat(cells + offset, n_seg), np.tile(np.arange(n_seg), n_cells),
                            np.tile(efficiency * slopes, n_cells),
                            (np.repeat(cap_total, nt)[:, None] * widths[None, :]).ravel()))
        offset += n_cells

    def stack(what: str) -> sp.csr_matrix:
        shape = (offset, len(units) * ny)
        if not blocks[what]:
            return sp.csr_matrix(shape)
        rows, cols, data = (np.concatenate([b[i] for b in blocks[what]]) for i in range(3))
        return sp.csr_matrix((data, (rows, cols)), shape=shape)

    def joined(parts: list[tuple[np.ndarray, ...]], i: int, dtype: Any) -> np.ndarray:
        return np.concatenate([p[i] for p in parts]).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    bonus_response = directions["interaction"].response("efficiency_bonus")
    cap = a(bonus_response.params["cap"]) if bonus_response else 0.0
    return ResponseModel(baseline, assumptions, directions, eligible, tuple(sorted(hub_set)),
                         joined(cell_parts, 0, np.int64), joined(cell_parts, 1, np.int64),
                         joined(cell_parts, 2, np.int64),
                         joined(lever_parts, 0, np.int64), joined(lever_parts, 1, np.int64),
                         joined(lever_parts, 2, float), joined(lever_parts, 3, float),
                         stack("grp"), stack("pop"), stack("bonus"), stack("cover"), cap, hops, region_graph,
                         receiving, tuple(origins), tuple(dests), share_matrix)


def _person_capacity(direction: Direction, assumptions: ParameterValues, population: pd.Series) -> pd.Series | None:
    """Yearly spending cap (bn) from how many people can be helped to move, for relocation directions."""
    for response in direction.responses:
        if response.kind in ("relocation_within", "relocation_between"):
            share = assumptions.value(response.params["capacity"])
            cost = assumptions.value(response.params["cost"])
            efficiency = assumptions.value("implementation_efficiency")
            # persons x mn tenge per person / 1000 = bn; effective money buys the moves
            return population * share * cost / 1000.0 / efficiency
    return None

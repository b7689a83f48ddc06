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
(:mod:`engine.migration`) anchored to the observed flows: P_it = P_i,t-1 exp(n_i) + net_i(P_t-1, y_t-1),
with net = gravity + anchor (zero sum, so the country's population changes by natural growth only).

**Response.** Spending ``x`` (bn) on direction d in unit i in year t is split into concave segments
(``segment_breakpoints_share_of_grp`` of the unit's base-year GRP, with ``segment_slopes``); only
``implementation_efficiency`` of it is effective. Per effective bn:

* ``demand_impulse``: GRP +multiplier in year t only;
* ``capital_return``: GRP +return x (1 + hub_premium in hubs) every year from t + lag;
* ``spillover``: units within ``max_hops`` borders on the region graph (:mod:`engine.graph`) share
  ``share`` of that capital return, each weighted by ``decay`` per extra border;
* ``relocation_within``: 1000 / cost persons move to the regional centre; GRP +gain x GRP per capita
  for each of them from year t on;
* ``relocation_between``: 1000 / cost persons leave, (1 - return_rate) of them stay away, spread over the
  destinations by the calibrated gravity model's shares (:func:`engine.migration.destination_shares`,
  base-year populations and GRP per capita, road distances); the origin loses origin_loss x its GRP per
  capita per person, a destination gains employment x productivity x its GRP per capita per person;
* ``co_financing``: ratio private tenge per public tenge, earning the capital return from t + lag;
* ``efficiency_bonus``: the GRP effects of agglomeration and compression in the same unit rise by
  ``cap`` x the density of the unit's actor graph (:func:`engine.graph.build_actor_graph`: government,
  business and population, linked by the partnership instruments). The links built equal leverage x the
  unit's capital return per bn x the interaction spending made at least ``lag`` years earlier; the links
  needed equal the effect they raise; density = min(1, built / needed). So the bonus is
  min(cap x effect, cap x built): the two ceilings the optimizer writes as constraints.

Everything but the efficiency bonus is linear in spending per segment; the bonus is the smaller of two
linear terms, which the optimizer writes as two constraints. Per-capita values are GRP / population; the
optimizer uses their first-order expansion around the baseline (``dy = (dGRP x 1e6 - y dP) / P``), the
simulator the exact ratio; the simulator also lets baseline migration react to the plan's change of GRP per
capita (:mod:`engine.simulate`). The gap between the two views is reported by
:func:`engine.simulate.compare_with_linear`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from engine.data import BOUNDARY_SUFFIX, Dataset
from engine.errors import DataValidationError, Problem
from engine.graph import border_graph, graph_hops, road_distance_matrix, spillover_weights
from engine.levers import DIRECTIONS, Assumptions, Direction
from engine.migration import BaselineMigration, GravityParameters, build_baseline_migration, destination_shares

GRP_PER_CAPITA = "grp_per_capita"
POPULATION = "population"
BONUS_DIRECTIONS = ("agglomeration", "peripheral_compression")
# Years whose population was rebased on a new census (data/kazakhstan/SOURCES.md: "population jumps in 2022
# reflect the census re-basing, not migration"); a trend leaves out the change into them.
CENSUS_REBASING_YEARS = (2022,)


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
    (:func:`division_panel`). A unit with no usable change gets 0.
    """
    years = range(base_year - window, base_year + 1)
    if base_year >= 2022:
        panel = dataset.panel(POPULATION + BOUNDARY_SUFFIX).reindex(index=units, columns=list(years))
    else:
        panel = division_panel(dataset, POPULATION, units, years)
    changes = np.log(panel.astype(float)).diff(axis=1)
    changes = changes.drop(columns=[y for y in CENSUS_REBASING_YEARS if y in changes.columns])
    return changes.mean(axis=1, skipna=True).fillna(0.0).rename("population_growth")


def division_panel(dataset: Dataset, indicator: str, units: list[str], years: Iterable[int]) -> pd.DataFrame:
    """``indicator`` for ``units`` (rows) and ``years`` (columns) on the territories the units have.

    A unit's own value where it existed that year, else its value on the 2022 boundaries where the
    dataset has one (BNS retrospective series of Turkistan and Shymkent before 2018); missing otherwise.
    """
    own = dataset.panel(indicator)
    retro = dataset.panel(indicator + BOUNDARY_SUFFIX)
    frame = pd.DataFrame(np.nan, index=list(units), columns=list(years))
    for table in (retro, own):  # own values override the retrospective ones where the unit existed
        common = frame.index.intersection(table.index)
        for year in frame.columns.intersection(table.columns):
            values = table.loc[common, year].dropna()
            if table is own:
                values = values[[dataset.unit_exists(u, int(year)) for u in values.index]]
            frame.loc[values.index, year] = values
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
        raise DataValidationError([Problem("dataset", f"fewer than two complete years of {GRP_PER_CAPITA} and "
                                           f"{POPULATION} up to {fit_until}", column="fit_until", value=fit_until)])
    national = pd.Series({c: float((y[c] * p[c]).sum() / p[c].sum()) for c in complete})
    slope = float(np.polyfit(np.array(complete, dtype=float), np.log(national.to_numpy()), 1)[0])
    gaps = np.log(y[complete].div(national, axis=1))
    pairs = [(a, b) for a, b in zip(complete, complete[1:], strict=False) if b == a + 1]
    x = np.concatenate([gaps[a].to_numpy() for a, _ in pairs])
    dx = np.concatenate([(gaps[b] - gaps[a]).to_numpy() for a, b in pairs])
    return {"growth": math.exp(slope) - 1, "convergence": float(-(x @ dx) / (x @ x)), "years": complete,
            "observations": int(len(x)), "prices": "nominal"}


def build_baseline(dataset: Dataset, base_year: int, last_year: int, assumptions: Assumptions,
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
        raise DataValidationError([Problem("dataset", f"no {GRP_PER_CAPITA} or {POPULATION} in the base year "
                                                      f"{base_year}", column="unit_id", value=", ".join(missing))])
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
    migration = build_baseline_migration(dataset, units, base_year, pop_growth, p, y, assumptions,
                                         min(base_year, fit_until if fit_until is not None else base_year))
    anchored = migration.anchor is not None
    national0 = float((y * p).sum() / p.sum())
    gaps = np.log(y / national0)
    grp, pops, nets = {base_year: y}, {base_year: p}, {}
    for step, year in enumerate(years[1:], start=1):
        if anchored:
            nets[year] = migration.net(pops[year - 1], grp[year - 1])
            pop = pops[year - 1] * np.exp(migration.natural_growth) + nets[year]
        else:
            pop = p * np.exp(pop_growth * step)
        national = national0 * (1 + growth) ** step
        level = np.exp(gaps * (1 - beta) ** step)
        level = level * pop.sum() / (level * pop).sum()  # keep the weighted mean at the national level
        grp[year] = national * level
        pops[year] = pop
    first = base_year - window
    method = (f"baseline from {base_year}: national GRP per capita {growth:+.1%} a year, log gaps to it shrink "
              f"{beta:.2%} a year ({parameters['source']}); population: mean log growth {first}-{base_year}")
    if anchored:
        method += (", split into natural growth and interregional migration (gravity model anchored to the "
                   f"observed net migration {migration.anchored_years[0]}-{migration.anchored_years[-1]})")
    net_frame = pd.DataFrame(nets) if anchored and nets else None
    return Baseline(base_year, years, list(units), pd.DataFrame(grp), pd.DataFrame(pops), method, migration,
                    net_frame, parameters)


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
    """The baseline, the levers, and the linear effect of one bn on each lever.

    ``effects[k]`` lists the effects of lever ``levers[k]``. ``bonus_base[k]`` is the part of lever k's
    effect on its own unit that the interaction efficiency bonus can raise (GRP bn per bn, by year).
    ``bonus_cover[(unit, year)]`` lists ``(lever index, bn of bonus ceiling per bn)`` for interaction
    levers: the second of the two ceilings on the bonus.
    """

    baseline: Baseline
    assumptions: Assumptions
    directions: dict[str, Direction]
    eligible: dict[str, list[str]]
    hubs: tuple[str, ...]
    levers: list[Lever]
    effects: list[list[Effect]]
    bonus_base: list[dict[int, float]]
    bonus_cap: float
    bonus_cover: dict[tuple[str, int], list[tuple[int, float]]]
    destination_shares: dict[str, dict[str, float]]
    hops: dict[str, dict[str, int]] = field(default_factory=dict)
    region_graph: nx.Graph | None = None  # the border graph of the base year (engine.graph)

    @property
    def years(self) -> list[int]:
        return self.baseline.years[1:]

    @property
    def units(self) -> list[str]:
        return self.baseline.units

    def capacity(self, unit: str, direction: str, year: int) -> float:
        return sum(lv.capacity for lv in self.levers
                   if lv.unit == unit and lv.direction == direction and lv.year == year)

    def per_capita_coefficients(self, k: int) -> list[tuple[str, int, float]]:
        """First-order effect of one bn on lever k on GRP per capita (thousand tenge), by unit and year."""
        out = []
        for e in self.effects[k]:
            y = float(self.baseline.grp_per_capita.at[e.unit, e.year])
            p = float(self.baseline.population.at[e.unit, e.year])
            out.append((e.unit, e.year, (e.grp_bn * 1e6 - y * e.population) / p))
        return out


def eligible_units(direction: Direction, dataset: Dataset, units: list[str]) -> list[str]:
    kinds = set(direction.eligible_kinds)
    listed = set(direction.eligible_units)
    return [u for u in units if (dataset.units.at[u, "kind"] in kinds) or u in listed]


def build_response_model(dataset: Dataset, baseline: Baseline, assumptions: Assumptions, hubs: Iterable[str],
                         ) -> ResponseModel:
    """Enumerate the levers of a horizon and the linear effect of one bn on each (see the module text)."""
    directions = dict(assumptions.levers.directions)
    units = baseline.units
    years = baseline.years[1:]
    base = baseline.base_year
    a = assumptions.value
    efficiency = a("implementation_efficiency")
    breakpoints = assumptions.vector("segment_breakpoints_share_of_grp")
    slopes = assumptions.vector("segment_slopes")
    hub_set = {h for h in hubs if h in units}
    region_graph = border_graph(dataset.adjacency_in_year(base), units)
    hops = graph_hops(region_graph)
    eligible = {d: eligible_units(directions[d], dataset, units) for d in DIRECTIONS}
    grp0 = baseline.grp_bn[base]
    pop0 = baseline.population[base]
    y = baseline.grp_per_capita

    mobility = directions["mobility"]
    dests = [u for u in mobility.destinations if u in units]
    road_km = (baseline.migration.distance_km if baseline.migration is not None
               else road_distance_matrix(dataset, units, base, a("road_distance_factor")))
    gravity = GravityParameters.from_assumptions(assumptions)
    shares = {o: destination_shares(o, dests, pop0, y[base], road_km, gravity) for o in eligible["mobility"]}

    levers: list[Lever] = []
    effects: list[list[Effect]] = []
    bonus_base: list[dict[int, float]] = []
    bonus_cover: dict[tuple[str, int], list[tuple[int, float]]] = {}
    capital_per_bn = {u: a("capital_return") * (1 + a("hub_premium") * (u in hub_set)) for u in units}

    for did in DIRECTIONS:
        direction = directions[did]
        person_cap_bn = _person_capacity(direction, assumptions, pop0)
        for unit in eligible[did]:
            cap_total = breakpoints[-1] * grp0[unit]
            if person_cap_bn is not None:
                cap_total = min(cap_total, person_cap_bn[unit])
            for year in years:
                previous = 0.0
                for seg, (bp, slope) in enumerate(zip(breakpoints, slopes, strict=True)):
                    capacity = cap_total * (bp - previous) / breakpoints[-1]
                    previous = bp
                    eff = efficiency * slope
                    per_unit: dict[tuple[str, int], list[float]] = {}
                    bonus: dict[int, float] = {}

                    def add(target: str, when: int, grp: float, pop: float = 0.0,
                            per_unit: dict[tuple[str, int], list[float]] = per_unit) -> None:
                        cell = per_unit.setdefault((target, when), [0.0, 0.0])
                        cell[0] += grp
                        cell[1] += pop

                    for response in direction.responses:
                        p = {role: a(pid) for role, pid in response.params.items()}
                        if response.kind == "demand_impulse":
                            add(unit, year, eff * p["multiplier"])
                            if did in BONUS_DIRECTIONS:
                                bonus[year] = bonus.get(year, 0.0) + eff * p["multiplier"]
                        elif response.kind == "capital_return":
                            start = year + int(round(p["lag"]))
                            for when in years:
                                if when >= start:
                                    add(unit, when, eff * capital_per_bn[unit])
                                    if did in BONUS_DIRECTIONS:
                                        bonus[when] = bonus.get(when, 0.0) + eff * capital_per_bn[unit]
                        elif response.kind == "spillover":
                            _add_spillover(add, unit, year, years, hops, eff * capital_per_bn[unit], p,
                                           response.max_hops, direction, assumptions)
                        elif response.kind == "relocation_within":
                            persons = eff * 1000.0 / p["cost"]
                            for when in years:
                                if when >= year:
                                    gain = persons * p["gain"] * float(y.at[unit, when]) / 1e6
                                    add(unit, when, gain)
                                    if did in BONUS_DIRECTIONS:
                                        bonus[when] = bonus.get(when, 0.0) + gain
                        elif response.kind == "relocation_between":
                            movers = eff * 1000.0 / p["cost"] * (1 - p["return_rate"])
                            for when in years:
                                if when < year:
                                    continue
                                add(unit, when, -movers * p["origin_loss"] * float(y.at[unit, when]) / 1e6, -movers)
                                for dest, share in shares.get(unit, {}).items():
                                    gain = movers * share * p["employment"] * p["productivity"] * float(
                                        y.at[dest, when]) / 1e6
                                    add(dest, when, gain, movers * share)
                        elif response.kind == "co_financing":
                            start = year + int(round(p["lag"]))
                            for when in years:
                                if when >= start:
                                    add(unit, when, eff * p["ratio"] * capital_per_bn[unit])
                        elif response.kind == "efficiency_bonus":
                            start = year + int(round(p["lag"]))
                            for when in years:
                                if when >= start:
                                    bonus_cover.setdefault((unit, when), []).append(
                                        (len(levers), eff * p["leverage"] * capital_per_bn[unit]))
                    levers.append(Lever(unit, did, year, seg, float(capacity)))
                    effects.append([Effect(t, w, float(g), float(q)) for (t, w), (g, q) in sorted(per_unit.items())])
                    bonus_base.append(bonus)
    bonus_response = directions["interaction"].response("efficiency_bonus")
    cap = a(bonus_response.params["cap"]) if bonus_response else 0.0
    return ResponseModel(baseline, assumptions, directions, eligible, tuple(sorted(hub_set)), levers, effects,
                         bonus_base, cap, bonus_cover, shares, hops, region_graph)


def _person_capacity(direction: Direction, assumptions: Assumptions, population: pd.Series) -> pd.Series | None:
    """Yearly spending cap (bn) from how many people can be helped to move, for relocation directions."""
    for response in direction.responses:
        if response.kind in ("relocation_within", "relocation_between"):
            share = assumptions.value(response.params["capacity"])
            cost = assumptions.value(response.params["cost"])
            efficiency = assumptions.value("implementation_efficiency")
            # persons x mn tenge per person / 1000 = bn; effective money buys the moves
            return population * share * cost / 1000.0 / efficiency
    return None


def _add_spillover(add, unit: str, year: int, years: list[int], hops: dict[str, dict[str, int]], own_per_bn: float,
                   p: dict[str, float], max_hops: int, direction: Direction, assumptions: Assumptions) -> None:
    capital = direction.response("capital_return")
    if capital is None or max_hops <= 0 or p["share"] <= 0:
        return
    start = year + int(round(assumptions.value(capital.params["lag"])))
    for neighbour, weight in spillover_weights(hops, unit, max_hops, p["decay"]).items():
        for when in years:
            if when >= start:
                add(neighbour, when, p["share"] * own_per_bn * weight)

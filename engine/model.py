"""The model both the optimizer and the simulator use: the no-policy baseline and the response to spending.

Units are those existing in the base year. Money is in billions of tenge at base-year prices, GRP per
capita in thousand tenge per person (so GRP in bn = GRP per capita x population / 1e6), people in persons.

**Baseline** (no new policy). National GRP per capita grows at ``baseline_real_growth`` a year; each unit's
log gap to the national population-weighted level shrinks by ``baseline_convergence`` a year (beta
convergence); each unit's population follows its average growth over the last
``baseline_population_years`` years (this carries recent migration forward). Levels are rescaled each
year so the population-weighted mean equals the national level.

**Response.** Spending ``x`` (bn) on direction d in unit i in year t is split into concave segments
(``segment_breakpoints_share_of_grp`` of the unit's base-year GRP, with ``segment_slopes``); only
``implementation_efficiency`` of it is effective. Per effective bn:

* ``demand_impulse``: GRP +multiplier in year t only;
* ``capital_return``: GRP +return x (1 + hub_premium in hubs) every year from t + lag;
* ``spillover``: neighbours within ``max_hops`` borders share ``share`` of that capital return, each
  weighted by ``decay`` per extra border;
* ``relocation_within``: 1000 / cost persons move to the regional centre; GRP +gain x GRP per capita
  for each of them from year t on;
* ``relocation_between``: 1000 / cost persons leave, (1 - return_rate) of them stay away, spread over the
  destinations by gravity shares; the origin loses origin_loss x its GRP per capita per person, a
  destination gains employment x productivity x its GRP per capita per person;
* ``co_financing``: ratio private tenge per public tenge, earning the capital return from t + lag;
* ``efficiency_bonus``: the GRP effects of agglomeration and compression in the same unit rise by up to
  ``cap``, and by no more than cap x leverage x the unit's capital return per bn x the interaction
  spending made at least ``lag`` years earlier.

Everything but the efficiency bonus is linear in spending per segment; the bonus is the smaller of two
linear terms, which the optimizer writes as two constraints. Per-capita values are GRP / population; the
optimizer uses their first-order expansion around the baseline (``dy = (dGRP x 1e6 - y dP) / P``), the
simulator the exact ratio, and the gap between the two is reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from engine.data import BOUNDARY_SUFFIX, Dataset
from engine.errors import DataValidationError, Problem
from engine.levers import DIRECTIONS, Assumptions, Direction

GRP_PER_CAPITA = "grp_per_capita"
POPULATION = "population"
BONUS_DIRECTIONS = ("agglomeration", "peripheral_compression")


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

    @property
    def grp_bn(self) -> pd.DataFrame:
        return self.grp_per_capita * self.population / 1e6

    def national_mean(self, year: int) -> float:
        pop = self.population[year]
        return float((self.grp_per_capita[year] * pop).sum() / pop.sum())


def population_growth(dataset: Dataset, units: list[str], base_year: int, window: int) -> pd.Series:
    """Average yearly log growth of each unit's population over ``window`` years up to the base year.

    Uses the series on 2022 boundaries when the base year is 2022 or later (it is consistent across the
    2021 census rebasing), else the as-of-year series. A unit with too short a history gets 0.
    """
    indicator = POPULATION + BOUNDARY_SUFFIX if base_year >= 2022 else POPULATION
    panel = dataset.panel(indicator)
    rates = {}
    for unit in units:
        series = panel.loc[unit].dropna() if unit in panel.index else pd.Series(dtype=float)
        series = series[(series.index <= base_year) & (series.index >= base_year - window)]
        if len(series) >= 2 and series.iloc[0] > 0:
            span = series.index[-1] - series.index[0]
            rates[unit] = math.log(series.iloc[-1] / series.iloc[0]) / span
        else:
            rates[unit] = 0.0
    return pd.Series(rates, name="population_growth")


def build_baseline(dataset: Dataset, base_year: int, last_year: int, assumptions: Assumptions,
                   units: list[str] | None = None) -> Baseline:
    """Project GRP per capita and population from ``base_year`` to ``last_year`` without new policy.

    Raises
    ------
    DataValidationError
        When a unit has no GRP per capita or population in the base year.
    """
    units = units if units is not None else dataset.units_in_year(base_year)
    y0 = dataset.values(GRP_PER_CAPITA, base_year)
    p0 = dataset.values(POPULATION, base_year)
    missing = [u for u in units if u not in y0.index or u not in p0.index]
    if missing:
        raise DataValidationError([Problem("dataset", f"no {GRP_PER_CAPITA} or {POPULATION} in the base year "
                                                      f"{base_year}", column="unit_id", value=", ".join(missing))])
    years = list(range(base_year, last_year + 1))
    growth = assumptions.value("baseline_real_growth")
    beta = assumptions.value("baseline_convergence")
    window = int(round(assumptions.value("baseline_population_years")))
    pop_growth = population_growth(dataset, units, base_year, window)
    y = y0.loc[units].astype(float)
    p = p0.loc[units].astype(float)
    national0 = float((y * p).sum() / p.sum())
    gaps = np.log(y / national0)
    grp = {base_year: y}
    pops = {base_year: p}
    for step, year in enumerate(years[1:], start=1):
        pop = p * np.exp(pop_growth * step)
        national = national0 * (1 + growth) ** step
        level = np.exp(gaps * (1 - beta) ** step)
        level = level * pop.sum() / (level * pop).sum()  # keep the weighted mean at the national level
        grp[year] = national * level
        pops[year] = pop
    method = (f"baseline from {base_year}: national GRP per capita +{growth:.1%} a year (real), log gaps to it "
              f"shrink {beta:.1%} a year, population trend = mean growth {base_year - window}-{base_year}")
    return Baseline(base_year, years, list(units), pd.DataFrame(grp), pd.DataFrame(pops), method)


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


def graph_hops(adjacency: Iterable[tuple[str, str]], units: list[str]) -> dict[str, dict[str, int]]:
    """Number of borders between every pair of units (shortest path on the adjacency graph)."""
    graph = nx.Graph()
    graph.add_nodes_from(units)
    graph.add_edges_from((a, b) for a, b in adjacency if a in graph and b in graph)
    return {u: dict(nx.single_source_shortest_path_length(graph, u)) for u in units}


def gravity_shares(origin: str, destinations: list[str], baseline: Baseline, distances_km: dict[tuple[str, str], float],
                   assumptions: Assumptions) -> dict[str, float]:
    """Shares of movers from ``origin`` going to each destination: P_j (y_j / y_i)^b (road km)^-g, normalised."""
    base = baseline.base_year
    b = assumptions.value("gravity_income_elasticity")
    g = assumptions.value("gravity_distance_elasticity")
    road = assumptions.value("road_distance_factor")
    y = baseline.grp_per_capita[base]
    p = baseline.population[base]
    weights = {}
    for dest in destinations:
        km = distances_km.get((origin, dest)) or distances_km.get((dest, origin))
        if dest == origin or km is None:
            continue
        weights[dest] = p[dest] * (y[dest] / y[origin]) ** b * (road * km) ** (-g)
    total = sum(weights.values())
    return {d: float(w / total) for d, w in sorted(weights.items())} if total > 0 else {}


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
    hops = graph_hops(dataset.adjacency_in_year(base), units)
    distances = {}
    if dataset.distances is not None:
        distances = {(r.unit_a, r.unit_b): float(r.great_circle_km) for r in dataset.distances.itertuples()}
    eligible = {d: eligible_units(directions[d], dataset, units) for d in DIRECTIONS}
    grp0 = baseline.grp_bn[base]
    pop0 = baseline.population[base]
    y = baseline.grp_per_capita

    mobility = directions["mobility"]
    dests = [u for u in mobility.destinations if u in units]
    shares = {o: gravity_shares(o, dests, baseline, distances, assumptions) for o in eligible["mobility"]}

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
                         bonus_base, cap, bonus_cover, shares, hops)


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
    reach = {v: h for v, h in hops.get(unit, {}).items() if 1 <= h <= max_hops}
    if not reach:
        return
    weights = {v: p["decay"] ** (h - 1) for v, h in reach.items()}
    total = sum(weights.values())
    for neighbour, weight in sorted(weights.items()):
        for when in years:
            if when >= start:
                add(neighbour, when, p["share"] * own_per_bn * weight / total)

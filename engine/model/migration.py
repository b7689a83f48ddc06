"""Interregional migration: a gravity model of flows, its calibration, and the conservation of people.

**Gravity model.** The flow of people from unit i to unit j in a year is

    M_ij = k * P_i^a * P_j^b * (y_j / y_i)^beta * d_ij^(-gamma),   i != j,

with P the population, y the income proxy (GRP per capita, the indicator the model projects), d the road
distance between centres (great-circle x ``road_distance_factor``, :mod:`engine.core.graph`) and k set so that
all flows add up to ``interregional_migration_rate`` x the country's population. The parameters live in
``rules/directions.yaml`` (``gravity_*``, ``interregional_*``), each with a range and a source.

**Calibration** (:func:`calibrate_gravity`). No origin-destination matrix is published; the dataset has, per
region and year 2022-2024, the interregional net migration and the gross arrivals and departures (which
include moves inside the region). The fit chooses a, b and beta to reproduce the net migration rates (per
1,000 residents) by least squares, with k fixed each year by that year's volume of interregional movers
(all registered internal movers x ``interregional_mover_share``). gamma is weakly identified by regional
net totals and stays at its proxy value (Japan/Poland); the fit with gamma free is reported beside it.

**Conservation.** Every person who leaves one unit arrives in another: net migration sums to zero over the
units, so migration never changes the country's population (:func:`apply_flows`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from engine.core.data import BOUNDARY_SUFFIX, Dataset
from engine.core.graph import road_distance_matrix
from engine.core.parameters import ParameterValues

NET = "interregional_net_migration"
ARRIVALS, DEPARTURES, MOVERS = "internal_arrivals", "internal_departures", "internal_movers_total"
INCOME, POPULATION = "grp_per_capita", "population"
MIN_DISTANCE_KM = 10.0


@dataclass(frozen=True)
class GravityParameters:
    """a, b, beta, gamma of the gravity model and the yearly interregional migration rate that sets k."""

    origin_elasticity: float
    destination_elasticity: float
    income_elasticity: float
    distance_elasticity: float
    migration_rate: float

    @classmethod
    def from_assumptions(cls, assumptions: ParameterValues) -> GravityParameters:
        v = assumptions.value
        return cls(v("gravity_origin_population_elasticity"), v("gravity_destination_population_elasticity"),
                   v("gravity_income_elasticity"), v("gravity_distance_elasticity"),
                   v("interregional_migration_rate"))


def gravity_kernel(population: pd.Series, income: pd.Series, distance_km: pd.DataFrame,
                   params: GravityParameters) -> pd.DataFrame:
    """P_i^a P_j^b (y_j/y_i)^beta d_ij^-gamma for every ordered pair (origin rows, destination columns), 0 on
    the diagonal: the flows up to the scale k."""
    units = list(population.index)
    kernel = _kernel_array(population.to_numpy(dtype=float), _aligned(income, population.index),
                           _distances(distance_km, population.index), params)
    return pd.DataFrame(kernel, index=units, columns=units)


def _aligned(series: pd.Series, units: pd.Index) -> np.ndarray:
    """``series`` in the order of ``units`` (no lookup when it is already in that order)."""
    return series.to_numpy(dtype=float) if series.index.equals(units) else series.loc[list(units)].to_numpy(dtype=float)


def _distances(distance_km: pd.DataFrame, units: pd.Index) -> np.ndarray:
    if distance_km.index.equals(units) and distance_km.columns.equals(units):
        return distance_km.to_numpy(dtype=float)
    return distance_km.loc[list(units), list(units)].to_numpy(dtype=float)


def _kernel_array(p: np.ndarray, y: np.ndarray, d: np.ndarray, params: GravityParameters) -> np.ndarray:
    """:func:`gravity_kernel` on arrays in one unit order."""
    off = ~np.eye(len(p), dtype=bool)
    safe_d = np.maximum(np.where(off, d, 1.0), MIN_DISTANCE_KM)  # two centres in one place: as if 10 km apart
    if np.any(p <= 0) or np.any(y <= 0):
        raise ValueError("gravity model needs positive populations and incomes")
    kernel = (np.outer(p ** params.origin_elasticity, p ** params.destination_elasticity)
              * (y[None, :] / y[:, None]) ** params.income_elasticity * safe_d ** (-params.distance_elasticity))
    kernel[~off] = 0.0
    return kernel


def gravity_scale(kernel: pd.DataFrame, population: pd.Series, rate: float) -> float:
    """k such that all flows add up to ``rate`` x total population."""
    total = float(kernel.to_numpy().sum())
    return rate * float(population.sum()) / total if total > 0 else 0.0


def gravity_flows(population: pd.Series, income: pd.Series, distance_km: pd.DataFrame, params: GravityParameters,
                  scale: float | None = None) -> pd.DataFrame:
    """Flows M_ij in persons a year (origin rows, destination columns).

    ``scale`` is k; by default it is set so the flows add up to ``params.migration_rate`` x population.
    """
    kernel = gravity_kernel(population, income, distance_km, params)
    k = gravity_scale(kernel, population, params.migration_rate) if scale is None else scale
    return kernel * k


def net_migration(flows: pd.DataFrame) -> pd.Series:
    """Arrivals minus departures of each unit: column sums minus row sums. Sums to zero over the units.

    >>> flows = pd.DataFrame([[0, 10, 0], [4, 0, 6], [0, 2, 0]], index=list("abc"), columns=list("abc"))
    >>> net_migration(flows).to_dict()
    {'a': -6, 'b': 2, 'c': 4}
    """
    return (flows.sum(axis=0) - flows.sum(axis=1)).rename("net_migration")


def apply_flows(population: pd.Series, flows: pd.DataFrame) -> pd.Series:
    """Population after one year of flows: P_i + arrivals_i - departures_i (the total is unchanged)."""
    return population + net_migration(flows).reindex(population.index, fill_value=0.0)


def destination_shares(origin: str, destinations: list[str], population: pd.Series, income: pd.Series,
                       distance_km: pd.DataFrame, params: GravityParameters) -> dict[str, float]:
    """Shares of movers from ``origin`` going to each of ``destinations`` (the origin itself excluded).

    s_j = P_j^b (y_j/y_i)^beta d_ij^-gamma / sum over the destinations (P_i^a and k cancel).
    """
    weights = {}
    for dest in destinations:
        if dest == origin or dest not in population.index:
            continue
        weights[dest] = (population[dest] ** params.destination_elasticity
                         * (income[dest] / income[origin]) ** params.income_elasticity
                         * distance_km.at[origin, dest] ** (-params.distance_elasticity))
    total = sum(weights.values())
    return {d: float(w / total) for d, w in sorted(weights.items())} if total > 0 else {}


# ---------------------------------------------------------------------------------------------------
# Baseline flows
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BaselineMigration:
    """What the baseline and the simulator need to move people between units.

    ``scale`` is k, fixed at the base year. ``anchor`` (persons a year, sums to zero) is the mean gap between
    the observed net migration and the gravity model over ``anchored_years`` (years up to the base year with
    data); it carries what the model does not explain. ``natural_growth`` is each unit's population trend
    minus its observed net migration rate (the part of the trend that is not interregional migration).
    Without observed years, ``anchor`` is None: the baseline population is the plain trend and only
    differences of gravity flows (a plan's effect) are used.
    """

    parameters: GravityParameters
    distance_km: pd.DataFrame
    scale: float
    anchor: pd.Series | None
    natural_growth: pd.Series
    anchored_years: tuple[int, ...]

    def gravity_flows(self, population: pd.Series, income: pd.Series) -> pd.DataFrame:
        """Flows between units by the gravity model with the base year's k (persons a year)."""
        return gravity_kernel(population, income, self.distance_km, self.parameters) * self.scale

    def gravity_net(self, population: pd.Series, income: pd.Series) -> pd.Series:
        """Net migration of each unit by the gravity model alone (persons a year)."""
        units = population.index
        flows = _kernel_array(population.to_numpy(dtype=float), _aligned(income, units),
                              _distances(self.distance_km, units), self.parameters) * self.scale
        return pd.Series(flows.sum(axis=0) - flows.sum(axis=1), index=pd.Index(list(units), dtype=object),
                         name="net_migration")

    def net_array(self, units: pd.Index, population: np.ndarray, income: np.ndarray) -> np.ndarray:
        """:meth:`net` for arrays in the order of ``units``."""
        flows = _kernel_array(population, income, _distances(self.distance_km, units), self.parameters) * self.scale
        net = flows.sum(axis=0) - flows.sum(axis=1)
        if self.anchor is None:
            return net
        anchor = self.anchor.to_numpy(dtype=float) if self.anchor.index.equals(units) \
            else self.anchor.reindex(units, fill_value=0.0).to_numpy(dtype=float)
        return net + anchor

    def net(self, population: pd.Series, income: pd.Series) -> pd.Series:
        """Baseline net migration: gravity model plus anchor (zero sum)."""
        net = self.gravity_net(population, income)
        return net + self.anchor.reindex(net.index, fill_value=0.0) if self.anchor is not None else net


def observed_migration(dataset: Dataset, units: list[str], years: list[int]) -> dict[int, pd.Series]:
    """Observed interregional net migration by year for the years in which every unit has a value."""
    out = {}
    for year in years:
        values = dataset.values(NET, year)
        if set(units) <= set(values.index):
            out[year] = values.loc[units]
    return out


def build_baseline_migration(dataset: Dataset, units: list[str], base_year: int, trend_growth: pd.Series,
                             population: pd.Series, income: pd.Series, assumptions: ParameterValues,
                             last_data_year: int) -> BaselineMigration:
    """The migration part of the baseline from data up to ``last_data_year`` (see :class:`BaselineMigration`)."""
    params = GravityParameters.from_assumptions(assumptions)
    distance = road_distance_matrix(dataset, units, base_year, assumptions.value("road_distance_factor"))
    kernel = gravity_kernel(population, income, distance, params)
    scale = gravity_scale(kernel, population, params.migration_rate)
    years = [y for y in dataset.years(NET) if y <= last_data_year]
    observed = observed_migration(dataset, units, years)
    if not observed:
        return BaselineMigration(params, distance, scale, None, trend_growth.copy(), ())
    gaps, rates = [], []
    index = pd.Index(list(units), dtype=object)
    distances = _distances(distance, index)
    for year, net in observed.items():
        pop_y = _population(dataset, units, year)
        inc_y = dataset.values(INCOME, year).reindex(units)
        if pop_y.isna().any() or inc_y.isna().any():
            continue
        # gravity_flows with its own scale, on arrays in the units' order
        p_y = pop_y.to_numpy(dtype=float)
        kernel = _kernel_array(p_y, inc_y.to_numpy(dtype=float), distances, params)
        total = float(kernel.sum())
        flows = kernel * (params.migration_rate * float(p_y.sum()) / total if total > 0 else 0.0)
        model_net = pd.Series(flows.sum(axis=0) - flows.sum(axis=1), index=net.index)
        gaps.append(net - model_net)
        rates.append(net / pop_y)
    if not gaps:
        return BaselineMigration(params, distance, scale, None, trend_growth.copy(), ())
    anchor = pd.concat(gaps, axis=1).mean(axis=1)
    anchor -= anchor.mean()  # exact zero sum (the data sum to zero up to rounding)
    natural = trend_growth - pd.concat(rates, axis=1).mean(axis=1)
    return BaselineMigration(params, distance, scale, anchor, natural, tuple(observed))


def _population(dataset: Dataset, units: list[str], year: int) -> pd.Series:
    pop = dataset.values(POPULATION, year)
    if not set(units) <= set(pop.index):
        pop = dataset.values(POPULATION + BOUNDARY_SUFFIX, year)
    return pop.reindex(units).astype(float)


# ---------------------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class GravityFit:
    """The calibrated gravity model and how well it reproduces the observed net migration."""

    parameters: GravityParameters
    standard_errors: dict[str, float]
    years: list[int]
    units: list[str]
    observed: pd.DataFrame  # net migration, unit x year
    fitted: pd.DataFrame
    population: pd.DataFrame
    yearly_rate: dict[int, float]
    r2_net_rate: float
    rmse_net_rate: float
    r2_net_persons: float
    sign_agreement: float
    outflow_exceeds_departures: int
    free_distance: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        p = self.parameters
        return {
            "model": "M_ij = k P_i^a P_j^b (y_j/y_i)^beta d_ij^-gamma; y = GRP per capita, d = road km",
            "parameters": {"a": p.origin_elasticity, "b": p.destination_elasticity, "beta": p.income_elasticity,
                           "gamma": p.distance_elasticity, "gamma_fixed": True},
            "standard_errors": self.standard_errors,
            "years": self.years,
            "yearly_interregional_rate": {str(y): r for y, r in self.yearly_rate.items()},
            "fit": {"r2_net_rate_per_1000": self.r2_net_rate, "rmse_net_rate_per_1000": self.rmse_net_rate,
                    "r2_net_persons": self.r2_net_persons, "sign_agreement": self.sign_agreement,
                    "unit_years": int(self.observed.size),
                    "outflow_exceeds_registered_departures": self.outflow_exceeds_departures},
            "free_distance_elasticity": self.free_distance,
            "by_unit": {u: {"observed": [float(v) for v in self.observed.loc[u]],
                            "fitted": [round(float(v), 1) for v in self.fitted.loc[u]]} for u in self.units},
            "notes": self.notes,
        }


def calibrate_gravity(dataset: Dataset, assumptions: ParameterValues, years: list[int] | None = None) -> GravityFit:
    """Fit a, b and beta of the gravity model to the observed interregional net migration.

    Minimises sum over units i and years t of ((net_model_it - net_obs_it) / P_it x 1000)^2, with
    k_t = ``interregional_mover_share`` x internal movers_t / sum of the kernel (all movers in the year) and
    gamma held at ``gravity_distance_elasticity``. Standard errors from the Gauss-Newton approximation
    s^2 (J'J)^-1. Uses the years with net migration for every unit of the latest division (2022-2024).
    """
    road = assumptions.value("road_distance_factor")
    share = assumptions.value("interregional_mover_share")
    gamma = assumptions.value("gravity_distance_elasticity")
    return _calibrate(dataset, tuple(years) if years else None, road, share, gamma)


@lru_cache(maxsize=8)
def _calibrate(dataset: Dataset, years: tuple[int, ...] | None, road: float, share: float, gamma: float,
               ) -> GravityFit:
    from scipy.optimize import least_squares  # scipy is heavy to import; only the fit needs it

    candidates = list(years) if years else dataset.years(NET)
    units = dataset.units_in_year(max(candidates))
    observed = observed_migration(dataset, units, candidates)
    fit_years = sorted(observed)
    if not fit_years:
        raise ValueError(f"no year with {NET} for every unit")
    distance = road_distance_matrix(dataset, units, fit_years[-1], road)
    pops = {y: _population(dataset, units, y) for y in fit_years}
    incomes = {y: dataset.values(INCOME, y).reindex(units).astype(float) for y in fit_years}
    rates = {}
    for y in fit_years:
        movers = dataset.values(MOVERS, y, level="country")
        rates[y] = share * float(movers.iloc[0]) / float(pops[y].sum()) if len(movers) else math.nan
    obs = np.concatenate([observed[y].to_numpy(dtype=float) for y in fit_years])
    pop_all = np.concatenate([pops[y].to_numpy() for y in fit_years])

    def model_net(theta: np.ndarray, g: float) -> np.ndarray:
        params = GravityParameters(theta[0], theta[1], theta[2], g, 0.0)
        out = []
        for y in fit_years:
            kernel = gravity_kernel(pops[y], incomes[y], distance, params)
            flows = kernel * gravity_scale(kernel, pops[y], rates[y])
            out.append(net_migration(flows).to_numpy())
        return np.concatenate(out)

    def residuals(theta: np.ndarray) -> np.ndarray:
        g = theta[3] if len(theta) == 4 else gamma
        return (model_net(theta[:3], g) - obs) / pop_all * 1000.0

    fit = least_squares(residuals, x0=np.array([1.0, 1.0, 0.5]), method="lm")
    theta = fit.x
    res = fit.fun
    dof = max(1, len(res) - len(theta))
    cov = np.linalg.pinv(fit.jac.T @ fit.jac) * float(res @ res) / dof
    errors = {name: float(math.sqrt(max(cov[i, i], 0.0))) for i, name in enumerate(("a", "b", "beta"))}
    obs_rate = obs / pop_all * 1000.0
    net_hat = model_net(theta, gamma)
    free = least_squares(residuals, x0=np.array([*theta, gamma]), method="lm")
    free_r2 = 1 - float(free.fun @ free.fun) / float(((obs_rate - obs_rate.mean()) ** 2).sum())
    params = GravityParameters(float(theta[0]), float(theta[1]), float(theta[2]), gamma,
                               float(np.nanmean(list(rates.values()))))
    exceed = 0
    for y in fit_years:
        kernel = gravity_kernel(pops[y], incomes[y], distance, params)
        outflow = (kernel * gravity_scale(kernel, pops[y], rates[y])).sum(axis=1)
        departures = dataset.values(DEPARTURES, y).reindex(units)
        exceed += int((outflow > departures).sum())
    n = len(units)
    fitted = pd.DataFrame({y: net_hat[i * n:(i + 1) * n] for i, y in enumerate(fit_years)}, index=units)
    observed_frame = pd.DataFrame({y: observed[y] for y in fit_years}, index=units)
    notes = [
        "gamma (distance) is held at its proxy value: net totals by region barely identify it "
        f"(free fit: gamma = {free.x[3]:.2f}, R2 {free_r2:.3f})",
        "income proxy is nominal GRP per capita: oil regions (Atyrau, Mangystau) have high GRP but net "
        "out-migration, which keeps beta low",
        f"k each year from all registered internal movers x {share:g} (share of interregional moves)",
    ]
    return GravityFit(
        parameters=params, standard_errors=errors, years=fit_years, units=units, observed=observed_frame,
        fitted=fitted, population=pd.DataFrame(pops), yearly_rate=rates,
        r2_net_rate=1 - float(res @ res) / float(((obs_rate - obs_rate.mean()) ** 2).sum()),
        rmse_net_rate=float(np.sqrt(np.mean(res ** 2))),
        r2_net_persons=1 - float(((net_hat - obs) ** 2).sum()) / float(((obs - obs.mean()) ** 2).sum()),
        sign_agreement=float(np.mean(np.sign(net_hat) == np.sign(obs))),
        outflow_exceeds_departures=exceed,
        free_distance={"a": float(free.x[0]), "b": float(free.x[1]), "beta": float(free.x[2]),
                       "gamma": float(free.x[3]), "r2_net_rate_per_1000": free_r2},
        notes=notes,
    )

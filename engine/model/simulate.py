"""Forward simulation of a plan: trajectories by unit and year, baseline and plan, and both criteria.

``simulate_plan`` evaluates any allocation (the optimizer's, a formula baseline's, or one typed by hand)
with the response model exactly, year by year from the base year to the horizon:

* spending fills each direction's segments in order (:func:`fill_segments`);
* GRP (bn) = baseline + the linear effects of :mod:`engine.model.response` + the interaction bonus, which is
  cap x the density of the unit's actor graph x the effect it raises (:func:`engine.core.graph.interaction_density`;
  with the three partnership instruments this is the smaller of the optimizer's two ceilings);
* population = baseline + the people the programmes move + **induced migration**: the gravity model's flows
  (:mod:`engine.model.migration`) react to the plan's GRP per capita and population of the previous year; the
  change against the baseline's flows moves people (zero sum), and each induced mover adds output where he
  arrives and removes it where he leaves, at the rates of the mobility direction (so a plan that keeps
  people in lagging regions, away from the high-output cities, costs a little national GRP);
* GRP per capita = GRP / population, exactly (the optimizer uses a first-order expansion).

With no spending the plan is the baseline, exactly. :func:`compare_with_linear` measures how far the
optimizer's linear view and this simulator differ on a plan, and why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from engine.core.graph import INSTRUMENT_LINKS, possible_links
from engine.core.parameters import DIRECTIONS
from engine.model.migration import MIN_DISTANCE_KM
from engine.model.response import ResponseModel

ALLOCATION_COLUMNS = ("unit_id", "direction", "year", "bn_kzt")
INDICATORS = ("grp_per_capita", "population", "grp_bn", "net_migration", "interaction_density")
SIMULATOR_METHOD = (
    "year by year from the base year: segments filled in order; GRP = baseline + linear effects + interaction "
    "bonus (cap x actor-graph density x the effect it raises); population = baseline + programme movers + "
    "migration induced by the plan's change of GRP per capita (gravity model, zero sum); GRP per capita = "
    "GRP / population exactly")


@dataclass(frozen=True, eq=False)
class PlanTrajectories:
    """Yearly values by unit (rows) and year (columns, base year first) under a plan.

    ``net_migration`` is interregional net migration in persons a year (baseline flows, programme movers and
    induced migration; NaN where the baseline does not separate migration); ``induced_migration`` the part
    caused by the plan's change of incomes; ``interaction_density`` the density of each unit's actor graph.
    """

    grp_per_capita: pd.DataFrame
    population: pd.DataFrame
    grp_bn: pd.DataFrame
    bonus_bn: pd.DataFrame
    lever_spending: list[float]
    net_migration: pd.DataFrame | None = None
    induced_migration: pd.DataFrame | None = None
    interaction_density: pd.DataFrame | None = None

    def indicator(self, name: str) -> pd.DataFrame:
        """One of :data:`INDICATORS` as a unit x year frame."""
        table = {"grp_per_capita": self.grp_per_capita, "population": self.population, "grp_bn": self.grp_bn,
                 "net_migration": self.net_migration, "interaction_density": self.interaction_density}[name]
        if table is None:
            return pd.DataFrame(np.nan, index=self.grp_per_capita.index, columns=self.grp_per_capita.columns)
        return table


def empty_allocation() -> pd.DataFrame:
    return pd.DataFrame({"unit_id": pd.Series(dtype=str), "direction": pd.Series(dtype=str),
                         "year": pd.Series(dtype=int), "bn_kzt": pd.Series(dtype=float)})


def fill_segments(model: ResponseModel, allocation: pd.DataFrame) -> list[float]:
    """Spending per lever when each (unit, direction, year) amount fills its segments in order.

    Lever k of a cell whose earlier segments hold ``before_k`` bn gets ``min(max(amount - before_k, 0), cap_k)``.
    Raises ValueError naming the cell when an amount exceeds what the unit can absorb or is not
    eligible.
    """
    spending = np.zeros(model.n_levers)
    if allocation is None or not len(allocation):
        return spending.tolist()
    rows = allocation[allocation["bn_kzt"].astype(float).fillna(0.0) != 0]
    cells = list(zip(rows["unit_id"].astype(str).tolist(), rows["direction"].astype(str).tolist(),
                     rows["year"].astype(int).tolist(), strict=True))
    layout = _segment_layout(model)
    ids = np.fromiter((layout.index.get(cell, -1) for cell in cells), dtype=np.int64, count=len(cells))
    if (ids < 0).any():
        unit, direction, year = cells[int(np.flatnonzero(ids < 0)[0])]
        raise ValueError(f"{direction} is not available in {unit} in {year}")
    per_cell = np.bincount(ids, weights=rows["bn_kzt"].to_numpy(dtype=float), minlength=len(layout.total))
    used = np.unique(ids)  # cells in id order, so the first problem named is the same however rows are ordered
    negative = used[per_cell[used] < 0]
    if len(negative):
        raise ValueError(f"negative spending for {layout.keys[negative[0]]}: {float(per_cell[negative[0]])}")
    over = used[per_cell[used] - layout.total[used] > 1e-6 * np.maximum(1.0, per_cell[used])]
    if len(over):
        (unit, direction, year), cid = layout.keys[over[0]], over[0]
        raise ValueError(f"{float(per_cell[cid]):.3f} bn exceeds what {unit} can absorb for {direction} in {year} "
                         f"({float(layout.total[cid]):.3f} bn)")
    spending = np.clip(per_cell[layout.cell_of] - layout.before, 0.0, model.lever_capacity)
    return spending.tolist()


def fill_cells(model: ResponseModel, cells: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """:func:`fill_segments` for amounts given by cell id (the model's cells, as ``model.cell_unit`` numbers
    them), none negative or above what the cell can absorb: the levers' spending as an array."""
    layout = _segment_layout(model)
    per_cell = np.bincount(np.asarray(cells, dtype=np.int64), weights=np.asarray(amounts, dtype=float),
                           minlength=len(layout.total))
    if (per_cell < 0).any() or (per_cell - layout.total > 1e-6 * np.maximum(1.0, per_cell)).any():
        raise ValueError("a cell's amount is negative or above what its unit can absorb")
    return np.clip(per_cell[layout.cell_of] - layout.before, 0.0, model.lever_capacity)


@dataclass(frozen=True, eq=False)
class _Layout:
    index: dict[tuple[str, str, int], int]  # cell -> cell id
    keys: list[tuple[str, str, int]]  # cell id -> cell
    cell_of: np.ndarray  # cell id of each lever
    before: np.ndarray  # capacity of the earlier segments of the lever's cell
    total: np.ndarray  # capacity of each cell


def _segment_layout(model: ResponseModel) -> _Layout:
    cached = model.__dict__.get("_simulate_layout")
    if cached is not None:
        return cached
    n_cells = len(model.cell_unit)
    order = np.lexsort((model.lever_segment, model.lever_cell))  # by cell, then segment
    cell, caps = model.lever_cell[order], model.lever_capacity[order]
    position = np.arange(len(order))
    first = np.maximum.accumulate(np.where(np.r_[True, cell[1:] != cell[:-1]], position, 0))
    rank = position - first  # the segment's place in its cell
    running = caps.astype(float).copy()  # capacity of the cell's segments up to this one, summed in order
    for place in range(1, int(rank.max(initial=0)) + 1):
        at = np.flatnonzero(rank == place)
        running[at] = running[at - 1] + caps[at]
    before = np.zeros(model.n_levers)
    before[order] = running - caps
    total = np.bincount(model.lever_cell, weights=model.lever_capacity, minlength=n_cells)
    units = model.units
    keys = [(units[u], DIRECTIONS[d], int(y)) for u, d, y in zip(model.cell_unit.tolist(),
                                                                  model.cell_direction.tolist(),
                                                                  model.cell_year.tolist(), strict=True)]
    layout = _Layout(dict(zip(keys, range(n_cells), strict=True)), keys, np.asarray(model.lever_cell), before, total)
    model.__dict__["_simulate_layout"] = layout  # a cache on the frozen model, like functools.cached_property
    return layout


def lever_cells(model: ResponseModel) -> dict[tuple[str, str, int], list[int]]:
    """Lever indices of each (unit, direction, year), in segment order."""
    return {cell: [int(k) for k in ks] for cell, ks in model.cells.items()}


def actor_graph_density(ceiling: np.ndarray, needed: np.ndarray, instruments: list[str]) -> np.ndarray:
    """:func:`engine.core.graph.interaction_density` for arrays: interaction spending with coordination capacity
    ``ceiling`` spread equally over the instruments, each building its link (``INSTRUMENT_LINKS``) of the
    three-actor graph; a link's strength is min(1, capacity / (needed / 3)); density = mean strength."""
    used = [i for i in instruments if i in INSTRUMENT_LINKS]
    out = np.zeros(np.shape(ceiling))
    if not used:
        return out
    links: dict[tuple[str, ...], int] = defaultdict(int)
    for instrument in used:
        links[tuple(sorted(INSTRUMENT_LINKS[instrument]))] += 1
    ok = (needed > 0) & (ceiling > 0)
    need = np.where(ok, needed, 1.0)
    for count in links.values():
        built = ceiling * count / len(used) * len(possible_links())  # the link's capacity x the number of links
        with np.errstate(over="ignore"):  # where built / need overflows, built >= need and the strength is 1
            strength = np.where(built >= need, 1.0, built / need)  # min(1, capacity / (need / links))
        out += np.where(ok, strength, 0.0)
    return out / len(possible_links())


def _linear_parts(model: ResponseModel, spending: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """GRP and population changes of the linear effects, the bonus and the actor-graph density (units x years)."""
    shape = model.cell_shape()
    s = model.cell_spending(spending)
    d_grp = np.asarray(model.cell_grp.T @ s).reshape(shape)
    d_pop = np.asarray(model.cell_population.T @ s).reshape(shape)
    needed = np.asarray(model.cell_bonus_base.T @ s).reshape(shape)
    ceiling = np.asarray(model.cell_bonus_cover.T @ s).reshape(shape)
    interaction = model.directions.get("interaction")
    instruments = [i.id for i in interaction.instruments] if interaction else list(INSTRUMENT_LINKS)
    density = actor_graph_density(ceiling, needed, instruments)
    bonus = model.bonus_cap * needed * density
    return d_grp, d_pop, bonus, density


def simulate_spending(model: ResponseModel, spending: Any, migration_response: bool = True,
                      ) -> PlanTrajectories:
    """Trajectories for spending given per lever (see :func:`fill_segments` and the module text).

    ``migration_response=False`` leaves out induced migration (then population is linear in spending).
    """
    base = model.baseline
    arrays = _baseline_arrays(model)
    s = np.asarray(spending, dtype=float)
    d_grp, d_pop, bonus, density = _linear_parts(model, s)
    index, columns = base.grp_per_capita.index, base.grp_per_capita.columns
    grp = arrays.grp_bn + d_grp + bonus
    pop = arrays.population + d_pop
    induced = np.zeros_like(grp)
    spent = bool((s > 0).any())
    if migration_response and base.migration is not None and spent:
        grp, pop, induced = _add_induced_migration(model, grp, pop)
    # no plan: the baseline, bit for bit
    per_capita = grp * 1e6 / pop if spent else arrays.grp_per_capita.copy()
    per_capita[:, 0] = arrays.grp_per_capita[:, 0]  # the base year is data
    moved = np.diff(d_pop, axis=1, prepend=d_pop[:, :1]) + induced  # programme movers and induced migrants
    if arrays.net_migration is not None:
        net = moved.copy()
        net[:, 1:] += arrays.net_migration
        net[:, 0] = np.nan  # migration into the base year is data, not modelled
    else:
        net = np.full_like(moved, np.nan)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=index, columns=columns)

    return PlanTrajectories(frame(per_capita), frame(pop), frame(grp), frame(bonus), s.tolist(), frame(net),
                            frame(induced), frame(density))


@dataclass(frozen=True, eq=False)
class _BaselineArrays:
    """The baseline's tables as arrays (units x years), read by every simulation of the model."""

    grp_bn: np.ndarray
    population: np.ndarray
    grp_per_capita: np.ndarray
    net_migration: np.ndarray | None  # the years after the base year


def _baseline_arrays(model: ResponseModel) -> _BaselineArrays:
    cached = model.__dict__.get("_simulate_baseline")
    if cached is None:
        base = model.baseline
        columns = list(base.grp_per_capita.columns)
        net = None if base.net_migration is None else base.net_migration[columns[1:]].to_numpy(dtype=float)
        cached = _BaselineArrays(base.grp_bn.to_numpy(dtype=float), base.population.to_numpy(dtype=float),
                                 base.grp_per_capita.to_numpy(dtype=float), net)
        for table in (cached.grp_bn, cached.population, cached.grp_per_capita, cached.net_migration):
            if table is not None:
                table.flags.writeable = False  # shared by every simulation of the model
        model.__dict__["_simulate_baseline"] = cached  # a cache on the frozen model, like the layout's
    return cached


def _add_induced_migration(model: ResponseModel, grp: np.ndarray, pop: np.ndarray,
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year by year: flows at the plan's state of last year minus flows at the baseline's state.

    The difference is kept by origin and destination; like a programme mover, each induced mover adds
    employment x productivity x GRP per capita where he arrives and removes origin_loss x GRP per capita
    where he leaves (a negative difference, a move that no longer happens, reverses both).
    """
    base = model.baseline
    a = model.assumptions.value
    response = model.directions["mobility"].response("relocation_between")
    gain = a(response.params["employment"]) * a(response.params["productivity"]) if response else 0.0
    loss = a(response.params["origin_loss"]) if response else 0.0
    gravity = _gravity(model)
    y_base = base.grp_per_capita.to_numpy(dtype=float)
    grp, pop = grp.copy(), pop.copy()
    induced = np.zeros_like(grp)
    stock = np.zeros((grp.shape[0], grp.shape[0]))  # induced movers by origin (rows) and destination
    for j in range(1, grp.shape[1]):
        y_plan = grp[:, j - 1] * 1e6 / pop[:, j - 1]
        delta = gravity.flows(pop[:, j - 1], y_plan) - gravity.baseline_flows[j - 1]
        induced[:, j] = delta.sum(axis=0) - delta.sum(axis=1)
        stock += delta
        arrived, left = stock.sum(axis=0), stock.sum(axis=1)
        pop[:, j] += arrived - left
        grp[:, j] += (arrived * gain - left * loss) * y_base[:, j] / 1e6
    return grp, pop, induced


@dataclass(frozen=True, eq=False)
class _Gravity:
    """The baseline's gravity model as arrays in the model's unit order (:mod:`engine.model.migration`)."""

    scale: float
    a: float
    b: float
    beta: float
    distance_term: np.ndarray  # d_ij^-gamma, 0 on the diagonal
    baseline_flows: list[np.ndarray]  # flows at the baseline's state of each year

    def flows(self, population: np.ndarray, income: np.ndarray) -> np.ndarray:
        if np.any(population <= 0) or np.any(income <= 0):
            raise ValueError("gravity model needs positive populations and incomes")
        kernel = (np.outer(population ** self.a, population ** self.b)
                  * (income[None, :] / income[:, None]) ** self.beta * self.distance_term)
        return kernel * self.scale


def _gravity(model: ResponseModel) -> _Gravity:
    cached = model.__dict__.get("_simulate_gravity")
    if cached is not None:
        return cached
    base = model.baseline
    mig = base.migration
    assert mig is not None
    units = base.units
    d = mig.distance_km.loc[units, units].to_numpy(dtype=float)
    off = ~np.eye(len(units), dtype=bool)
    term = np.maximum(np.where(off, d, 1.0), MIN_DISTANCE_KM) ** (-mig.parameters.distance_elasticity)
    term[~off] = 0.0
    p = mig.parameters
    gravity = _Gravity(mig.scale, p.origin_elasticity, p.destination_elasticity, p.income_elasticity, term, [])
    y, pop = base.grp_per_capita.to_numpy(dtype=float), base.population.to_numpy(dtype=float)
    gravity.baseline_flows.extend(gravity.flows(pop[:, j], y[:, j]) for j in range(y.shape[1]))
    model.__dict__["_simulate_gravity"] = gravity
    return gravity


def simulate_plan(model: ResponseModel, allocation: pd.DataFrame, migration_response: bool = True,
                  ) -> PlanTrajectories:
    """Evaluate an allocation (columns ``unit_id, direction, year, bn_kzt``) with the full model."""
    return simulate_spending(model, fill_segments(model, allocation), migration_response)


def baseline_trajectories(model: ResponseModel) -> PlanTrajectories:
    """The baseline in the shape of a plan (no spending)."""
    return simulate_spending(model, [0.0] * model.n_levers)


# ---------------------------------------------------------------------------------------------------
# The optimizer's linear view against the simulator
# ---------------------------------------------------------------------------------------------------

def linear_grp_per_capita(model: ResponseModel, spending: Any) -> pd.DataFrame:
    """GRP per capita as the optimizer's linear model sees it for lever ``spending``.

    y = y_base + sum_k s_k c_k + cap x min(bonus base, bonus cover) x 1e6 / P_base, with c_k the first-order
    per-capita coefficients of :meth:`ResponseModel.per_capita_coefficients` and the bonus at its ceiling.
    """
    base = model.baseline
    shape = model.cell_shape()
    s = model.cell_spending(spending)
    y = base.grp_per_capita.to_numpy(dtype=float) + np.asarray(model.cell_per_capita.T @ s).reshape(shape)
    needed = np.asarray(model.cell_bonus_base.T @ s).reshape(shape)
    ceiling = np.asarray(model.cell_bonus_cover.T @ s).reshape(shape)
    value = model.bonus_cap * np.minimum(needed, ceiling)
    y += np.where(value > 0, value, 0.0) * 1e6 / base.population.to_numpy(dtype=float)
    return pd.DataFrame(y, index=base.grp_per_capita.index, columns=base.grp_per_capita.columns)


@dataclass(frozen=True)
class LinearGap:
    """How far the optimizer's linear view and the simulator differ on one plan, and why.

    Gaps are the largest absolute differences of GRP per capita (thousand tenge) over units and years,
    and the same relative to the simulated value. ``by_reason`` splits the total into the segment order
    (lever spending the simulator re-fills in order), the first-order per-capita expansion, and induced
    migration.
    """

    max_abs: float
    max_rel: float
    by_reason: dict[str, float]
    metrics: dict[int, dict[str, float]] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"max_abs_grp_per_capita": self.max_abs, "max_rel_grp_per_capita": self.max_rel,
                "by_reason": self.by_reason, "metrics_by_year": {str(y): m for y, m in sorted(self.metrics.items())},
                "reasons": list(self.reasons)}


def lever_allocation(model: ResponseModel, lever_spending: Any) -> pd.DataFrame:
    """Spending per lever summed by (unit, direction, year): the columns of :data:`ALLOCATION_COLUMNS`."""
    s = np.asarray(lever_spending, dtype=float)
    used = np.flatnonzero(s > 0)
    if not len(used):
        return empty_allocation()
    frame = pd.DataFrame({"unit_id": np.array(model.units, dtype=object)[model.lever_unit[used]],
                          "direction": np.array(DIRECTIONS, dtype=object)[model.lever_direction[used]],
                          "year": model.lever_year[used].astype(int), "bn_kzt": s[used]})
    return frame.groupby(["unit_id", "direction", "year"], sort=False, as_index=False)["bn_kzt"].sum()


def compare_with_linear(model: ResponseModel, lever_spending: list[float], ctx: Any = None) -> LinearGap:
    """Compare the linear view of ``lever_spending`` (e.g. the optimizer's solution) with the simulator.

    With ``ctx`` (:class:`engine.core.context.Context`) the max/min ratio and Williamson index of each year are
    compared too.
    """
    allocation = lever_allocation(model, lever_spending)
    refilled = fill_segments(model, allocation)
    linear = linear_grp_per_capita(model, list(lever_spending))
    linear_refilled = linear_grp_per_capita(model, refilled)
    static = simulate_spending(model, refilled, migration_response=False).grp_per_capita
    simulated = simulate_spending(model, refilled)
    full = simulated.grp_per_capita

    def biggest(a: pd.DataFrame, b: pd.DataFrame) -> float:
        return float((a - b).abs().to_numpy().max())

    by_reason = {"segment_order": biggest(linear, linear_refilled),
                 "first_order_per_capita": biggest(linear_refilled, static),
                 "induced_migration": biggest(static, full)}
    rel = float(((full - linear).abs() / full.abs()).to_numpy().max())
    metrics: dict[int, dict[str, float]] = {}
    if ctx is not None:
        from engine.core.diagnose import metrics_for_values

        for year in model.years:
            lin, _ = metrics_for_values(ctx, linear[year], model.baseline.population[year], year)
            sim, _ = metrics_for_values(ctx, full[year], simulated.population[year], year)
            metrics[year] = {f"{m}_{view}": float(src[m]) for m in ("max_min_ratio", "williamson")
                             for view, src in (("linear", lin), ("simulated", sim))}
    reasons = (
        "first-order per-capita expansion: the linear view divides the GRP change by the baseline population "
        "and subtracts y x the population change; the simulator divides GRP by the new population",
        "segment order: the simulator fills each cell's segments steepest first; a solution that uses a later "
        "segment before an earlier one is re-filled",
        "induced migration: the simulator lets the gravity flows react to the plan's GRP per capita (zero sum)",
    )
    return LinearGap(biggest(linear, full), rel, by_reason, metrics, reasons)



# ---------------------------------------------------------------------------------------------------
# A scenario's simulation: allocation files, trajectories, metrics by year
# ---------------------------------------------------------------------------------------------------

def read_allocation(path: Any, model: ResponseModel, years: list[int]) -> pd.DataFrame:
    """Read and check an allocation file: CSV with columns ``unit_id, direction, year, bn_kzt`` (others are
    ignored), or JSON (a list of such objects, or an object whose ``allocation`` is that list, as written by
    ``roadmap solve --json``).

    Raises
    ------
    DataValidationError
        Naming ``file:row`` (the CSV line, or the JSON entry counted from 1) for every unknown unit or
        direction, year outside ``years``, negative or non-numeric amount, ineligible cell, and cell beyond
        what the unit can absorb.
    """
    import csv
    import json
    from pathlib import Path

    from engine.core.errors import DataValidationError, Problem, problem

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataValidationError([problem(name, "pr_allocation_not_found")])
    records: list[tuple[int, dict[str, Any]]] = []
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in ALLOCATION_COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise DataValidationError([problem(name, "pr_missing_column_plain", 1, c) for c in missing])
                records = [(reader.line_num, row) for row in reader]
        elif path.suffix.lower() == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            entries = doc.get("allocation") if isinstance(doc, dict) else doc
            if not isinstance(entries, list):
                raise DataValidationError([problem(name, "pr_allocation_list_form",
                                                   fields="{unit_id, direction, year, bn_kzt}")])
            records = [(i, e if isinstance(e, dict) else {}) for i, e in enumerate(entries, start=1)]
        else:
            raise DataValidationError([problem(name, "pr_allocation_format", None, None, path.suffix)])
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise DataValidationError([problem(name, "pr_cannot_read", reason=str(exc))]) from None
    problems: list[Problem] = []
    cells: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    for row, rec in records:
        unit, direction = str(rec.get("unit_id", "")).strip(), str(rec.get("direction", "")).strip()
        bad = False
        if unit not in model.units:
            problems.append(problem(name, "pr_unit_not_in_year", row, "unit_id", unit, year=model.baseline.base_year))
            bad = True
        if direction not in model.eligible:
            problems.append(problem(name, "pr_unknown_direction", row, "direction", direction,
                                    allowed=", ".join(model.eligible)))
            bad = True
        year = _as_number(rec.get("year"))
        if year is None or year != int(year) or int(year) not in years:
            problems.append(problem(name, "pr_year_outside_horizon", row, "year", rec.get("year"), first=years[0],
                                    last=years[-1]))
            bad = True
        amount = _as_number(rec.get("bn_kzt"))
        if amount is None or amount < 0:
            problems.append(problem(name, "pr_bn_non_negative", row, "bn_kzt", rec.get("bn_kzt")))
            bad = True
        if bad:
            continue
        if unit not in model.eligible[direction]:
            problems.append(problem(name, "pr_direction_not_eligible", row, "direction", f"{unit} / {direction}",
                                    direction=direction))
            continue
        cells[(unit, direction, int(year))].append((row, float(amount)))  # type: ignore[arg-type]
    for (unit, direction, year), entries in cells.items():
        total = sum(v for _, v in entries)
        capacity = model.capacity(unit, direction, year)
        if total > capacity * (1 + 1e-9) + 1e-9:
            rows = ("rows " if len(entries) > 1 else "row ") + ", ".join(str(r) for r, _ in entries)
            problems.append(problem(name, "pr_rows_over_capacity", entries[0][0], "bn_kzt", total, total=total,
                                    direction=direction, unit=unit, year=year, rows=rows,
                                    capacity=capacity))
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0)))
    rows_out = [(u, d, y, sum(v for _, v in e)) for (u, d, y), e in sorted(cells.items())]
    return pd.DataFrame(rows_out, columns=list(ALLOCATION_COLUMNS)) if rows_out else empty_allocation()


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Baseline and plan of a scenario with the metrics of ``roadmap diagnose`` for every year."""

    scenario: Any
    model: ResponseModel
    allocation: pd.DataFrame
    baseline: PlanTrajectories
    plan: PlanTrajectories
    metrics: dict[str, dict[int, dict[str, Any]]]
    problem_units: dict[str, dict[int, list[str]]]
    gap: LinearGap
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return self.model.baseline.years

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``roadmap simulate --json``."""
        out: dict[str, Any] = {
            "scenario": self.scenario.name, "base_year": self.model.baseline.base_year,
            "horizon": list(self.scenario.horizon), "years": self.years,
            "method": {"baseline": self.model.baseline.method,
                       "baseline_parameters": _jsonable(self.model.baseline.parameters),
                       "simulator": SIMULATOR_METHOD},
            "allocation": {"rows": len(self.allocation), "total_bn_kzt": float(self.allocation["bn_kzt"].sum())},
        }
        for name, traj in (("baseline", self.baseline), ("plan", self.plan)):
            out[name] = {
                "units": {u: {ind: [_num(v) for v in traj.indicator(ind).loc[u, self.years]] for ind in INDICATORS}
                          for u in self.model.units},
                "metrics_by_year": {str(y): m for y, m in sorted(self.metrics[name].items())},
                "problem_regions_by_year": {str(y): int(m["problem_regions"])
                                            for y, m in sorted(self.metrics[name].items())},
                "problem_units_by_year": {str(y): units for y, units in sorted(self.problem_units[name].items())},
                "criteria_by_year": {str(y): {k: m[k] for k in ("problem_regions", "max_min_ratio", "williamson",
                                                                  "theil_t_weighted")}
                                     for y, m in sorted(self.metrics[name].items())},
            }
        out["linear_gap"] = self.gap.to_json()
        out.update(self.extras)
        return _jsonable(out)


def simulate_scenario(study: Any, allocation: pd.DataFrame | None = None) -> SimulationResult:
    """Simulate a study's baseline and the plan ``allocation`` (empty: no new policy) to the horizon.

    ``study`` is a :class:`engine.model.study.Study` (typed loosely: the study module sits above this one)."""
    from engine.core.diagnose import metrics_for_values
    from engine.core.graph import build_region_graph
    from engine.model.labour import projected_indicators
    from engine.model.migration import GravityParameters, calibrate_gravity

    ctx, scenario, model = study.ctx, study.scenario, study.model
    allocation = allocation if allocation is not None else empty_allocation()
    spending = fill_segments(model, allocation)
    baseline = study.no_policy
    plan = simulate_spending(model, spending)
    metrics: dict[str, dict[int, dict[str, Any]]] = {}
    problem_units: dict[str, dict[int, list[str]]] = {}
    for name, traj in (("baseline", baseline), ("plan", plan)):
        metrics[name], problem_units[name] = {}, {}
        for year in model.baseline.years:
            projected = (projected_indicators(ctx, model.assumptions, traj, baseline, year) if name == "plan"
                         else None)
            m, reasons = metrics_for_values(ctx, traj.grp_per_capita[year], traj.population[year], year,
                                            projected=projected)
            metrics[name][year] = m
            problem_units[name][year] = sorted(u for u, r in reasons.items() if r)
    assumptions = model.assumptions
    base = model.baseline.base_year
    graph = build_region_graph(ctx.dataset, base, assumptions.value("road_distance_factor"), ctx.typology.hub_ids)
    extras = {
        "graph": {"year": base, "hubs": graph.graph["hubs"],
                  "edges": [[a, b, round(d["road_km"], 1)] for a, b, d in sorted(graph.edges(data=True))],
                  "economic_distance": {u: {k: d[k] for k in ("nearest_hub", "hub_road_km", "hub_direct_km",
                                                               "hub_hops")} for u, d in graph.nodes(data=True)}},
        "migration": {"parameters": GravityParameters.from_assumptions(assumptions).__dict__,
                      "calibration": calibrate_gravity(ctx.dataset, assumptions).to_json()},
    }
    mig = model.baseline.migration
    if mig is not None and mig.anchor is not None:
        extras["migration"]["baseline"] = {"anchored_years": list(mig.anchored_years), "scale_k": mig.scale,
                                           "anchor_persons": mig.anchor.round(1).to_dict(),
                                           "natural_growth": mig.natural_growth.round(6).to_dict()}
    return SimulationResult(scenario, model, allocation, baseline, plan, metrics, problem_units,
                            compare_with_linear(model, spending, ctx), extras)


def _num(value: Any) -> float | None:
    return round(float(value), 6) if math.isfinite(float(value)) else None


def _jsonable(value: Any) -> Any:
    """Plain JSON values: dicts, lists, str, int, finite float or None."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, np.integer):
        return int(value)
    return value

"""Robust plans: one allocation chosen against K draws of the uncertain parameters at once.

**Draws.** Every scalar parameter of rules/directions.yaml with a low-high range (absorption_cap_scale and
segment_decline_scale among them), or a chosen subset, is sampled by the sweep's Latin hypercube
(:func:`engine.analysis.sweep.sample_draws`, seeded); each draw's study is rebuilt with
:meth:`engine.model.study.Study.with_assumptions` and gets the optimizer's linear forms, on the scenario's
score basis (``lasting`` by default: the last year's metrics without that year's demand impulse).

**One model, one allocation.** The shared decision is the amount X_c of each cell (unit, direction, year) of
the central model, within the central capacity, so the plan is a file every command reads. Each draw d has
its own segment variables s_dk within its own capacities, bonus variables and rows, and per-capita rows (the
first-order expansion of :mod:`engine.allocation.forms` under the draw's assumptions); the link
``sum_k in c s_dk + u_dc = X_c`` lets u_dc >= 0 hold what the draw cannot absorb (at most the central
capacity less the draw's). The simulator spends min(X_c, C_dc), filling segments in order; the LP could also
leave unabsorbed money a draw could take (a relaxation), which only the second stage's growth objective
discourages, and the re-simulation of every draw reports any difference. The planner's constraints (budget,
direction shares, equity share, unit caps) apply to X.

**Risk.** loss_d is the draw's metric (negated for one to maximise). ``expected``: the mean of the losses;
``cvar:a``: their conditional value at risk at level a (Rockafellar-Uryasev: eta + sum_d max(0, loss_d - eta)
/ ((1 - a) K), the mean of the worst (1 - a) share of draws); ``worst``: the largest loss.

**The max/min ratio.** Charnes-Cooper scales each draw's variables by that draw's own 1/L_d, so the draws
could not share one allocation. Instead each draw's ratio U_d / L_d is linearised around a point, r + (U_d - r
L_d) / Lbar with r = Ubar / Lbar (its first-order expansion, exact at the point), starting from each draw's
no-policy point and re-linearised at each solution (sequential linear programming) until the ratios change by
less than :data:`RATIO_STEP` or :data:`MAX_ITERATIONS` LPs; the iterate best by the exact ratios of the linear
model is kept. The stated error of the linearisation is that iterate's exact risk value less its linearised
one; the solve reports it (zero at a fixed point).

**Second stage.** The risk objective, linearised at the plan, is held within
:data:`engine.allocation.objectives.FIX_TOLERANCE` (relative) while national growth is maximised on the cell
amounts (each cell's first-segment growth per bn at the central values, less what each draw cannot absorb,
averaged) plus the optimizer's tie-break; so among plans equally good on the risk objective the one with more
growth and less unabsorbed money wins, and the same scenario and seed give the same plan (``national_growth``
itself is one stage with the tie-break).

**Check.** Every draw is re-simulated exactly (:func:`engine.analysis.sweep.fit_allocation` and
:func:`engine.model.simulate.simulate_spending`, as the sweep judges plans): the result gives per draw the
linear and the simulated metric, the risk value of each, and the central plan's on the same draws.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from engine.allocation.prepared import Prepared
from engine.analysis.sweep import (
    UncertainParameter,
    fit_allocation,
    sample_draws,
    scored_metric,
    uncertain_parameters,
)
from engine.core.errors import ScenarioError, problem
from engine.core.i18n import Text
from engine.core.jsonio import json_safe
from engine.model.study import Study

RISK_KINDS = ("expected", "cvar", "worst")
#: objectives a robust solve supports: the others are MILPs (K copies of their binaries) or need per-draw anchors
ROBUST_OBJECTIVES = ("max_min_ratio", "maximin", "shortfall", "national_growth")
DEFAULT_DRAWS = 30
MAX_DRAWS = 500
MAX_ITERATIONS = 15
RATIO_STEP = 1e-7  # relative change of every draw's ratio below which the linearisation has converged
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Risk:
    kind: str
    alpha: float = 0.0

    @property
    def label(self) -> str:
        return f"cvar:{self.alpha:g}" if self.kind == "cvar" else self.kind

    def value(self, losses: Sequence[float] | np.ndarray) -> float:
        """The risk measure of ``losses`` (one per draw, equally likely), exactly.

        >>> Risk("cvar", 0.5).value([1.0, 2.0, 3.0, 4.0]), Risk("worst").value([1.0, 5.0])
        (3.5, 5.0)
        """
        loss = np.asarray(losses, dtype=float)
        if self.kind == "expected":
            return float(loss.mean())
        if self.kind == "worst":
            return float(loss.max())
        # the minimum over eta is reached at one of the losses
        tail = [eta + np.maximum(loss - eta, 0.0).mean() / (1.0 - self.alpha) for eta in loss]
        return float(min(tail))


def parse_risk(text: str | None) -> Risk:
    """``expected``, ``worst`` or ``cvar:A`` with 0 <= A < 1 (``cvar`` alone is ``cvar:0.9``).

    Raises
    ------
    ScenarioError
        Naming the text when it is none of these.
    """
    raw = (text or "expected").strip().lower()
    if raw in ("expected", "worst"):
        return Risk(raw)
    if raw == "cvar":
        return Risk("cvar", 0.9)
    if raw.startswith("cvar:"):
        try:
            alpha = float(raw[5:])
        except ValueError:
            alpha = math.nan
        if 0.0 <= alpha < 1.0:
            return Risk("cvar", alpha)
    raise ScenarioError([problem("--risk", "pr_risk_form", None, None, text)])


@dataclass(frozen=True, eq=False)
class DrawSet:
    """The draws a robust model is built on: seed, parameters, their values and each draw's prepared study."""

    seed: int
    parameters: tuple[UncertainParameter, ...]
    values: list[dict[str, float]]
    preps: list[Prepared]
    central: Prepared
    seconds: float


def build_draws(study: Study, draws: int, seed: int = 0, parameters: Iterable[str] | None = None,
                central: Prepared | None = None, progress: Progress | None = None) -> DrawSet:
    """``draws`` Latin-hypercube draws (seeded) and each draw's prepared study (module text)."""
    from engine.allocation.prepared import prepare

    if not 1 <= draws <= MAX_DRAWS:
        raise ScenarioError([problem("--draws", "pr_between_1_and", None, None, draws, most=MAX_DRAWS)])
    started = time.perf_counter()
    central = central or prepare(study)
    chosen = tuple(uncertain_parameters(study.direction_rules, parameters))
    values = sample_draws(chosen, draws, seed)
    own = dict(study.scenario.assumptions)
    preps = []
    for done, overrides in enumerate(values, start=1):
        preps.append(prepare(study.with_assumptions({**own, **overrides}), central.forms.parts))
        if progress:
            progress(done, draws)
    return DrawSet(seed, chosen, values, preps, central, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------------
# The combined model
# ---------------------------------------------------------------------------------------------------

class _Model:
    """Columns, rows and costs of a linear program, built block by block (global column indices)."""

    def __init__(self) -> None:
        self.low: list[np.ndarray] = []
        self.high: list[np.ndarray] = []
        self.n_cols = 0
        self.n_rows = 0
        self.entries: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # rows, columns, values
        self.row_low: list[np.ndarray] = []
        self.row_high: list[np.ndarray] = []

    def columns(self, n: int, low: Any = 0.0, high: Any = math.inf) -> int:
        start = self.n_cols
        self.low.append(np.broadcast_to(np.asarray(low, dtype=float), (n,)).copy())
        self.high.append(np.broadcast_to(np.asarray(high, dtype=float), (n,)).copy())
        self.n_cols += n
        return start

    def rows(self, matrix: sp.spmatrix, column_offset: int, low: Any, high: Any) -> int:
        """Rows whose coefficients are ``matrix`` (its columns shifted by ``column_offset``)."""
        coo = sp.coo_matrix(matrix)
        start = self.n_rows
        self.entries.append((coo.row + start, coo.col + column_offset, coo.data))
        n = coo.shape[0]
        self.row_low.append(np.broadcast_to(np.asarray(low, dtype=float), (n,)).copy())
        self.row_high.append(np.broadcast_to(np.asarray(high, dtype=float), (n,)).copy())
        self.n_rows += n
        return start

    def triplet_rows(self, n: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, low: Any, high: Any,
                     ) -> int:
        """``n`` rows given as (row within the block, global column, value) triplets."""
        return self.rows(sp.coo_matrix((values, (rows, cols)), shape=(n, self.n_cols)), 0, low, high)

    def matrix(self) -> sp.csc_matrix:
        rows = np.concatenate([e[0] for e in self.entries]) if self.entries else np.zeros(0, int)
        cols = np.concatenate([e[1] for e in self.entries]) if self.entries else np.zeros(0, int)
        vals = np.concatenate([e[2] for e in self.entries]) if self.entries else np.zeros(0)
        return sp.csc_matrix((vals, (rows, cols)), shape=(self.n_rows, self.n_cols))


@dataclass
class _DrawBlock:
    """Where one draw's variables are in the combined model, and what its metric needs."""

    levers: int  # first column of the segment variables; bonus and resettlers follow
    width: int
    const: np.ndarray  # GRP per capita at T with no policy (units), first order
    block: sp.csr_matrix  # units x width
    loss: int  # the column of loss_d
    loss_row: int  # the row defining loss_d
    high: int = -1  # ratio: the columns of U_d and L_d
    low: int = -1
    growth: np.ndarray = field(default_factory=lambda: np.zeros(0))  # width: national growth per unit
    unabsorbed: int = -1  # first column of u_dc, and the central cells it belongs to
    short: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    national: int = -1  # shortfall: the column of the national mean, its population weights and threshold
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    threshold: float = 0.0


def _sum_rows(groups: np.ndarray, n_groups: int, columns: np.ndarray, values: np.ndarray | float = 1.0,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    keep = groups >= 0
    vals = np.broadcast_to(np.asarray(values, dtype=float), groups.shape)[keep]
    return groups[keep], columns[keep], vals


def _shared_rows(m: _Model, central: Prepared, x0: int) -> None:
    """Budget, direction shares, equity share and unit caps on the cell amounts X (engine.allocation.build)."""
    from engine.core.parameters import DIRECTIONS

    scenario, forms = central.scenario, central.forms
    keys = forms.cell_keys
    unit = np.array([k[0] for k in keys], dtype=object)
    direction = np.array([k[1] for k in keys], dtype=object)
    year = np.array([k[2] for k in keys])
    cells = np.arange(len(keys))
    years = scenario.years
    budget_low = [-math.inf if scenario.allow_unspent else scenario.budget_bn_kzt[y] for y in years]
    group = np.full(len(keys), -1)
    for i, y in enumerate(years):
        group[year == y] = i
    m.triplet_rows(len(years), *_sum_rows(group, len(years), x0 + cells), budget_low,
                   [scenario.budget_bn_kzt[y] for y in years])
    total = scenario.open_budget  # shares of the years still open (engine.allocation.build)
    open_cells = year >= min(scenario.open_years, default=scenario.last_year + 1)
    for name, bounds in sorted(scenario.directions.items()):
        mask = (direction == name if name in DIRECTIONS else np.zeros(len(keys), bool)) & open_cells
        if bounds.min > 0 or bounds.max < 1:
            m.triplet_rows(1, np.zeros(int(mask.sum()), int), x0 + cells[mask], np.ones(int(mask.sum())),
                           bounds.min * total if bounds.min > 0 else -math.inf,
                           bounds.max * total if bounds.max < 1 else math.inf)
    if scenario.equity_share > 0:
        equity = np.array([forms.parts.part_of(u, d) == "equity" for u, d in zip(unit, direction, strict=True)])
        equity &= open_cells
        m.triplet_rows(1, np.zeros(int(equity.sum()), int), x0 + cells[equity], np.ones(int(equity.sum())),
                       scenario.equity_share * total, math.inf)
    caps = [(u, y, cap) for u, cap in sorted(scenario.unit_caps_bn_kzt.items()) for y in years]
    group = np.full(len(keys), -1)
    rhs = []
    for i, (u, y, cap) in enumerate(caps):
        group[(unit == u) & (year == y)] = i
        rhs.append(cap)
    if caps:
        m.triplet_rows(len(caps), *_sum_rows(group, len(caps), x0 + cells), -math.inf, rhs)


def _draw_block(m: _Model, prep: Prepared, central: Prepared, x0: int, metric: str) -> _DrawBlock:
    """One draw's variables and rows (module text); returns where they are."""
    from engine.allocation.build import per_capita_block

    forms, scenario = prep.forms, central.scenario
    n_lev, n_bonus, n_movers = len(forms.names), len(forms.bonus_names), len(forms.mobility_names)
    in_horizon = np.isin(forms.lever_year, list(scenario.budget_bn_kzt))
    lever_high = np.where(in_horizon, forms.capacity, 0.0).astype(float)
    s0 = m.columns(n_lev, 0.0, lever_high)
    m.columns(n_bonus, 0.0, forms.bonus_ceiling(lever_high))
    m.columns(n_movers, 0.0, math.inf)
    width = n_lev + n_bonus + n_movers
    # link each lever's cell to the central cell of the same key
    central_index = {k: i for i, k in enumerate(central.forms.cell_keys)}
    cell_map = np.array([central_index.get(k, -1) for k in forms.cell_keys], dtype=np.int64)
    lever_central = cell_map[forms.lever_cell]
    n_cells = len(central.forms.cell_keys)
    own_capacity = np.zeros(n_cells)
    known = cell_map >= 0
    np.add.at(own_capacity, cell_map[known], forms.cell_capacity[known])
    central_capacity = central.forms.cell_capacity
    short = np.flatnonzero(central_capacity - own_capacity > 1e-9)
    u0 = m.columns(len(short), 0.0, (central_capacity - own_capacity)[short])
    rows = [lever_central[lever_central >= 0], short, np.arange(n_cells)]
    cols = [s0 + np.flatnonzero(lever_central >= 0), u0 + np.arange(len(short)), x0 + np.arange(n_cells)]
    vals = [np.ones(len(rows[0])), np.ones(len(short)), -np.ones(n_cells)]
    m.triplet_rows(n_cells, np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), 0.0, 0.0)
    if n_bonus:  # bonus <= each ceiling's lever sum (engine.allocation.build.add_bonus_rows)
        identity = sp.identity(n_bonus, format="csr")
        for ceiling in (forms.bonus_base_matrix, forms.bonus_cover_matrix):
            m.rows(sp.hstack([-ceiling.T.tocsr(), identity]), s0, -math.inf, 0.0)
    if n_movers:  # movers = what the levers move (engine.allocation.build.add_mover_rows)
        lever_movers, _ = forms.mobility_factor
        m.rows(sp.hstack([-lever_movers.T.tocsr(), sp.csr_matrix((n_movers, n_bonus)), sp.identity(n_movers)]),
               s0, 0.0, 0.0)
    const, block = per_capita_block(forms)
    n_units = len(const)
    growth = np.concatenate([forms.growth, np.ones(n_bonus), np.zeros(n_movers)])
    out = _DrawBlock(s0, width, const, block, -1, -1, growth=growth, unabsorbed=u0, short=short)
    units = np.arange(n_units)
    if metric in ("max_min_ratio", "min_grp_per_capita"):
        low = m.columns(1, 0.0, math.inf)
        out.low = low
        # block y - L >= -const
        m.rows(sp.hstack([block, sp.csr_matrix((n_units, low - s0 - width)), -sp.csr_matrix(np.ones((n_units, 1)))]),
               s0, -const, math.inf)
        if metric == "max_min_ratio":
            high = m.columns(1, 0.0, math.inf)
            out.high = high
            m.rows(sp.hstack([-block, sp.csr_matrix((n_units, high - s0 - width)),
                              sp.csr_matrix(np.ones((n_units, 1)))]), s0, const, math.inf)
        loss = m.columns(1, -math.inf, math.inf)
        out.loss = loss
        if metric == "max_min_ratio":  # coefficients set at each linearisation
            out.loss_row = m.triplet_rows(1, np.zeros(3, int), np.array([loss, high, low]),
                                          np.array([1.0, -1.0, 1.0]), 0.0, 0.0)
        else:  # loss = -L
            out.loss_row = m.triplet_rows(1, np.zeros(2, int), np.array([loss, low]), np.array([1.0, 1.0]), 0.0, 0.0)
        return out
    if metric == "shortfall":
        threshold = scenario.shortfall_threshold
        nat = m.columns(1, 0.0, math.inf)
        scale = 1e6 / forms.population_total_last
        nat_coeffs = np.concatenate([forms.grp_last * scale,
                                     np.where(forms.bonus_last_unit >= 0, scale, 0.0) if n_bonus else np.zeros(0),
                                     np.zeros(n_movers)])
        m.rows(sp.hstack([sp.csr_matrix(-nat_coeffs.reshape(1, -1)), sp.csr_matrix((1, nat - s0 - width)),
                          sp.csr_matrix([[1.0]])]), s0, forms.national_last, forms.national_last)
        sf = m.columns(n_units, 0.0, math.inf)
        triplets = sp.coo_matrix(block)
        rows_ = np.concatenate([triplets.row, units, units])
        cols_ = np.concatenate([triplets.col + s0, sf + units, np.full(n_units, nat)])
        vals_ = np.concatenate([triplets.data, np.ones(n_units), np.full(n_units, -threshold)])
        m.triplet_rows(n_units, rows_, cols_, vals_, -const, math.inf)
        weights = np.array([forms.population_last[u] / forms.population_total_last for u in forms.units])
        out.national, out.weights, out.threshold = nat, weights, threshold
        loss = m.columns(1, -math.inf, math.inf)
        out.loss = loss
        out.loss_row = m.triplet_rows(1, np.zeros(n_units + 1, int), np.r_[loss, sf + units], np.r_[1.0, -weights],
                                      0.0, 0.0)
        return out
    if metric == "national_growth":
        loss = m.columns(1, -math.inf, math.inf)
        out.loss = loss
        used = np.flatnonzero(growth)
        out.loss_row = m.triplet_rows(1, np.zeros(len(used) + 1, int), np.r_[loss, s0 + used], np.r_[1.0, growth[used]],
                                      0.0, 0.0)
        return out
    raise ValueError(f"no robust form for {metric}")


@dataclass(frozen=True, eq=False)
class RobustResult:
    """A robust plan, its draws and how it does on them (:meth:`to_json`)."""

    scenario: Any
    risk: Risk
    draws: DrawSet
    status: str
    allocation: pd.DataFrame  # unit_id, direction, year, bn_kzt, part
    objective_linear: float | None  # the risk value of the draws' metrics in the linear model at the plan
    objective_linearised: float | None  # what the LP's (linearised) objective says
    by_draw: list[dict[str, Any]]
    central: dict[str, Any]
    iterations: int
    timings: dict[str, float]
    notes: list[Text]  # English on the command line (``str``), any language in the app (message ids)
    metric: str
    sense: str

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``roadmap solve --robust``; its ``allocation`` is what simulate, roadmap and sweep read."""
        simulated = [d["simulated"] for d in self.by_draw]
        sign = 1.0 if self.sense == "min" else -1.0
        return json_safe({
            "kind": "robust_plan", "scenario": self.scenario.to_dict(), "objective": self.scenario.objective,
            "metric": self.metric, "sense": self.sense, "risk": self.risk.label, "status": self.status,
            "draws": {"count": len(self.draws.values), "seed": self.draws.seed,
                      "sampling": "Latin hypercube (scipy.stats.qmc.LatinHypercube) over each parameter's "
                                  "low-high range",
                      "parameters": [p.__dict__ for p in self.draws.parameters], "values": self.draws.values},
            "in_sample": {
                "objective_linear_model": self.objective_linear,
                "objective_linearised": self.objective_linearised,
                "ratio_linearisation_error": (None if self.objective_linear is None or self.objective_linearised is None
                                              else self.objective_linear - self.objective_linearised),
                "objective_simulated": sign * self.risk.value([sign * v for v in simulated]) if simulated else None,
                "metric_mean_simulated": float(np.mean(simulated)) if simulated else None,
                "metric_p95_simulated": float(np.quantile(simulated, 0.95)) if simulated else None,
                "metric_p05_simulated": float(np.quantile(simulated, 0.05)) if simulated else None,
                "largest_linear_gap": max((abs(d["linear"] - d["simulated"]) for d in self.by_draw), default=None),
                "central_plan": self.central},
            "iterations": self.iterations, "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "method": [p.strip() for p in (__doc__ or "").split("\n\n")[1:7]], "notes": [str(n) for n in self.notes],
            "note_messages": [n.to_json() for n in self.notes],
            "by_draw": self.by_draw,
            "allocation": self.allocation.to_dict(orient="records")})


def solve_robust(study: Study, draws: int = DEFAULT_DRAWS, seed: int = 0, risk: Risk | str = "expected",
                 parameters: Iterable[str] | None = None, time_limit: float | None = None,
                 draw_set: DrawSet | None = None, compare_central: bool = True,
                 progress: Progress | None = None) -> RobustResult:
    """The robust plan of ``study``'s scenario over ``draws`` draws (module text).

    Raises
    ------
    ScenarioError
        For an objective without a robust form, or bad ``draws`` or ``risk``.
    """
    from engine.allocation.objectives import FIX_TOLERANCE, METRICS, tiebreak_weights

    risk = parse_risk(risk) if isinstance(risk, str) else risk
    scenario = study.scenario
    if scenario.objective not in ROBUST_OBJECTIVES:
        raise ScenarioError([problem("--robust", "pr_robust_objectives", None, "objective", scenario.objective,
                                     allowed=', '.join(ROBUST_OBJECTIVES),
                                     objective=scenario.objective)])
    timings: dict[str, float] = {}
    started = time.perf_counter()
    ds = draw_set or build_draws(study, draws, seed, parameters, progress=progress)
    timings["draws_seconds"] = ds.seconds
    central = ds.central
    metric, sense, _, _ = METRICS[scenario.objective]
    built = time.perf_counter()
    m = _Model()
    n_cells = len(central.forms.cell_keys)
    in_horizon = np.isin([k[2] for k in central.forms.cell_keys], list(scenario.budget_bn_kzt))
    x0 = m.columns(n_cells, 0.0, np.where(in_horizon, central.forms.cell_capacity, 0.0))
    _shared_rows(m, central, x0)
    blocks = [_draw_block(m, prep, central, x0, metric) for prep in ds.preps]
    k = len(blocks)
    loss_cols = np.array([b.loss for b in blocks])
    cost = np.zeros(0)
    if risk.kind == "worst":
        t = m.columns(1, -math.inf, math.inf)
        m.triplet_rows(k, np.r_[np.arange(k), np.arange(k)], np.r_[np.full(k, t), loss_cols],
                       np.r_[np.ones(k), -np.ones(k)], 0.0, math.inf)
        cost_of = {t: 1.0}
    elif risk.kind == "cvar":
        eta = m.columns(1, -math.inf, math.inf)
        z = m.columns(k, 0.0, math.inf)
        m.triplet_rows(k, np.r_[np.arange(k), np.arange(k), np.arange(k)],
                       np.r_[z + np.arange(k), loss_cols, np.full(k, eta)],
                       np.r_[np.ones(k), -np.ones(k), np.ones(k)], 0.0, math.inf)
        cost_of = {eta: 1.0, **{z + i: 1.0 / ((1.0 - risk.alpha) * k) for i in range(k)}}
    else:
        cost_of = {int(c): 1.0 / k for c in loss_cols}
    cost = np.zeros(m.n_cols)
    for col, c in cost_of.items():
        cost[col] = c
    tiebreak = _cell_tiebreak(central, tiebreak_weights)
    if metric == "national_growth":
        cost[x0:x0 + n_cells] -= tiebreak
    highs = _load(m, cost, time_limit)
    timings["build_seconds"] = time.perf_counter() - built
    notes: list[Text] = []
    solve_started = time.perf_counter()
    ratio = metric == "max_min_ratio"
    point = [(float(b.const.max() / b.const.min()), float(b.const.min())) for b in blocks] if ratio else []
    best: tuple[float, np.ndarray, list] | None = None
    iterations = 0
    status = "optimal"
    for step in range(1, (MAX_ITERATIONS if ratio else 1) + 1):
        iterations = step
        if ratio:
            _linearise(highs, blocks, point)
        solved, x = _run(highs)
        if not solved:
            status = _status_text(highs)
            break
        linear = _linear_metrics(blocks, x, metric)
        value = risk.value(linear if sense == "min" else -linear)
        if best is None or value < best[0] - 1e-12:
            best = (value, x, list(point))
        if not ratio:
            break
        new_point = [(float(v), float(_lowest(b, x))) for v, b in zip(linear, blocks, strict=True)]
        moved = max(abs(a[0] - b[0]) / b[0] for a, b in zip(new_point, point, strict=True))
        point = new_point
        if moved < RATIO_STEP:
            break
    else:
        if ratio:
            notes.append(Text("rb_note_not_settled", {"iterations": MAX_ITERATIONS, "step": RATIO_STEP}))
    timings["primary_seconds"] = time.perf_counter() - solve_started
    if best is None:
        return RobustResult(scenario, risk, ds, status, pd.DataFrame(columns=["unit_id", "direction", "year",
                                                                              "bn_kzt", "part"]),
                            None, None, [], {}, iterations, timings, notes, metric, sense)
    value, x, _ = best
    linear = _linear_metrics(blocks, x, metric)
    objective_linear = risk.value(linear if sense == "min" else -linear)
    linearised = objective_linear if ratio else value
    if ratio:  # the linearisation at the plan itself: exact there, so the plan meets the hold
        point = [(float(v), float(_lowest(b, x))) for v, b in zip(linear, blocks, strict=True)]
        _linearise(highs, blocks, point)
    if metric != "national_growth":
        second = time.perf_counter()
        held = objective_linear if ratio else float(cost @ x)
        level = held + FIX_TOLERANCE * max(1.0, abs(held))
        used = np.flatnonzero(cost)
        highs.addRow(-math.inf, level, len(used), used.astype(np.int32), cost[used])
        # growth per bn of each cell's first segment at the central values, less what a draw cannot absorb: on
        # the cell amounts alone this stage solves in a second, the mean growth of every draw's levers took 12 s
        per_bn = _cell_growth(central)
        growth_cost = np.zeros(m.n_cols)
        growth_cost[x0:x0 + n_cells] = -per_bn - tiebreak
        for b in blocks:
            growth_cost[b.unabsorbed:b.unabsorbed + len(b.short)] = per_bn[b.short] / k
        highs.changeColsCost(m.n_cols, np.arange(m.n_cols, dtype=np.int32), growth_cost)
        highs.clearSolver()  # from the previous basis, primal simplex took 30x longer than a fresh dual solve
        solved, x2 = _run(highs)
        if solved:
            x = x2
            linear = _linear_metrics(blocks, x, metric)
            objective_linear = risk.value(linear if sense == "min" else -linear)
        else:
            notes.append(Text("rb_note_growth_failed", {"status": _STATUS_TEXTS[_status_text(highs)]}))
        timings["growth_seconds"] = time.perf_counter() - second
    if sense == "max":
        objective_linear, linearised = -objective_linear, -linearised
    allocation = _allocation(central, x[x0:x0 + n_cells])
    checked = time.perf_counter()
    by_draw = [_check_draw(i, prep, allocation, float(lin), ds.values[i])
               for i, (prep, lin) in enumerate(zip(ds.preps, linear, strict=True))]
    central_summary: dict[str, Any] = {}
    if compare_central:
        central_summary = _central_on_draws(central, ds, risk, sense)
    timings["check_seconds"] = time.perf_counter() - checked
    timings["total_seconds"] = time.perf_counter() - started
    unabsorbed = sum(d["unspent_bn"] for d in by_draw) / max(1, k)
    if unabsorbed > 1e-6:
        notes.append(Text("rb_note_unabsorbed", {"bn": unabsorbed}))
    return RobustResult(scenario, risk, ds, "optimal", allocation, objective_linear, linearised, by_draw,
                        central_summary, iterations, timings, notes, metric, sense)


def _cell_tiebreak(central: Prepared, tiebreak_weights: Callable) -> np.ndarray:
    """The optimizer's tie-break per bn (engine.allocation.objectives), by central cell."""
    forms = central.forms
    weights = tiebreak_weights(forms)
    per_lever = np.array([weights[n] for n in forms.names])
    out = np.zeros(len(forms.cell_keys))
    np.maximum.at(out, forms.lever_cell, per_lever)
    return out


def _cell_growth(central: Prepared) -> np.ndarray:
    """National growth per bn of each central cell's first segment (the most it yields per bn)."""
    forms = central.forms
    out = np.zeros(len(forms.cell_keys))
    np.maximum.at(out, forms.lever_cell, forms.growth)
    return out


def _load(m: _Model, cost: np.ndarray, time_limit: float | None) -> Any:
    import highspy

    a = m.matrix()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m.n_cols, m.n_rows
    inf = highspy.kHighsInf
    lp.col_cost_ = cost
    lp.col_lower_ = np.where(np.isfinite(low := np.concatenate(m.low)), low, -inf)
    lp.col_upper_ = np.where(np.isfinite(high := np.concatenate(m.high)), high, inf)
    lp.row_lower_ = np.where(np.isfinite(rl := np.concatenate(m.row_low)), rl, -inf)
    lp.row_upper_ = np.where(np.isfinite(rh := np.concatenate(m.row_high)), rh, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    from engine.allocation.solve import _quiet_stdout

    with _quiet_stdout():  # HiGHS prints a banner on its first use
        highs = highspy.Highs()
    # one thread, as every solve of the engine (docs: HiGHS threads in the pitfalls of the stack)
    for key, value in {"output_flag": False, "threads": 1, "random_seed": 0,
                       **({"time_limit": max(0.01, float(time_limit))} if time_limit else {})}.items():
        highs.setOptionValue(key, value)
    highs.passModel(lp)
    return highs


def _run(highs: Any) -> tuple[bool, np.ndarray]:
    import highspy

    if highs.run() == highspy.HighsStatus.kError and highs.getModelStatus() == highspy.HighsModelStatus.kNotset:
        highspy.Highs.resetGlobalScheduler(True)  # another HiGHS user started the scheduler with more threads
        highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return False, np.zeros(0)
    return True, np.asarray(highs.getSolution().col_value, dtype=float)


#: the statuses of :func:`_status_text` as a note shows them (their English is the status itself)
_STATUS_TEXTS = {"infeasible": Text("rb_status_infeasible"), "time_limit": Text("rb_status_time_limit"),
                 "error": Text("rb_status_error")}


def _status_text(highs: Any) -> str:
    import highspy

    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible"
    if status == highspy.HighsModelStatus.kTimeLimit:
        return "time_limit"
    return "error"


def _per_capita(b: _DrawBlock, x: np.ndarray) -> np.ndarray:
    return b.const + b.block @ x[b.levers:b.levers + b.width]


def _lowest(b: _DrawBlock, x: np.ndarray) -> float:
    return float(_per_capita(b, x).min())


def _linear_metrics(blocks: list[_DrawBlock], x: np.ndarray, metric: str) -> np.ndarray:
    """Each draw's metric in the linear model at ``x``, exactly (the ratio as max / min, not linearised)."""
    out = []
    for b in blocks:
        if metric == "max_min_ratio":
            y = _per_capita(b, x)
            out.append(float(y.max() / y.min()))
        elif metric == "min_grp_per_capita":
            out.append(_lowest(b, x))
        elif metric == "national_growth":
            out.append(float(b.growth @ x[b.levers:b.levers + b.width]))
        else:  # the shortfall from its definition (its variables may lie above it where they do not bind)
            gap = np.maximum(b.threshold * x[b.national] - _per_capita(b, x), 0.0)
            out.append(float(b.weights @ gap))
    return np.array(out)


def _linearise(highs: Any, blocks: list[_DrawBlock], point: list[tuple[float, float]]) -> None:
    """loss_d = r + (U_d - r L_d) / Lbar: the row ``loss_d - U_d / Lbar + r L_d / Lbar = r`` (module text)."""
    for b, (r, lbar) in zip(blocks, point, strict=True):
        highs.changeCoeff(b.loss_row, b.high, -1.0 / lbar)
        highs.changeCoeff(b.loss_row, b.low, r / lbar)
        highs.changeRowBounds(b.loss_row, r, r)


def _allocation(central: Prepared, amounts: np.ndarray) -> pd.DataFrame:
    from engine.allocation.report import ALLOCATION_DECIMALS, ALLOCATION_FLOOR_BN

    forms = central.forms
    rows = []
    for c in forms.cell_order.tolist():
        amount = float(amounts[c])
        if amount >= ALLOCATION_FLOOR_BN:
            unit, direction, year = forms.cell_keys[c]
            rows.append((unit, direction, year, round(amount, ALLOCATION_DECIMALS),
                         forms.parts.part_of(unit, direction)))
    return pd.DataFrame(rows, columns=["unit_id", "direction", "year", "bn_kzt", "part"])


def _check_draw(index: int, prep: Prepared, allocation: pd.DataFrame, linear: float, overrides: Mapping[str, float],
                ) -> dict[str, Any]:
    """A draw re-simulated exactly: the plan's metric, the draw's no-policy metric, unspent money."""
    from engine.model.simulate import simulate_spending

    spending, unspent = fit_allocation(prep.model, allocation)
    plan = simulate_spending(prep.model, spending)
    simulated = scored_metric(prep, plan, spending)
    none = scored_metric(prep, prep.no_policy, np.zeros(len(spending)))
    return {"draw": index, "linear": linear, "simulated": simulated, "no_policy": none,
            "effect": simulated - none, "unspent_bn": unspent}


def _central_on_draws(central: Prepared, ds: DrawSet, risk: Risk, sense: str) -> dict[str, Any]:
    """The plan optimized at the central values, simulated on the same draws (an in-sample comparison)."""
    from engine.allocation.run import solve_plan
    from engine.model.simulate import simulate_spending

    plan = solve_plan(central)
    if plan.status.value not in ("optimal", "time_limit_feasible"):
        return {}
    values = []
    for prep in ds.preps:
        spending, _ = fit_allocation(prep.model, plan.allocation)
        values.append(scored_metric(prep, simulate_spending(prep.model, spending), spending))
    sign = 1.0 if sense == "min" else -1.0
    return {"objective_simulated": sign * risk.value([sign * v for v in values]),
            "metric_mean_simulated": float(np.mean(values)), "by_draw": values,
            "allocation": plan.allocation.to_dict(orient="records")}


__all__ = ["DEFAULT_DRAWS", "ROBUST_OBJECTIVES", "DrawSet", "Risk", "RobustResult", "build_draws", "parse_risk",
           "solve_robust"]

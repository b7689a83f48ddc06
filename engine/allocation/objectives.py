"""The planner's objectives as linear programs, and the metrics they optimise.

Every objective is solved in two stages: the **primary** stage optimises the planner's metric; the
**growth** stage holds that metric at its optimum (within :data:`FIX_TOLERANCE`, relative) and spends what
the first stage leaves open on national growth. ``national_growth`` is one stage. Metrics are evaluated at the horizon's
last year T unless stated:

* ``max_min_ratio``: max_i y_i / min_i y_i, minimised exactly by the Charnes-Cooper transformation of the
  linear-fractional program (variables scaled by t = 1/L with L' = 1), so one LP's optimum is the ratio;
  above :data:`LARGE_MODEL_LEVERS` levers by Dinkelbach's parametric method
  (:func:`engine.allocation.solve.solve_fraction`), which reaches the same optimum;
* ``maximin``: min_i y_i (thousand tenge), maximised;
* ``shortfall``: sum_i P_i max(0, theta x ybar - y_i) / sum_i P_i (thousand tenge per person), minimised;
* ``problem_regions``: the number of problem regions, minimised by a MILP with a binary per unit whose
  status the GRP-per-capita rule decides (big-M rows); units that other rules make problem regions (their
  indicators held at the data) are constants;
* ``share_below`` (metric ``share_pop_below_75pct``): the share of the population living in units below
  :data:`SHARE_BELOW_THRESHOLD` of the population-weighted national mean at T, minimised by a MILP with one
  binary z_i per unit the plan can move across the line: ``y_i - 0.75 x ybar + M_i z_i >= margin``, ybar
  the national mean as the linear model's expression of the plan (GRP over population, not its no-policy
  value), M_i a valid big-M from the bounds of the gap; the objective is ``sum_i w_i z_i`` plus the weights
  of the units below whatever the plan. w_i is the unit's share of the population at T on the no-policy
  path: the one approximation, since a plan that moves people changes the weights a little (the simulated
  share is reported next to the linear one, and a test re-evaluates the plan and counts);
* ``national_growth``: national GRP gain summed over the horizon years (bn), maximised;
* ``blend``: w x (S0 - S) / (S0 - Smin) + (1 - w) x G / Gmax with w the scenario's ``equity_weight``,
  S the shortfall, S0 its no-policy value, Smin its optimum and Gmax the largest growth (the growth
  stage's optimum as the solver reports it, less its tie-break term): both terms are
  shares of the best achievable, so 0 <= score <= 1.

**Tie-break.** The growth stage adds ``TIEBREAK_PER_BN x (1 + r_i)`` per bn spent in unit i, where r_i is
1 for the unit with the lowest base-year GRP per capita falling to 0 for the highest. Among plans whose
growth differs by less than that, the one spending more in poorer units wins, so the same scenario gives
the same allocation with any solver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from engine.allocation.build import (
    EQ,
    GE,
    LE,
    MAX,
    MIN,
    LinearProgram,
    RowInfo,
    build_base_program,
    combine,
    growth_expression,
    homogenize,
    national_expression,
    per_capita_block,
    safe_name,
)
from engine.allocation.forms import LinearForms
from engine.allocation.solve import HighsModel, Solution, solve_fraction, solve_program
from engine.core.errors import ScenarioError, problem
from engine.core.scenario import Scenario

TIEBREAK_PER_BN = 1e-4
# Above this many levers a model is large. The max/min ratio is then solved by the parametric method (the
# Charnes-Cooper capacity rows take minutes at the settlement level, the parametric LPs keep bounds as bounds),
# and the stages' LPs run with the options below.
LARGE_MODEL_LEVERS = 20_000
# Up to this many levers the max/min ratio is one Charnes-Cooper LP; above, the parametric method. At the region
# level (1,152 levers) the parametric LPs, warm-started, take half the time of the Charnes-Cooper one, whose
# bounds become rows (7.8 ms against 15.5 ms, the same optimum to 1e-15; bench.optimizer)
CHARNES_COOPER_MAX_LEVERS = 0
#: The objectives solved as a MILP, and the most levers they are solved for. Measured (bench scale): at the
#: district level (9,432 levers) each solves in under a second; at the settlement level (about 300,000) HiGHS
#: found no feasible plan in 60-120 s and the process grew to 22 GB, so such a model is refused with a message.
MILP_OBJECTIVES = ("problem_regions", "share_below")
MILP_MAX_LEVERS = 100_000
# HiGHS's presolve removes 3% of the rows of a settlement-level stage in 2 to 4 s; without it, and without
# scaling (which leaves the dual simplex more iterations there), the growth stage takes 5.4 s instead of 9.9 s.
# The parametric stage is faster with scaling (0.6 s against 0.9 s for its first LP). Measured by bench.scale.
LARGE_LP_OPTIONS: dict[str, object] = {"presolve": "off", "simplex_scale_strategy": 0}
LARGE_FRACTION_OPTIONS: dict[str, object] = {"presolve": "off"}
# Relative slack when a stage-1 optimum is held in stage 2: the solvers accept rows violated by 1e-7 of their
# scale, so a tighter hold is noise and can make stage 2 infeasible by rounding (CBC on the blend did). 1e-6 of
# the max/min ratio is 0.00001 at a ratio of 8; every growth stage reports the slack it held.
FIX_TOLERANCE = 1e-6
GRP_INDICATOR = "grp_per_capita"
NATIONAL = "national_mean"

#: The equity metric a frontier holds for each objective (the others hold the shortfall).
EQUITY_OBJECTIVES = {"max_min_ratio": "max_min_ratio", "maximin": "maximin", "shortfall": "shortfall",
                     "problem_regions": "problem_regions", "share_below": "share_below"}
#: The share of the national mean the ``share_below`` objective counts people below (the metric
#: ``share_pop_below_75pct`` of engine/core/metrics.py; the same 75% line as the problem-region rule).
SHARE_BELOW_THRESHOLD = 0.75

METRICS = {
    # objective -> (metric, sense, unit, label)
    "max_min_ratio": ("max_min_ratio", MIN, "ratio", "the max/min ratio of GRP per capita"),
    "maximin": ("min_grp_per_capita", MAX, "thousand tenge per person", "the lowest GRP per capita"),
    "shortfall": ("shortfall", MIN, "thousand tenge per person",
                  "the population-weighted shortfall below the threshold share of the national mean"),
    "problem_regions": ("problem_regions", MIN, "regions", "the number of problem regions"),
    "share_below": ("share_pop_below_75pct", MIN, "share of population",
                    "the share of the population in units below 75% of the national mean"),
    "national_growth": ("national_growth", MAX, "bn tenge", "national GRP gain summed over the horizon"),
    "blend": ("blend_score", MAX, "score 0-1", "the blend of equity and growth"),
}


@dataclass(frozen=True)
class MovedRule:
    """A problem-region rule on an indicator a plan moves linearly (unemployment, through the Okun link): per
    unit the rule decides, its clearance ``const + coeffs . x`` (>= 0: the rule does not flag the unit) and
    a valid big-M."""

    rule_id: str
    indicator: str
    rows: dict[str, tuple[float, dict[str, float], float]] = field(default_factory=dict)

    def clearance(self, unit: str, values: Mapping[str, float]) -> float:
        const, coeffs, _ = self.rows[unit]
        return const + sum(c * values.get(v, 0.0) for v, c in coeffs.items())


@dataclass(frozen=True)
class ProblemRegionSetup:
    """How the problem-region count depends on GRP per capita at T, and on the indicators a plan moves
    (``moved``: unemployment), see the module text."""

    rule_id: str
    kind: str
    threshold: float
    margin: float
    always: tuple[str, ...]
    never: tuple[str, ...]
    decided: dict[str, float] = field(default_factory=dict)  # unit -> big-M of the GRP rule
    moved: tuple[MovedRule, ...] = ()

    @property
    def constant(self) -> int:
        return len(self.always)

    @property
    def binary_units(self) -> list[str]:
        """Units with a binary: some rule can change their status."""
        return sorted(set(self.decided).union(*(m.rows for m in self.moved)))


@dataclass(frozen=True)
class ShareBelowSetup:
    """How the share of people below the line depends on GRP per capita at T (module text, ``share_below``)."""

    threshold: float
    margin: float
    weights: dict[str, float]  # unit -> its share of the population at T (no-policy path)
    always: tuple[str, ...]
    never: tuple[str, ...]
    decided: dict[str, float] = field(default_factory=dict)  # unit -> big-M

    @property
    def constant(self) -> float:
        return float(sum(self.weights[u] for u in self.always))


@dataclass(frozen=True)
class Anchors:
    """Values other stages need: the blend's normalisation, the problem-region and the share-below setups."""

    shortfall_none: float = 0.0
    shortfall_best: float = 0.0
    growth_best: float = 1.0
    problems: ProblemRegionSetup | None = None
    below: ShareBelowSetup | None = None
    # the blend's shortfall anchor as solved: the blend's first stage has the same columns and rows, so HiGHS
    # starts from its optimal basis (settlement level: 6.7 s against 27 s cold, bench.scale)
    start: Solution | None = field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------------------------------------------
# Rows of the metrics
# ---------------------------------------------------------------------------------------------------

def _unit_rows(lp: LinearProgram, forms: LinearForms, prefix: str, rule: str, weight: float,
               extra: list[tuple[np.ndarray, np.ndarray]], sense: str, rhs: np.ndarray,
               units: list[int] | None = None) -> None:
    """One row per unit: ``weight x y_i(T)`` (its first-order coefficients) plus ``extra`` columns
    (column index per row, coefficient per row), named ``<prefix>_<unit>``."""
    _, block = per_capita_block(forms)
    picked = list(range(len(forms.units))) if units is None else units
    block = block[picked] * weight
    n_rows, n = len(picked), len(lp.variable_names)
    rows = [block.tocoo()]
    for column, values in extra:
        rows.append(sp.coo_matrix((values, (np.arange(n_rows), column)), shape=(n_rows, n)))
    matrix = sp.hstack([rows[0], sp.csr_matrix((n_rows, n - block.shape[1]))], format="csr")
    for part in rows[1:]:
        matrix = matrix + part.tocsr()
    names = [f"{prefix}_{safe_name(forms.units[i])}" for i in picked]
    infos = [RowInfo(rule, unit=forms.units[i], year=forms.last_year) for i in picked]
    lp.add_rows(names, matrix, sense, rhs, infos)


def per_capita_range(lp: LinearProgram, forms: LinearForms) -> tuple[np.ndarray, np.ndarray]:
    """Bounds no plan can cross on each unit's GRP per capita at T (first order): every variable of
    :func:`per_capita_block` at zero or at its upper bound in the program, whichever moves the unit more
    (a bonus variable at the smaller of its two ceilings; resettlers at what the origin's levers can move)."""
    const, block = per_capita_block(forms)
    n_levers = len(forms.names)
    _, high = lp.bounds()
    lever_high = high[:n_levers]
    bonus_high = forms.bonus_ceiling(lever_high)
    movers_high = (np.asarray(forms.mobility_factor[0].T @ lever_high).ravel() if forms.mobility_factor is not None
                   else np.zeros(0))
    top = np.concatenate([lever_high, bonus_high, movers_high])
    return (const + np.asarray(block.minimum(0) @ top).ravel(), const + np.asarray(block.maximum(0) @ top).ravel())


def add_floor_rows(lp: LinearProgram, forms: LinearForms) -> str:
    """``L <= y_i(T)`` for the units that can be lowest; returns the name of L.

    A unit whose lowest reachable value (:func:`per_capita_range`) is above the smallest highest reachable
    value of any unit is never the lowest, so its row is left out: the optimum is unchanged, and at the
    settlement level thousands of rows that could only slow the solver go.
    """
    floor, top = per_capita_range(lp, forms)
    keep = np.flatnonzero(floor <= top.min() * (1 + 1e-9) + 1e-9).tolist()
    low = lp.index_of(lp.add_variable("lowest", 0.0, None))
    const, _ = per_capita_block(forms)
    n = len(keep)
    _unit_rows(lp, forms, "floor", "floor", 1.0, [(np.full(n, low), -np.ones(n))], GE, -const[keep], keep)
    return "lowest"


def add_ceiling_rows(lp: LinearProgram, forms: LinearForms) -> str:
    """``U >= y_i(T)`` for the units that can be highest (as :func:`add_floor_rows`); returns the name of U."""
    floor, top = per_capita_range(lp, forms)
    keep = np.flatnonzero(top >= floor.max() * (1 - 1e-9) - 1e-9).tolist()
    high = lp.index_of(lp.add_variable("highest", 0.0, None))
    const, _ = per_capita_block(forms)
    n = len(keep)
    _unit_rows(lp, forms, "ceiling", "ceiling", -1.0, [(np.full(n, high), np.ones(n))], GE, const[keep], keep)
    return "highest"


def population_weights(forms: LinearForms) -> dict[str, float]:
    return {u: forms.population_last[u] / forms.population_total_last for u in forms.units}


def add_national_variable(lp: LinearProgram, forms: LinearForms) -> str:
    """The national mean GRP per capita at T as one variable (its defining row keeps the other rows sparse)."""
    if NATIONAL not in lp.variables:
        const, coeffs = national_expression(forms)
        lp.add_variable(NATIONAL, 0.0, None)
        lp.add_row("national_def", combine((1.0, {NATIONAL: 1.0}), (-1.0, coeffs)), EQ, const,
                   RowInfo("national_def", year=forms.last_year))
    return NATIONAL


def add_shortfall_rows(lp: LinearProgram, forms: LinearForms, threshold: float) -> dict[str, float]:
    """``s_i >= theta x ybar(T) - y_i(T)``, ``s_i >= 0``; returns the weighted sum as coefficients."""
    national = lp.index_of(add_national_variable(lp, forms))
    weights = population_weights(forms)
    names = [f"shortfall_{safe_name(u)}" for u in forms.units]
    first = lp.add_variables(names)
    n = len(forms.units)
    const, _ = per_capita_block(forms)
    _unit_rows(lp, forms, "shortfall_def", "shortfall_def", 1.0,
               [(first + np.arange(n), np.ones(n)), (np.full(n, national), np.full(n, -threshold))], GE, -const)
    return {name: weights[u] for name, u in zip(names, forms.units, strict=True)}


def add_problem_rows(lp: LinearProgram, forms: LinearForms, setup: ProblemRegionSetup) -> dict[str, float]:
    """``y_i - theta x ybar + M_i z_i >= margin`` (or ``y_i + M_i z_i >= threshold + margin``) per unit the GRP
    rule decides, and ``clearance_ri(x) + M_ri z_i >= 0`` per unit a moved rule decides, sharing z_i."""
    binary = setup.binary_units
    if not binary:
        return {}
    index = {u: i for i, u in enumerate(forms.units)}
    names = [lp.add_variable(f"problem_{safe_name(u)}", 0.0, 1.0, integer=True) for u in binary]
    z_of = dict(zip(binary, names, strict=True))
    decided = sorted(setup.decided.items())
    if decided:
        national = (lp.index_of(add_national_variable(lp, forms)) if setup.kind == "below_share_of_national"
                    else None)
        z = np.array([lp.index_of(z_of[u]) for u, _ in decided])
        const, _ = per_capita_block(forms)
        picked = [index[u] for u, _ in decided]
        extra = [(z, np.array([m for _, m in decided]))]
        if national is not None:
            extra.append((np.full(len(picked), national), np.full(len(picked), -setup.threshold)))
            rhs = -const[picked] + setup.margin
        else:
            rhs = setup.threshold - const[picked] + setup.margin
        _unit_rows(lp, forms, "problem_def", "problem_def", 1.0, extra, GE, rhs, picked)
    for rule in setup.moved:
        for unit, (const, coeffs, big_m) in sorted(rule.rows.items()):
            lp.add_row(f"problem_{safe_name(rule.rule_id)}_{safe_name(unit)}", {**coeffs, z_of[unit]: big_m}, GE,
                       -const, RowInfo(rule.rule_id, unit=unit, year=forms.last_year))
    return dict.fromkeys(names, 1.0)


def add_share_below_rows(lp: LinearProgram, forms: LinearForms, setup: ShareBelowSetup) -> dict[str, float]:
    """``y_i - theta x ybar + M_i z_i >= margin`` per decided unit; returns ``{z_i: w_i}`` (module text)."""
    decided = sorted(setup.decided.items())
    if not decided:
        return {}
    index = {u: i for i, u in enumerate(forms.units)}
    national = lp.index_of(add_national_variable(lp, forms))
    names = [lp.add_variable(f"below_{safe_name(u)}", 0.0, 1.0, integer=True) for u, _ in decided]
    z = np.array([lp.index_of(n) for n in names])
    const, _ = per_capita_block(forms)
    picked = [index[u] for u, _ in decided]
    n = len(picked)
    extra = [(z, np.array([m for _, m in decided])), (np.full(n, national), np.full(n, -setup.threshold))]
    _unit_rows(lp, forms, "below_def", "below_def", 1.0, extra, GE, -const[picked] + setup.margin, picked)
    return {name: setup.weights[u] for name, (u, _) in zip(names, decided, strict=True)}


def tiebreak_weights(forms: LinearForms) -> dict[str, float]:
    """Per-lever tie-break bonus, higher for units with lower base-year GRP per capita (module text)."""
    return dict(zip(forms.names, tiebreak_array(forms).tolist(), strict=True))


def tiebreak_array(forms: LinearForms) -> np.ndarray:
    """:func:`tiebreak_weights` in lever order, kept on the forms (do not modify it)."""
    cached = forms.__dict__.get("_tiebreak_array")
    if cached is None:
        base = forms.model.baseline
        y0 = base.grp_per_capita[base.base_year]
        order = sorted(forms.units, key=lambda u: (float(y0[u]), u))
        n = max(1, len(order) - 1)
        score = {u: 1.0 + (n - i) / n for i, u in enumerate(order)}
        by_unit = np.array([TIEBREAK_PER_BN * score[u] for u in forms.units])
        cached = forms.__dict__["_tiebreak_array"] = by_unit[forms.lever_unit]
    return cached


def growth_objective(forms: LinearForms, tiebreak: bool = True) -> dict[str, float]:
    """National growth plus (by default) the tie-break, by variable; the same dictionary on every call with
    the same forms (copy it to change it)."""
    key = f"_growth_objective_{tiebreak}"
    cached = forms.__dict__.get(key)
    if cached is None:
        if not tiebreak:
            cached = growth_expression(forms)
        else:
            # growth_expression + tiebreak_weights as combine() adds them: the levers with growth (growth plus
            # tie-break), the bonus variables, then the levers with a tie-break alone
            weights = tiebreak_array(forms)
            growth = np.asarray(forms.growth, dtype=float)
            used = growth != 0
            names = forms.names
            cached = dict(zip([names[k] for k in np.flatnonzero(used).tolist()],
                              (growth[used] + weights[used]).tolist(), strict=True))
            cached.update(dict.fromkeys(forms.bonus_names, 1.0))
            cached.update(zip([names[k] for k in np.flatnonzero(~used).tolist()], weights[~used].tolist(),
                              strict=True))
        forms.__dict__[key] = cached  # a cache on the frozen forms, like functools.cached_property
    return cached


def blend_coefficients(forms: LinearForms, scenario: Scenario, anchors: Anchors,
                       shortfall: dict[str, float]) -> dict[str, float]:
    """The blend score without its constant ``w x S0 / (S0 - Smin)`` (module text)."""
    w = scenario.equity_weight
    span = anchors.shortfall_none - anchors.shortfall_best
    parts: list[tuple[float, dict[str, float]]] = [((1 - w) / anchors.growth_best, growth_expression(forms))]
    if span > 1e-9 and w > 0:
        parts.append((-w / span, shortfall))
    return combine(*parts)


def blend_constant(scenario: Scenario, anchors: Anchors) -> float:
    span = anchors.shortfall_none - anchors.shortfall_best
    return scenario.equity_weight * anchors.shortfall_none / span if span > 1e-9 else 0.0


# ---------------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class StageModel:
    """One model to solve: the program, what its objective means, and how to read its variables back."""

    key: str
    program: LinearProgram
    description: str
    t_scale: float | None = None  # set for a Charnes-Cooper program
    highs_options: dict[str, object] = field(default_factory=dict)
    # (numerator, denominator, a ratio no plan exceeds): the program is solved by the parametric method
    fraction: tuple[str, str, float] | None = None
    # the shared constraints and the rows of the stage's metric, before any objective or transformation, with
    # what add_metric_bound needs to bound that metric: the growth stage starts from a copy
    metric_rows: tuple[LinearProgram, Any] | None = field(default=None, repr=False)

    def original_values(self, values: Mapping[str, float]) -> Mapping[str, float]:
        """Values of the original variables (undoing the Charnes-Cooper scaling)."""
        if self.t_scale is None:
            return values
        t = values.get("cc_t", 0.0) / self.t_scale
        return {k: v / t for k, v in values.items() if k != "cc_t"} if t > 0 else {}


def solve_stage(stage: StageModel, solver: str, time_limit: float | None, loaded: HighsModel | None = None,
                ) -> Solution:
    """Solve one stage: its program, or for a fraction the parametric method (the objective is then the ratio).
    ``loaded``: the stage's program already in HiGHS (:func:`engine.allocation.solve.load_program`)."""
    if stage.fraction is not None:
        numerator, denominator, start = stage.fraction
        return solve_fraction(stage.program, numerator, denominator, start, solver, time_limit,
                              stage.highs_options, loaded)[0]
    return solve_program(stage.program, solver, time_limit, stage.highs_options, loaded=loaded)


def primary_stage(forms: LinearForms, scenario: Scenario, anchors: Anchors,
                  hold: tuple[str, float] | None = None) -> StageModel:
    """The first stage of ``scenario.objective`` (see the module text).

    ``hold`` = (metric, level) adds a bound on another metric first (the frontier holds growth this way).
    """
    objective = scenario.objective

    def base(name: str, sense: str) -> LinearProgram:
        lp = build_base_program(forms, scenario, name, sense)
        if hold is not None:
            add_metric_bound(lp, forms, scenario, hold[0], hold[1], anchors)
        return lp

    def rows(lp: LinearProgram, handle: Any) -> tuple[LinearProgram, Any] | None:
        return (lp, handle) if hold is None else None  # a held metric's rows are not the growth stage's

    if objective == "max_min_ratio":
        lp = base("max_min_ratio_stage1", MIN)
        high, low = add_metric_rows(lp, forms, scenario, "max_min_ratio", anchors)
        if len(forms.names) > CHARNES_COOPER_MAX_LEVERS:
            floor, top = per_capita_range(lp, forms)
            start = float(top.max() / floor.min()) if floor.min() > 0 else 1e9
            lp.objective = {high: 1.0, low: -start}
            return StageModel("primary", lp, "max/min ratio of GRP per capita at the horizon's last year (parametric "
                              "method: min highest - r x lowest, r updated to the ratio until it stops falling)",
                              highs_options=dict(LARGE_FRACTION_OPTIONS), fraction=(high, low, start),
                              metric_rows=rows(lp, (high, low)))
        t_scale = forms.national_last
        cc = homogenize(lp, t_scale, "max_min_ratio_stage1", implied=forms.bonus_names)
        cc.add_row("normalise_lowest", {low: 1.0}, EQ, 1.0, RowInfo("normalise"), homogeneous=False)
        cc.objective = {high: 1.0}
        # the capacity rows x' <= cap t slow HiGHS's default equilibration; max-value scaling solves the same
        # model in about a third of the time (measured by bench.optimizer)
        return StageModel("primary", cc, "max/min ratio of GRP per capita at the horizon's last year "
                          "(Charnes-Cooper: the optimum is the ratio itself)", t_scale, {"simplex_scale_strategy": 4},
                          metric_rows=rows(lp, (high, low)))
    if objective == "maximin":
        lp = base("maximin_stage1", MAX)
        low = add_metric_rows(lp, forms, scenario, "min_grp_per_capita", anchors)
        lp.objective = {low: 1.0}
        return StageModel("primary", lp, "lowest GRP per capita at the horizon's last year (thousand tenge)",
                          metric_rows=rows(lp, low))
    if objective == "shortfall":
        lp = base("shortfall_stage1", MIN)
        shortfall = add_metric_rows(lp, forms, scenario, "shortfall", anchors)
        lp.objective = dict(shortfall)
        return StageModel("primary", lp, "population-weighted shortfall below "
                          f"{scenario.shortfall_threshold:g} x the national mean (thousand tenge per person)",
                          metric_rows=rows(lp, shortfall))
    if objective == "problem_regions":
        assert anchors.problems is not None
        lp = base("problem_regions_stage1", MIN)
        z = add_metric_rows(lp, forms, scenario, "problem_regions", anchors)
        lp.objective = dict(z)
        return StageModel("primary", lp, "problem regions at the horizon's last year whose status the plan can "
                          f"change (plus {anchors.problems.constant} that no plan within the budget and capacities "
                          "can lift, or that other rules keep)", metric_rows=rows(lp, z))
    if objective == "share_below":
        assert anchors.below is not None
        lp = base("share_below_stage1", MIN)
        z = add_metric_rows(lp, forms, scenario, "share_pop_below_75pct", anchors)
        lp.objective = dict(z)
        return StageModel("primary", lp, "share of the population in units below "
                          f"{anchors.below.threshold:g} x the national mean at the horizon's last year whose side "
                          f"of the line the plan can change (plus {anchors.below.constant:.4g} below it whatever "
                          "the plan)", metric_rows=rows(lp, z))
    if objective == "national_growth":
        return growth_stage(forms, scenario, hold[0] if hold else None, hold[1] if hold else 0.0, anchors,
                            key="primary")
    if objective == "blend":
        lp = base("blend_stage1", MAX)
        shortfall = add_metric_rows(lp, forms, scenario, "blend_score", anchors)
        lp.objective = blend_coefficients(forms, scenario, anchors, shortfall)
        return StageModel("primary", lp, "blend score without its constant "
                          f"{blend_constant(scenario, anchors):.6g}", metric_rows=rows(lp, shortfall))
    raise ScenarioError([problem("scenario", "pr_unknown_objective", None, "objective", objective)])


def add_metric_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario, metric: str, anchors: Anchors,
                    ) -> Any:
    """The rows and variables that measure ``metric``; returns what :func:`add_metric_bound` bounds: the names
    (highest, lowest) for the ratio, the name of the lowest value, or coefficients over variables."""
    if metric == "max_min_ratio":
        return add_ceiling_rows(lp, forms), add_floor_rows(lp, forms)
    if metric == "min_grp_per_capita":
        return add_floor_rows(lp, forms)
    if metric in ("shortfall", "blend_score"):
        return add_shortfall_rows(lp, forms, scenario.shortfall_threshold)
    if metric == "problem_regions":
        assert anchors.problems is not None
        return add_problem_rows(lp, forms, anchors.problems)
    if metric == "share_pop_below_75pct":
        assert anchors.below is not None
        return add_share_below_rows(lp, forms, anchors.below)
    if metric == "national_growth":
        return growth_expression(forms)
    raise ValueError(f"unknown metric {metric}")


def add_metric_bound(lp: LinearProgram, forms: LinearForms, scenario: Scenario, metric: str, level: float,
                     anchors: Anchors, handle: Any = None) -> None:
    """Hold ``metric`` at ``level`` (no worse): the row that fixes a stage-1 optimum or a frontier point.

    ``handle`` is what :func:`add_metric_rows` returned when ``lp`` already has the metric's rows."""
    if handle is None:
        handle = add_metric_rows(lp, forms, scenario, metric, anchors)
    info = RowInfo(f"{metric}_bound", year=forms.last_year)
    if metric == "max_min_ratio":
        high, low = handle
        lp.add_row("max_min_ratio_bound", {high: 1.0, low: -level}, LE, 0.0, info)
    elif metric == "min_grp_per_capita":
        lp.add_row("min_grp_per_capita_bound", {handle: 1.0}, GE, level, info)
    elif metric == "shortfall":
        lp.add_row("shortfall_bound", handle, LE, level, info)
    elif metric == "problem_regions":
        assert anchors.problems is not None
        if handle:
            lp.add_row("problem_regions_bound", handle, LE, round(level) - anchors.problems.constant, info)
    elif metric == "share_pop_below_75pct":
        assert anchors.below is not None
        if handle:
            lp.add_row("share_below_bound", handle, LE, level - anchors.below.constant, info)
    elif metric == "blend_score":
        lp.add_row("blend_score_bound", blend_coefficients(forms, scenario, anchors, handle), GE,
                   level - blend_constant(scenario, anchors), info)
    elif metric == "national_growth":
        lp.add_row("national_growth_bound", handle, GE, level, info)


def relaxed_level(metric: str, value: float) -> float:
    """A stage-1 optimum made a little easier to hold, so stage 2 is not infeasible by rounding."""
    if metric == "problem_regions":
        return float(round(value))
    sense = next(s for m, s, _, _ in METRICS.values() if m == metric)
    slack = FIX_TOLERANCE * max(1.0, abs(value))
    return value + slack if sense == MIN else value - slack


def growth_stage(forms: LinearForms, scenario: Scenario, metric: str | None, level: float | None,
                 anchors: Anchors, key: str = "growth", after: StageModel | None = None) -> StageModel:
    """Maximise national growth (with the tie-break), holding ``metric`` at ``level`` when given.

    ``after``: the primary stage of ``metric``, whose shared constraints and metric rows are copied instead of
    built again (the same rows in the same order). With ``after``, ``level`` may be None: the program then
    has the metric's rows but not its bound, which :func:`hold_level` adds (so the program can be built
    before the primary stage's optimum is known)."""
    name = f"{scenario.objective}_{key}"
    if metric is not None and after is not None and after.metric_rows is not None:
        lp = after.metric_rows[0].copy(name)
        lp.sense = MAX
        if level is not None:
            add_metric_bound(lp, forms, scenario, metric, level, anchors, after.metric_rows[1])
    elif metric is not None and level is None:
        raise ValueError("a growth stage holding a metric needs its level, or the primary stage's rows")
    else:
        lp = build_base_program(forms, scenario, name, MAX)
        if metric is not None:
            add_metric_bound(lp, forms, scenario, metric, float(level or 0.0), anchors)
    lp.objective = dict(growth_objective(forms))
    large = len(forms.names) > LARGE_MODEL_LEVERS and not lp.is_mip
    return StageModel(key, lp, _growth_description(metric, level),
                      highs_options=dict(LARGE_LP_OPTIONS) if large else {})


def hold_level(stage: StageModel, forms: LinearForms, scenario: Scenario, metric: str, level: float,
               anchors: Anchors, after: StageModel) -> StageModel:
    """``stage``, a growth stage built after ``after`` with no level, holding ``metric`` at ``level`` (its
    program gains the bound as its last row)."""
    assert after.metric_rows is not None
    add_metric_bound(stage.program, forms, scenario, metric, level, anchors, after.metric_rows[1])
    return replace(stage, description=_growth_description(metric, level))


def _growth_description(metric: str | None, level: float | None) -> str:
    held = "" if metric is None else (f", holding {metric} at {level:.6g}" if level is not None
                                      else f", holding {metric} (its level to be set)")
    return f"national GRP gain summed over the horizon years (bn) plus the tie-break{held}"

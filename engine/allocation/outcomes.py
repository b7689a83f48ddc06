"""Outcomes of a plan: by the optimizer's linear model, and exactly (from the simulator's trajectories).

The two differ because the linear model expands GRP per capita to first order around the baseline
population and lets the interaction bonus sit below its ceilings, while the simulator divides GRP by the
projected population and always applies the full bonus; the gap is reported with every result.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from engine.allocation.build import combine, national_expression, per_capita_block, per_capita_expression
from engine.allocation.forms import LinearForms
from engine.allocation.objectives import (
    GRP_INDICATOR,
    LARGE_MODEL_LEVERS,
    SHARE_BELOW_THRESHOLD,
    Anchors,
    MovedRule,
    ProblemRegionSetup,
    ShareBelowSetup,
)
from engine.core.context import Context
from engine.core.diagnose import evaluate_problem_regions, latest_values, metrics_for_values, rule_margins, within
from engine.core.errors import ScenarioError, problem
from engine.core.scenario import Scenario
from engine.model.labour import OKUN, UNEMPLOYMENT, unemployment_under_plan
from engine.model.simulate import PlanTrajectories

PROBLEM_MARGIN_SHARE = 2e-3  # a unit counted as lifted clears its threshold by this share in the linear model


# ---------------------------------------------------------------------------------------------------
# Linear (the optimizer's view)
# ---------------------------------------------------------------------------------------------------

def _lever_and_bonus_values(forms: LinearForms, values: Mapping[str, float]) -> np.ndarray:
    """Levers, bonus variables and (when factored) resettlers by origin, as :func:`per_capita_block` orders them."""
    x = forms.lever_values(values)
    bonus = np.array([values.get(n, 0.0) for n in forms.bonus_names], dtype=float)
    movers = (np.asarray(forms.mobility_factor[0].T @ x).ravel() if forms.mobility_factor is not None
              else np.zeros(0))
    return np.concatenate([x, bonus, movers])


def linear_per_capita(forms: LinearForms, values: Mapping[str, float]) -> dict[str, float]:
    """GRP per capita at T of every unit by the linear model (thousand tenge)."""
    const, block = per_capita_block(forms)
    y = const + np.asarray(block @ _lever_and_bonus_values(forms, values)).ravel()
    return dict(zip(forms.units, y.tolist(), strict=True))


def linear_national(forms: LinearForms, values: Mapping[str, float]) -> float:
    """National GRP per capita at T by the linear model (:func:`engine.allocation.build.national_expression`)."""
    x = forms.lever_values(values)
    bonus = sum(values.get(name, 0.0) for (_, year), name in zip(forms.bonus_keys, forms.bonus_names, strict=True)
                if year == forms.last_year)
    return forms.national_last + (float(forms.grp_last @ x) + bonus) * 1e6 / forms.population_total_last


def linear_growth(forms: LinearForms, values: Mapping[str, float]) -> float:
    """National GRP gain summed over the horizon (bn), with the bonus the LP chose."""
    x = forms.lever_values(values)
    return float(forms.growth @ x) + sum(values.get(n, 0.0) for n in forms.bonus_names)


def shortfall(y: Mapping[str, float], population: Mapping[str, float], threshold: float,
              mean: float | None = None) -> float:
    """``sum_i P_i max(0, theta x ybar - y_i) / sum_i P_i`` with ``ybar`` the population-weighted mean.

    ``mean`` replaces ybar when given (the linear model's exact national mean).

    >>> shortfall({"a": 1.0, "b": 3.0}, {"a": 1.0, "b": 1.0}, 0.75)  # ybar 2, cut 1.5: a falls 0.5 short
    0.25
    """
    total = sum(population[u] for u in y)
    if mean is None:
        mean = sum(y[u] * population[u] for u in y) / total
    return sum(population[u] * max(0.0, threshold * mean - y[u]) for u in y) / total


def share_below(y: Mapping[str, float], population: Mapping[str, float], threshold: float = SHARE_BELOW_THRESHOLD,
                mean: float | None = None) -> float:
    """The share of the population in units with ``y_i < threshold x ybar`` (``mean`` replaces ybar when given).

    >>> share_below({"a": 1.0, "b": 3.0}, {"a": 1.0, "b": 3.0})  # ybar 2.5, line 1.875: a's quarter is below
    0.25
    """
    total = sum(population[u] for u in y)
    if mean is None:
        mean = sum(y[u] * population[u] for u in y) / total
    return sum(population[u] for u in y if y[u] < threshold * mean) / total


def linear_metric(metric: str, forms: LinearForms, scenario: Scenario, values: Mapping[str, float],
                  anchors: Anchors) -> float:
    """``metric`` of a solution by the linear model (what the LP optimised)."""
    y = linear_per_capita(forms, values)
    national = linear_national(forms, values)
    if metric == "max_min_ratio":
        return max(y.values()) / min(y.values())
    if metric == "min_grp_per_capita":
        return min(y.values())
    if metric == "shortfall":
        return shortfall(y, forms.population_last, scenario.shortfall_threshold, national)
    if metric == "national_growth":
        return linear_growth(forms, values)
    if metric == "problem_regions":
        assert anchors.problems is not None
        setup = anchors.problems
        limit = setup.threshold * (national if setup.kind == "below_share_of_national" else 1.0)
        flagged = {u for u in setup.decided if y[u] < limit}
        flagged |= {u for rule in setup.moved for u in rule.rows if rule.clearance(u, values) < -1e-9}
        return float(setup.constant + len(flagged))
    if metric == "share_pop_below_75pct":
        below = anchors.below or share_below_setup(forms, scenario)
        line = below.threshold * national
        return below.constant + sum(below.weights[u] for u in below.decided if y[u] < line)
    if metric == "blend_score":
        s = shortfall(y, forms.population_last, scenario.shortfall_threshold, national)
        return blend_score(scenario, anchors, s, linear_growth(forms, values))
    raise ValueError(f"unknown metric {metric}")


def blend_score(scenario: Scenario, anchors: Anchors, shortfall_value: float, growth: float) -> float:
    w = scenario.equity_weight
    span = anchors.shortfall_none - anchors.shortfall_best
    equity = (anchors.shortfall_none - shortfall_value) / span if span > 1e-9 else 0.0
    return w * equity + (1 - w) * growth / anchors.growth_best


# ---------------------------------------------------------------------------------------------------
# Exact (the simulator's view)
# ---------------------------------------------------------------------------------------------------

def simulated_growth(plan: PlanTrajectories, baseline: PlanTrajectories, years: list[int]) -> float:
    return float((plan.grp_bn[years] - baseline.grp_bn[years]).to_numpy().sum())


def impulse_by_unit(model: Any, plan: PlanTrajectories, year: int) -> pd.Series:
    """GRP (bn) in ``year`` that the demand impulse of that year's spending makes, by unit: the multiplier x the
    effective bn (rules/directions.yaml); it fades the year after."""
    from engine.core.parameters import DIRECTIONS

    spending = model.cell_spending(plan.lever_spending)
    multiplier = np.zeros(len(DIRECTIONS))
    for name, direction in model.directions.items():
        impulse = direction.response("demand_impulse")
        if impulse is not None and name in DIRECTIONS:
            multiplier[DIRECTIONS.index(name)] = model.assumptions.value(impulse.params["multiplier"])
    in_year = np.asarray(model.cell_year) == year
    by_unit = np.bincount(np.asarray(model.cell_unit)[in_year],
                          weights=(spending * multiplier[np.asarray(model.cell_direction)])[in_year],
                          minlength=len(model.units))
    return pd.Series(by_unit, index=list(model.units))


def lasting_trajectories(model: Any, plan: PlanTrajectories, year: int) -> PlanTrajectories:
    """``plan`` with GRP in ``year`` less that year's demand impulse (what lasts, :mod:`engine.allocation.forms`)."""
    impulse = impulse_by_unit(model, plan, year)
    if not impulse.index.equals(plan.grp_bn.index):
        impulse = impulse.reindex(plan.grp_bn.index).fillna(0.0)
    frames = (plan.grp_bn, plan.grp_per_capita, plan.population)
    if not all(f.index.equals(plan.grp_bn.index) and f.columns.equals(plan.grp_bn.columns) for f in frames):
        grp_bn, per_capita = plan.grp_bn.copy(), plan.grp_per_capita.copy()
        grp_bn[year] = plan.grp_bn[year] - impulse
        per_capita[year] = grp_bn[year] * 1e6 / plan.population[year]
        return replace(plan, grp_bn=grp_bn, grp_per_capita=per_capita)
    column = plan.grp_bn.columns.get_loc(year)  # the tables share their rows and columns: arrays
    grp = plan.grp_bn.to_numpy(dtype=float, copy=True)
    per_capita = plan.grp_per_capita.to_numpy(dtype=float, copy=True)
    grp[:, column] -= impulse.to_numpy(dtype=float)
    per_capita[:, column] = grp[:, column] * 1e6 / plan.population.to_numpy(dtype=float)[:, column]
    return replace(plan, grp_bn=pd.DataFrame(grp, index=plan.grp_bn.index, columns=plan.grp_bn.columns),
                   grp_per_capita=pd.DataFrame(per_capita, index=plan.grp_per_capita.index,
                                               columns=plan.grp_per_capita.columns))


def simulated_metric(metric: str, ctx: Context, scenario: Scenario, plan: PlanTrajectories,
                     baseline: PlanTrajectories, anchors: Anchors, model: Any = None, lasting: bool = False) -> float:
    """``metric`` of a simulated plan at the horizon's last year, exactly.

    With ``model``: unemployment is projected through the Okun link for the problem-region count, and with
    ``lasting`` the last year is scored without its demand impulse, as the optimizer scores it.
    """
    last = scenario.last_year
    recorded = plan  # national growth sums every year's GRP, impulse included, as the optimizer does
    if model is not None and lasting:
        plan = lasting_trajectories(model, plan, last)
    y = plan.grp_per_capita[last]
    p = plan.population[last]
    if metric == "max_min_ratio":
        return float(y.max() / y.min())
    if metric == "min_grp_per_capita":
        return float(y.min())
    if metric == "shortfall":
        return shortfall(y.to_dict(), p.to_dict(), scenario.shortfall_threshold)
    if metric == "national_growth":
        return simulated_growth(recorded, baseline, scenario.years)
    if metric == "problem_regions":
        projected = None
        if model is not None:
            rates = unemployment_under_plan(ctx, model.assumptions, plan.grp_per_capita[last],
                                            baseline.grp_per_capita[last], last)
            projected = None if rates is None else {UNEMPLOYMENT: rates}
        return float(metrics_for_values(ctx, y, p, last, projected=projected)[0]["problem_regions"])
    if metric == "share_pop_below_75pct":
        return share_below(y.to_dict(), p.to_dict())
    if metric == "blend_score":
        s = shortfall(y.to_dict(), p.to_dict(), scenario.shortfall_threshold)
        return blend_score(scenario, anchors, s, simulated_growth(recorded, baseline, scenario.years))
    raise ValueError(f"unknown metric {metric}")


# ---------------------------------------------------------------------------------------------------
# Problem regions as a MILP
# ---------------------------------------------------------------------------------------------------

def _expression_bounds(forms: LinearForms, scenario: Scenario, const: float,
                       coeffs: Mapping[str, float]) -> tuple[float, float]:
    """Valid lower and upper bounds of ``const + coeffs . x`` over capacities, yearly budgets and bonus ceilings."""
    index = {name: k for k, name in enumerate(forms.names)}
    bonus_high = dict(zip(forms.bonus_names, forms.bonus_ceiling(np.asarray(forms.capacity, dtype=float)).tolist(),
                          strict=True))
    low = high = const
    by_year: dict[int, list[tuple[float, float]]] = {}
    for name, a in coeffs.items():
        if name in bonus_high:
            high += max(a, 0.0) * bonus_high[name]
            low += min(a, 0.0) * bonus_high[name]
        else:
            k = index[name]
            by_year.setdefault(forms.years_of[k], []).append((a, float(forms.capacity[k])))
    for year, terms in by_year.items():
        budget = scenario.budget_bn_kzt.get(year, 0.0)
        up = sum(a * cap for a, cap in terms if a > 0)
        down = sum(a * cap for a, cap in terms if a < 0)
        high += min(up, max((a for a, _ in terms), default=0.0) * budget) if up > 0 else 0.0
        low += max(down, min((a for a, _ in terms), default=0.0) * budget) if down < 0 else 0.0
    return low, high


class ExpressionBounds:
    """:func:`_expression_bounds` for many expressions ``const + base . x + delta . x`` that share ``base`` (the
    national mean, or nothing) and differ by a sparse ``delta`` (a unit's own GRP per capita).

    The same bounds, computed once for the shared part: each year's sums over the levers of ``base`` and its
    levers in order of coefficient are kept, so an expression costs its own few terms, not a pass over every
    lever of the model (at the settlement level, 6,400 units x 300,000 levers).
    """

    def __init__(self, forms: LinearForms, scenario: Scenario, base: Mapping[str, float] | None = None,
                 scale: float = 1.0) -> None:
        capacity = np.asarray(forms.capacity, dtype=float)
        self.index = {name: k for k, name in enumerate(forms.names)}
        self.bonus_index = {name: j for j, name in enumerate(forms.bonus_names)}
        self.bonus_high = np.asarray(forms.bonus_ceiling(capacity), dtype=float)
        self.capacity = capacity
        self.year = np.asarray(forms.years_of, dtype=np.int64)
        self.budget = {int(y): float(v) for y, v in scenario.budget_bn_kzt.items()}
        lever = np.zeros(len(forms.names))
        bonus = np.zeros(len(forms.bonus_names))
        for name, a in (base or {}).items():
            if name in self.bonus_index:
                bonus[self.bonus_index[name]] += scale * a
            else:
                lever[self.index[name]] += scale * a
        self.lever, self.bonus = lever, bonus
        self.bonus_up = float(np.maximum(bonus, 0.0) @ self.bonus_high)
        self.bonus_down = float(np.minimum(bonus, 0.0) @ self.bonus_high)
        self.years = sorted({int(y) for y in self.year.tolist()})
        self.year_code = np.searchsorted(np.asarray(self.years, dtype=np.int64), self.year)
        self._changed = np.zeros(len(forms.names), dtype=bool)  # the levers of the expression being bounded
        self.up, self.down, self.by_high, self.by_low = {}, {}, {}, {}
        for y in self.years:
            ks = np.flatnonzero(self.year == y)
            a = lever[ks]
            self.up[y] = float(np.maximum(a, 0.0) @ capacity[ks])
            self.down[y] = float(np.minimum(a, 0.0) @ capacity[ks])
            order = np.argsort(-a, kind="stable")
            self.by_high[y], self.by_low[y] = ks[order], ks[order[::-1]]

    def _first_outside(self, ordered: np.ndarray, count: int) -> float | None:
        """The coefficient of the first lever of ``ordered`` that the expression's own terms leave alone; only the
        first ``count + 1`` need looking at, ``count`` being how many of the year's levers those terms change."""
        head = ordered[: count + 1]
        outside = head[~self._changed[head]]
        return float(self.lever[outside[0]]) if len(outside) else None

    def of(self, const: float, delta: Mapping[str, float]) -> tuple[float, float]:
        """Valid lower and upper bounds of ``const + base . x + delta . x`` (see :func:`_expression_bounds`)."""
        names = list(delta)
        d = np.fromiter(delta.values(), dtype=float, count=len(names))
        bonus = np.fromiter((self.bonus_index.get(n, -1) for n in names), dtype=np.int64, count=len(names))
        is_bonus = bonus >= 0
        k = np.fromiter((self.index[n] for n, bonus_term in zip(names, is_bonus.tolist(), strict=True)
                         if not bonus_term), dtype=np.int64)
        return self.of_terms(const, k, d[~is_bonus], bonus[is_bonus], d[is_bonus])

    def of_terms(self, const: float, k: np.ndarray, d: np.ndarray, j: np.ndarray, dj: np.ndarray,
                 ) -> tuple[float, float]:
        """:meth:`of` with ``delta`` as lever positions ``k`` (distinct) with coefficients ``d`` and bonus
        positions ``j`` with coefficients ``dj`` (:func:`unit_terms`)."""
        low = high = const
        high += self.bonus_up
        low += self.bonus_down
        if len(j):
            b, bh = self.bonus[j], self.bonus_high[j]
            high += float(((np.maximum(b + dj, 0.0) - np.maximum(b, 0.0)) * bh).sum())
            low += float(((np.minimum(b + dj, 0.0) - np.minimum(b, 0.0)) * bh).sum())
        b = self.lever[k]
        a = b + d
        cap = self.capacity[k]
        code = self.year_code[k]
        years = len(self.years)
        up_change = np.bincount(code, weights=(np.maximum(a, 0.0) - np.maximum(b, 0.0)) * cap, minlength=years)
        down_change = np.bincount(code, weights=(np.minimum(a, 0.0) - np.minimum(b, 0.0)) * cap, minlength=years)
        count = np.bincount(code, minlength=years)
        top = np.full(years, -np.inf)
        bottom = np.full(years, np.inf)
        np.maximum.at(top, code, a)
        np.minimum.at(bottom, code, a)
        self._changed[k] = True
        try:
            for c, y in enumerate(self.years):
                up, down = self.up[y] + float(up_change[c]), self.down[y] + float(down_change[c])
                if up > 0:
                    rest = self._first_outside(self.by_high[y], int(count[c]))
                    best = max(v for v in (top[c] if count[c] else None, rest) if v is not None)
                    high += min(up, float(best) * self.budget.get(y, 0.0))
                if down < 0:
                    rest = self._first_outside(self.by_low[y], int(count[c]))
                    worst = min(v for v in (bottom[c] if count[c] else None, rest) if v is not None)
                    low += max(down, float(worst) * self.budget.get(y, 0.0))
        finally:
            self._changed[k] = False
        return low, high


def unit_terms(forms: LinearForms, unit: str, scale: float = 1.0,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``scale`` x the unit's GRP per capita at T (:func:`engine.allocation.build.per_capita_expression`) as
    positions and coefficients: levers ``k, d``, then its bonus variable at T ``j, dj``
    (:meth:`ExpressionBounds.of_terms`)."""
    m = forms.per_capita_matrix
    i = forms.unit_position[unit]
    start, end = m.indptr[i], m.indptr[i + 1]
    c = m.data[start:end]
    keep = c != 0
    k, d = m.indices[start:end][keep].astype(np.int64), scale * c[keep]
    j = forms._bonus_positions.get((unit, forms.last_year))
    if j is None:
        return k, d, np.zeros(0, dtype=np.int64), np.zeros(0)
    return k, d, np.array([j], dtype=np.int64), np.array([scale * (1e6 / forms.population_last[unit])])


def share_below_setup(forms: LinearForms, scenario: Scenario,
                      threshold: float = SHARE_BELOW_THRESHOLD) -> ShareBelowSetup:
    """Which units the plan can move across ``threshold`` x the national mean at T, with a valid big-M each.

    The gap ``threshold x ybar(T) - y_i(T)`` is linear in the plan (both first-order expressions of the
    linear model); its bounds over capacities, budgets and bonus ceilings (:func:`_expression_bounds`) sort the
    units: below whatever the plan (the gap cannot fall below -margin), above whatever the plan, or decided
    (big-M = the gap's upper bound plus the margin)."""
    nat_const, nat = national_expression(forms)
    margin = PROBLEM_MARGIN_SHARE * threshold * forms.national_last
    weights = {u: float(forms.population_last[u]) / float(forms.population_total_last) for u in forms.units}
    always, never, decided = [], [], {}
    gaps = ExpressionBounds(forms, scenario, nat, threshold)
    for unit in forms.units:
        low, high = gaps.of_terms(threshold * nat_const - forms.y_last[unit], *unit_terms(forms, unit, -1.0))
        if low + margin > 0:
            always.append(unit)
        elif high + margin <= 0:
            never.append(unit)
        else:
            decided[unit] = high + margin
    return ShareBelowSetup(threshold, margin, weights, tuple(sorted(always)), tuple(sorted(never)), decided)


def anchors_for(ctx: Context, forms: LinearForms, scenario: Scenario) -> Anchors:
    """The setup the scenario's objective needs before any stage (problem regions or the share below)."""
    if scenario.objective == "problem_regions":
        return Anchors(problems=problem_region_setup(ctx, forms, scenario))
    if scenario.objective == "share_below":
        return Anchors(below=share_below_setup(forms, scenario))
    return Anchors()


def problem_region_setup(ctx: Context, forms: LinearForms, scenario: Scenario) -> ProblemRegionSetup:
    """Which units' problem status a plan decides at T, with a valid big-M for each rule that can decide it.

    GRP per capita at T moves with the plan (first order). Under the ``any`` combination, unemployment moves
    too: :func:`moved_unemployment_rules` writes its rules as linear clearances through the Okun link. Rules on
    other indicators hold their latest data and are constants.

    Raises
    ------
    ScenarioError
        When the problem-region rules have no rule on GRP per capita the optimizer can model
        (``below_share_of_national`` or ``below_value``), or more than one.
    """
    rules = ctx.problem_rules
    grp_rules = [r for r in rules.rules if r.indicator == GRP_INDICATOR]
    usable = [r for r in grp_rules if r.kind in ("below_share_of_national", "below_value")]
    if len(usable) != 1 or len(grp_rules) != 1:
        raise ScenarioError([problem(rules.file, "pr_problem_regions_rule", None, "rules",
                                     ", ".join(r.id for r in grp_rules) or "none")])
    rule = usable[0]
    last = forms.last_year
    population = pd.Series(forms.population_last)
    moved_rules = [r for r in rules.rules if _moves(ctx, forms, r)] if rules.combine_mode == "any" else []
    hits = dict.fromkeys(forms.units, 0)
    judged = dict.fromkeys(forms.units, 0)
    for other in rules.rules:
        if other is rule or other in moved_rules:
            continue
        held = latest_values(ctx.dataset, other.indicator, last)
        held = held[within(held.index, forms.units)]
        single = replace(rules, rules=(other,), combine_mode="any", combine_count=1)
        flagged = evaluate_problem_regions({other.indicator: held}, population, single)
        for unit in forms.units:
            judged[unit] += int(unit in held.index)
            hits[unit] += int(bool(flagged.get(unit)))
    national = forms.national_last
    level = rule.threshold * (national if rule.kind == "below_share_of_national" else 1.0)
    margin = PROBLEM_MARGIN_SHARE * level
    moved = [moved_unemployment_rule(ctx, forms, scenario, r) for r in moved_rules]
    always, never, decided = [], [], {}
    nat_const, nat = national_expression(forms)
    gaps = ExpressionBounds(forms, scenario, nat, rule.threshold) if rule.kind == "below_share_of_national" \
        else ExpressionBounds(forms, scenario)
    kept_rows: list[dict[str, tuple[float, dict[str, float], float]]] = [{} for _ in moved]
    for unit in forms.units:
        needed = {"any": 1, "all": judged[unit] + 1}.get(rules.combine_mode, rules.combine_count)
        if hits[unit] >= needed:
            always.append(unit)
            continue
        if hits[unit] + 1 < needed:
            never.append(unit)
            continue
        gap_const = rule.threshold * (nat_const if rule.kind == "below_share_of_national" else 1.0) \
            - forms.y_last[unit]
        low, high = gaps.of_terms(gap_const, *unit_terms(forms, unit, -1.0))
        statuses = ["always" if low + margin > 0 else "never" if high + margin <= 0 else "decidable"]
        for m, bounds in moved:
            if unit in m.rows:
                clear_low, clear_high = bounds[unit]
                statuses.append("always" if clear_high < 0 else "never" if clear_low >= 0 else "decidable")
            else:
                statuses.append("never")  # no data on the indicator: the rule cannot flag the unit
        if "always" in statuses:
            always.append(unit)  # a rule flags it whatever the plan
        elif all(st == "never" for st in statuses):
            never.append(unit)  # no rule can flag it whatever the plan
        else:
            if statuses[0] == "decidable":
                decided[unit] = high + margin
            for j, (m, _) in enumerate(moved):
                if statuses[j + 1] == "decidable":
                    kept_rows[j][unit] = m.rows[unit]
    return ProblemRegionSetup(rule.id, rule.kind, rule.threshold, margin, tuple(sorted(always)),
                              tuple(sorted(never)), decided,
                              tuple(replace(m, rows=rows) for (m, _), rows in zip(moved, kept_rows, strict=True)))


def _moves(ctx: Context, forms: LinearForms, rule: Any) -> bool:
    """Whether a plan moves ``rule``'s indicator in the optimizer's model: unemployment, with an Okun link."""
    return (rule.indicator == UNEMPLOYMENT and rule.kind in ("above_multiple_of_national", "above_value")
            and OKUN in forms.model.assumptions.direction_rules.parameters
            and not latest_values(ctx.dataset, UNEMPLOYMENT, forms.last_year).empty)


def moved_unemployment_rule(ctx: Context, forms: LinearForms, scenario: Scenario, rule: Any,
                            ) -> tuple[MovedRule, dict[str, tuple[float, float]]]:
    """An unemployment rule as a linear clearance per unit, and the clearance's bounds over feasible plans.

    u_i(x) = u_i + okun x 100 x dy_i(x) / y_i: the Okun link of :mod:`engine.model.labour` to first order, on
    GRP per capita (the simulator's link reads total GRP; the two differ only by the people a plan moves).
    The national rate is the population-weighted mean at T over the units with a rate, as the rule reads it.
    Clearance (>= 0: not flagged): ``threshold x U(x) - u_i(x) - eps`` for ``above_multiple_of_national``,
    ``threshold - u_i(x) - eps`` for ``above_value``; eps = :data:`PROBLEM_MARGIN_SHARE` of the bound, so a unit
    counted as cleared is clear in the simulator too.
    """
    okun = forms.model.assumptions.value(OKUN)
    rates = latest_values(ctx.dataset, UNEMPLOYMENT, forms.last_year)
    units = [u for u in forms.units if u in rates.index]
    weights = pd.Series({u: forms.population_last[u] for u in units})
    weights = weights / weights.sum()
    rate_exprs = {}  # unit -> (rate, lever positions, their coefficients, bonus positions, theirs)
    for unit in units:
        k, c, j, cj = unit_terms(forms, unit)
        slope = okun * 100.0 / forms.y_last[unit]
        rate_exprs[unit] = (float(rates[unit]), k, slope * c, j, slope * cj)
    national_const = float(sum(weights[u] * rate_exprs[u][0] for u in units))
    national = _weighted_sum(forms, [(float(weights[u]), *rate_exprs[u][1:]) for u in units])
    share = rule.kind == "above_multiple_of_national"
    bound = rule.threshold * (national_const if share else 1.0)
    eps = PROBLEM_MARGIN_SHARE * abs(bound)
    heads, owns, bounds = {}, {}, {}
    clearances = ExpressionBounds(forms, scenario, national, rule.threshold) if share \
        else ExpressionBounds(forms, scenario)
    for unit in units:
        u_const, k, d, j, dj = rate_exprs[unit]
        own = (k, -d, j, -dj)  # the unit's own rate enters the clearance negated
        const = rule.threshold * national_const - u_const - eps if share else rule.threshold - u_const - eps
        low, high = clearances.of_terms(const, *own)
        heads[unit] = (const, max(-low, 0.0) + 1e-9)
        owns[unit] = own
        bounds[unit] = (low, high)
    rows = ClearanceRows(heads, owns, national if share else None, rule.threshold, forms.names, forms.bonus_names)
    return MovedRule(rule.id, rule.indicator, rows), bounds  # type: ignore[arg-type]


def _weighted_sum(forms: LinearForms, parts: list[tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
                  ) -> dict[str, float]:
    """:func:`engine.allocation.build.combine` of ``(weight, lever positions, coefficients, bonus positions,
    coefficients)`` parts: the same sums, added in the same order, the names in order of first appearance."""
    levers, bonuses = np.zeros(len(forms.names)), np.zeros(len(forms.bonus_names))
    seen_lever, seen_bonus = np.zeros(len(forms.names), dtype=bool), np.zeros(len(forms.bonus_names), dtype=bool)
    order: list[tuple[bool, int]] = []
    for weight, k, d, j, dj in parts:
        order.extend((False, x) for x in k[~seen_lever[k]].tolist())
        order.extend((True, x) for x in j[~seen_bonus[j]].tolist())
        seen_lever[k], seen_bonus[j] = True, True
        levers[k] += weight * d
        bonuses[j] += weight * dj
    names, bonus_names = forms.names, forms.bonus_names
    return {(bonus_names[x] if bonus else names[x]): float(bonuses[x] if bonus else levers[x]) for bonus, x in order}


class ClearanceRows(Mapping[str, tuple[float, dict[str, float], float]]):
    """``unit -> (const, coeffs, big-M)`` of a moved rule's clearances, each row's coefficients combined when
    first read: a problem-region setup keeps only the rows of the units a plan decides (at the region level
    the combination, over every lever of the national rate, was most of the setup's time)."""

    def __init__(self, heads: dict[str, tuple[float, float]], owns: dict[str, tuple[np.ndarray, ...]],
                 national: dict[str, float] | None, threshold: float, names: list[str], bonus_names: list[str],
                 ) -> None:
        self._heads, self._owns, self._national, self._threshold = heads, owns, national, threshold
        self._names, self._bonus_names = names, bonus_names
        self._rows: dict[str, tuple[float, dict[str, float], float]] = {}

    def __getitem__(self, unit: str) -> tuple[float, dict[str, float], float]:
        row = self._rows.get(unit)
        if row is None:
            const, big_m = self._heads[unit]
            k, d, j, dj = self._owns[unit]
            own = dict(zip([self._names[x] for x in k.tolist()], d.tolist(), strict=True))
            own.update(zip([self._bonus_names[x] for x in j.tolist()], dj.tolist(), strict=True))
            coeffs = own if self._national is None else combine((self._threshold, self._national), (1.0, own))
            row = self._rows[unit] = (const, {k: c for k, c in coeffs.items() if abs(c) > 1e-15}, big_m)
        return row

    def __contains__(self, unit: object) -> bool:
        return unit in self._heads

    def __iter__(self) -> Iterator[str]:
        return iter(self._heads)

    def __len__(self) -> int:
        return len(self._heads)


def problem_region_margins(ctx: Context, forms: LinearForms, scenario: Scenario, no_policy: PlanTrajectories,
                           plan: PlanTrajectories | None, setup: ProblemRegionSetup | None = None,
                           ) -> list[dict[str, Any]]:
    """Criterion 1 unit by unit: whether a plan can change a unit's problem status, by which rule, how far
    each rule's threshold is, and for a unit that is a problem without new policy the least spending that
    would lift it out.

    ``status`` is ``always`` (a problem whatever the plan: a rule the model does not move decides it, or no
    plan within the caps lifts GRP per capita enough), ``never`` (clear whatever the plan) or ``decidable``
    (:func:`problem_region_setup`). ``least_spending_bn`` spends the unit's own levers best first (GRP per
    capita gained per bn, less the threshold's share of the national gain), within their capacity and the
    unit's yearly cap: a first-order lower bound on what the optimizer would need, since it ignores the
    concave bonus and other units' spillovers. Other indicators are held at their latest data. Above
    :data:`LARGE_MODEL_LEVERS` levers the statuses and least spending are not computed (``status`` is
    ``not_computed``): the margins are.
    """
    rules = ctx.problem_rules
    grp_rules = [r for r in rules.rules if r.indicator == GRP_INDICATOR]
    last = scenario.last_year
    units = list(forms.units)
    population = pd.Series(forms.population_last).reindex(units)
    held = {r.indicator: latest_values(ctx.dataset, r.indicator, last) for r in rules.rules
            if r.indicator != GRP_INDICATOR}
    base = rule_margins({**held, GRP_INDICATOR: no_policy.grp_per_capita[last]}, population, rules)
    after = None
    if plan is not None:
        rates = unemployment_under_plan(ctx, forms.model.assumptions, plan.grp_per_capita[last],
                                        no_policy.grp_per_capita[last], last)
        projected = {**held, **({UNEMPLOYMENT: rates} if rates is not None else {})}
        after = rule_margins({**projected, GRP_INDICATOR: plan.grp_per_capita[last]}, plan.population[last], rules)
    flagged_base = evaluate_problem_regions({**held, GRP_INDICATOR: no_policy.grp_per_capita[last]},
                                            population, rules)
    large = len(forms.names) > LARGE_MODEL_LEVERS
    try:
        setup = None if large else setup or problem_region_setup(ctx, forms, scenario)
        always, never = (set(setup.always), set(setup.never)) if setup else (set(), set())
    except ScenarioError:  # no single GRP rule the model can move: every status is the data's
        setup, always, never = None, set(units), set()
    nat_const, nat = national_expression(forms)
    index = {name: k for k, name in enumerate(forms.names)}
    out = []
    for unit in units:
        entry: dict[str, Any] = {
            "unit_id": unit, "status": ("not_computed" if large else "always" if unit in always
                                        else "never" if unit in never else "decidable"),
            "problem_without_policy": bool(flagged_base.get(unit)),
            "rules": base[unit], "rules_with_plan": after[unit] if after is not None else None,
            "least_spending_bn": None, "note": ""}
        others = [m for m in base[unit] if m["met"] and m["indicator"] != GRP_INDICATOR]
        moved_rows = {m.rule_id: m.rows[unit] for m in (setup.moved if setup else ()) if unit in m.rows}
        if entry["problem_without_policy"] and others and rules.combine_mode == "any":
            moved = UNEMPLOYMENT in {m["indicator"] for m in others}
            entry["note"] = (f"decided by {', '.join(m['rule'] for m in others)}: " + (
                "unemployment moves with the unit's GRP per person through the Okun link (rules/directions.yaml: "
                "okun_coefficient), and the problem-region objective plans for it" if moved else
                "its indicator is held at the latest data, so no spending in the model changes it"))
            if moved_rows and len(others) == 1 and others[0]["rule"] in moved_rows:
                const, coeffs, _ = moved_rows[others[0]["rule"]]
                lift = _least_lift(forms, scenario, unit, -const, coeffs, {}, 0.0, index)
                entry["least_spending_bn"] = lift["least_spending_bn"]
                entry["note"] += "; " + lift["note"].replace("GRP per capita", "the rule's clearance").replace(
                    "thousand tenge", "percentage points")
        elif entry["problem_without_policy"] and grp_rules and setup is not None:
            rule = grp_rules[0]
            const, coeffs = per_capita_expression(forms, unit)
            share = rule.threshold if rule.kind == "below_share_of_national" else 0.0
            bound = rule.threshold * (nat_const if share else 1.0) + setup.margin
            entry.update(_least_lift(forms, scenario, unit, bound - const, coeffs, nat, share, index))
            if entry["status"] == "always" and entry["least_spending_bn"] is not None:
                entry["note"] += ": more than this scenario's budget and bounds can give it"
        out.append(entry)
    return out


def _least_lift(forms: LinearForms, scenario: Scenario, unit: str, gap: float, coeffs: dict[str, float],
                national: dict[str, float], share: float, index: dict[str, int]) -> dict[str, Any]:
    """Spend ``unit``'s own levers best first until its GRP per capita clears ``gap`` (see the caller)."""
    gains = []
    for name, c in coeffs.items():
        k = index.get(name)
        if k is None or forms.units_of[k] != unit:
            continue
        net = c - share * national.get(name, 0.0)
        if net > 0:
            gains.append((net, k))
    gains.sort(reverse=True)
    cap = scenario.unit_caps_bn_kzt.get(unit)
    spent_in: dict[int, float] = {}
    lifted = spent = 0.0
    for net, k in gains:
        room = float(forms.capacity[k])
        if cap is not None:
            room = min(room, cap - spent_in.get(forms.years_of[k], 0.0))
        if room <= 0:
            continue
        take = min(room, (gap - lifted) / net)
        lifted += take * net
        spent += take
        spent_in[forms.years_of[k]] = spent_in.get(forms.years_of[k], 0.0) + take
        if lifted >= gap - 1e-9:
            return {"least_spending_bn": round(spent, 3),
                    "note": f"about {spent:,.1f} bn on its own levers (best first) lifts it past the threshold"}
    return {"least_spending_bn": None,
            "note": f"out of reach within the absorption caps: every lever of the unit at capacity ({spent:,.1f} bn)"
                    f" lifts GRP per capita by {lifted:,.1f} of the {gap:,.1f} thousand tenge needed"}

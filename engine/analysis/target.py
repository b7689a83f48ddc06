"""What it takes: the least yearly budget that reaches a target on one criterion, and the budget-outcome curve.

For a target "``metric`` at most ``value`` in ``year``" the study's scenario is solved again with the same
budget in every horizon year, its other constraints kept and unspent money allowed (money beyond what the
units can absorb stays unspent rather than making the scenario infeasible). The optimizer's objective is
the metric's own where it has one (``max_min_ratio``, ``problem_regions``, ``share_below`` for the share of
people below 75% of the national level) and the shortfall below the threshold otherwise (Theil, Williamson). The value
judged is the simulated plan's in ``year``. The least budget is found by bisection between nothing and
the most the units can absorb in a year, to :data:`RELATIVE_TOLERANCE` of the budget: re-solving at the
returned budget meets the target, and at 90% of it does not (where the outcome falls with the budget).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine.allocation import optimize, prepare, with_scenario
from engine.allocation.prepared import Prepared
from engine.allocation.result import OptimizationResult
from engine.core.errors import ScenarioError, problem
from engine.model.study import Study

#: The criteria a target can be set on (lower is better for each), and the objective that pursues it.
TARGET_METRICS = {"max_min_ratio": "max_min_ratio", "theil_t_weighted": "shortfall", "williamson": "shortfall",
                  "share_pop_below_75pct": "share_below", "problem_regions": "problem_regions"}
RELATIVE_TOLERANCE = 0.01
MAX_STEPS = 30


@dataclass(frozen=True)
class TargetResult:
    """The answer of :func:`least_budget` (see the module text)."""

    metric: str
    target: float
    year: int
    status: str  # reached | out_of_reach
    least_budget_bn_kzt_per_year: float | None
    value_without_policy: float
    value_at_budget: float | None
    best_value: float
    best_budget_bn_kzt_per_year: float
    binding: tuple[str, ...]
    allocation: tuple[dict[str, Any], ...]
    solves: int
    notes: tuple[str, ...] = ()
    curve: tuple[dict[str, float | None], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "target": self.target, "year": self.year, "status": self.status,
                "least_budget_bn_kzt_per_year": self.least_budget_bn_kzt_per_year,
                "value_without_policy": self.value_without_policy, "value_at_budget": self.value_at_budget,
                "best_value": self.best_value, "best_budget_bn_kzt_per_year": self.best_budget_bn_kzt_per_year,
                "binding": list(self.binding), "allocation": list(self.allocation), "solves": self.solves,
                "notes": list(self.notes), "curve": list(self.curve)}


def check_target(study: Study, metric: str, year: int) -> None:
    problems = []
    if metric not in TARGET_METRICS:
        problems.append(problem("--metric", "pr_one_of", None, None, metric, allowed=', '.join(TARGET_METRICS)))
    if year not in study.years:
        problems.append(problem("--year", "pr_year_of_horizon", None, None, year, first=study.years[0],
                                last=study.years[-1]))
    if problems:
        raise ScenarioError(problems)


def absorbable_per_year(prep: Prepared) -> float:
    """The largest yearly budget the scenario's rules can place (bn): in each year, what the units can absorb
    (each within its cap), and no more than the equity part or a direction's floor can keep its share of;
    the least over the years."""
    from engine.core.parameters import DIRECTIONS

    forms, scenario = prep.forms, prep.scenario
    years = np.asarray(forms.years_of)
    units = np.asarray(forms.units_of)
    tops = []
    for year in scenario.years:
        in_year = years == year
        by_unit: dict[str, float] = {}
        for unit, capacity in zip(units[in_year].tolist(), forms.capacity[in_year].tolist(), strict=True):
            by_unit[unit] = by_unit.get(unit, 0.0) + capacity
        top = sum(min(v, scenario.unit_caps_bn_kzt.get(u, v)) for u, v in by_unit.items())
        if scenario.equity_share > 0:
            top = min(top, float(forms.capacity[in_year & forms.equity].sum()) / scenario.equity_share)
        for direction, bounds in scenario.directions.items():
            if bounds.min > 0 and direction in DIRECTIONS:
                mask = in_year & (forms.lever_direction == DIRECTIONS.index(direction))
                top = min(top, float(forms.capacity[mask].sum()) / bounds.min)
        tops.append(top)
    return float(min(tops)) * (1 - 1e-6)


def _solver(study: Study, metric: str) -> tuple[Prepared, Any]:
    scenario = study.scenario.replace(objective=TARGET_METRICS[metric], allow_unspent=True)
    base = prepare(study.with_scenario(scenario))

    solved: dict[float, OptimizationResult] = {}

    def solve(budget: float) -> OptimizationResult:
        # a budget asked again (reach and the least-budget search both try nothing and the top) is solved once
        if float(budget) not in solved:
            yearly = {y: float(budget) for y in scenario.years}
            solved[float(budget)] = optimize(with_scenario(base, scenario.replace(budget_bn_kzt=yearly)),
                                             with_baselines=False)
        return solved[float(budget)]

    return base, solve


def _value(result: OptimizationResult, metric: str, year: int) -> float | None:
    """The plan's ``metric`` in ``year`` as the optimizer scores it: in the last year after that year's demand
    impulse has faded when the scenario scores what lasts (engine.allocation.forms, "What lasts")."""
    if not result.status.solved:
        return None
    lasting = result.lasting_effects or {}
    if lasting.get("score") == "lasting" and lasting.get("year") == year:
        return float(lasting["metrics_after_lasting"][metric])
    return float(result.metrics_by_year["plan"][year][metric])


def least_budget(study: Study, metric: str, target: float, year: int, curve_points: int = 0,
                 tolerance: float = RELATIVE_TOLERANCE, top: float | None = None,
                 solver: tuple[Prepared, Any] | None = None) -> TargetResult:
    """The least yearly budget at which the plan's ``metric`` in ``year`` is at most ``target`` (to
    ``tolerance`` of the budget), searched up to ``top`` (default: the most the rules can place in a year).
    ``solver``: a ``_solver(study, metric)`` already used, whose solves are reused."""
    check_target(study, metric, year)
    base, solve = solver if solver is not None else _solver(study, metric)
    top = absorbable_per_year(base) if top is None else min(top, absorbable_per_year(base))
    solves = 0
    no_policy = float(solve(0.0).metrics_by_year["baseline"][year][metric])
    solves += 1
    best = solve(top)
    solves += 1
    best_value = _value(best, metric, year)
    notes = [f"Budgets are the same every year, between 0 and {top:,.1f} bn (the most the scenario's rules can "
             "place in a year: the units' absorption caps of rules/directions.yaml, the unit caps, and the equity "
             "share and direction floors kept); unspent money is allowed."]
    binding = binding_summary(best)
    if no_policy <= target:
        return TargetResult(metric, target, year, "reached", 0.0, no_policy, no_policy, best_value or no_policy,
                            top, (), (), solves, (*notes, "Reached without new spending."),
                            _curve(solve, metric, year, top, curve_points))
    if best_value is None or best_value > target:
        best_text = "no plan" if best_value is None else f"{best_value:.6g}"
        notes.append(f"Out of reach: at the largest budget the rules can place the best is {best_text} against "
                     f"the target {target:.6g} (no policy: {no_policy:.6g}). What binds is listed; the absorption "
                     "caps are an assumption (rules/directions.yaml).")
        return TargetResult(metric, target, year, "out_of_reach", None, no_policy, None,
                            best_value if best_value is not None else no_policy, top, binding,
                            tuple(asdict(r) for r in best.allocation), solves, tuple(notes),
                            _curve(solve, metric, year, top, curve_points))
    low, high, found = 0.0, top, best
    for _ in range(MAX_STEPS):
        if high - low <= tolerance * high:
            break
        middle = (low + high) / 2
        result = solve(middle)
        solves += 1
        value = _value(result, metric, year)
        if value is not None and value <= target:
            high, found = middle, result
        else:
            low = middle
    return TargetResult(metric, target, year, "reached", round(high, 6), no_policy, _value(found, metric, year),
                        best_value, top, binding_summary(found),
                        tuple(asdict(r) for r in found.allocation), solves, tuple(notes),
                        _curve(solve, metric, year, top, curve_points))


def binding_summary(result: OptimizationResult) -> tuple[str, ...]:
    """What binds in a solve, one line per rule (the budget rows, which bind whenever money is short, last)."""
    by_rule: dict[str, list[Any]] = {}
    for row in result.binding_constraints:
        by_rule.setdefault(row.rule, []).append(row)
    lines = []
    for _, rows in sorted(by_rule.items(), key=lambda kv: (kv[0] == "budget", -len(kv[1]))):
        if not rows[0].text:
            continue
        units = sorted({r.unit for r in rows if r.unit})
        shown = ", ".join(units[:8]) + (f" and {len(units) - 8} more" if len(units) > 8 else "")
        lines.append(f"{rules_text(rows[0].text)} [{len(rows)} row(s)" + (f"; units: {shown}]" if units else "]"))
    return tuple(lines)


def rules_text(text: str) -> str:
    return text.rstrip(".")


def budget_curve(study: Study, metric: str, year: int, points: int) -> tuple[dict[str, float | None], ...]:
    """``metric`` in ``year`` against the same budget every year, from nothing to the most the rules can place."""
    check_target(study, metric, year)
    base, solve = _solver(study, metric)
    return _curve(solve, metric, year, absorbable_per_year(base), points)


def curve_budgets(study: Study, metric: str, points: int) -> list[float]:
    """The yearly budgets :func:`budget_curve` solves at (so a caller can solve them one at a time)."""
    base, _ = _solver(study, metric)
    return _curve_budgets(absorbable_per_year(base), points)


def curve_point(study: Study, metric: str, year: int, budget: float) -> dict[str, float | None]:
    """One point of :func:`budget_curve`: ``metric`` in ``year`` with ``budget`` every year."""
    check_target(study, metric, year)
    _, solve = _solver(study, metric)
    return {"budget_bn_kzt_per_year": round(float(budget), 6), "value": _value(solve(budget), metric, year)}


def _curve_budgets(top: float, points: int) -> list[float]:
    return np.linspace(0.0, top, points).tolist() if points >= 2 else []


def _curve(solve: Any, metric: str, year: int, top: float, points: int) -> tuple[dict[str, float | None], ...]:
    """The metric in ``year`` against the yearly budget, at ``points`` budgets from 0 to ``top``."""
    if points < 2:
        return ()
    out = []
    for budget in _curve_budgets(top, points):
        out.append({"budget_bn_kzt_per_year": round(budget, 6), "value": _value(solve(budget), metric, year)})
    return tuple(out)


#: Below this share of the no-policy value, a plan's move of a criterion is called small ("cannot move it much").
SMALL_MOVE_SHARE = 0.02
#: The share of the largest reachable improvement whose least budget :func:`reach` reports.
REACH_SHARE = 0.9
REACH_TOLERANCE = 0.1  # a statement in a document, not a target to meet: a tenth of the budget is close enough


def plan_value(study: Study, plan: Any, metric: str, year: int | None = None) -> float:
    """``metric`` of a plan's trajectories in ``year`` (default: the last), scored as the optimizer scores it:
    after the last year's demand impulse has faded when the scenario scores what lasts, with unemployment
    projected through the Okun link."""
    from engine.allocation.outcomes import lasting_trajectories
    from engine.core.diagnose import metrics_for_values
    from engine.model.labour import projected_indicators

    year = year if year is not None else study.years[-1]
    if study.scenario.score == "lasting" and year == study.years[-1]:
        plan = lasting_trajectories(study.model, plan, year)
    projected = projected_indicators(study.ctx, study.parameters, plan, study.no_policy, year)
    metrics, _ = metrics_for_values(study.ctx, plan.grp_per_capita[year], plan.population[year], year,
                                    projected=projected)
    return float(metrics[metric])


def reach(study: Study, metric: str, plan_value: float, year: int | None = None) -> dict[str, Any]:
    """What the scenario's budget does to ``metric`` against what any budget could, for the roadmap and the app.

    ``plan_value`` is the plan's value in ``year`` (default: the horizon's last year), scored as
    :func:`_value` scores it. Returned: the value without new policy, the plan's, the share of the no-policy
    value the plan moves (``small`` when below :data:`SMALL_MOVE_SHARE`), the best value a plan aimed at the
    criterion reaches (at the largest budget the rules can place, at the scenario's budget, or the plan's own),
    and the least yearly budget that reaches :data:`REACH_SHARE` of that best improvement.
    """
    year = year if year is not None else study.years[-1]
    check_target(study, metric, year)
    base, solve = _solver(study, metric)
    top = absorbable_per_year(base)
    without = float(solve(0.0).metrics_by_year["baseline"][year][metric])
    budget = float(np.mean(list(study.scenario.budget_bn_kzt.values())))
    # the simulated outcome need not improve with every bn past the caps' reach (the linear model's gap grows
    # with spending), so the best is the best of the largest budget, the scenario's and the plan itself
    tried = [(v, b) for v, b in ((_value(solve(top), metric, year), top),
                                 (_value(solve(min(budget, top)), metric, year), min(budget, top)),
                                 (plan_value, budget)) if v is not None]
    best, best_budget = min(tried) if tried else (None, top)
    moved = (without - plan_value) / abs(without) if without else 0.0
    out: dict[str, Any] = {"metric": metric, "year": year, "without_policy": without, "with_plan": plan_value,
                           "moved_share": moved, "small": moved < SMALL_MOVE_SHARE,
                           "budget_bn_kzt_per_year": budget,
                           "best_value": best, "absorbable_bn_kzt_per_year": top, "reach_share": REACH_SHARE,
                           "least_budget_bn_kzt_per_year": None}
    if best is not None and best < without:
        target = without - REACH_SHARE * (without - best)
        if metric == "problem_regions":
            target = float(np.floor(target + 1e-9))
        found = least_budget(study, metric, target, year, tolerance=REACH_TOLERANCE, top=best_budget,
                             solver=(base, solve))
        out.update(target=target, least_budget_bn_kzt_per_year=found.least_budget_bn_kzt_per_year)
    return out


__all__ = ["REACH_SHARE", "SMALL_MOVE_SHARE", "TARGET_METRICS", "TargetResult", "absorbable_per_year", "budget_curve",
           "check_target", "least_budget", "plan_value", "reach"]

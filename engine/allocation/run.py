"""The optimizer's entry points: prepare a scenario's model once, solve it, report the plan.

``optimize(ctx, scenario)`` runs the stages of :mod:`engine.allocation.objectives`, simulates the plan with
:func:`engine.model.simulate.simulate_plan`, and returns an :class:`OptimizationResult`: allocation tagged by part,
trajectories, metrics before/baseline/after and by year, problem regions, the budget's shadow price,
binding constraints, formula baselines, the LP-vs-simulator gap, and explanations. Infeasibility is a
status, never an exception; bad input raises :class:`engine.core.errors.ScenarioError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine.allocation import narrative
from engine.allocation.baselines import FORMULAS, formula_allocation
from engine.allocation.build import coefficient_range
from engine.allocation.explain import budget_shadow_prices, find_binding, presolve_conflicts, relax
from engine.allocation.forms import LinearForms, PartRule, build_forms, classify_parts
from engine.allocation.objectives import (
    LARGE_MODEL_LEVERS,
    METRICS,
    Anchors,
    StageModel,
    blend_constant,
    growth_stage,
    hold_level,
    primary_stage,
    relaxed_level,
    solve_stage,
    tiebreak_weights,
)
from engine.allocation.outcomes import (
    linear_growth,
    linear_metric,
    problem_region_setup,
    shortfall,
    simulated_growth,
    simulated_metric,
)
from engine.allocation.report import (
    allocation_frame,
    allocation_rows,
    gap_report,
    metrics_by_year,
    plain_index,
    reduction_per_bn,
    segments_out_of_order,
    trajectories_json,
)
from engine.allocation.result import (
    BaselineComparison,
    BudgetShadowPrice,
    OptimizationResult,
    StageReport,
    Status,
)
from engine.allocation.solve import (
    HighsModel,
    Solution,
    add_new_rows,
    check_solver,
    load_program,
    solve_program,
    write_mps,
)
from engine.core.diagnose import Context, metrics_for_values
from engine.core.errors import Problem, ScenarioError
from engine.core.parameters import DirectionRules, ParameterValues, load_direction_rules
from engine.core.scenario import Scenario
from engine.model.response import ResponseModel, build_baseline, build_response_model, planning_level
from engine.model.simulate import PlanTrajectories, simulate_plan, simulate_spending

RELAX_SHARE = 0.001  # the price of exactness: growth with the primary metric held 0.1% worse


@dataclass(frozen=True, eq=False)
class Prepared:
    """A scenario's model, built once and shared by the solve, the frontier and the benchmarks."""

    ctx: Context
    scenario: Scenario
    assumptions: ParameterValues
    model: ResponseModel
    forms: LinearForms
    no_policy: PlanTrajectories
    seconds: float


def prepare(ctx: Context, scenario: Scenario, direction_rules: DirectionRules | None = None,
            parts: PartRule | None = None,
            ) -> Prepared:
    """Build the baseline, the response model and its linear forms for ``scenario``.

    ``parts`` (the roadmap part of each unit and direction) depends only on the data: a sweep computes it
    once and passes it for every draw.

    Raises
    ------
    ScenarioError
        When a unit cap names a unit that does not exist in the base year.
    DataValidationError
        When the base year has no GRP per capita or population for a unit.
    """
    started = time.perf_counter()
    units = ctx.dataset.units_in_year(scenario.base_year, planning_level(ctx.dataset))
    unknown = sorted(set(scenario.unit_caps_bn_kzt) - set(units))
    if unknown:
        raise ScenarioError([Problem("scenario", f"not a unit of the base year {scenario.base_year}",
                                     column=f"unit_caps_bn_kzt.{u}", value=u) for u in unknown])
    direction_rules = direction_rules or load_direction_rules(known_units=set(ctx.dataset.units.index))
    assumptions = ParameterValues(direction_rules).with_overrides(dict(scenario.assumptions))
    baseline = build_baseline(ctx.dataset, scenario.base_year, scenario.last_year, assumptions, units)
    model = build_response_model(ctx.dataset, baseline, assumptions, ctx.typology.hub_ids)
    forms = build_forms(model, parts if parts is not None else classify_parts(ctx, model))
    no_policy = simulate_spending(model, [0.0] * model.n_levers)
    return Prepared(ctx, scenario, assumptions, model, forms, no_policy, time.perf_counter() - started)


@dataclass(frozen=True, eq=False)
class PlanOnly:
    """The optimizer's plan without the report: status, allocation (``unit_id, direction, year, bn_kzt``),
    the anchors its stages used, and the stage-1 value of the primary metric (None without a plan)."""

    status: Status
    allocation: Any
    anchors: Anchors | None
    primary_value: float | None


def solve_plan(prep: Prepared, solver: str = "highs", time_limit: float | None = None) -> PlanOnly:
    """Both stages of :func:`optimize` and the allocation, nothing else (no simulation, metrics or text):
    what a robustness sweep needs for each draw's best plan."""
    from engine.model.simulate import empty_allocation

    scenario, forms = prep.scenario, prep.forms
    if presolve_conflicts(forms, scenario):
        return PlanOnly(Status.INFEASIBLE, empty_allocation(), None, None)
    anchors = compute_anchors(prep, solver, time_limit, [])
    if isinstance(anchors, Solution):
        return PlanOnly(anchors.status, empty_allocation(), None, None)
    stage1, first, final_stage, final = run_stages(prep, anchors, solver, time_limit, [])
    if not first.solved:
        return PlanOnly(first.status, empty_allocation(), anchors, None)
    values = final_stage.original_values(final.values)
    metric = METRICS[scenario.objective][0]
    return PlanOnly(final.status, allocation_frame(allocation_rows(forms, values)), anchors,
                    stage1_optimum(metric, float(first.objective or 0.0), scenario, anchors))


def with_scenario(prep: Prepared, scenario: Scenario) -> Prepared:
    """``prep`` for another scenario on the same model (budgets, objective, shares and caps may differ).

    Raises
    ------
    ValueError
        When the scenario needs another model: another base year, last year or assumption overrides.
    """
    if scenario is prep.scenario:
        return prep
    same = (scenario.base_year == prep.scenario.base_year and scenario.last_year == prep.scenario.last_year
            and dict(scenario.assumptions) == dict(prep.scenario.assumptions))
    if not same:
        raise ValueError("the prepared model is for another base year, last year or assumptions; call prepare()")
    unknown = sorted(set(scenario.unit_caps_bn_kzt) - set(prep.model.units))
    if unknown:
        raise ScenarioError([Problem("scenario", f"not a unit of the base year {scenario.base_year}",
                                     column=f"unit_caps_bn_kzt.{u}", value=u) for u in unknown])
    return replace(prep, scenario=scenario)


def _stage_report(stage: StageModel, solution: Solution) -> StageReport:
    lp = stage.program
    return StageReport(stage.key, stage.description, lp.sense, solution.status.value, solution.objective,
                       solution.solver, solution.pulp_status, solution.pulp_solution_status,
                       round(solution.seconds, 6), round(solution.build_seconds, 6), len(lp.variables), len(lp.rows),
                       lp.integer_count, coefficient_range(lp), solution.message)


def compute_anchors(prep: Prepared, solver: str, time_limit: float | None,
                    reports: list[StageReport]) -> Anchors | Solution:
    """The problem-region setup and the blend's normalisation; a failed anchor solve is returned as is."""
    scenario, forms = prep.scenario, prep.forms
    problems = None
    if scenario.objective == "problem_regions":
        problems = problem_region_setup(prep.ctx, forms, scenario)
    if scenario.objective != "blend":
        return Anchors(problems=problems)
    none = shortfall(forms.y_last, forms.population_last, scenario.shortfall_threshold)
    best_stage = primary_stage(forms, scenario.replace(objective="shortfall"), Anchors())
    best = solve_program(best_stage.program, solver, time_limit)
    reports.append(_stage_report(StageModel("anchor_shortfall", best_stage.program, best_stage.description), best))
    if not best.solved:
        return best
    growth = growth_stage(forms, scenario, None, 0.0, Anchors(), key="anchor_growth")
    top = solve_program(growth.program, solver, time_limit, growth.highs_options)
    reports.append(_stage_report(growth, top))
    if not top.solved:
        return top
    # the growth end from the objective the solver reported (precise with either solver) less the tie-break
    tiebreak = sum(w * top.values.get(name, 0.0) for name, w in tiebreak_weights(forms).items())
    return Anchors(none, float(best.objective or 0.0), max(float(top.objective or 0.0) - tiebreak, 1e-9), problems)


def run_stages(prep: Prepared, anchors: Anchors, solver: str, time_limit: float | None,
               reports: list[StageReport], before_last_solve: Callable[[], None] | None = None,
               ) -> tuple[StageModel, Solution, StageModel, Solution]:
    """Solve the primary stage and, unless the objective is growth itself, the growth stage.

    ``before_last_solve`` is called once, when the last stage's program is built and about to be solved."""
    scenario, forms = prep.scenario, prep.forms
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    stage1 = primary_stage(forms, scenario, anchors)
    if before_last_solve is not None and scenario.objective == "national_growth":
        before_last_solve()
    metric = METRICS[scenario.objective][0]
    early: tuple[StageModel, HighsModel] | None = None
    if stage1.fraction is not None and solver == "highs" and stage1.metric_rows is not None:
        # a large model (the parametric method is for those) has its growth stage built and loaded into HiGHS
        # while the first stage solves (highspy leaves the interpreter free meanwhile); the bound is added once
        # the first stage's optimum is known
        first_loaded = load_program(stage1.program, time_limit, stage1.highs_options)
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(solve_stage, stage1, solver, time_limit, first_loaded)
            unbound = growth_stage(forms, scenario, metric, None, anchors, after=stage1)
            early = unbound, load_program(unbound.program, time_limit, unbound.highs_options)
            first = running.result()
    else:
        first = (solve_stage(stage1, solver, time_limit) if stage1.fraction is not None
                 else solve_program(stage1.program, solver, time_limit, stage1.highs_options))
    reports.append(_stage_report(stage1, first))
    if not first.solved or scenario.objective == "national_growth":
        return stage1, first, stage1, first
    optimum = stage1_optimum(metric, float(first.objective or 0.0), scenario, anchors)
    left = None if deadline is None else max(0.05, deadline - time.perf_counter())
    for tolerance in (1.0, 100.0, 10000.0):  # looser holds if rounding makes stage 2 infeasible
        level = optimum + (relaxed_level(metric, float(optimum)) - optimum) * tolerance
        loaded = None
        if early is not None and tolerance == 1.0:
            stage2 = hold_level(early[0], forms, scenario, metric, level, anchors, stage1)
            loaded = add_new_rows(early[1], stage2.program)
        else:
            stage2 = growth_stage(forms, scenario, metric, level, anchors, after=stage1)
        # no warm start from the first stage's basis: at the settlement level it costs more iterations than
        # a cold dual simplex from the bounds (bench.scale)
        if before_last_solve is not None and tolerance == 1.0:
            before_last_solve()
        second = solve_program(stage2.program, solver, left, stage2.highs_options, loaded=loaded)
        reports.append(_stage_report(stage2, second))
        if second.solved:
            if first.status == Status.TIME_LIMIT_FEASIBLE and second.status == Status.OPTIMAL:
                second = _with_status(second, Status.TIME_LIMIT_FEASIBLE)
            return stage1, first, stage2, second
    return stage1, first, stage1, first


def price_of_exactness(prep: Prepared, anchors: Anchors, metric: str, optimum: float, growth: float,
                       solver: str, time_limit: float | None, start: Solution | None = None,
                       ) -> dict[str, float] | None:
    """National growth if the primary metric were held RELAX_SHARE worse than its optimum (one more LP).

    A planner sees what the last bit of the primary metric costs in growth; ``roadmap frontier`` shows the
    whole trade-off. Not computed for models of more than :data:`LARGE_MODEL_LEVERS` levers: at the settlement
    level that LP costs as much as the growth stage itself, and a warm start does not help.
    """
    if metric in ("national_growth", "problem_regions") or len(prep.forms.names) > LARGE_MODEL_LEVERS:
        return None
    sense = METRICS[prep.scenario.objective][1]
    level = optimum * (1 + RELAX_SHARE) if sense == "min" else optimum * (1 - RELAX_SHARE)
    solution = solve_program(growth_stage(prep.forms, prep.scenario, metric, level, anchors).program, solver,
                             time_limit, start=start)
    if not solution.solved:
        return None
    relaxed = linear_growth(prep.forms, solution.values)
    return {"relax_share": RELAX_SHARE, "level": level, "growth": relaxed, "growth_gain": relaxed - growth}


def stage1_optimum(metric: str, objective: float, scenario: Scenario, anchors: Anchors) -> float:
    """The primary metric at the first stage's optimum, from the objective the solver reported."""
    if metric == "problem_regions":
        return objective + (anchors.problems.constant if anchors.problems else 0)
    if metric == "blend_score":
        return objective + blend_constant(scenario, anchors)
    return objective


def _with_status(solution: Solution, status: Status) -> Solution:
    return replace(solution, status=status)


def optimize(ctx: Context, scenario: Scenario, *, solver: str = "highs",
             time_limit: float | None = None,
             mps_path: Path | str | None = None, direction_rules: DirectionRules | None = None,
             prepared: Prepared | None = None,
             with_baselines: bool = True) -> OptimizationResult:
    """Allocate the scenario's budget and explain the plan (see the module text).

    ``time_limit`` (seconds) applies to each solve; a solve it stops is ``time_limit_feasible``.
    ``mps_path`` receives the last model solved, with its objective sense; the result's
    ``objective_value`` is that model's optimum as the solver reported it.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    check_solver(solver)
    prep = with_scenario(prepared, scenario) if prepared is not None else prepare(ctx, scenario, direction_rules)
    timings["prepare_seconds"] = prep.seconds if prepared is None else 0.0
    forms, model = prep.forms, prep.model
    reports: list[StageReport] = []
    conflicts = presolve_conflicts(forms, scenario)
    anchors = compute_anchors(prep, solver, time_limit, reports) if not conflicts else Anchors()
    if isinstance(anchors, Solution):
        return _unsolved(prep, anchors.status, solver, reports, conflicts, time_limit, timings, started,
                         anchors.message, mps_path, anchors)
    if conflicts:
        return _unsolved(prep, Status.INFEASIBLE, solver, reports, conflicts, time_limit, timings, started,
                         mps_path=mps_path)
    # the no-policy metrics and the formula baselines do not depend on the plan: a thread computes them while
    # the last stage solves (highspy, like CBC's process, leaves the interpreter free), so at the settlement
    # level they cost no time
    pool = ThreadPoolExecutor(max_workers=1)
    independent: list[Future] = []

    def start_independent() -> None:
        independent.append(pool.submit(_plan_independent, prep, anchors, METRICS[scenario.objective][0],
                                       with_baselines))

    try:
        stage1, first, final_stage, final = run_stages(prep, anchors, solver, time_limit, reports, start_independent)
    finally:
        pool.shutdown(wait=False)
    if not first.solved:
        return _unsolved(prep, first.status, solver, reports, conflicts, time_limit, timings, started, first.message,
                         mps_path, first)
    if mps_path is not None and final.pulp_model() is not None:
        write_mps(final.pulp_model(), mps_path)
    timings["optimize_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    reported = time.perf_counter()
    values = final_stage.original_values(final.values)
    rows = allocation_rows(forms, values)
    plan = simulate_plan(model, allocation_frame(rows))
    years = model.baseline.years
    last = scenario.last_year
    base_metrics, base_problems, comparisons, base_trajectories = (
        independent[0].result() if independent
        else _plan_independent(prep, anchors, METRICS[scenario.objective][0], with_baselines))
    plan_metrics, plan_problems = metrics_by_year(ctx, plan, years)
    metric, sense, unit, label = METRICS[scenario.objective]
    linear_value = linear_metric(metric, forms, scenario, values, anchors)
    simulated = simulated_metric(metric, ctx, scenario, plan, prep.no_policy, anchors)
    out_of_order = segments_out_of_order(forms, values)
    notes = gap_notes(prep, anchors)
    gaps = [gap_report(metric, linear_value, simulated, out_of_order, notes)]
    if metric != "national_growth":
        gaps.append(gap_report("national_growth", linear_growth(forms, values),
                               simulated_growth(plan, prep.no_policy, scenario.years), out_of_order, notes[:1]))
    spent = sum(r.bn_kzt for r in rows)
    shadow = budget_shadow_prices(metric, unit, scenario, first, stage1.program, stage1.t_scale, final,
                                  stage1.program.is_mip, stage1.fraction[1] if stage1.fraction else None,
                                  ) if first.status == Status.OPTIMAL else BudgetShadowPrice(
        False, metric, unit, "none", (), "The solve stopped at its time limit; no shadow price is reported.")
    binding = find_binding(final_stage.program, final.values if final_stage.t_scale is None else values,
                           final.duals, forms)
    primary = {"metric": metric, "sense": sense, "unit": unit, "label": label,
               "optimizer_value": linear_value, "simulated_value": simulated,
               "stage1_objective_value": first.objective,
               "price_of_exactness": price_of_exactness(
                   prep, anchors, metric, stage1_optimum(metric, float(first.objective or 0.0), scenario, anchors),
                   linear_growth(forms, values), solver, time_limit, final) if final_stage is not stage1 else None}
    result_status = final.status
    objective_label = (f"{final_stage.description}; stage {len(reports)} of {len(reports)} solved"
                       if final_stage is not stage1 else stage1.description)
    result = OptimizationResult(
        scenario=scenario.to_dict(), status=result_status, objective=scenario.objective,
        objective_value=final.objective, objective_label=objective_label, primary_metric=primary, solver=solver,
        allocation=rows, parts={"rule": forms.parts.text, "units": forms.parts.parts, "classes": forms.parts.classes,
               "reasons": forms.parts.reasons},
        metrics_before=base_metrics[scenario.base_year], metrics_baseline=base_metrics[last],
        metrics_after=plan_metrics[last],
        metrics_by_year={"baseline": base_metrics, "plan": plan_metrics},
        problem_regions_before=base_problems[scenario.base_year], problem_regions_baseline=base_problems[last],
        problem_regions_after=plan_problems[last],
        problem_regions_by_year={"baseline": {y: len(v) for y, v in base_problems.items()},
                                 "plan": {y: len(v) for y, v in plan_problems.items()}},
        trajectories={"years": years, "baseline": base_trajectories,
                      "plan": trajectories_json(plan, years)},
        budget_shadow_price=shadow, binding_constraints=binding, explanations=(),
        baselines=comparisons, plan_reduction_per_bn={**reduction_per_bn(base_metrics[last], plan_metrics[last], spent),
                                                      "national_growth": simulated_growth(plan, prep.no_policy,
                                                                                          scenario.years) / spent
                                                      if spent > 0 else None},
        gaps=tuple(gaps), stages=tuple(reports), conflicts=conflicts, timings={})
    explanations = narrative.explain_result(prep, result, anchors)
    timings["report_seconds"] = time.perf_counter() - reported
    timings["total_seconds"] = time.perf_counter() - started
    return replace(result, explanations=explanations, timings={k: round(v, 6) for k, v in timings.items()})


def gap_notes(prep: Prepared, anchors: Anchors) -> tuple[str, ...]:
    """Further reasons the simulator differs from the linear model in this scenario."""
    notes = []
    if getattr(prep.model.baseline, "migration", None) is not None:
        notes.append("The simulator also lets migration react to the plan's change of incomes (the gravity model "
                     "of the baseline); the linear model moves only the people the programmes pay to move.")
    if prep.scenario.objective == "blend":
        span = anchors.shortfall_none - anchors.shortfall_best
        notes.append(f"The blend's equity term divides by the achievable shortfall reduction ({span:.4g} thousand "
                     "tenge per person), which magnifies small differences in the shortfall.")
    return tuple(notes)


def _plan_independent(prep: Prepared, anchors: Anchors, metric: str, with_baselines: bool,
                      ) -> tuple[dict, dict, tuple[BaselineComparison, ...], dict]:
    """What a result reports that no plan changes: the no-policy metrics and problem regions by year, the
    formula baselines and the no-policy trajectories."""
    years = prep.model.baseline.years
    base_metrics, base_problems = metrics_by_year(prep.ctx, prep.no_policy, years)
    comparisons = (_compare_baselines(prep, anchors, base_metrics[prep.scenario.last_year], metric)
                   if with_baselines else ())
    return base_metrics, base_problems, comparisons, trajectories_json(prep.no_policy, years)


def _compare_baselines(prep: Prepared, anchors: Anchors, no_policy_last: dict, metric: str,
                       ) -> tuple[BaselineComparison, ...]:
    scenario = prep.scenario
    last = scenario.last_year
    out = []
    for formula in FORMULAS:
        allocation = formula_allocation(prep.forms, scenario, formula)
        spent = float(allocation["bn_kzt"].sum()) if len(allocation) else 0.0
        plan = simulate_plan(prep.model, allocation)
        metrics, _ = metrics_for_values(prep.ctx, plain_index(plan.grp_per_capita[last]),
                                        plain_index(plan.population[last]), last)
        by_unit = allocation.groupby("unit_id")["bn_kzt"].sum() if len(allocation) else {}
        reduction = reduction_per_bn(no_policy_last, metrics, spent)
        reduction["national_growth"] = (simulated_growth(plan, prep.no_policy, scenario.years) / spent
                                        if spent > 0 else None)
        out.append(BaselineComparison(
            formula.name, formula.description, round(spent, 6), metrics,
            simulated_metric(metric, prep.ctx, scenario, plan, prep.no_policy, anchors), reduction,
            {str(u): round(float(v), 6) for u, v in dict(by_unit).items()}))
    return tuple(out)


def _unsolved(prep: Prepared, status: Status, solver: str, reports: list[StageReport], conflicts: tuple,
              time_limit: float | None, timings: dict[str, float], started: float, message: str = "",
              mps_path: Path | str | None = None, last: Solution | None = None) -> OptimizationResult:
    """A result with no plan: the baseline, and for an infeasible scenario the conflicts and relaxations.

    ``mps_path`` receives the last model solved: the elastic program for an infeasible scenario.
    """
    scenario, model = prep.scenario, prep.model
    years = model.baseline.years
    base_metrics, base_problems = metrics_by_year(prep.ctx, prep.no_policy, years)
    relaxations: tuple = ()
    if status == Status.INFEASIBLE:
        relaxations, elastic = relax(prep.forms, scenario, solver, time_limit)
        last = elastic
        reports.append(StageReport("elastic", "penalised slacks on the planner's constraints", "min",
                                   elastic.status.value, elastic.objective, solver, elastic.pulp_status,
                                   elastic.pulp_solution_status, round(elastic.seconds, 6),
                                   round(elastic.build_seconds, 6),
                                   len(elastic.program.variables) if elastic.program else 0,
                                   len(elastic.program.rows) if elastic.program else 0, 0, {}, elastic.message))
    if mps_path is not None and last is not None and last.pulp_model() is not None:
        write_mps(last.pulp_model(), mps_path)
    metric, sense, unit, label = METRICS[scenario.objective]
    final = scenario.last_year
    result = OptimizationResult(
        scenario=scenario.to_dict(), status=status, objective=scenario.objective, objective_value=None,
        objective_label="no plan", primary_metric={"metric": metric, "sense": sense, "unit": unit, "label": label},
        solver=solver, allocation=(),
        parts={"rule": prep.forms.parts.text, "units": prep.forms.parts.parts, "classes": prep.forms.parts.classes,
               "reasons": prep.forms.parts.reasons},
        metrics_before=base_metrics[scenario.base_year], metrics_baseline=base_metrics[final], metrics_after=None,
        metrics_by_year={"baseline": base_metrics}, problem_regions_before=base_problems[scenario.base_year],
        problem_regions_baseline=base_problems[final], problem_regions_after=None,
        problem_regions_by_year={"baseline": {y: len(v) for y, v in base_problems.items()}},
        trajectories={"years": years, "baseline": trajectories_json(prep.no_policy, years)},
        budget_shadow_price=BudgetShadowPrice(False, metric, unit, "none", (), "No plan was found."),
        binding_constraints=(), explanations=(), baselines=(), plan_reduction_per_bn={}, gaps=(),
        stages=tuple(reports), conflicts=conflicts, relaxations=relaxations, message=message)
    timings["total_seconds"] = time.perf_counter() - started
    return replace(result, explanations=narrative.explain_unsolved(prep, result),
                   timings={k: round(v, 6) for k, v in timings.items()})


__all__ = ["PlanOnly", "Prepared", "optimize", "prepare", "solve_plan", "stage1_optimum", "with_scenario"]

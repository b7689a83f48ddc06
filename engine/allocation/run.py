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
from engine.allocation.baselines import compare_formulas
from engine.allocation.build import coefficient_range
from engine.allocation.explain import budget_shadow_prices, find_binding, presolve_conflicts, relax
from engine.allocation.objectives import (
    EQUITY_OBJECTIVES,
    FIX_TOLERANCE,
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
    tiebreak_array,
)
from engine.allocation.outcomes import (
    anchors_for,
    linear_growth,
    linear_metric,
    problem_region_margins,
    problem_region_setup,
    shortfall,
    simulated_growth,
    simulated_metric,
)
from engine.allocation.prepared import Prepared, as_prepared, with_scenario
from engine.allocation.report import (
    allocation_cells,
    allocation_frame,
    allocation_rows,
    gap_report,
    lasting_effects,
    metrics_by_year,
    reduction_per_bn,
    rows_of_cells,
    segments_out_of_order,
    trajectories_json,
)
from engine.allocation.result import (
    BaselineComparison,
    BudgetShadowPrice,
    Explanation,
    OptimizationResult,
    StageReport,
    Status,
    explain,
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
from engine.core.errors import ScenarioError
from engine.core.i18n import Text
from engine.core.scenario import Scenario
from engine.model.simulate import fill_cells, simulate_spending
from engine.model.study import Study

RELAX_SHARE = 0.001  # the price of exactness: growth with the primary metric held 0.1% worse


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


def _stage_report(stage: StageModel, solution: Solution, hold_tolerance: float | None = None) -> StageReport:
    lp = stage.program
    return StageReport(stage.key, stage.description, lp.sense, solution.status.value, solution.objective,
                       solution.solver, solution.pulp_status, solution.pulp_solution_status,
                       round(solution.seconds, 6), round(solution.build_seconds, 6), len(lp.variables), len(lp.rows),
                       lp.integer_count, coefficient_range(lp), solution.message, hold_tolerance)


def compute_anchors(prep: Prepared, solver: str, time_limit: float | None,
                    reports: list[StageReport]) -> Anchors | Solution:
    """The problem-region setup and the blend's normalisation; a failed anchor solve is returned as is."""
    scenario, forms = prep.scenario, prep.forms
    if scenario.objective != "blend":
        return anchors_for(prep.ctx, forms, scenario)
    problems = None
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
    tiebreak = sum(w * top.values.get(name, 0.0) for name, w in zip(forms.names, tiebreak_array(forms).tolist(),
                                                                      strict=True))
    return Anchors(none, float(best.objective or 0.0), max(float(top.objective or 0.0) - tiebreak, 1e-9), problems,
                   start=best)


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
    if stage1.fraction is not None and solver == "highs" and stage1.metric_rows is not None \
            and len(forms.names) > LARGE_MODEL_LEVERS:
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
                 else solve_program(stage1.program, solver, time_limit, stage1.highs_options,
                                    start=_same_shape_start(anchors.start, stage1.program)))
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
        # A stage 1 in the growth stage's own variables (not the ratio's Charnes-Cooper or parametric form) leaves
        # an optimal basis that stays primal feasible with the hold row added basic: HiGHS starts from it (the
        # settlement-level shortfall's growth stage: 19 s against 98 s cold). The ratio's stage 1 has other
        # columns, and a cold dual simplex from the bounds beats its basis there (bench.scale).
        start = (first if stage1.fraction is None and loaded is None and first.basis is not None
                 and stage2.program.variable_names == stage1.program.variable_names else None)
        if before_last_solve is not None and tolerance == 1.0:
            before_last_solve()
        second = solve_program(stage2.program, solver, left, stage2.highs_options, loaded=loaded, start=start)
        reports.append(_stage_report(stage2, second, None if metric == "problem_regions"
                                     else FIX_TOLERANCE * tolerance))
        if second.solved:
            if first.status == Status.TIME_LIMIT_FEASIBLE and second.status == Status.OPTIMAL:
                second = _with_status(second, Status.TIME_LIMIT_FEASIBLE)
            return stage1, first, stage2, second
    return stage1, first, stage1, first


def _same_shape_start(start: Solution | None, program: Any) -> Solution | None:
    """``start`` when its program has ``program``'s columns and rows in the same order (its basis then fits)."""
    if start is None or start.basis is None or start.program is None or program.is_mip:
        return None
    same = (start.program.variable_names == program.variable_names
            and list(start.program.rows) == list(program.rows))
    return start if same else None


def price_of_exactness(prep: Prepared, anchors: Anchors, metric: str, optimum: float, growth: float,
                       solver: str, time_limit: float | None, start: Solution | None = None,
                       after: StageModel | None = None) -> dict[str, float] | None:
    """National growth if the primary metric were held RELAX_SHARE worse than its optimum (one more LP).

    A planner sees what the last bit of the primary metric costs in growth; ``roadmap frontier`` shows the
    whole trade-off. Not computed for models of more than :data:`LARGE_MODEL_LEVERS` levers: at the settlement
    level that LP costs as much as the growth stage itself, and a warm start does not help.
    """
    if metric in ("national_growth", "problem_regions", "share_pop_below_75pct") \
            or len(prep.forms.names) > LARGE_MODEL_LEVERS:
        return None
    sense = METRICS[prep.scenario.objective][1]
    level = optimum * (1 + RELAX_SHARE) if sense == "min" else optimum * (1 - RELAX_SHARE)
    # ``after`` (the primary stage) lends its rows: the program is a copy with another bound, not built again
    solution = solve_program(growth_stage(prep.forms, prep.scenario, metric, level, anchors, after=after).program,
                             solver, time_limit, start=start)
    if not solution.solved:
        return None
    relaxed = linear_growth(prep.forms, solution.values)
    return {"relax_share": RELAX_SHARE, "level": level, "growth": relaxed, "growth_gain": relaxed - growth}


def stage1_optimum(metric: str, objective: float, scenario: Scenario, anchors: Anchors) -> float:
    """The primary metric at the first stage's optimum, from the objective the solver reported."""
    if metric == "problem_regions":
        return objective + (anchors.problems.constant if anchors.problems else 0)
    if metric == "share_pop_below_75pct":
        return objective + (anchors.below.constant if anchors.below else 0.0)
    if metric == "blend_score":
        return objective + blend_constant(scenario, anchors)
    return objective


def _with_status(solution: Solution, status: Status) -> Solution:
    return replace(solution, status=status)


def check_milp_size(scenario: Scenario, levers: int) -> None:
    """Refuse a MILP objective on a model too large to solve (:data:`MILP_MAX_LEVERS`), saying what to do."""
    from engine.allocation.objectives import MILP_MAX_LEVERS, MILP_OBJECTIVES
    from engine.core.errors import problem

    if scenario.objective in MILP_OBJECTIVES and levers > MILP_MAX_LEVERS:
        raise ScenarioError([problem("scenario", "pr_milp_too_large", None, "objective", scenario.objective,
                                     levers=levers, most=MILP_MAX_LEVERS)])


def optimize(study: Study | Prepared, *, solver: str = "highs", time_limit: float | None = None,
             mps_path: Path | str | None = None, with_baselines: bool = True) -> OptimizationResult:
    """Allocate the study's budget and explain the plan (see the module text).

    ``time_limit`` (seconds) applies to each solve; a solve it stops is ``time_limit_feasible``.
    ``mps_path`` receives the last model solved, with its objective sense; the result's
    ``objective_value`` is that model's optimum as the solver reported it.
    """
    timings: dict[str, float] = {}
    # a study made for this solve counts in its time (its model and baseline), a prepared one does not
    started = time.perf_counter() - (study.seconds if isinstance(study, Study) else 0.0)
    check_solver(solver)
    prep = as_prepared(study)
    timings["prepare_seconds"] = time.perf_counter() - started
    scenario, forms = prep.scenario, prep.forms
    check_milp_size(scenario, len(forms.names))
    reports: list[StageReport] = []
    conflicts = presolve_conflicts(forms, scenario)
    anchors = compute_anchors(prep, solver, time_limit, reports) if not conflicts else Anchors()
    if isinstance(anchors, Solution):
        return _unsolved(prep, anchors.status, solver, reports, conflicts, time_limit, timings, started,
                         anchors.message, mps_path, anchors)
    if conflicts:
        return _unsolved(prep, Status.INFEASIBLE, solver, reports, conflicts, time_limit, timings, started,
                         mps_path=mps_path)
    # the no-policy metrics and the formula baselines do not depend on the plan: for a large model a thread
    # computes them while the last stage solves, so at the settlement level they cost no time. A small model's
    # solve takes milliseconds, and HiGHS runs some 4x slower beside a busy interpreter thread (it waits for the
    # interpreter), so there they are computed after it
    large = len(forms.names) > LARGE_MODEL_LEVERS
    pool = ThreadPoolExecutor(max_workers=1) if large else None
    independent: list[Future] = []

    def start_independent() -> None:
        if pool is not None:
            independent.append(pool.submit(_plan_independent, prep, anchors, METRICS[scenario.objective][0],
                                           with_baselines))

    try:
        stage1, first, final_stage, final = run_stages(prep, anchors, solver, time_limit, reports, start_independent)
    finally:
        if pool is not None:
            pool.shutdown(wait=False)
    if not first.solved:
        return _unsolved(prep, first.status, solver, reports, conflicts, time_limit, timings, started, first.message,
                         mps_path, first)
    if mps_path is not None and final.pulp_model() is not None:
        write_mps(final.pulp_model(), mps_path)
    timings["optimize_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    metric, _, unit, _ = METRICS[scenario.objective]
    values = final_stage.original_values(final.values)
    shadow = budget_shadow_prices(metric, unit, scenario, first, stage1.program, stage1.t_scale, final,
                                  stage1.program.is_mip, stage1.fraction[1] if stage1.fraction else None,
                                  hold_price(metric, final_stage, stage1, final),
                                  ) if first.status == Status.OPTIMAL else BudgetShadowPrice(
        False, metric, unit, "none", (), "The solve stopped at its time limit; no shadow price is reported.")
    binding = find_binding(final_stage.program, final.values if final_stage.t_scale is None else values,
                           final.duals, forms)
    exactness = (price_of_exactness(prep, anchors, metric,
                                    stage1_optimum(metric, float(first.objective or 0.0), scenario, anchors),
                                    linear_growth(forms, values), solver, time_limit, final, after=stage1)
                 if final_stage is not stage1 else None)
    objective_label = (f"{final_stage.description}; stage {len(reports)} of {len(reports)} solved"
                       if final_stage is not stage1 else stage1.description)
    independent_part = independent[0].result() if independent else None
    return report_plan(prep, anchors, values, final.status, final.objective, objective_label, solver,
                       first.objective, exactness, shadow, binding, reports, conflicts, timings, started,
                       with_baselines, independent_part)


def optimize_at_level(study: Study | Prepared, metric: str, level: float, *, solver: str = "highs",
                      time_limit: float | None = None) -> OptimizationResult:
    """A frontier point's plan: the most national growth holding the equity ``metric`` at ``level`` (no worse).

    The study's constraints and budget apply as in :func:`engine.allocation.frontier.compute_frontier`; the
    plan is reported like :func:`optimize`'s, with ``hold`` set. There is no budget shadow price: the hold is
    not the scenario's own objective.
    """
    timings: dict[str, float] = {}
    # a study made for this solve counts in its time (its model and baseline), a prepared one does not
    started = time.perf_counter() - (study.seconds if isinstance(study, Study) else 0.0)
    check_solver(solver)
    prep = as_prepared(study)
    timings["prepare_seconds"] = time.perf_counter() - started
    scenario = prep.scenario
    equity = with_scenario(prep, scenario.replace(objective=EQUITY_OBJECTIVES.get(scenario.objective, "shortfall")))
    anchors = anchors_for(equity.ctx, equity.forms, equity.scenario)
    stage = growth_stage(equity.forms, equity.scenario, metric, relaxed_level(metric, level), anchors, key="frontier")
    solution = solve_stage(stage, solver, time_limit)
    reports = [_stage_report(stage, solution)]
    hold = {"metric": metric, "level": level}
    if not solution.solved:
        return replace(_unsolved(prep, solution.status, solver, reports, (), time_limit, timings, started,
                                 solution.message), hold=hold)
    timings["optimize_seconds"] = time.perf_counter() - started - timings["prepare_seconds"]
    values = stage.original_values(solution.values)
    no_price = BudgetShadowPrice(False, metric, METRICS[scenario.objective][2], "none", (),
                                 "The plan is a frontier point's: the most growth holding the equity metric; "
                                 "no shadow price of the scenario's objective is reported.")
    result = report_plan(prep, anchors, values, solution.status, solution.objective,
                         stage.description, solver, None, None, no_price, (), reports, (), timings, started, True,
                         None)
    return replace(result, hold=hold)


def report_plan(prep: Prepared, anchors: Anchors, values: Any, status: Status, objective_value: float | None,
                objective_label: str, solver: str, stage1_objective: float | None,
                exactness: dict[str, float] | None, shadow: BudgetShadowPrice, binding: tuple,
                reports: list[StageReport], conflicts: tuple, timings: dict[str, float], started: float,
                with_baselines: bool, independent: tuple | None) -> OptimizationResult:
    """The result of a solved plan: its allocation simulated once, both criteria by year against the no-policy
    baseline, the formula baselines, the linear-vs-simulator gaps, and the explanations."""
    reported = time.perf_counter()
    scenario, forms, model = prep.scenario, prep.forms, prep.model
    ctx = prep.ctx
    cells, amounts = allocation_cells(forms, values)
    rows = rows_of_cells(forms, cells, amounts)
    plan = simulate_spending(model, fill_cells(model, cells, amounts))  # the rows' amounts, as reported
    years = model.baseline.years
    last = scenario.last_year
    metric, sense, unit, label = METRICS[scenario.objective]
    base_metrics, base_problems, comparisons, base_trajectories = (
        independent if independent is not None else _plan_independent(prep, anchors, metric, with_baselines))
    plan_metrics, plan_problems = metrics_by_year(ctx, plan, years, prep.no_policy, prep.assumptions)
    linear_value = linear_metric(metric, forms, scenario, values, anchors)
    simulated = simulated_metric(metric, ctx, scenario, plan, prep.no_policy, anchors, model, forms.lasting)
    out_of_order = segments_out_of_order(forms, values)
    notes = gap_notes(prep, anchors)
    gaps = [gap_report(metric, linear_value, simulated, out_of_order, notes)]
    if metric != "national_growth":
        gaps.append(gap_report("national_growth", linear_growth(forms, values),
                               simulated_growth(plan, prep.no_policy, scenario.years), out_of_order, notes[:1]))
    spent = sum(r.bn_kzt for r in rows)
    primary = {"metric": metric, "sense": sense, "unit": unit, "label": label,
               "optimizer_value": linear_value, "simulated_value": simulated,
               "stage1_objective_value": stage1_objective, "price_of_exactness": exactness}
    result = OptimizationResult(
        scenario=scenario.to_dict(), status=status, objective=scenario.objective,
        objective_value=objective_value, objective_label=objective_label, primary_metric=primary, solver=solver,
        allocation=rows, parts=_parts_json(prep),
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
        gaps=tuple(gaps), stages=tuple(reports), conflicts=conflicts, timings={},
        plan_trajectories=plan, no_policy_trajectories=prep.no_policy,
        national_grp_gain_bn=simulated_growth(plan, prep.no_policy, scenario.years),
        problem_region_margins=tuple(problem_region_margins(ctx, forms, scenario, prep.no_policy, plan,
                                                            anchors.problems or _problem_setup(prep))),
        lasting_effects={**lasting_effects(ctx, model, plan, last, base_metrics[last], plan_metrics[last],
                                           prep.no_policy),
                         "score": scenario.score, "score_basis": SCORE_BASIS[scenario.score]})
    explanations = narrative.explain_result(prep, result, anchors) + _lasting_text(result.lasting_effects,
                                                                                   base_metrics[last])
    timings["report_seconds"] = time.perf_counter() - reported
    timings["total_seconds"] = time.perf_counter() - started
    return replace(result, explanations=explanations, timings={k: round(v, 6) for k, v in timings.items()})


SCORE_BASIS = {
    "lasting": "the optimizer scores the last year's metrics without that year's demand impulse, which fades the "
               "year after (scenario key score: lasting; engine.allocation.forms, 'What lasts'); the metrics by "
               "year show GRP as it would be recorded, impulse included",
    "last_year": "the optimizer scores the last year's metrics with that year's demand impulse (scenario key "
                 "score: last_year)",
}


def _lasting_text(lasting: dict[str, Any] | None, no_policy_last: dict[str, Any]) -> tuple[Explanation, ...]:
    """Say how much of the ratio's fall in the last year is that year's demand impulse, which fades."""
    if not lasting:
        return ()
    share = lasting["share_from_impulse"]["max_min_ratio"]
    ratio = lasting["metrics_after_lasting"]["max_min_ratio"]
    basis = lasting.get("score_basis", "")
    score = next((Text(f"ex_score_{k}") for k, v in SCORE_BASIS.items() if v == basis), basis)
    return (explain("lasting", "ex_lasting", share=share, year=lasting["year"],
                    impulse=lasting["demand_impulse_bn"], ratio=ratio,
                    none=no_policy_last["max_min_ratio"], score=score),)


def hold_price(metric: str, final_stage: StageModel, stage1: StageModel, final: Solution) -> float | None:
    """National growth per unit of the primary metric's held level in the final stage (None without one).

    The bound of a rate or level is ``metric <= level`` or ``>= level``: its dual is the growth per unit of
    level. The ratio's bound is ``highest - level x lowest <= 0``: a unit of level moves it by ``lowest``.
    """
    if final_stage is stage1 or not final.duals:
        return None
    dual = final.duals.get(f"{metric}_bound")
    if dual is None:
        return None
    return dual * float(final.values.get("lowest", 0.0)) if metric == "max_min_ratio" else dual


def _parts_json(prep: Prepared) -> dict[str, Any]:
    parts = prep.forms.parts
    return {"rule": parts.text, "units": parts.parts, "classes": parts.classes, "reasons": parts.reasons}


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
    if anchors.problems is None:
        _problem_setup(prep)  # kept on the prepared study for the problem-region margins
    base_metrics, base_problems, base_trajectories = _no_policy_report(prep)
    comparisons = (compare_formulas(prep, anchors, base_metrics[prep.scenario.last_year], metric)
                   if with_baselines else ())
    return base_metrics, base_problems, comparisons, base_trajectories


def _no_policy_report(prep: Prepared) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]], dict[str, Any]]:
    """The no-policy metrics and problem regions by year and the no-policy trajectories: computed once per model
    (a budget edit keeps them), handed out as copies so that a caller's change does not reach the next result."""
    years = prep.model.baseline.years

    def compute() -> tuple[dict, dict, dict]:
        metrics, problems = metrics_by_year(prep.ctx, prep.no_policy, years)
        return metrics, problems, trajectories_json(prep.no_policy, years)

    metrics, problems, trajectories = prep.of_model("no_policy_report", compute)
    return ({y: dict(m) for y, m in metrics.items()}, {y: list(v) for y, v in problems.items()},
            {u: {k: list(v) for k, v in t.items()} for u, t in trajectories.items()})


def _problem_setup(prep: Prepared) -> Any:
    """The problem-region setup of the prepared study (:func:`problem_region_setup`), once per study; None when
    the rules give the model no GRP rule to decide or the model is large (the margins then say so)."""
    with prep.memo_lock:
        if "problem_setup" in prep.memo:
            return prep.memo["problem_setup"]
    try:
        setup = (None if len(prep.forms.names) > LARGE_MODEL_LEVERS
                 else problem_region_setup(prep.ctx, prep.forms, prep.scenario))
    except ScenarioError:
        setup = None
    with prep.memo_lock:
        prep.memo["problem_setup"] = setup
    return setup


def _unsolved(prep: Prepared, status: Status, solver: str, reports: list[StageReport], conflicts: tuple,
              time_limit: float | None, timings: dict[str, float], started: float, message: str = "",
              mps_path: Path | str | None = None, last: Solution | None = None) -> OptimizationResult:
    """A result with no plan: the baseline, and for an infeasible scenario the conflicts and relaxations.

    ``mps_path`` receives the last model solved: the elastic program for an infeasible scenario.
    """
    scenario, model = prep.scenario, prep.model
    years = model.baseline.years
    base_metrics, base_problems, base_trajectories = _no_policy_report(prep)
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
        parts=_parts_json(prep),
        metrics_before=base_metrics[scenario.base_year], metrics_baseline=base_metrics[final], metrics_after=None,
        metrics_by_year={"baseline": base_metrics}, problem_regions_before=base_problems[scenario.base_year],
        problem_regions_baseline=base_problems[final], problem_regions_after=None,
        problem_regions_by_year={"baseline": {y: len(v) for y, v in base_problems.items()}},
        trajectories={"years": years, "baseline": base_trajectories},
        budget_shadow_price=BudgetShadowPrice(False, metric, unit, "none", (), "No plan was found."),
        binding_constraints=(), explanations=(), baselines=(), plan_reduction_per_bn={}, gaps=(),
        stages=tuple(reports), conflicts=conflicts, relaxations=relaxations, message=message,
        no_policy_trajectories=prep.no_policy,
        problem_region_margins=tuple(problem_region_margins(prep.ctx, prep.forms, scenario, prep.no_policy, None)))
    timings["total_seconds"] = time.perf_counter() - started
    return replace(result, explanations=narrative.explain_unsolved(prep, result),
                   timings={k: round(v, 6) for k, v in timings.items()})


__all__ = ["PlanOnly", "optimize", "optimize_at_level", "report_plan", "solve_plan", "stage1_optimum"]

"""The pipeline: stages, a stopped solve, and a prepared model reused for other scenarios."""

import pytest

from engine.allocation import Status, optimize
from engine.allocation import run as run_module
from engine.allocation.prepared import prepare, with_scenario
from engine.core.errors import ScenarioError
from engine.model.study import build_study


def test_a_solve_stopped_by_the_time_limit_is_reported_as_such(world, monkeypatch):
    # the first stage comes back from the solver as "stopped on time with a feasible plan"
    real = run_module.solve_program
    calls = []

    def stopped(lp, solver="highs", time_limit=None, highs_options=None, **more):
        solution = real(lp, solver, time_limit, highs_options, **more)
        calls.append(time_limit)
        if len(calls) == 1:
            from dataclasses import replace

            return replace(solution, status=Status.TIME_LIMIT_FEASIBLE, duals={})
        return solution

    monkeypatch.setattr(run_module, "solve_program", stopped)
    result = optimize(build_study(world.ctx, world.scenario("{budget_bn_kzt: 800, objective: maximin}"),
                                  direction_rules=world.direction_rules), time_limit=5.0, with_baselines=False)
    assert result.status == Status.TIME_LIMIT_FEASIBLE  # never optimal, even though stage 2 finished
    assert calls[0] == 5.0
    assert not result.budget_shadow_price.available
    assert result.allocation  # the plan found is still reported


def test_a_prepared_model_serves_other_budgets_and_objectives(world):
    first = world.scenario("{budget_bn_kzt: 100, objective: maximin}")
    prep = prepare(build_study(world.ctx, first, direction_rules=world.direction_rules))
    other = first.replace(budget_bn_kzt={2020: 300.0}, objective="national_growth")
    result = optimize(with_scenario(prep, other), with_baselines=False)
    assert result.objective == "national_growth"
    assert sum(r.bn_kzt for r in result.allocation) == pytest.approx(300.0)
    with pytest.raises(ValueError, match="another indicator, base year"):
        with_scenario(prep, first.replace(assumptions={"demand_multiplier_capital": 0.4}))
    with pytest.raises(ScenarioError, match="unit_caps_bn_kzt.atlantis"):
        with_scenario(prep, first.replace(unit_caps_bn_kzt={"atlantis": 1.0}))


def test_a_budget_edit_reuses_the_no_policy_report_and_no_caller_can_spoil_it(kz_ctx, kz_levers):
    # the no-policy metrics by year depend on the model alone: kept across with_scenario, handed out as copies
    from pathlib import Path

    from engine.model.study import read_scenario

    scenarios = Path(__file__).resolve().parents[2] / "data" / "scenarios"
    scenario = read_scenario(scenarios / "concept_2025_2030.yaml", kz_levers)
    prep = prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    first = optimize(prep)
    first.metrics_by_year["baseline"][scenario.last_year]["max_min_ratio"] = -1.0
    first.trajectories["baseline"][next(iter(first.trajectories["baseline"]))]["grp_per_capita"][0] = -1.0
    edited = optimize(with_scenario(prep, scenario.replace(
        budget_bn_kzt={y: b * 0.7 for y, b in scenario.budget_bn_kzt.items()})))
    fresh = optimize(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    assert edited.metrics_by_year["baseline"] == fresh.metrics_by_year["baseline"]
    assert edited.trajectories["baseline"] == fresh.trajectories["baseline"]
    assert edited.problem_regions_by_year["baseline"] == fresh.problem_regions_by_year["baseline"]
    assert edited.allocation != fresh.allocation  # the plan itself is solved again

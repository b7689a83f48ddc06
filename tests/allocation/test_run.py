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

"""Each objective on tiny worlds whose optimal plans are worked out by hand (see conftest.py).

In every tiny world one bn spent in a unit in 2020 raises its GRP per capita in 2020 by 0.5 thousand tenge;
the units start at low 1,000, mid 2,000 and top 4,000 thousand tenge with a million people each.
"""

import pytest

from engine.allocation import Status, optimize
from engine.allocation.build import MIN, build_base_program
from engine.allocation.objectives import Anchors, add_metric_bound, primary_stage, solve_stage
from engine.allocation.outcomes import problem_region_setup
from engine.allocation.prepared import prepare
from engine.allocation.solve import solve_program
from engine.model.study import build_study


def spent(result):
    """Spending by unit to 0.1 bn: stage 2 holds the stage-1 optimum within a relative 1e-6 (FIX_TOLERANCE), which
    frees a few thousandths of a bn in these worlds of thousands of bn."""
    return {unit: round(v, 1) for unit, v in result.spending_by("unit_id").items() if v >= 0.05}


def solve(world, text, **kwargs):
    scenario = world.scenario(text)
    return optimize(build_study(world.ctx, scenario, direction_rules=world.direction_rules), with_baselines=False,
                    **kwargs)


def test_ratio_lifts_the_lowest_unit_first(narrow_world):
    # 400 bn fit in low (capacity 500): ratio 4000 / (1000 + 0.5 x 400) = 3.3333
    result = solve(narrow_world, "{budget_bn_kzt: 400, objective: max_min_ratio}")
    assert result.status == Status.OPTIMAL
    assert spent(result) == {"low": 400.0}
    assert result.primary_metric["stage1_objective_value"] == pytest.approx(4000 / 1200, rel=1e-9)


def test_ratio_second_stage_spends_what_the_first_leaves_open(narrow_world):
    # low is full at 500 bn (ratio 4000 / 1250 = 3.2); the other 300 bn must be spent without raising top
    result = solve(narrow_world, "{budget_bn_kzt: 800, objective: max_min_ratio}")
    assert result.primary_metric["stage1_objective_value"] == pytest.approx(3.2, rel=1e-9)
    assert spent(result) == {"low": 500.0, "mid": 300.0}
    assert result.primary_metric["simulated_value"] == pytest.approx(3.2, rel=1e-9)
    # the last model is the growth stage: 0.5 bn of GRP per bn, plus the tie-break (2e-4 per bn in the poorest
    # unit, 1.5e-4 in the middle one)
    assert [s.key for s in result.stages] == ["primary", "growth"]
    assert result.objective_value == pytest.approx(400.0 + 500 * 2e-4 + 300 * 1.5e-4, rel=1e-12)


def test_ratio_equals_bisection_on_the_default_data(kz_ctx, kz_levers):
    from engine.core.scenario import scenario_from_text

    scenario = scenario_from_text("name: b\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: 300\n"
                                  "objective: max_min_ratio\nequity_share: 0.5\n", "b.yaml", kz_levers)
    prep = prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    exact = solve_stage(primary_stage(prep.forms, scenario, Anchors()), "highs", None)
    assert exact.status == Status.OPTIMAL

    def feasible(ratio: float) -> bool:
        lp = build_base_program(prep.forms, scenario, "bisection", MIN)
        add_metric_bound(lp, prep.forms, scenario, "max_min_ratio", ratio, Anchors())
        return solve_program(lp).status == Status.OPTIMAL

    low, high = 1.0, 20.0
    assert feasible(high) and not feasible(low)
    while high - low > 1e-8:
        mid = (low + high) / 2
        low, high = (low, mid) if feasible(mid) else (mid, high)
    assert exact.objective == pytest.approx(high, abs=2e-8)


def test_maximin_by_hand(world):
    # 2,400 bn: low rises to mid's 2,000 with 2,000 bn, then both rise together: 200 bn each -> 2,100
    result = solve(world, "{budget_bn_kzt: 2400, objective: maximin}")
    assert result.primary_metric["stage1_objective_value"] == pytest.approx(2100.0, rel=1e-9)
    assert spent(result) == {"low": 2200.0, "mid": 200.0}


def test_shortfall_by_hand(world):
    # 800 bn all in low: national mean (7000 + 400) / 3, threshold 0.75 of it = 1850, low at 1400 falls 450 short,
    # weighted by a third of the population: 150
    result = solve(world, "{budget_bn_kzt: 800, objective: shortfall}")
    assert result.primary_metric["stage1_objective_value"] == pytest.approx(150.0, rel=1e-9)
    assert spent(result) == {"low": 800.0}


def test_national_growth_ties_go_to_the_poorest_unit(world):
    result = solve(world, "{budget_bn_kzt: 800, objective: national_growth}")
    assert spent(result) == {"low": 800.0}
    assert result.primary_metric["optimizer_value"] == pytest.approx(400.0, rel=1e-12)
    assert [s.key for s in result.stages] == ["primary"]


def test_problem_regions_by_hand(world):
    # low is a problem region (1,000 < 0.75 x 2,333); lifting it needs 1000 + 0.5 x >= 0.75 (7000 + 0.5 B) / 3
    none = solve(world, "{budget_bn_kzt: 1500, objective: problem_regions}")
    assert none.primary_metric["optimizer_value"] == 1.0
    assert none.metrics_after["problem_regions"] == 1
    lifted = solve(world, "{budget_bn_kzt: 2500, objective: problem_regions}")
    assert lifted.status == Status.OPTIMAL
    assert lifted.primary_metric["optimizer_value"] == 0.0
    assert lifted.metrics_after["problem_regions"] == 0  # the exact simulation agrees
    scenario = world.scenario("{budget_bn_kzt: 2500, objective: problem_regions}")
    forms = prepare(build_study(world.ctx, scenario, direction_rules=world.direction_rules)).forms
    setup = problem_region_setup(world.ctx, forms, scenario)
    assert set(setup.decided) == {"low", "mid"}
    # spending raises the national mean, so mid needs just enough to stay clear: 2000 + 0.5 m = 2062.5 + margin
    mid = (2062.5 + setup.margin - 2000) / 0.5
    assert spent(lifted) == pytest.approx({"low": 2500 - mid, "mid": mid}, abs=1e-4)
    assert lifted.stages[0].integer_variables == 2


def test_blend_ends_are_the_pure_objectives(world):
    pure = solve(world, "{budget_bn_kzt: 800, objective: shortfall}")
    equity = solve(world, "{budget_bn_kzt: 800, objective: blend, equity_weight: 1.0}")
    assert equity.primary_metric["optimizer_value"] == pytest.approx(1.0, abs=1e-9)
    assert spent(equity) == spent(pure)
    growth = solve(world, "{budget_bn_kzt: 800, objective: blend, equity_weight: 0.0}")
    assert growth.primary_metric["optimizer_value"] == pytest.approx(1.0, abs=1e-9)


def test_allow_unspent_keeps_money_that_would_hurt(narrow_world):
    # capacity 500 + 1000 + 2000; spending in top would raise the ratio, so with allow_unspent it stays unspent
    forced = solve(narrow_world, "{budget_bn_kzt: 1800, objective: max_min_ratio}")
    assert spent(forced) == {"low": 500.0, "mid": 1000.0, "top": 300.0}
    free = solve(narrow_world, "{budget_bn_kzt: 1800, objective: max_min_ratio, allow_unspent: true}")
    assert spent(free) == {"low": 500.0, "mid": 1000.0}
    assert free.primary_metric["stage1_objective_value"] < forced.primary_metric["stage1_objective_value"]

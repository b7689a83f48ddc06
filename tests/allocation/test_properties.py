"""Property tests: what must hold for any budget, not just the ones worked out by hand."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.allocation import Status, optimize
from engine.allocation.baselines import FORMULAS, formula_allocation
from engine.allocation.objectives import Anchors, primary_stage, solve_stage
from engine.allocation.outcomes import linear_metric
from engine.allocation.prepared import prepare, with_scenario
from engine.allocation.solve import solve_program
from engine.core.scenario import scenario_from_text
from engine.model.simulate import fill_segments
from engine.model.study import build_study

SHARED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class Held(tuple):
    """Fixture values with a short repr (hypothesis prints the arguments of a failing example)."""

    def __repr__(self) -> str:
        return "<prepared model>"


@pytest.fixture(scope="module")
def tiny(narrow_world_shared):
    world = narrow_world_shared
    scenario = world.scenario("{budget_bn_kzt: 100, objective: max_min_ratio, allow_unspent: true}")
    return Held((world, prepare(build_study(world.ctx, scenario, direction_rules=world.direction_rules))))


def ratio(prep, budget: float) -> float:
    scenario = prep.scenario.replace(budget_bn_kzt={2020: budget})
    solution = solve_stage(primary_stage(prep.forms, scenario, Anchors()), "highs", None)
    assert solution.status == Status.OPTIMAL
    return float(solution.objective)


@SHARED
@given(st.floats(0, 4000), st.floats(0, 4000))
def test_more_budget_never_worsens_the_optimal_ratio(tiny, a, b):
    _, prep = tiny
    low, high = sorted((a, b))
    assert ratio(prep, high) <= ratio(prep, low) + 1e-9
    # and by hand: low is lifted until its room of 500 bn is full, nothing else helps the ratio
    assert ratio(prep, low) == pytest.approx(4000 / (1000 + 0.5 * min(low, 500.0)), rel=1e-9)


@SHARED
@given(budget=st.floats(10, 4000), share=st.floats(0, 1), unspent=st.booleans(),
       objective=st.sampled_from(["max_min_ratio", "maximin", "shortfall", "national_growth"]))
def test_every_plan_keeps_the_rules_or_says_what_must_give(tiny, budget, share, unspent, objective):
    world, prep = tiny
    scenario = prep.scenario.replace(budget_bn_kzt={2020: budget}, equity_share=share, allow_unspent=unspent,
                                     objective=objective)
    result = optimize(with_scenario(prep, scenario), with_baselines=False)
    if result.status == Status.INFEASIBLE:
        assert result.conflicts or result.relaxations
        return
    assert result.status == Status.OPTIMAL
    spent = sum(r.bn_kzt for r in result.allocation)
    assert spent <= budget + 1e-6
    if not unspent:
        assert spent == pytest.approx(budget, abs=1e-6)
    assert result.spending_by("part").get("equity", 0.0) >= share * budget - 1e-6
    room = {"low": 500.0, "mid": 1000.0, "top": 2000.0}
    assert all(0 < r.bn_kzt <= room[r.unit_id] + 1e-6 for r in result.allocation)


@pytest.fixture(scope="module")
def kz_prep(kz_ctx, kz_levers):
    scenario = scenario_from_text("name: p\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: 300\n"
                                  "objective: shortfall\nequity_share: 0\n", "p.yaml", kz_levers)
    return Held((prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers)),))


@settings(max_examples=8, deadline=None)
@given(budget=st.floats(20, 800), objective=st.sampled_from(["max_min_ratio", "maximin", "shortfall"]))
def test_no_formula_beats_the_optimum_on_its_own_metric(kz_prep, budget, objective):
    # with no equity share and no direction bounds every formula allocation is a feasible plan of the LP
    (kz_prep,) = kz_prep
    scenario = kz_prep.scenario.replace(budget_bn_kzt={2025: budget, 2026: budget}, objective=objective)
    stage = primary_stage(kz_prep.forms, scenario, Anchors())
    best = solve_program(stage.program)
    assert best.status == Status.OPTIMAL
    metric = {"max_min_ratio": "max_min_ratio", "maximin": "min_grp_per_capita", "shortfall": "shortfall"}[objective]
    for formula in FORMULAS:
        spending = fill_segments(kz_prep.model, formula_allocation(kz_prep.forms, scenario, formula))
        values = dict(zip(kz_prep.forms.names, spending, strict=True))
        value = linear_metric(metric, kz_prep.forms, scenario, values, Anchors())
        if objective == "maximin":
            assert best.objective >= value - 1e-6 * abs(value)
        else:
            assert best.objective <= value + 1e-6 * abs(value)

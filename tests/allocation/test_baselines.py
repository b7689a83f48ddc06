"""Formula baselines: shares worked out by hand, and the comparison every result carries."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.allocation import optimize
from engine.allocation.baselines import FORMULAS, formula_allocation, water_fill
from engine.allocation.prepared import prepare
from engine.model.study import build_study


def shares(world, text):
    scenario = world.scenario(text)
    prep = prepare(build_study(world.ctx, scenario, direction_rules=world.direction_rules))
    out = {}
    for formula in FORMULAS:
        frame = formula_allocation(prep.forms, scenario, formula)
        out[formula.name] = frame.groupby("unit_id")["bn_kzt"].sum().round(9).to_dict()
    return out


def test_formula_shares_by_hand(world):
    # equal populations; mean 7000 / 3: gaps 1333.3 (low), 333.3 (mid), none (top): 80% / 20%
    got = shares(world, "{budget_bn_kzt: 900, objective: maximin}")
    assert got["equal_per_capita"] == pytest.approx({"low": 300.0, "mid": 300.0, "top": 300.0})
    assert got["gap_proportional"] == pytest.approx({"low": 720.0, "mid": 180.0})
    assert got["eu_style"] == pytest.approx({"low": 720.0, "mid": 180.0})


def test_formulas_respect_capacity_and_pass_the_overflow_on(narrow_world):
    # low can absorb 500: of a 1,000 bn budget the gap formula gives it 800, so 300 go to mid
    got = shares(narrow_world, "{budget_bn_kzt: 1000, objective: maximin}")
    assert got["gap_proportional"] == pytest.approx({"low": 500.0, "mid": 500.0})


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 500), st.lists(st.tuples(st.floats(0, 10), st.floats(0, 100)), min_size=1, max_size=6))
def test_water_fill_never_overfills_and_spends_what_fits(amount, units):
    weights = {f"u{i}": w for i, (w, _) in enumerate(units)}
    room = {f"u{i}": r for i, (_, r) in enumerate(units)}
    out = water_fill(amount, weights, room)
    assert all(-1e-9 <= out[u] <= room[u] + 1e-9 for u in out)
    fits = sum(room[u] for u in out if weights[u] > 0)
    assert sum(out.values()) == pytest.approx(min(amount, fits), abs=1e-6)


def test_every_result_compares_with_each_formula(world):
    scenario = world.scenario("{budget_bn_kzt: 900, objective: max_min_ratio}")
    result = optimize(build_study(world.ctx, scenario, direction_rules=world.direction_rules))
    # a formula by region (the status quo) has no weights for the units of a made-up world
    assert [b.name for b in result.baselines] == [f.name for f in FORMULAS if f.applies(list(result.parts["units"]))]
    for b in result.baselines:
        assert b.spent_bn == pytest.approx(900.0)
        assert set(b.reduction_per_bn) >= {"max_min_ratio", "williamson", "problem_regions", "national_growth"}
    # the optimized plan reduces its own metric at least as much per bn as any formula on the same budget
    plan = result.plan_reduction_per_bn["max_min_ratio"]
    assert all(plan >= b.reduction_per_bn["max_min_ratio"] - 1e-12 for b in result.baselines)
    assert any(e.topic == "baselines" for e in result.explanations)


def test_status_quo_shares_are_the_2026_subventions_by_hand():
    from engine.allocation.baselines import status_quo_weights

    weights = status_quo_weights()
    # the law's withdrawal regions get no subvention; figures in thousand tenge as the file gives them
    assert {"atyrau", "almaty_city", "astana"}.isdisjoint(weights)
    assert weights["zhambyl"] == 492283724 and weights["pavlodar"] == 5807202
    # 14 found plus 3 estimated add up to the reported total of 5.1 trn tenge
    assert sum(weights.values()) == pytest.approx(5.1e9, abs=1.0)
    assert weights["zhambyl"] / sum(weights.values()) == pytest.approx(492283724 / 5.1e9)
    # the three estimates are shared by 2024 population: Turkistan 2,148,106, Shymkent 1,239,115, Ulytau 221,437
    rest = 5.1e9 - 3758264425
    assert weights["shymkent"] == pytest.approx(rest * 1239115 / (2148106 + 1239115 + 221437), abs=1.0)


def test_status_quo_and_equal_split_spend_the_same_budget():
    from engine.allocation import prepare
    from engine.core.paths import DEFAULT_SCENARIO
    from engine.model.study import open_study

    prep = prepare(open_study(DEFAULT_SCENARIO))
    for name in ("status_quo", "equal_split"):
        formula = next(f for f in FORMULAS if f.name == name)
        allocation = formula_allocation(prep.forms, prep.scenario, formula)
        assert allocation["bn_kzt"].sum() == pytest.approx(prep.scenario.total_budget, rel=1e-9)
    equal = formula_allocation(prep.forms, prep.scenario, next(f for f in FORMULAS if f.name == "status_quo"))
    assert "atyrau" not in set(equal["unit_id"])

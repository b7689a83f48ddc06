import numpy as np
import pandas as pd
import pytest

from engine.core.context import load_context
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.model.response import build_baseline, build_response_model
from engine.model.simulate import empty_allocation, fill_segments, simulate_plan


@pytest.fixture(scope="module")
def setup():
    ctx = load_context()
    assumptions = ParameterValues(load_direction_rules())
    baseline = build_baseline(ctx.dataset, 2024, 2030, assumptions)
    model = build_response_model(ctx.dataset, baseline, assumptions, ctx.typology.hub_ids)
    return ctx, assumptions, baseline, model


def test_baseline_starts_at_the_data_and_keeps_the_national_level(setup):
    ctx, assumptions, baseline, _ = setup
    assert baseline.units == ctx.dataset.units_in_year(2024)
    pd.testing.assert_series_equal(baseline.grp_per_capita[2024], ctx.dataset.values("grp_per_capita", 2024),
                                   check_names=False)
    growth = assumptions.value("baseline_real_growth")
    for step, year in enumerate(baseline.years):
        assert baseline.national_mean(year) == pytest.approx(baseline.national_mean(2024) * (1 + growth) ** step)


def test_baseline_converges_slowly(setup):
    _, _, baseline, _ = setup
    gap = np.log(baseline.grp_per_capita).std()
    assert gap[2030] < gap[2024]
    ranks = baseline.grp_per_capita.rank()
    assert (ranks[2030] == ranks[2024]).all()  # rankings persist (parameters.md topic 6)


def test_levers_respect_eligibility_and_segments(setup):
    _, assumptions, baseline, model = setup
    assert "almaty_city" not in model.eligible["peripheral_compression"]
    assert set(model.eligible["mobility"]) <= {"turkistan", "zhambyl", "kyzylorda", "shymkent", "almaty_oblast",
                                               "zhetisu", "mangystau"}
    breakpoints = assumptions.vector("segment_breakpoints_share_of_grp")
    capacity = model.capacity("turkistan", "agglomeration", 2025)
    assert capacity == pytest.approx(breakpoints[-1] * baseline.grp_bn.at["turkistan", 2024])


def test_agglomeration_effect_by_hand(setup):
    _, a, baseline, model = setup
    k = next(i for i, lv in enumerate(model.levers)
             if (lv.unit, lv.direction, lv.year, lv.segment) == ("turkistan", "agglomeration", 2025, 0))
    own = {e.year: e.grp_bn for e in model.effects[k] if e.unit == "turkistan"}
    eff = a.value("implementation_efficiency")
    lag = int(a.value("capital_lag_years"))
    assert own[2025] == pytest.approx(eff * a.value("demand_multiplier_capital"))
    assert 2025 + lag - 1 not in own or own[2025 + lag - 1] == 0
    assert own[2025 + lag] == pytest.approx(eff * a.value("capital_return"))


def test_empty_plan_is_the_baseline(setup):
    _, _, baseline, model = setup
    plan = simulate_plan(model, empty_allocation())
    pd.testing.assert_frame_equal(plan.grp_per_capita, baseline.grp_per_capita)
    pd.testing.assert_frame_equal(plan.population, baseline.population)


def test_mobility_conserves_people_and_segments_fill_in_order(setup):
    _, _, baseline, model = setup
    allocation = pd.DataFrame([("turkistan", "mobility", 2025, 10.0), ("zhambyl", "mobility", 2026, 5.0)],
                              columns=["unit_id", "direction", "year", "bn_kzt"])
    plan = simulate_plan(model, allocation)
    np.testing.assert_allclose(plan.population.sum(), baseline.population.sum(), rtol=1e-12)
    assert plan.population.at["turkistan", 2030] < baseline.population.at["turkistan", 2030]
    spending = fill_segments(model, allocation)
    cells = [(lv.segment, s) for lv, s in zip(model.levers, spending, strict=True)
             if (lv.unit, lv.direction, lv.year) == ("turkistan", "mobility", 2025)]
    filled = [s for _, s in sorted(cells)]
    capacities = [lv.capacity for lv in sorted(model.levers, key=lambda lv: lv.segment)
                  if (lv.unit, lv.direction, lv.year) == ("turkistan", "mobility", 2025)]
    assert sum(filled) == pytest.approx(10.0)
    assert filled[0] == pytest.approx(capacities[0])  # the first, steepest segment fills first
    assert filled[2] == 0 or filled[1] == pytest.approx(capacities[1])


def test_overspending_and_ineligible_cells_are_refused(setup):
    _, _, _, model = setup
    with pytest.raises(ValueError, match="not available"):
        fill_segments(model, pd.DataFrame([("almaty_city", "mobility", 2025, 1.0)],
                                          columns=["unit_id", "direction", "year", "bn_kzt"]))
    with pytest.raises(ValueError, match="exceeds what"):
        fill_segments(model, pd.DataFrame([("turkistan", "agglomeration", 2025, 1e6)],
                                          columns=["unit_id", "direction", "year", "bn_kzt"]))


def test_interaction_bonus_needs_other_spending(setup):
    _, _, _, model = setup
    alone = simulate_plan(model, pd.DataFrame([("turkistan", "interaction", 2025, 5.0)],
                                              columns=["unit_id", "direction", "year", "bn_kzt"]))
    assert alone.bonus_bn.to_numpy().sum() == 0
    both = simulate_plan(model, pd.DataFrame([("turkistan", "interaction", 2025, 5.0),
                                              ("turkistan", "agglomeration", 2025, 20.0)],
                                             columns=["unit_id", "direction", "year", "bn_kzt"]))
    assert both.bonus_bn.loc["turkistan"].sum() > 0

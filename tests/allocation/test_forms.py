"""The linear forms against the response model they come from, and the part rule."""

import numpy as np
import pytest

from engine.allocation.build import national_expression, per_capita_expression
from engine.allocation.forms import EFFICIENCY, EQUITY
from engine.allocation.outcomes import linear_national, linear_per_capita
from engine.allocation.prepared import prepare
from engine.core.scenario import scenario_from_text
from engine.model.simulate import simulate_spending
from engine.model.study import build_study


def test_part_rule_by_hand(world):
    prep = prepare(build_study(world.ctx, world.scenario("{budget_bn_kzt: 10, objective: maximin}"),
                               direction_rules=world.direction_rules))
    # national mean 7000 / 3 = 2333: low and mid lag, top does not
    assert prep.forms.parts.parts == {"low": EQUITY, "mid": EQUITY, "top": EFFICIENCY}
    assert "below the national population-weighted mean" in prep.forms.parts.reasons["mid"]
    assert prep.forms.parts.part_of("top", "agglomeration") == EFFICIENCY
    # rules/roadmap.yaml: mobility spending is equity wherever it is booked
    assert prep.forms.parts.part_of("top", "mobility") == EQUITY


def test_per_capita_coefficients_match_the_model(kz_ctx, kz_levers):
    scenario = scenario_from_text("name: f\nbase_year: 2024\nhorizon: [2025, 2027]\nbudget_bn_kzt: 100\n"
                                  "objective: maximin\nequity_share: 0\nscore: last_year\n", "f.yaml", kz_levers)
    prep = prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    forms, model = prep.forms, prep.model
    rng = np.random.default_rng(7)
    for k in rng.choice(len(model.levers), size=25, replace=False):
        expected = {u: c for u, year, c in model.per_capita_coefficients(int(k)) if year == forms.last_year}
        got = {u: row[int(k)] for u, row in forms.per_capita.items() if int(k) in row}
        assert got == pytest.approx(expected, rel=1e-12)


def test_linear_view_is_exact_without_migration_or_bonus(world):
    # the tiny world has no migration, no bonus and one segment: the linear model is the simulator
    prep = prepare(build_study(world.ctx, world.scenario("{budget_bn_kzt: 10, objective: maximin}"),
                               direction_rules=world.direction_rules))
    spending = [100.0, 300.0, 50.0]
    values = dict(zip(prep.forms.names, spending, strict=True))
    plan = simulate_spending(prep.model, spending)
    linear = linear_per_capita(prep.forms, values)
    for unit in prep.forms.units:
        assert linear[unit] == pytest.approx(float(plan.grp_per_capita.at[unit, 2020]), rel=1e-12)
    const, coeffs = national_expression(prep.forms)
    national = const + sum(c * values.get(v, 0.0) for v, c in coeffs.items())
    y, p = plan.grp_per_capita[2020], plan.population[2020]
    assert national == pytest.approx(float((y * p).sum() / p.sum()), rel=1e-12)
    assert linear_national(prep.forms, values) == pytest.approx(national, rel=1e-12)
    const, coeffs = per_capita_expression(prep.forms, "low")
    assert const == pytest.approx(1000.0) and coeffs == {"x_low_agglomeration_2020_s0": pytest.approx(0.5)}


def test_lasting_forms_leave_out_the_last_years_demand_impulse(kz_ctx, kz_levers):
    from engine.allocation.forms import last_year_impulse
    from engine.allocation.prepared import with_scenario

    text = "name: f\nbase_year: 2024\nhorizon: [2025, 2027]\nbudget_bn_kzt: 100\nobjective: maximin\nequity_share: 0\n"
    lasting = prepare(build_study(kz_ctx, scenario_from_text(text, "f.yaml", kz_levers), direction_rules=kz_levers))
    assert lasting.scenario.score == "lasting" and lasting.forms.lasting
    full = with_scenario(lasting, scenario_from_text(text + "score: last_year\n", "f.yaml", kz_levers))
    assert not full.forms.lasting
    model = lasting.model
    impulse = last_year_impulse(model)
    in_last = model.lever_year == 2027
    assert (impulse[~in_last] == 0).all() and (impulse[in_last] > 0).any()
    # the impulse: multiplier x effective share, e.g. agglomeration's multiplier (rules/directions.yaml)
    k = int(np.flatnonzero(in_last & (model.lever_direction == 0))[0])
    multiplier = kz_levers.parameters["demand_multiplier_capital"].central
    assert impulse[k] == pytest.approx(model.lever_scale[k] * multiplier)
    diff = (full.forms.per_capita_matrix - lasting.forms.per_capita_matrix).tocoo()
    population = model.baseline.population[2027]
    for k, i, v in zip(diff.row, diff.col, diff.data, strict=True):
        if abs(v) > 1e-12:
            assert in_last[k] and i == model.lever_unit[k]
            assert v == pytest.approx(impulse[k] * 1e6 / population.iloc[i], rel=1e-9)
    assert full.forms.grp_last - lasting.forms.grp_last == pytest.approx(impulse, abs=1e-12)
    assert np.array_equal(full.forms.growth, lasting.forms.growth)  # growth keeps every year's impulse

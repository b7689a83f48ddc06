"""The sparse response model, the simulator's vectorised parts, and the optimizer's large-model paths."""

from pathlib import Path

import numpy as np
import pulp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.allocation import forms as forms_module
from engine.allocation import objectives, optimize, prepare
from engine.allocation.build import to_pulp
from engine.allocation.objectives import Anchors, growth_stage, primary_stage
from engine.allocation.prepared import with_scenario
from engine.allocation.run import run_stages
from engine.allocation.solve import solve_program
from engine.core.context import Context, load_context
from engine.core.graph import INSTRUMENT_LINKS, interaction_density
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.core.rules import load_problem_rules, load_typology
from engine.core.scenario import load_scenario
from engine.model.response import build_baseline, build_response_model
from engine.model.simulate import actor_graph_density, simulate_spending
from engine.model.study import build_study

SCENARIO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "concept_2025_2030.yaml"


@pytest.fixture(scope="module")
def region():
    ctx = load_context()
    direction_rules = load_direction_rules(known_units=set(ctx.dataset.units.index))
    scenario = load_scenario(SCENARIO, direction_rules, set(ctx.dataset.units_in_year(2024)))
    return ctx, direction_rules, scenario


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.sets(st.sampled_from(list(INSTRUMENT_LINKS) + ["other"])))
def test_vectorised_actor_graph_density_is_the_graphs(ceiling, needed, instruments):
    got = actor_graph_density(np.array([ceiling]), np.array([needed]), sorted(instruments))[0]
    assert got == pytest.approx(interaction_density(ceiling, needed, sorted(instruments)), abs=1e-12)


def test_simulated_changes_are_the_sum_of_the_levers_effects(region):
    # the sparse matrices against the per-lever objects built from them, for random spending
    ctx, direction_rules, _ = region
    a = ParameterValues(direction_rules)
    model = build_response_model(ctx.dataset, build_baseline(ctx.dataset, 2024, 2030, a), a, ctx.typology.hub_ids)
    rng = np.random.default_rng(5)
    spending = rng.uniform(0, 1, model.n_levers) * model.lever_capacity * (rng.random(model.n_levers) < 0.2)
    plan = simulate_spending(model, spending, migration_response=False)
    expected = model.baseline.population.copy()
    for k in np.flatnonzero(spending):
        for e in model.effects[k]:
            expected.at[e.unit, e.year] += spending[k] * e.population
    np.testing.assert_allclose(plan.population.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert sum(len(v) for v in model.bonus_cover.values()) == model.bonus_cover_effect.nnz


def test_the_parametric_ratio_reaches_the_charnes_cooper_optimum(region, monkeypatch):
    ctx, direction_rules, scenario = region
    monkeypatch.setattr(objectives, "CHARNES_COOPER_MAX_LEVERS", 10**9)
    exact = optimize(build_study(ctx, scenario, direction_rules=direction_rules), with_baselines=False)
    assert "Charnes-Cooper" in exact.stages[0].description
    monkeypatch.setattr(objectives, "CHARNES_COOPER_MAX_LEVERS", 0)
    parametric = optimize(build_study(ctx, scenario, direction_rules=direction_rules), with_baselines=False)
    assert parametric.stages[0].description.startswith("max/min ratio") and "parametric" in \
        parametric.stages[0].description
    assert parametric.primary_metric["stage1_objective_value"] == pytest.approx(
        exact.primary_metric["stage1_objective_value"], rel=1e-8)
    assert parametric.metrics_after["max_min_ratio"] == pytest.approx(exact.metrics_after["max_min_ratio"], rel=1e-6)
    assert parametric.budget_shadow_price.available
    for p, e in zip(parametric.budget_shadow_price.by_year, exact.budget_shadow_price.by_year, strict=True):
        assert p.per_bn == pytest.approx(e.per_bn, rel=1e-4, abs=1e-9)


def test_a_growth_stage_loaded_before_its_bound_solves_as_one_built_with_it(region, monkeypatch):
    ctx, direction_rules, scenario = region
    monkeypatch.setattr(objectives, "LARGE_MODEL_LEVERS", 0)
    prep = prepare(build_study(ctx, scenario, direction_rules=direction_rules))
    reports = []
    stage1, first, stage2, second = run_stages(prep, Anchors(), "highs", None, reports)
    assert stage1.fraction is not None and stage2.key == "growth" and second.status.value == "optimal"
    assert "max_min_ratio_bound" in stage2.program.rows
    level = -stage2.program.rows["max_min_ratio_bound"].coeffs["lowest"]
    built = growth_stage(prep.forms, scenario, "max_min_ratio", level, Anchors())
    alone = solve_program(built.program, highs_options=built.highs_options)
    assert second.objective == pytest.approx(alone.objective, rel=1e-9)
    assert stage2.program.max_violation(second.values) <= 1e-7
    assert len(reports) == 2 and f"{level:.6g}" in stage2.description


def test_leaving_out_rows_of_units_that_cannot_be_lowest_keeps_the_optimum(region, monkeypatch):
    ctx, direction_rules, scenario = region
    maximin = scenario.replace(objective="maximin")
    prep = prepare(build_study(ctx, maximin, direction_rules=direction_rules))
    pruned = primary_stage(prep.forms, maximin, Anchors())
    kept = [n for n in pruned.program.rows if n.startswith("floor_")]
    monkeypatch.setattr(objectives, "per_capita_range",
                        lambda lp, forms: (np.zeros(len(forms.units)), np.full(len(forms.units), np.inf)))
    full = primary_stage(prep.forms, maximin, Anchors())
    assert len([n for n in full.program.rows if n.startswith("floor_")]) == len(prep.forms.units) > len(kept)
    assert solve_program(pruned.program).objective == pytest.approx(solve_program(full.program).objective, rel=1e-9)


def test_highs_called_directly_agrees_with_highs_through_pulp(region):
    ctx, direction_rules, scenario = region
    prep = prepare(build_study(ctx, scenario.replace(objective="shortfall"), direction_rules=direction_rules))
    stage = primary_stage(prep.forms, scenario.replace(objective="shortfall"), Anchors())
    direct = solve_program(stage.program)
    model = to_pulp(stage.program)
    model.problem.solve(pulp.HiGHS(msg=False, threads=1))
    assert direct.objective == pytest.approx(pulp.value(model.problem.objective), rel=1e-9)


def test_the_factored_resettlers_are_the_per_capita_effects(small_settlements, monkeypatch):
    monkeypatch.setattr(forms_module, "FACTOR_MIN_SAVING", 0)
    ds = small_settlements
    ctx = Context(ds, load_typology(ds.units.index), load_problem_rules())
    direction_rules = load_direction_rules(known_units=set(ds.units.index))
    scenario = load_scenario(SCENARIO, direction_rules).replace(budget_bn_kzt={y: 20.0 for y in range(2025, 2031)},
                                                       equity_share=0.0)
    prep = prepare(build_study(ctx, scenario, direction_rules=direction_rules))
    forms = prep.forms
    assert forms.mobility_factor is not None
    lever_movers, to_units = forms.mobility_factor
    rebuilt = forms.per_capita_own + lever_movers @ to_units
    np.testing.assert_allclose(rebuilt.toarray(), forms.per_capita_matrix.toarray(), rtol=1e-9, atol=1e-12)
    result = optimize(with_scenario(prep, scenario), with_baselines=False)
    assert result.status.value == "optimal"
    assert sum(r.bn_kzt for r in result.allocation) == pytest.approx(120.0, rel=1e-6)
    gap = result.gaps[0]
    assert abs(gap.difference) <= 0.02 * abs(gap.simulated)  # the linear view and the simulator agree


def test_a_vanishing_need_is_met_by_any_link_in_both_forms():
    # a need of 5e-324 divided by three links underflows to zero; both forms must still call it met
    needed = np.nextafter(0.0, 1.0)
    assert interaction_density(1.0, needed, ["ppp"]) == pytest.approx(1 / 3)
    assert actor_graph_density(np.array([1.0]), np.array([needed]), ["ppp"])[0] == pytest.approx(1 / 3)

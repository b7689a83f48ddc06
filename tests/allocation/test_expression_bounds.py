"""The big-M bounds of the problem-region and share-below MILPs: ExpressionBounds (the shared part computed once)
gives the bounds the plain per-expression computation gives, for every unit, on regions and on settlements."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.allocation import prepare
from engine.allocation.build import combine, national_expression, per_capita_expression
from engine.allocation.outcomes import ExpressionBounds, _expression_bounds
from engine.core.context import Context
from engine.core.rules import load_problem_rules, load_typology
from engine.model.study import build_study, read_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "concept_2025_2030.yaml"


def forms_of(ctx, budget=None):
    scenario = read_scenario(SCENARIO)
    if budget is not None:
        scenario = scenario.replace(budget_bn_kzt={y: budget(y) for y in scenario.years})
    prep = prepare(build_study(ctx, scenario))
    return prep.forms, prep.scenario


def check_every_unit(forms, scenario, threshold, units=None):
    nat_const, nat = national_expression(forms)
    shared = ExpressionBounds(forms, scenario, nat, threshold)
    alone = ExpressionBounds(forms, scenario)
    for unit in units or forms.units:
        const, coeffs = per_capita_expression(forms, unit)
        want = _expression_bounds(forms, scenario, threshold * nat_const - const,
                                  combine((threshold, nat), (-1.0, coeffs)))
        got = shared.of(threshold * nat_const - const, {k: -c for k, c in coeffs.items()})
        assert got == pytest.approx(want, rel=1e-9, abs=1e-7), unit
        want = _expression_bounds(forms, scenario, 1000.0 - const, {k: -c for k, c in coeffs.items()})
        got = alone.of(1000.0 - const, {k: -c for k, c in coeffs.items()})
        assert got == pytest.approx(want, rel=1e-9, abs=1e-7), unit


@pytest.mark.parametrize("budget", [None, lambda y: 5.0, lambda y: 100.0 * (y - 2024)])
def test_regions(ctx, budget):
    forms, scenario = forms_of(ctx, budget)
    check_every_unit(forms, scenario, 0.75)


def test_settlements(small_settlements):
    ctx = Context(small_settlements, load_typology(small_settlements.units.index), load_problem_rules())
    forms, scenario = forms_of(ctx)
    check_every_unit(forms, scenario, 0.75, forms.units[::25])


def test_a_milp_objective_on_a_settlement_sized_model_is_refused_with_a_message(ctx):
    from engine.allocation.run import check_milp_size
    from engine.core.errors import ScenarioError

    scenario = read_scenario(SCENARIO).replace(objective="problem_regions")
    check_milp_size(scenario, 9_432)  # the district level solves
    with pytest.raises(ScenarioError) as caught:
        check_milp_size(scenario, 304_681)
    (found,) = caught.value.problems
    assert found.column == "objective" and "district" in found.message
    assert "shortfall" in found.text("ru") and found.text("ru") != found.text("en")
    check_milp_size(scenario.replace(objective="shortfall"), 304_681)


def test_unemployment_clearance_bounds_match_the_plain_computation(ctx):
    """The Okun-linked unemployment rules' clearance bounds (shared national rate computed once) are the bounds
    of each stored clearance row computed alone."""
    from engine.allocation.outcomes import _moves, moved_unemployment_rule

    forms, scenario = forms_of(ctx)
    rules = [r for r in ctx.problem_rules.rules if _moves(ctx, forms, r)]
    assert rules, "the default rules have an unemployment rule the plan moves"
    for rule in rules:
        moved, bounds = moved_unemployment_rule(ctx, forms, scenario, rule)
        assert set(bounds) == set(moved.rows)
        for unit, (const, coeffs, _) in moved.rows.items():
            want = _expression_bounds(forms, scenario, const, coeffs)
            assert bounds[unit] == pytest.approx(want, rel=1e-9, abs=1e-7), unit

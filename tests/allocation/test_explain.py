"""Infeasible scenarios get an answer; binding constraints, shadow prices and explanations are right."""

from pathlib import Path

import pytest

from engine.allocation import Status, optimize
from engine.allocation.explain import presolve_conflicts
from engine.allocation.prepared import prepare
from engine.core.scenario import scenario_from_text
from engine.model.study import build_study, read_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "concept_2025_2030.yaml"


def solve(world, text, **kwargs):
    return optimize(build_study(world.ctx, world.scenario(text), direction_rules=world.direction_rules),
                    with_baselines=False, **kwargs)


def test_budget_above_capacity_is_infeasible_with_the_amount(narrow_world):
    # capacity 500 + 1000 + 2000 = 3500 bn; a 4000 bn budget that must be spent leaves 500 bn over
    result = solve(narrow_world, "{budget_bn_kzt: 4000, objective: maximin}")
    assert result.status == Status.INFEASIBLE
    assert result.allocation == ()
    [conflict] = result.conflicts
    assert "budget_bn_kzt" in conflict.rules and conflict.amount_bn == pytest.approx(500.0)
    [relaxation] = result.relaxations
    assert relaxation.rule == "budget" and relaxation.year == 2020
    assert relaxation.by_bn == pytest.approx(500.0)
    assert "allow_unspent" in relaxation.text
    assert any(e.topic == "relaxation" for e in result.explanations)
    assert result.metrics_baseline["max_min_ratio"] == pytest.approx(4.0)  # the baseline is still reported


def test_direction_minimums_above_the_whole_budget(narrow_world):
    text = "{budget_bn_kzt: 100, objective: maximin, directions: {agglomeration: {min: 0.7}, mobility: {min: 0.4}}}"
    scenario = narrow_world.scenario(text)
    conflicts = presolve_conflicts(prepare(build_study(narrow_world.ctx, scenario,
                                                       direction_rules=narrow_world.direction_rules)).forms, scenario)
    rules = [set(c.rules) for c in conflicts]
    assert {"directions.agglomeration.min", "directions.mobility.min"} in rules
    # mobility is eligible nowhere in the tiny world: its minimum also exceeds its capacity
    assert any("directions.mobility.min" in r and any("capacity" in x for x in r) for r in rules)
    result = solve(narrow_world, text)
    assert result.status == Status.INFEASIBLE
    mobility = next(r for r in result.relaxations if r.direction == "mobility")
    assert mobility.by_bn == pytest.approx(40.0)  # 0.4 x 100 bn cannot go anywhere
    assert "directions.mobility.min would have to fall from 0.400 to 0.000" in mobility.text


def test_equity_share_above_what_lagging_units_absorb(narrow_world):
    # equity units are low and mid (below the mean 2,333): 1,500 bn of capacity against 0.9 x 2,000
    result = solve(narrow_world, "{budget_bn_kzt: 2000, objective: maximin, equity_share: 0.9}")
    assert result.status == Status.INFEASIBLE
    assert any("equity_share" in c.rules for c in result.conflicts)
    [relaxation] = result.relaxations
    assert relaxation.rule == "equity_share" and relaxation.by_bn == pytest.approx(300.0)
    assert "equity_share would have to fall from 0.900 to 0.750" in relaxation.text


def test_binding_constraints_name_their_rules(narrow_world):
    result = solve(narrow_world, "{budget_bn_kzt: 800, objective: max_min_ratio}")
    rules = {(b.rule, b.unit, b.direction) for b in result.binding_constraints}
    assert ("budget", None, None) in rules
    assert ("capacity", "low", "agglomeration") in rules  # low is full: the ratio cannot fall further
    assert ("floor", "low", None) in rules and ("ceiling", "top", None) in rules
    assert ("capacity", "mid", "agglomeration") not in rules


def test_shadow_price_of_the_ratio_matches_the_hand_derivative(narrow_world):
    # R(B) = 4000 / (1000 + 0.5 B) while low has room: dR/dB = -2000 / (1000 + 0.5 B)^2
    result = solve(narrow_world, "{budget_bn_kzt: 400, objective: max_min_ratio}")
    price = result.budget_shadow_price
    assert price.available and price.metric == "max_min_ratio"
    [year] = price.by_year
    assert year.per_bn == pytest.approx(-2000 / 1200 ** 2, rel=1e-6)
    assert year.text.startswith("One more billion tenge in 2020 lowers the max/min ratio by 0.001389")


def test_shadow_price_matches_a_re_solve_on_the_default_data(kz_ctx, kz_levers):
    text = ("name: s\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: {{2025: 300, 2026: {b}}}\n"
            "objective: maximin\nequity_share: 0.5\n")
    base = optimize(build_study(kz_ctx, scenario_from_text(text.format(b=300), "s.yaml", kz_levers),
                                direction_rules=kz_levers), with_baselines=False)
    more = optimize(build_study(kz_ctx, scenario_from_text(text.format(b=300.01), "s.yaml", kz_levers),
                                direction_rules=kz_levers), with_baselines=False)
    step = (more.primary_metric["stage1_objective_value"] - base.primary_metric["stage1_objective_value"]) / 0.01
    price = next(p for p in base.budget_shadow_price.by_year if p.year == 2026)
    assert price.per_bn == pytest.approx(step, rel=1e-4, abs=1e-9)


def test_a_milp_has_no_shadow_price(world):
    result = solve(world, "{budget_bn_kzt: 2500, objective: problem_regions}")
    assert not result.budget_shadow_price.available
    assert "MILP" in result.budget_shadow_price.note


def test_explanations_cover_the_method_parts_and_assumptions(narrow_world):
    result = solve(narrow_world, "{budget_bn_kzt: 800, objective: max_min_ratio, equity_share: 0.5}")
    topics = {e.topic for e in result.explanations}
    assert {"objective", "parts", "budget", "allocation", "directions", "outcome", "shadow_price", "binding",
            "lp_vs_simulator", "assumptions", "problem_regions"} <= topics
    text = " ".join(e.text for e in result.explanations)
    assert "parametric method" in text and "summed over the horizon" in text
    assert "below the national population-weighted mean" in text  # the part rule, stated
    assert "Rests on assumption" in text  # parameters resting on assumptions are listed
    assert "Institutional modernization and infrastructure investment" in text  # the direction's own description
    assert "three quarters of the national level" in text  # the problem rule's rationale


def test_the_gap_between_linear_model_and_simulator_is_explained(kz_ctx, kz_levers):
    scenario = scenario_from_text("name: g\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: 300\n"
                                  "objective: shortfall\nequity_share: 0.5\n", "g.yaml", kz_levers)
    result = optimize(build_study(kz_ctx, scenario, direction_rules=kz_levers), with_baselines=False)
    gap = result.gaps[0]
    assert gap.metric == "shortfall" and gap.difference == pytest.approx(gap.simulated - gap.linear)
    assert "first order" in gap.reason and "migration" in gap.reason


def test_price_of_exactness(narrow_world, kz_ctx, kz_levers):
    # in the tiny world every bn earns the same growth, so holding the ratio 0.1% looser gains nothing
    result = solve(narrow_world, "{budget_bn_kzt: 800, objective: max_min_ratio}")
    price = result.primary_metric["price_of_exactness"]
    assert price["level"] == pytest.approx(3.2 * 1.001, rel=1e-9)
    assert price["growth_gain"] == pytest.approx(0.0, abs=1e-6)
    # on the default data the looser hold never costs growth, and the explanation says what it buys
    scenario = scenario_from_text("name: p\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: 300\n"
                                  "objective: maximin\nequity_share: 0.5\n", "p.yaml", kz_levers)
    result = optimize(build_study(kz_ctx, scenario, direction_rules=kz_levers), with_baselines=False)
    price = result.primary_metric["price_of_exactness"]
    assert price["growth_gain"] >= -1e-6
    assert any(e.topic == "trade_off" and "0.1% short of its optimum" in e.text for e in result.explanations)


@pytest.mark.parametrize("capped_every", [1, 3])
def test_capacity_conflicts_are_the_plain_sums_over_cells(kz_ctx, capped_every):
    """The yearly and equity capacity conflicts name the amount a plain sum over the model's cells gives, with
    each unit's cap bounding its year (the conflicts are computed on arrays)."""
    from engine.allocation.forms import EQUITY

    base = read_scenario(SCENARIO)
    units = prepare(build_study(kz_ctx, base)).forms.units
    caps = {u: 2.5 for u in units[::capped_every]}
    scenario = base.replace(unit_caps_bn_kzt=caps, equity_share=0.99, budget_bn_kzt={y: 4000.0 for y in base.years})
    forms = prepare(build_study(kz_ctx, scenario)).forms
    by_unit_year: dict = {}
    equity = 0.0
    for (unit, direction, year), cap in zip(forms.cell_keys, forms.cell_capacity.tolist(), strict=True):
        if year in scenario.budget_bn_kzt:
            by_unit_year[(unit, year)] = by_unit_year.get((unit, year), 0.0) + cap
            if forms.parts.part_of(unit, direction) == EQUITY:
                equity += min(cap, caps.get(unit, cap))
    conflicts = presolve_conflicts(forms, scenario)
    for year in scenario.years:
        capacity = sum(min(v, caps.get(u, v)) for (u, y), v in by_unit_year.items() if y == year)
        found = [c for c in conflicts if f"the {year} budget" in c.message]
        assert len(found) == 1 and found[0].amount_bn == pytest.approx(4000.0 - capacity), year
    (equity_conflict,) = [c for c in conflicts if "equity_share" in c.rules]
    assert equity_conflict.amount_bn == pytest.approx(0.99 * scenario.open_budget - equity)

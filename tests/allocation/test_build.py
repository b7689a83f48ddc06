"""The built models, checked without solving: constraint names per rule, the registry, scaling."""

import re

import pytest

from engine.allocation.build import EQ, LE, MIN, build_base_program, coefficient_range, homogenize, to_pulp
from engine.allocation.objectives import Anchors, growth_stage, primary_stage
from engine.allocation.prepared import prepare
from engine.allocation.solve import solve_program
from engine.core.scenario import OBJECTIVES, scenario_from_text
from engine.model.study import build_study

SCENARIO = """
name: build
base_year: 2024
horizon: [2025, 2027]
budget_bn_kzt: 400
objective: {objective}
equity_share: 0.6
directions: {{mobility: {{min: 0.02, max: 0.3}}}}
unit_caps_bn_kzt: {{atyrau: 5}}
{extra}
"""


@pytest.fixture(scope="module")
def prep(kz_ctx, kz_levers):
    scenario = scenario_from_text(SCENARIO.format(objective="max_min_ratio", extra=""), "b.yaml", kz_levers,
                                  set(kz_ctx.dataset.units_in_year(2024)))
    return prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))


def test_every_rule_has_its_named_constraints(prep):
    lp = build_base_program(prep.forms, prep.scenario, "base", MIN)
    names = set(lp.rows)
    assert {"budget_2025", "budget_2026", "budget_2027", "equity_share", "direction_min_mobility",
            "direction_max_mobility", "unit_cap_atyrau_2025", "unit_cap_atyrau_2027"} <= names
    assert any(n.startswith("bonus_base_") for n in names) and any(n.startswith("bonus_cover_") for n in names)
    assert "direction_min_agglomeration" not in names  # no bound given, no row
    for name, row in lp.rows.items():
        assert re.fullmatch(r"[a-z0-9_]+", name)  # PuLP would rewrite anything else
        assert name.startswith(row.info.rule)  # rule id first
    assert lp.rows["budget_2026"].sense == EQ and lp.rows["budget_2026"].rhs == 400.0
    assert lp.rows["unit_cap_atyrau_2026"].info.unit == "atyrau"
    assert all(re.fullmatch(r"[a-z0-9_]+", v) for v in lp.variables)


def test_allow_unspent_turns_budgets_into_ceilings(prep):
    lp = build_base_program(prep.forms, prep.scenario.replace(allow_unspent=True), "base", MIN)
    assert lp.rows["budget_2025"].sense == LE


def test_levers_outside_the_horizon_stay_at_zero(prep):
    later = prep.scenario.replace(horizon=(2026, 2027), budget_bn_kzt={2026: 400.0, 2027: 400.0})
    lp = build_base_program(prep.forms, later, "base", MIN)
    for k, name in enumerate(prep.forms.names):
        if prep.forms.years_of[k] == 2025:
            assert lp.variables[name].high == 0.0


def test_the_pulp_problem_has_the_same_rows(prep):
    lp = build_base_program(prep.forms, prep.scenario, "base", MIN)
    model = to_pulp(lp)
    assert set(model.constraints) == set(lp.rows)
    assert {c.name for c in model.problem.constraints()} == set(lp.rows)


def test_charnes_cooper_keeps_every_constraint_homogeneous(prep, monkeypatch):
    from engine.allocation import objectives

    monkeypatch.setattr(objectives, "CHARNES_COOPER_MAX_LEVERS", 10**9)  # the parametric method is the default
    stage = primary_stage(prep.forms, prep.scenario, Anchors())
    lp = stage.program
    assert "normalise_lowest" in lp.rows and lp.rows["normalise_lowest"].rhs == 1.0
    assert all(row.rhs == 0.0 for name, row in lp.rows.items() if name != "normalise_lowest")
    capacity_rows = [n for n in lp.rows if n.startswith("capacity_")]
    assert len(capacity_rows) == sum(1 for k in range(len(prep.forms.names)) if prep.forms.capacity[k] > 0)
    with pytest.raises(ValueError, match="pure LP"):
        lp2 = build_base_program(prep.forms, prep.scenario, "m", MIN)
        lp2.add_variable("z", 0.0, 1.0, integer=True)
        homogenize(lp2, 1.0, "x")


def test_charnes_cooper_recovers_the_original_plan(prep):
    stage = primary_stage(prep.forms, prep.scenario, Anchors())
    solution = solve_program(stage.program)
    values = stage.original_values(solution.values)
    plain = build_base_program(prep.forms, prep.scenario, "check", MIN)
    assert plain.max_violation(values) < 1e-6
    assert sum(values[n] for n in prep.forms.names) == pytest.approx(1200.0, rel=1e-9)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_coefficients_stay_in_a_sane_range(objective, kz_ctx, kz_levers):
    # PITFALLS (scaling): money in bn and GRP per capita in thousand tenge keep every model within 1e7
    scenario = scenario_from_text(SCENARIO.format(objective=objective, extra=""), "b.yaml", kz_levers,
                                  set(kz_ctx.dataset.units_in_year(2024)))
    prep = prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    anchors = Anchors(0.0, -1.0, 1.0)
    if objective == "problem_regions":
        from engine.allocation.outcomes import problem_region_setup

        anchors = Anchors(problems=problem_region_setup(kz_ctx, prep.forms, scenario))
    if objective == "share_below":
        from engine.allocation.outcomes import anchors_for

        anchors = anchors_for(kz_ctx, prep.forms, scenario)
    for stage in (primary_stage(prep.forms, scenario, anchors), growth_stage(prep.forms, scenario, None, 0, anchors)):
        ranges = coefficient_range(stage.program)
        low, high = ranges["matrix"]
        assert high / low < 1e7, ranges
        assert max((abs(v) for v in stage.program.objective.values()), default=0.0) < 1e4

"""HiGHS and CBC agree; the same scenario gives the same allocation every run."""

import pytest

from engine.allocation import Status, optimize
from engine.allocation.prepared import prepare, with_scenario
from engine.core.scenario import scenario_from_text
from engine.model.study import build_study

SCENARIO = """
name: agreement
base_year: 2024
horizon: [2025, 2026]
budget_bn_kzt: 300
objective: {objective}
equity_share: 0.6
directions: {{mobility: {{min: 0.02}}}}
"""


def close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("objective", ["max_min_ratio", "maximin", "shortfall", "national_growth", "blend"])
def test_highs_and_cbc_agree(objective, kz_ctx, kz_levers):
    scenario = scenario_from_text(SCENARIO.format(objective=objective), "a.yaml", kz_levers)
    prep = prepare(build_study(kz_ctx, scenario, direction_rules=kz_levers))
    highs = optimize(with_scenario(prep, scenario), with_baselines=False)
    cbc = optimize(with_scenario(prep, scenario), solver="cbc", with_baselines=False)
    assert highs.status == cbc.status == Status.OPTIMAL
    for a, b in zip(highs.stages, cbc.stages, strict=True):
        assert close(a.objective_value, b.objective_value), (a.key, a.objective_value, b.objective_value)
    assert close(highs.objective_value, cbc.objective_value)
    # the explicit tie-break makes the allocation itself solver-independent, up to solver tolerances
    h, c = highs.allocation_frame(), cbc.allocation_frame()
    merged = h.merge(c, on=["unit_id", "direction", "year"], how="outer", suffixes=("_h", "_c")).fillna(0.0)
    assert (merged["bn_kzt_h"] - merged["bn_kzt_c"]).abs().max() < 1e-3


def test_highs_and_cbc_agree_on_a_milp(world):
    scenario = world.scenario("{budget_bn_kzt: 2500, objective: problem_regions}")
    highs = optimize(build_study(world.ctx, scenario, direction_rules=world.direction_rules), with_baselines=False)
    cbc = optimize(build_study(world.ctx, scenario, direction_rules=world.direction_rules), solver="cbc",
                   with_baselines=False)
    assert highs.status == cbc.status == Status.OPTIMAL
    assert [s.objective_value for s in highs.stages] == pytest.approx([s.objective_value for s in cbc.stages],
                                                                      rel=1e-6)


def test_same_scenario_same_allocation(kz_ctx, kz_levers):
    scenario = scenario_from_text(SCENARIO.format(objective="max_min_ratio"), "d.yaml", kz_levers)
    first = optimize(build_study(kz_ctx, scenario, direction_rules=kz_levers), with_baselines=False)
    second = optimize(build_study(kz_ctx, scenario, direction_rules=kz_levers), with_baselines=False)
    assert first.allocation == second.allocation
    assert first.objective_value == second.objective_value

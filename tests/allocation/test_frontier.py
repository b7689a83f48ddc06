"""The equity-efficiency frontier."""

import pytest

from engine.allocation import Status, compute_frontier
from engine.model.study import build_study


def test_frontier_trades_equity_for_growth(narrow_world):
    # ratio objective: the best ratio needs all of low's room; growth is the same per bn everywhere here, so the
    # frontier is flat in growth and every point spends the whole budget
    scenario = narrow_world.scenario("{budget_bn_kzt: 800, objective: max_min_ratio}")
    frontier = compute_frontier(build_study(narrow_world.ctx, scenario, direction_rules=narrow_world.direction_rules),
                                5)
    assert frontier.status == Status.OPTIMAL and len(frontier.points) == 5
    assert frontier.points[0].equity_value == pytest.approx(3.2, rel=1e-9)
    for p in frontier.points:
        assert sum(p.by_direction.values()) == pytest.approx(800.0, abs=1e-6)
        assert set(p.by_part) <= {"equity", "efficiency"}


def test_frontier_on_the_default_data_is_monotone(kz_ctx, kz_levers):
    from engine.core.scenario import scenario_from_text

    scenario = scenario_from_text("name: f\nbase_year: 2024\nhorizon: [2025, 2027]\nbudget_bn_kzt: 400\n"
                                  "objective: shortfall\nequity_share: 0.4\n", "f.yaml", kz_levers)
    frontier = compute_frontier(build_study(kz_ctx, scenario, direction_rules=kz_levers), 7)
    assert frontier.metric == "shortfall" and len(frontier.points) == 7
    levels = [p.equity_value for p in frontier.points]
    growth = [p.national_growth for p in frontier.points]
    assert levels == sorted(levels)  # from the best shortfall to the one at the most growth
    assert all(b >= a - 1e-6 for a, b in zip(growth, growth[1:], strict=False))
    assert growth[-1] > growth[0]
    doc = frontier.to_json()
    assert doc["equity_metric"] == "shortfall" and len(doc["points"]) == 7
    assert {"equity_value", "national_growth", "by_direction", "by_part"} <= set(doc["points"][0])


def test_blend_and_growth_objectives_trace_the_shortfall(world):
    scenario = world.scenario("{budget_bn_kzt: 100, objective: national_growth}")
    frontier = compute_frontier(build_study(world.ctx, scenario, direction_rules=world.direction_rules), 3)
    assert frontier.metric == "shortfall"


def test_points_out_of_range_are_refused(world):
    with pytest.raises(ValueError,
                       match="between 2 and"):
        compute_frontier(build_study(world.ctx, world.scenario("{budget_bn_kzt: 100, objective: maximin}"),
                                     direction_rules=world.direction_rules), 1)

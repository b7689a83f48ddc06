"""What it takes: the least yearly budget for a target, checked by solving again at it and at 90% of it."""

from __future__ import annotations

import pytest

from engine.analysis.target import _solver, _value, least_budget
from engine.core.errors import ScenarioError


@pytest.fixture(scope="module")
def ends(study):
    """The max/min ratio in 2030 without policy and with the default scenario's 500 bn a year."""
    _, solve = _solver(study, "max_min_ratio")
    return _value(solve(0.0), "max_min_ratio", 2030), _value(solve(500.0), "max_min_ratio", 2030)


def test_the_least_budget_reaches_the_target_and_90_percent_of_it_does_not(study, ends):
    none, full = ends
    target = none - 0.5 * (none - full)
    found = least_budget(study, "max_min_ratio", target, 2030)
    assert found.status == "reached"
    budget = found.least_budget_bn_kzt_per_year
    assert 0 < budget < 500
    _, solve = _solver(study, "max_min_ratio")
    assert _value(solve(budget), "max_min_ratio", 2030) <= target
    assert _value(solve(0.9 * budget), "max_min_ratio", 2030) > target
    assert found.value_without_policy == pytest.approx(none) and found.allocation


def test_a_target_beyond_the_caps_is_out_of_reach_with_what_binds(study, ends):
    none, full = ends
    target = full - (none - full)
    found = least_budget(study, "max_min_ratio", target, 2030, curve_points=3)
    assert found.status == "out_of_reach" and found.least_budget_bn_kzt_per_year is None
    assert found.best_value > target and found.best_value < found.value_without_policy
    assert any("absorption cap" in line for line in found.binding)
    assert [p["budget_bn_kzt_per_year"] for p in found.curve][0] == 0.0 and len(found.curve) == 3
    assert found.curve[0]["value"] >= found.curve[-1]["value"]  # more money, no worse


def test_unknown_metrics_and_years_are_refused(study):
    with pytest.raises(ScenarioError) as caught:
        least_budget(study, "happiness", 1.0, 2040)
    assert {p.file for p in caught.value.problems} == {"--metric", "--year"}


def test_reach_says_the_ratio_barely_moves_and_what_budget_would(study):
    from engine.allocation import optimize
    from engine.analysis.target import plan_value, reach

    result = optimize(study, with_baselines=False)
    value = plan_value(study, result.plan_trajectories, "max_min_ratio")
    assert value == pytest.approx(result.lasting_effects["metrics_after_lasting"]["max_min_ratio"], rel=1e-9)
    found = reach(study, "max_min_ratio", value)
    assert found["small"] and 0 < found["moved_share"] < 0.02  # 500 bn a year moves the ratio by under 1%
    assert found["best_value"] <= value and found["target"] < found["without_policy"]
    budget = found["least_budget_bn_kzt_per_year"]
    assert budget is not None and 0 < budget < 500
    _, solve = _solver(study, "max_min_ratio")
    assert _value(solve(budget), "max_min_ratio", 2030) <= found["target"]

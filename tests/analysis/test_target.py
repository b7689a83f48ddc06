"""What it takes: the least yearly budget for a target, checked by solving again at it and at 90% of it."""

from __future__ import annotations

import pytest

from engine.analysis.target import _solver, _value, least_budget
from engine.core.errors import ScenarioError
from engine.core.paths import DEFAULT_SCENARIO
from engine.model.study import open_study


@pytest.fixture(scope="module")
def study():
    return open_study(DEFAULT_SCENARIO)


def test_the_least_budget_reaches_the_target_and_90_percent_of_it_does_not(study):
    found = least_budget(study, "max_min_ratio", 8.45, 2030)
    assert found.status == "reached"
    budget = found.least_budget_bn_kzt_per_year
    assert 0 < budget < 500  # the default scenario's 500 bn a year reaches 8.44
    _, solve = _solver(study, "max_min_ratio")
    assert _value(solve(budget), "max_min_ratio", 2030) <= 8.45
    assert _value(solve(0.9 * budget), "max_min_ratio", 2030) > 8.45
    assert found.value_without_policy > 8.45 and found.allocation


def test_a_target_beyond_the_caps_is_out_of_reach_with_what_binds(study):
    found = least_budget(study, "max_min_ratio", 8.0, 2030, curve_points=3)
    assert found.status == "out_of_reach" and found.least_budget_bn_kzt_per_year is None
    assert found.best_value > 8.0 and found.best_value < found.value_without_policy
    assert any("absorption cap" in line for line in found.binding)
    assert [p["budget_bn_kzt_per_year"] for p in found.curve][0] == 0.0 and len(found.curve) == 3
    assert found.curve[0]["value"] >= found.curve[-1]["value"]  # more money, no worse


def test_unknown_metrics_and_years_are_refused(study):
    with pytest.raises(ScenarioError) as caught:
        least_budget(study, "happiness", 1.0, 2040)
    assert {p.file for p in caught.value.problems} == {"--metric", "--year"}

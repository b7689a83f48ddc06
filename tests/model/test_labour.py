"""Unemployment under a plan: the Okun link moves a unit's rate with its GRP above the no-policy path."""

from __future__ import annotations

import math

import pytest

from engine.core.diagnose import latest_values
from engine.model.labour import OKUN, unemployment_under_plan


def test_a_plan_lifting_grp_lowers_unemployment_by_the_okun_coefficient(ctx, direction_rules):
    from engine.core.parameters import ParameterValues

    parameters = ParameterValues(direction_rules)
    held = latest_values(ctx.dataset, "unemployment_rate", 2030)
    no_policy = held * 0 + 1000.0  # GRP per capita: the level does not matter, the ratio does
    plan = no_policy.copy()
    plan["mangystau"] *= 1.02
    rates = unemployment_under_plan(ctx, parameters, plan, no_policy, 2030)
    lift = 100 * math.log(1.02)
    assert rates["mangystau"] == pytest.approx(held["mangystau"] + parameters.value(OKUN) * lift)
    assert rates["mangystau"] < held["mangystau"]
    others = rates.drop("mangystau")
    assert (others == held.drop("mangystau")).all()  # the no-policy path keeps the latest rate
    high = ParameterValues(direction_rules).with_overrides({OKUN: "low"})  # the strongest response
    assert unemployment_under_plan(ctx, high, plan, no_policy, 2030)["mangystau"] < rates["mangystau"]

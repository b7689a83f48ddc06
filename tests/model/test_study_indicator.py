"""A study on non-mining GRP per capita projects that indicator: its baseline, its model and its checks."""

from __future__ import annotations

import pytest

from engine.core.errors import ScenarioError
from engine.core.parameters import ParameterValues
from engine.core.scenario import scenario_from_text
from engine.model.response import build_baseline, estimate_trend
from engine.model.study import build_study, model_dataset

SCENARIO = """name: t
base_year: 2024
horizon: [2025, 2030]
budget_bn_kzt: 500
objective: max_min_ratio
equity_share: 0.6
"""


def test_the_baseline_starts_from_the_indicator_data(ctx, direction_rules):
    scenario = scenario_from_text(SCENARIO + "indicator: grp_per_capita_nonmining\n", "t.yaml", direction_rules)
    study = build_study(ctx, scenario, direction_rules=direction_rules)
    assert study.indicator == "grp_per_capita_nonmining"
    data = ctx.dataset.values("grp_per_capita_nonmining", 2024)
    start = study.model.baseline.grp_per_capita[2024]
    assert start.to_dict() == pytest.approx(data.reindex(start.index).to_dict())
    # the model's GRP is non-mining GRP: Atyrau's is 56% of its GRP (mining 43.7% of GRP in 2024)
    grp = study.model.baseline.grp_bn[2024]
    total = ctx.dataset.values("grp_total", 2024) / 1000
    assert grp["atyrau"] / total["atyrau"] == pytest.approx(1 - 0.437, abs=0.005)
    assert grp["almaty_city"] / total["almaty_city"] == pytest.approx(1.0, abs=1e-4)  # no mining in the city


def test_the_dataset_as_loaded_is_kept(ctx, direction_rules):
    scenario = scenario_from_text(SCENARIO + "indicator: grp_per_capita_nonmining\n", "t.yaml", direction_rules)
    study = build_study(ctx, scenario, direction_rules=direction_rules)
    assert study.ctx.dataset is ctx.dataset
    assert model_dataset(ctx.dataset, "grp_per_capita_nonmining") is model_dataset(ctx.dataset,
                                                                                   "grp_per_capita_nonmining")
    assert model_dataset(ctx.dataset, "grp_per_capita") is ctx.dataset


def test_the_indicator_is_part_of_the_model_key(ctx, direction_rules):
    total = build_study(ctx, scenario_from_text(SCENARIO, "t.yaml", direction_rules), direction_rules=direction_rules)
    other = total.scenario.replace(indicator="grp_per_capita_nonmining")
    with pytest.raises(ValueError, match="another indicator"):
        total.with_scenario(other)


def test_an_unknown_indicator_is_refused_with_the_key_named(direction_rules):
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(SCENARIO + "indicator: gdp\n", "t.yaml", direction_rules)
    assert caught.value.problems[0].column == "indicator"


@pytest.mark.parametrize("fit_until", [2019, 2021, 2024])
def test_the_trend_fits_on_the_years_the_indicator_exists(ctx, direction_rules, fit_until):
    dataset = model_dataset(ctx.dataset, "grp_per_capita_nonmining")
    units = ctx.dataset.units_in_year(fit_until)
    trend = estimate_trend(dataset, units, fit_until)
    # on today's 20 units the panel is consistent from 2021 (Abai, Zhetisu, Ulytau start then); on the 17 units
    # of 2018-2021 it is derivable from 2015 (Turkistan and Shymkent retrospective)
    assert trend["years"][0] == (2021 if fit_until >= 2022 else 2015) and trend["years"][-1] == fit_until
    assert -0.2 < trend["convergence"] < 0.5 and trend["growth"] > 0
    baseline = build_baseline(dataset, fit_until, fit_until + 3, ParameterValues(direction_rules), units,
                              fit_until=fit_until)
    assert baseline.grp_per_capita.notna().all().all()

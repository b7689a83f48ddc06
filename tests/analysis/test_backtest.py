import json
import math

import pandas as pd
import pytest

from engine.analysis.backtest import changed_units, run_backtest, score
from engine.core.context import load_context
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.interfaces.cli import main
from engine.model.response import build_baseline, estimate_trend


@pytest.fixture(scope="module")
def shipped():
    ctx = load_context()
    return ctx, ParameterValues(load_direction_rules())


def test_score_by_hand():
    actual = {2022: pd.Series({"a": 1.0, "b": 2.0, "c": 4.0})}
    forecast = {2022: pd.Series({"a": 1.1, "b": 2.0, "c": 3.0, "extra": 9.0})}
    s = score(forecast, actual)
    assert s.mape == pytest.approx((10 + 0 + 25) / 3)
    # forecast ratio 3.0 / 1.1 against the actual 4.0 / 1.0
    assert s.ratio_error == pytest.approx(abs(3.0 / 1.1 - 4.0) / 4.0 * 100)
    assert s.by_year[2022]["units"] == 3


def test_backtest_json_shape_on_the_shipped_data(capsys):
    assert main(["backtest", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["fit_until"] == 2019 and doc["evaluated_years"] == [2022, 2023]
    for name in ("model", "persistence"):
        assert math.isfinite(doc[name]["mape"]) and doc[name]["mape"] > 0
        assert math.isfinite(doc[name]["ratio_error"]) and doc[name]["ratio_error"] >= 0
        assert set(doc[name]["by_year"]) == {"2022", "2023"}
    assert set(doc["units_left_out"]) == {"abai", "zhetisu", "ulytau", "east_kazakhstan", "almaty_oblast",
                                          "karaganda"}
    assert len(doc["units_evaluated"]) == 14
    assert doc["all_units_by_2021_split_shares"]["model"]["by_year"]["2022"]["units"] == 20


def test_backtest_table_and_bad_years(capsys):
    assert main(["backtest"]) == 0
    assert "persistence" in capsys.readouterr().out
    assert main(["backtest", "--fit-until", "2019", "--years", "2018"]) == 2


def test_persistence_carries_the_2019_relative_values(shipped):
    ctx, a = shipped
    result = run_backtest(ctx.dataset, a)
    y19 = ctx.dataset.values("grp_per_capita", 2019)
    p19 = ctx.dataset.values("population", 2019)
    rel = y19 / ((y19 * p19).sum() / p19.sum())
    ratio = rel.loc[result.units].max() / rel.loc[result.units].min()
    assert result.persistence.by_year[2022]["ratio_forecast"] == pytest.approx(ratio)
    assert result.persistence.by_year[2023]["ratio_forecast"] == pytest.approx(ratio)


def test_the_fit_uses_no_data_after_fit_until(shipped):
    ctx, a = shipped
    ds = ctx.dataset
    later = ds.indicators[(ds.indicators["year"] > 2019)
                          & ds.indicators["indicator"].isin(["grp_per_capita", "population"])].copy()
    later["value"] = later["value"] * 3.0
    changed = ds.with_indicators(later)
    b1 = build_baseline(ds, 2019, 2023, a, fit_until=2019)
    b2 = build_baseline(changed, 2019, 2023, a, fit_until=2019)
    pd.testing.assert_frame_equal(b1.grp_per_capita, b2.grp_per_capita)
    pd.testing.assert_frame_equal(b1.population, b2.population)


def test_estimated_trend_is_nominal_growth_and_slow_convergence(shipped):
    ctx, _ = shipped
    trend = estimate_trend(ctx.dataset, ctx.dataset.units_in_year(2019), 2019)
    assert trend["years"] == [2015, 2016, 2017, 2018, 2019] and trend["observations"] == 17 * 4
    assert 0.05 < trend["growth"] < 0.2  # nominal: inflation included
    assert -0.02 < trend["convergence"] < 0.02  # parameters.md topic 6: slow or none


def test_split_units_are_left_out_for_2022(shipped):
    ctx, _ = shipped
    assert changed_units(ctx.dataset, 2019, 2023)["abai"] == "created in 2022 from east_kazakhstan"
    assert changed_units(ctx.dataset, 2022, 2023) == {}

import json
import math

import numpy as np
import pandas as pd
import pytest

from engine.analysis.backtest import METHODS, RATE_SCAN, run_backtest, score
from engine.core.context import load_context
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.interfaces.cli import main
from engine.interfaces.commands.simulate import DEFAULT_MAX_HORIZON


@pytest.fixture(scope="module")
def shipped():
    ctx = load_context()
    assumptions = ParameterValues(load_direction_rules())
    return ctx, assumptions, run_backtest(ctx.dataset, assumptions)


def test_score_by_hand():
    actual = pd.Series({"a": 1.0, "b": 2.0, "c": 4.0})
    forecast = pd.Series({"a": 1.1, "b": 2.0, "c": 3.0, "extra": 9.0})
    s = score(forecast, actual)
    assert s.mape == pytest.approx((10 + 0 + 25) / 3)
    assert s.ratio_error == pytest.approx(abs(3.0 / 1.1 - 4.0) / 4.0 * 100)
    assert s.units == 3


def test_json_has_every_method_origin_and_horizon(capsys):
    assert main(["backtest", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["methods"]) == set(METHODS) >= {"persistence", "convergence_2pct", "linear_trend",
                                                     "damped_trend", "engine"}
    assert doc["default"] == "engine"
    full = [o for o in doc["origins"] if o + 5 <= 2025]
    assert len(full) >= 3 and doc["horizons"] == [1, 2, 3, 4, 5]
    for name, scores in doc["methods"].items():
        assert math.isfinite(scores["mape"]) and scores["mape"] > 0, name
        assert math.isfinite(scores["ratio_error"]) and scores["ratio_error"] >= 0, name
        assert [o["origin"] for o in scores["by_origin"]] == doc["origins"]
        for row in scores["by_origin"]:
            assert set(row) >= {"origin", "mape", "ratio_error"}
        assert [h["horizon"] for h in scores["by_horizon"]] == [1, 2, 3, 4, 5]
    assert DEFAULT_MAX_HORIZON == 5


def test_the_default_beats_persistence_and_is_the_scans_best(shipped):
    _, assumptions, result = shipped
    default = result.methods[result.default].mean()
    persistence = result.methods["persistence"].mean()
    assert default.mape < persistence.mape
    assert default.ratio_error < persistence.ratio_error
    # the rules' speed is the one the backtest picks: the engine uses what the data support
    assert result.best_rate == pytest.approx(assumptions.value("baseline_convergence"))
    assert result.ranking()[0] == result.default


def test_the_engine_row_is_the_scan_row_at_the_rules_rate(shipped):
    _, assumptions, result = shipped
    at_rules = result.rate_scan[min(RATE_SCAN, key=lambda r: abs(r - assumptions.value("baseline_convergence")))]
    assert result.methods["engine"].mean().mape == pytest.approx(at_rules.mape)


def test_persistence_by_hand_for_one_pair(shipped):
    ctx, _, result = shipped
    ds = ctx.dataset

    def relative(year):
        y, p = ds.panel("grp_per_capita")[year].dropna(), ds.panel("population")[year]
        return y / ((y * p.reindex(y.index)).sum() / p.reindex(y.index).sum())

    origin, target = 2019, 2021
    units = [u for u in ds.units_in_year(origin)]
    actual, forecast = relative(target).loc[units], relative(origin).loc[units]
    expected = ((forecast - actual).abs() / actual * 100).mean()
    assert result.methods["persistence"].cells[(origin, 2)].mape == pytest.approx(expected)
    assert result.methods["persistence"].cells[(origin, 2)].units == 17


def test_split_units_are_left_out_across_a_split(shipped):
    _, _, result = shipped
    assert {"east_kazakhstan", "almaty_oblast", "karaganda"} <= set(result.units_left_out[2019])
    assert result.methods["engine"].cells[(2019, 3)].units == 14  # 17 units less the three parents of 2022
    assert result.methods["engine"].cells[(2022, 3)].units == 20


def test_the_forecasts_use_no_data_after_the_origin(shipped):
    ctx, assumptions, result = shipped
    ds = ctx.dataset
    later = ds.indicators[(ds.indicators["year"] > 2019) & ds.indicators["indicator"].isin(
        ["grp_per_capita", "population", "grp_per_capita_2022bnd", "population_2022bnd"])].copy()
    later["value"] = later["value"] * np.where(later["unit_id"].astype(str) < "m", 1.5, 0.7)
    changed = run_backtest(ds.with_indicators(later), assumptions, origins=[2018, 2019])
    for method in ("persistence", "linear_trend", "damped_trend", "engine", "engine_fitted"):
        # same forecasts, other actuals: the scores move, the forecasts' inputs did not
        assert changed.methods[method].cells[(2019, 1)].mape != result.methods[method].cells[(2019, 1)].mape
    base = run_backtest(ds, assumptions, origins=[2018])
    moved = run_backtest(ds.with_indicators(later), assumptions, origins=[2018])
    assert base.methods["engine"].cells[(2018, 1)] == moved.methods["engine"].cells[(2018, 1)]


def test_convergence_estimates_have_standard_errors(shipped):
    _, _, result = shipped
    conv = result.convergence
    assert conv["years"] == [2015, 2025]
    beta = conv["beta"]
    assert 0 < beta["se"] < 0.05 and 0 < beta["se_clustered"] < 0.05
    assert -0.05 < beta["estimate"] < 0.1  # parameters.md topic 6: slow convergence or none
    assert [d["years"] for d in conv["divisions"]] == [[2015, 2017], [2018, 2021], [2022, 2025]]
    assert [d["units"] for d in conv["divisions"]] == [16, 17, 20]
    for block in conv["divisions"]:
        assert block["sigma"]["slope_per_year"] is not None and block["sigma"]["se"] > 0
    # the rules' range covers the estimate's 95% interval
    low = beta["estimate"] - 1.96 * beta["se_clustered"]
    high = beta["estimate"] + 1.96 * beta["se_clustered"]
    param = load_direction_rules().parameters["baseline_convergence"]
    assert param.low <= max(low, 0.0) and high <= param.high


def test_table_and_bad_arguments(capsys):
    assert main(["backtest"]) == 0
    out = capsys.readouterr().out
    assert "persistence" in out and "(default)" in out and "Beta convergence" in out
    assert main(["backtest", "--origins", "2010"]) == 2
    assert main(["backtest", "--max-horizon", "0"]) == 2
    assert main(["backtest", "--origins", "2025"]) == 2

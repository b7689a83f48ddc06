import json

import pytest

from engine.core.diagnose import diagnose
from engine.core.metrics import DISPARITY_METRIC_KEYS
from engine.interfaces.cli import main


def test_2019_grp_per_capita_matches_the_article(ctx):
    result = diagnose(ctx, year=2019)
    assert len(result.units) == 17
    assert result.metrics["max_unit"] == "atyrau"
    assert result.metrics["min_unit"] == "turkistan"
    assert result.metrics["max_min_ratio"] == pytest.approx(14584.4 / 1008.1)
    assert round(result.metrics["max_min_ratio"], 2) == 14.47


def test_divisions_follow_the_year(ctx):
    assert len(diagnose(ctx, year=2016).units) == 16
    assert len(diagnose(ctx, year=2022).units) == 20


def test_problem_regions_have_reasons(ctx):
    result = diagnose(ctx, year=2019)
    turkistan = next(u for u in result.units if u.unit_id == "turkistan")
    atyrau = next(u for u in result.units if u.unit_id == "atyrau")
    assert turkistan.problem and "low_grp_per_capita" in turkistan.problem_reasons[0]
    assert not atyrau.problem and atyrau.problem_reasons == []
    assert result.metrics["problem_regions"] == sum(u.problem for u in result.units)


def test_trend_covers_every_year(ctx):
    result = diagnose(ctx, year=2019)
    assert min(result.trend) == 2015 and max(result.trend) >= 2024
    assert result.trend[2019]["max_min_ratio"] == pytest.approx(result.metrics["max_min_ratio"])


def test_cli_json_shape(capsys):
    assert main(["diagnose", "--year", "2019", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["year"] == 2019 and doc["indicator"] == "grp_per_capita"
    assert set(DISPARITY_METRIC_KEYS) | {"problem_regions"} <= set(doc["metrics"])
    unit = doc["units"][0]
    assert set(unit) >= {"unit_id", "name_en", "name_ru", "name_kk", "value", "population", "economic_type",
                         "macro_region", "problem", "problem_reasons"}
    assert doc["trend"]["2015"]["units"] == 16


def test_cli_table_and_errors(capsys):
    assert main(["diagnose", "--year", "2019"]) == 0
    out = capsys.readouterr().out
    assert "Atyrau Region" in out and "14.4672" in out
    assert main(["diagnose", "--indicator", "happiness"]) == 2
    assert "unknown indicator" in capsys.readouterr().err
    assert main(["diagnose", "--year", "1990"]) == 2


def test_cli_validate(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("region;year;grp_per_capita\nАтырау облысы;2024;21 178,0\nTurkistan Region;2024;2 176,3\n",
                    encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert "2 values, 2 units" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_id,year,indicator,value\nmars,2024,grp_per_capita,1\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: unit_id: unknown unit" in err and "Traceback" not in err
    assert main(["validate", "data/kazakhstan"]) == 0
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2


def test_python_m_engine_is_the_same_command():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "engine", "diagnose", "--year", "2019", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["metrics"]["max_unit"] == "atyrau"

"""Validation knows the vocabulary: indicator names and units from the schema, years in range, declared new
indicators; the same messages from ``roadmap validate`` and the Data page's upload."""

from __future__ import annotations

import shutil

import pytest

from engine.core.data import load_dataset, load_indicator_table
from engine.core.errors import DataValidationError
from engine.core.paths import DEFAULT_DATA_DIR
from engine.core.validation import (
    CATALOGUE,
    FIRST_YEAR,
    LAST_YEAR,
    check_dataset,
    load_vocabulary,
)
from engine.interfaces.cli import main

CATALOGUE_LABEL = "data/kazakhstan/schema/indicator_catalogue.csv"


def validate(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def upload_problems(data: bytes, name: str, year: int | None = None) -> list[str]:
    """The problems the Data page shows for an upload (the call ui/pages/data.py makes)."""
    with pytest.raises(DataValidationError) as info:
        load_indicator_table(data=data, name=name, units=load_dataset().units, year=year,
                             vocabulary=load_vocabulary(DEFAULT_DATA_DIR))
    return [str(p) for p in info.value.problems]


def test_the_vocabulary_is_the_schema_catalogue():
    vocabulary = load_vocabulary()
    assert vocabulary.source == CATALOGUE_LABEL
    assert vocabulary.units["grp_per_capita"] == "thousand KZT per person"
    assert vocabulary.suggestion("grp_per_capitaa") == "grp_per_capita"
    assert vocabulary.suggestion("zzzz") is None
    # every indicator of the shipped data is in its catalogue, in the catalogue's unit
    checked = check_dataset()
    assert {r["indicator"] for r in checked.indicators} <= set(vocabulary.units)


def test_the_shipped_dataset_validates(capsys):
    code, out, err = validate(capsys, str(DEFAULT_DATA_DIR))
    assert code == 0 and out.startswith(f"OK: {DEFAULT_DATA_DIR}: 22 units") and err == ""


def test_a_misspelled_indicator_is_refused_with_a_did_you_mean(capsys, tmp_path):
    path = tmp_path / "typo.csv"
    text = "unit_id,year,indicator,value\nabai,2022,grp_per_capitaa,100\nabai,2023,grp_per_capitaa,110\n"
    path.write_text(text, encoding="utf-8")
    code, out, err = validate(capsys, str(path))
    expected = (f"{path}:2: indicator: unknown indicator (here and on 1 more row): not in {CATALOGUE_LABEL}; "
                "did you mean 'grp_per_capita'? (a new indicator is declared in a long table, with its unit and the "
                "flag 'new') ('grp_per_capitaa')")
    assert code == 2 and out == "" and err.splitlines() == ["1 problem in the data:", f"  {expected}"]
    # the upload says the same of the same bytes
    assert upload_problems(text.encode(), str(path)) == [expected]


def test_a_wide_table_with_a_misspelled_column(capsys, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("region,grp_per_capitaa,population\nabai,1,2\n", encoding="utf-8")
    code, _, err = validate(capsys, str(path), "--year", "2023")
    assert code == 2
    assert f"{path}:1: grp_per_capitaa: unknown indicator: not in {CATALOGUE_LABEL}; did you mean 'grp_per_capita'?" \
        in err


def test_a_declared_new_indicator_is_accepted_with_its_unit(capsys, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("unit_id,year,indicator,value,unit,flag\nabai,2022,broadband_share,41.5,% of households,new\n"
                    "abai,2023,broadband_share,44,,\n", encoding="utf-8")
    code, out, _ = validate(capsys, str(path))
    assert code == 0 and out == f"OK: {path}: 2 values, 1 units, indicators broadband_share; years 2022-2023\n"
    table = load_indicator_table(path)
    assert table["unit"].tolist() == ["% of households", ""]


def test_a_declaration_needs_a_unit_and_units_must_agree(capsys, tmp_path):
    path = tmp_path / "bad_units.csv"
    path.write_text("unit_id,year,indicator,value,unit,flag\n"
                    "abai,2022,broadband_share,41.5,,new\n"
                    "abai,2023,grp_per_capita,1,thousand KZT,\n"
                    "abai,2023,my_index,1,points,new\n"
                    "abai,2024,my_index,2,percent,\n", encoding="utf-8")
    code, _, err = validate(capsys, str(path))
    assert code == 2
    assert err.splitlines()[1:] == [
        f"  {path}:2: unit: a new indicator needs its unit",
        f"  {path}:3: unit: unit of grp_per_capita is 'thousand KZT per person' ({CATALOGUE_LABEL}) "
        "('thousand KZT')",
        f"  {path}:5: unit: unit of my_index is 'points' (its declaration) ('percent')",
    ]


@pytest.mark.parametrize("year", ["1800", "2101", "20190", "-5"])
def test_a_year_outside_the_range_is_refused(capsys, tmp_path, year):
    path = tmp_path / "years.csv"
    text = f"unit_id,year,indicator,value\nabai,2022,grp_per_capita,1\nabai,{year},grp_per_capita,2\n"
    path.write_text(text, encoding="utf-8")
    code, _, err = validate(capsys, str(path))
    expected = (f"{path}:3: year: year outside {FIRST_YEAR}-{LAST_YEAR}, the years data and scenarios may name "
                f"({int(year)})")
    assert code == 2 and err.splitlines()[1:] == [f"  {expected}"]
    assert upload_problems(text.encode(), str(path)) == [expected]


def test_the_year_of_a_wide_table_is_in_range_too(capsys, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("region,grp_per_capita\nabai,1\n", encoding="utf-8")
    code, _, err = validate(capsys, str(path), "--year", "3000")
    expected = (f"{path}: year: the year given for the table is outside 1990-2100, the years data and scenarios "
                "may name (3000)")
    assert code == 2 and err.splitlines()[1:] == [f"  {expected}"]
    assert upload_problems(path.read_bytes(), str(path), year=3000) == [expected]


def test_huge_values_are_refused(capsys, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("unit_id,year,indicator,value\nabai,2022,grp_per_capita,3e17\n", encoding="utf-8")
    code, _, err = validate(capsys, str(path))
    assert code == 2 and f"{path}:2: value: implausibly large: beyond 1e+15 in absolute value ('3e17')" in err


@pytest.fixture
def dataset_copy(tmp_path):
    folder = tmp_path / "kz"
    shutil.copytree(DEFAULT_DATA_DIR, folder, ignore=shutil.ignore_patterns("districts", "*.geojson"))
    return folder


def test_a_dataset_folder_with_a_misspelled_indicator_is_refused(capsys, dataset_copy):
    path = dataset_copy / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",urban_share,", ",urban_shar,", 1), encoding="utf-8")
    code, _, err = validate(capsys, str(dataset_copy))
    assert code == 2 and "indicators.csv:" in err and "did you mean 'urban_share'?" in err


def test_a_dataset_folder_declares_new_indicators_in_its_schema(capsys, dataset_copy):
    path = dataset_copy / "indicators.csv"
    with path.open("a", encoding="utf-8") as out:
        out.write("abai,2023,broadband_share,44,% of households,test,,\n")
    assert validate(capsys, str(dataset_copy))[0] == 2
    catalogue = dataset_copy / CATALOGUE
    with catalogue.open("a", encoding="utf-8") as out:
        out.write("broadband_share,% of households,Households with broadband,2023,as_of_year,true\n")
    code, out, _ = validate(capsys, str(dataset_copy))
    assert code == 0 and out.startswith(f"OK: {dataset_copy}: 22 units")
    # a table checked against that folder may use it, and the default's tables may not
    table = dataset_copy / "t.csv"
    table.write_text("unit_id,year,indicator,value\nabai,2024,broadband_share,45\n", encoding="utf-8")
    assert validate(capsys, str(table), "--data", str(dataset_copy))[0] == 0
    assert validate(capsys, str(table))[0] == 2


def test_years_of_the_units_and_borders_are_in_range(capsys, dataset_copy):
    units = dataset_copy / "units.csv"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace(",2022,,", ",1022,,", 1), encoding="utf-8")
    code, _, err = validate(capsys, str(dataset_copy))
    assert code == 2 and "units.csv:" in err and "valid_from: year outside 1990-2100" in err


def test_validate_json_gives_each_problem_its_message_id(tmp_path, capsys):
    """A client translates the problems: English text, and the message id and values of each."""
    import json

    from engine.core.i18n import message_text
    from engine.interfaces.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("unit_id,year,indicator,value\nalmaty_city,2024,grp_per_capitaa,5\n", encoding="utf-8")
    assert main(["validate", str(path), "--json"]) == 2
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is False and len(found["problems"]) == 1
    one = found["problems"][0]
    assert one["message_id"] == "pr_unknown_indicator" and one["message"].startswith("unknown indicator: not in")
    assert message_text(one["message_id"], one["values"], "en") == one["message"]
    assert "'grp_per_capita' деп жазғыңыз келді ме?" in message_text(one["message_id"], one["values"], "kk")

from pathlib import Path

import pytest

from engine.core.data import UnitResolver, load_dataset, load_indicator_table
from engine.core.errors import DataValidationError


def problems_of(path: Path, **kwargs) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_indicator_table(path, **kwargs)
    return [str(p) for p in info.value.problems]


@pytest.fixture
def units(tiny_dataset_dir):
    return load_dataset(tiny_dataset_dir).units


def test_tiny_dataset_loads(tiny_dataset_dir):
    ds = load_dataset(tiny_dataset_dir)
    assert ds.units_in_year(2019) == ["capital", "north", "south"]
    assert ds.units_in_year(2022) == ["capital", "newone", "north", "south"]
    assert ds.values("grp_per_capita", 2019).to_dict() == {"capital": 4000.0, "north": 1000.0, "south": 2000.0}
    assert ds.adjacency_in_year(2019) == [("capital", "north"), ("north", "south")]


def test_unit_names_in_three_languages_and_lookalikes(units):
    resolver = UnitResolver(units)
    assert resolver.resolve("North Region") == "north"
    assert resolver.resolve("Северная область") == "north"
    assert resolver.resolve("Солтүстік облысы") == "north"
    assert resolver.resolve("  north ") == "north"
    assert resolver.resolve("North") == "north"
    # Latin "A" and "a" typed inside a Cyrillic name
    assert resolver.resolve("город Aстaна") == "capital"
    assert resolver.resolve("Nowhere") is None


def test_long_table_with_planners_quirks(tmp_path, units):
    path = tmp_path / "long.csv"
    path.write_bytes(("\ufeffregion;year;indicator;value\r\n"
                      "Северная область;2019;grp_per_capita;1 008,1\r\n\r\n"
                      "South Region;2019;grp_per_capita;14 584,4\r\n").encode())
    table = load_indicator_table(path, units=units)
    assert table.set_index("unit_id")["value"].to_dict() == {"north": 1008.1, "south": 14584.4}


def test_wide_table_with_year_argument(tmp_path, units):
    path = tmp_path / "wide.csv"
    path.write_text("name_en,grp_per_capita,population\nNorth Region,1000,10\nsouth,2000,\n")
    table = load_indicator_table(path, units=units, year=2019)
    assert len(table) == 3
    assert set(table["indicator"]) == {"grp_per_capita", "population"}


def test_wide_xlsx(tmp_path, units):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Region", "Year", "GRP per capita"])
    sheet.append(["Южная область", 2019, 2500.5])
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    table = load_indicator_table(path, units=units)
    assert table.iloc[0][["unit_id", "year", "indicator", "value"]].tolist() == [
        "south", 2019, "grp_per_capita", 2500.5]


def test_every_problem_is_reported_with_file_row_column_and_value(tmp_path, units):
    path = tmp_path / "bad.csv"
    path.write_text(
        "unit_id,year,indicator,value\n"
        "atlantis,2019,grp_per_capita,1\n"       # 2 unknown unit
        "north,2019,grp_per_capita,1\n"          # 3 fine
        "north,2019,grp_per_capita,2\n"          # 4 conflicting duplicate
        "north,2019,population,-5\n"             # 5 negative population
        "south,2019,population,0\n"              # 6 zero population
        "south,2019,grp_per_capita,inf\n"        # 7 not finite
        "south,2019,unemployment_rate,n/a\n"     # 8 not a number
        "newone,2019,grp_per_capita,3\n"         # 9 unit did not exist
        "north,20x9,grp_per_capita,3\n"          # 10 bad year
        "north,2019,grp_per_capita,1\n"          # 11 exact duplicate: accepted
    )
    found = problems_of(path, units=units)
    name = str(path)
    assert found == [
        f"{name}:2: unit_id: unknown unit: no unit with this id or name ('atlantis')",
        f"{name}:4: value: conflicting duplicate of (north, 2019, grp_per_capita): row 3 has 1 ('2')",
        f"{name}:5: value: population must be positive ('-5')",
        f"{name}:6: value: population must be positive ('0')",
        f"{name}:7: value: not a finite number ('inf')",
        f"{name}:8: value: not a number ('n/a')",
        f"{name}:9: year: unit newone did not exist in 2019 (it existed 2022-); values on later boundaries "
        "go in 'grp_per_capita_2022bnd' (2019)",
        f"{name}:10: year: not a whole year ('20x9')",
    ]


def test_missing_columns_and_empty_files(tmp_path, units):
    missing = tmp_path / "missing.csv"
    missing.write_text("unit_id,indicator\nnorth,grp\n")
    assert problems_of(missing, units=units) == [
        f"{missing}:1: value: missing required column", f"{missing}:1: year: missing required column"]
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems_of(empty, units=units) == [f"{empty}: file is empty"]
    header_only = tmp_path / "header.csv"
    header_only.write_text("unit_id,year,indicator,value\n")
    assert problems_of(header_only, units=units) == [f"{header_only}: file has a header but no data rows"]


def test_binary_and_oversized_files(tmp_path, units):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "not a text table" in problems_of(binary, units=units)[0]


def test_boundary_series_may_predate_the_unit(tmp_path, units):
    path = tmp_path / "bnd.csv"
    path.write_text("unit_id,year,indicator,value\nnewone,2015,population_2022bnd,10\n")
    assert len(load_indicator_table(path, units=units)) == 1


def test_dataset_folder_problems_are_gathered(tiny_dataset_dir):
    (tiny_dataset_dir / "adjacency.csv").write_text("unit_a,unit_b\nnorth,mars\nnorth,north\n")
    units = (tiny_dataset_dir / "units.csv").read_text()
    (tiny_dataset_dir / "units.csv").write_text(units + "north,,,Dup,region,oblast,,,,,,,,,\n")
    with pytest.raises(DataValidationError) as info:
        load_dataset(tiny_dataset_dir)
    text = str(info.value)
    assert "units.csv:7: unit_id: duplicate unit id (first on row 3) ('north')" in text
    assert "adjacency.csv:2: unit_b: unknown unit ('mars')" in text
    assert "adjacency.csv:3: unit_b: a unit cannot border itself ('north')" in text


def test_overlay_of_a_planners_table(tiny_dataset_dir, tmp_path):
    ds = load_dataset(tiny_dataset_dir)
    path = tmp_path / "new.csv"
    path.write_text("unit_id,year,indicator,value\nnorth,2019,grp_per_capita,1500\n")
    merged = ds.with_indicators(load_indicator_table(path, units=ds.units))
    assert merged.values("grp_per_capita", 2019)["north"] == 1500
    assert ds.values("grp_per_capita", 2019)["north"] == 1000  # the original is untouched


def test_territory_holder_follows_the_splits():
    ds = load_dataset()
    assert ds.territory_holder("abai", 2019) == "east_kazakhstan"
    assert ds.territory_holder("abai", 2023) == "abai"
    assert ds.territory_holder("shymkent", 2016) == "south_kazakhstan"
    assert ds.territory_holder("turkistan", 2019) == "turkistan"


def test_problem_errors_survive_pickling():
    import pickle

    from engine.core.errors import Problem, ScenarioError

    error = ScenarioError([Problem("s.yaml", "unknown key", column="budjet")])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is ScenarioError and str(again) == str(error) and again.problems == error.problems

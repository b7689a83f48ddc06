"""Mangled planners' tables (wrong headers, names, units, years, duplicated rows, blank cells, huge values), in
other encodings and with other separators: ``roadmap validate`` refuses each with exit 2 and a message that names
the file, the row and the field, never a traceback; the Data page's upload says the same; nothing stored changes.
Unmangled tables in those encodings and separators are read as written."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.data import load_dataset, load_indicator_table
from engine.core.errors import DataValidationError
from engine.core.paths import DEFAULT_DATA_DIR, DEFAULT_SCENARIO
from engine.core.validation import (
    INDICATOR_HEADER_ALIASES,
    UNIT_HEADER_ALIASES,
    VALUE_HEADER_ALIASES,
    YEAR_HEADER_ALIASES,
    check_dataset,
    load_vocabulary,
    normalise_indicator,
)
from engine.interfaces.cli import main

VOCABULARY = load_vocabulary()
CHECKED = check_dataset()
UNITS = load_dataset().units
# regions on their present territory: every one exists in every year drawn below
REGIONS = sorted(u for u, rec in CHECKED.units.items() if rec["level"] == "region" and rec["valid_to"] is None
                 and (rec["valid_from"] or 0) <= 2022)
INDICATORS = ("grp_per_capita", "population", "unemployment_rate")
HEADER = ["unit_id", "year", "indicator", "value", "unit"]
ALIASES = {*UNIT_HEADER_ALIASES, *YEAR_HEADER_ALIASES, *INDICATOR_HEADER_ALIASES, *VALUE_HEADER_ALIASES}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1251", "utf-16")
SEPARATORS = (",", ";", "\t")
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def valid_rows(draw) -> list[list[str]]:
    """Rows of a valid long table: distinct (unit, year, indicator), units named by id or by an English or
    Russian name (Windows-1251 holds Russian, not Kazakh letters), the catalogue's unit or none."""
    keys = draw(st.lists(st.tuples(st.sampled_from(REGIONS), st.integers(2022, 2025), st.sampled_from(INDICATORS)),
                         min_size=1, max_size=8, unique=True))
    rows = []
    for unit_id, year, indicator in keys:
        name = draw(st.sampled_from([unit_id, CHECKED.units[unit_id]["name_en"], CHECKED.units[unit_id]["name_ru"]]))
        value = draw(st.floats(min_value=0.5, max_value=1e7, allow_nan=False))
        unit = draw(st.sampled_from([VOCABULARY.units[indicator], ""]))
        rows.append([name, str(year), indicator, f"{value:.3f}", unit])
    return rows


def typo(text: str, draw) -> str:
    """``text`` with one letter inserted, dropped or replaced."""
    at = draw(st.integers(0, len(text) - 1))
    letter = draw(st.sampled_from("abcdeqxz"))
    kind = draw(st.sampled_from(["insert", "drop", "replace"]))
    if kind == "insert":
        return text[:at] + letter + text[at:]
    if kind == "drop":
        return text[:at] + text[at + 1:]
    return text[:at] + letter + text[at + 1:]


@st.composite
def mangled(draw) -> tuple[list[str], list[list[str]], int]:
    """A header and rows with one thing wrong, and the line of the file it is on."""
    header, rows = list(HEADER), [list(r) for r in draw(valid_rows())]
    kind = draw(st.sampled_from(["header", "indicator", "unit", "year", "duplicate", "blank", "huge"]))
    index = draw(st.integers(0, len(rows) - 1))
    row, line = rows[index], index + 2
    if kind == "header":
        column = draw(st.integers(0, 3))
        wrong = typo(header[column], draw)
        if wrong in ALIASES or wrong == header[column] or wrong.startswith("name"):
            wrong = header[column] + "x"
        header[column], line = wrong, 1
    elif kind == "indicator":
        wrong = typo(row[2], draw)
        if VOCABULARY.knows(normalise_indicator(wrong)) or not normalise_indicator(wrong):
            wrong = row[2] + "q"
        row[2] = wrong
    elif kind == "unit":
        wrong = draw(st.text("abcdefghijklmnopqrstuvwxyz %", min_size=1, max_size=12).filter(str.strip))
        row[4] = "" if wrong.strip().casefold() == VOCABULARY.units[row[2]].casefold() else wrong
        if not row[4]:
            row[4] = "km"
    elif kind == "year":
        row[1] = draw(st.one_of(st.integers(max_value=1989).map(str), st.integers(min_value=2101).map(str),
                                st.sampled_from(["2019.5", "20x9", "MMXX", "1e400"])))
    elif kind == "duplicate":
        twin = list(row)
        twin[3] = f"{float(row[3]) * 2 + 1:.3f}"
        rows.append(twin)
        line = len(rows) + 1
    elif kind == "blank":
        row[draw(st.integers(0, 3))] = ""
    else:
        huge = draw(st.floats(min_value=1.01e15, max_value=1e300))
        row[3] = draw(st.sampled_from([repr(huge), repr(-huge), "1e400"]))
    return header, rows, line


def encode(header: list[str], rows: list[list[str]], encoding: str, separator: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode(encoding)


def db_dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A SQLite store holding one saved scenario."""
    path = tmp_path_factory.mktemp("store") / "roadmap.sqlite"
    url = f"sqlite:///{path}"
    assert main(["scenario", "save", "--db", url, "--file", str(DEFAULT_SCENARIO), "--by", "test"]) == 0
    return url, path


@SLOW
@given(case=mangled(), encoding=st.sampled_from(ENCODINGS), separator=st.sampled_from(SEPARATORS))
def test_a_mangled_table_is_refused_with_a_clear_message(capsys, store, case, encoding, separator):
    header, rows, line = case
    url, db_path = store
    before = db_dump(db_path)
    capsys.readouterr()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"table.{'txt' if encoding == 'utf-16' else 'csv'}"
        path.write_bytes(encode(header, rows, encoding, separator))
        code = main(["validate", str(path)])
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and "Traceback" not in err
        head, *problems = err.splitlines()
        assert re.fullmatch(r"\d+ problems? in the data:", head) and problems
        assert all(p.startswith(f"  {path}") for p in problems)  # every message names the file
        assert any(p.startswith(f"  {path}:{line}: ") for p in problems)  # and the row of what is wrong
        # the Data page's upload: the same messages
        with pytest.raises(DataValidationError) as info:
            load_indicator_table(data=path.read_bytes(), name=str(path), units=UNITS,
                                 vocabulary=load_vocabulary(DEFAULT_DATA_DIR))
        assert [f"  {p}" for p in info.value.problems] == problems
        # a refused import stores nothing
        assert main(["scenario", "save", "--db", url, "--file", str(path)]) == 2
        assert "Traceback" not in capsys.readouterr().err
    assert db_dump(db_path) == before


@pytest.mark.parametrize("year", ["1850", "2222", "'2024'", "2024.5"])
def test_a_scenario_with_a_year_out_of_range_is_refused_and_stores_nothing(capsys, store, tmp_path, year):
    url, db_path = store
    before = db_dump(db_path)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(DEFAULT_SCENARIO.read_text(encoding="utf-8").replace("base_year: 2024", f"base_year: {year}"),
                        encoding="utf-8")
    capsys.readouterr()
    assert main(["scenario", "save", "--db", url, "--file", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert f"{scenario}: base_year: must be a year between 1990 and 2100" in err and "Traceback" not in err
    assert db_dump(db_path) == before


@settings(SLOW, max_examples=15)
@given(rows=valid_rows(), encoding=st.sampled_from(ENCODINGS), separator=st.sampled_from(SEPARATORS))
def test_a_valid_table_reads_the_same_in_any_encoding_and_separator(capsys, rows, encoding, separator):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(encode(HEADER, rows, encoding, separator))
        capsys.readouterr()
        assert main(["validate", str(path)]) == 0, capsys.readouterr().err
        table = load_indicator_table(path)
    got = sorted(zip(table["unit_id"], table["year"], table["indicator"], table["value"], strict=True))
    names = {n: u for u, rec in CHECKED.units.items() for n in (u, rec["name_en"], rec["name_ru"])}
    assert got == sorted((names[r[0]], int(r[1]), r[2], float(r[3])) for r in rows)

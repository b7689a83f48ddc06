"""The formula allocation (water-filling) and the safety helpers, by hand and as properties."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.allocation.baselines import part_formula_allocation as formula_allocation
from engine.allocation.baselines import water_fill_array as water_fill
from engine.core.roadmap_rules import classify_units
from engine.roadmap.build import check_allocation
from engine.roadmap.safe import FORMULA_PREFIXES, MAX_FILENAME_CHARS, export_filename, neutralise_cell, safe_filename

# --- water-filling ----------------------------------------------------------------------------------


def test_water_fill_by_hand():
    assert water_fill(10.0, [1.0, 1.0, 2.0], [100.0, 100.0, 100.0]) == pytest.approx([2.5, 2.5, 5.0])
    assert water_fill(10.0, [1.0, 1.0, 2.0], [1.0, 100.0, 100.0]) == pytest.approx([1.0, 3.0, 6.0])
    assert water_fill(10.0, [1.0, 1.0], [2.0, 3.0]).tolist() == [2.0, 3.0]  # cannot absorb it all
    assert water_fill(0.0, [1.0], [5.0]).tolist() == [0.0]


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e4), st.lists(st.tuples(st.floats(0.01, 1e3), st.floats(0, 1e3)), min_size=1, max_size=12))
def test_water_fill_properties(total, cells):
    weights, caps = [w for w, _ in cells], [c for _, c in cells]
    amounts = water_fill(total, weights, caps)
    assert all(-1e-9 <= a <= c + 1e-6 for a, c in zip(amounts, caps, strict=True))
    assert sum(amounts) == pytest.approx(min(total, sum(caps)), rel=1e-6, abs=1e-6)
    # cells below their cap get the same amount per unit of weight
    free = [a / w for a, w, c in zip(amounts, weights, caps, strict=True) if a < c - 1e-6]
    if len(free) > 1:
        assert max(free) == pytest.approx(min(free), rel=1e-5)


def test_formula_allocation_splits_each_year_by_part_and_per_head(ctx, scenario, inputs):
    model, rules = inputs.model, inputs.rules
    classes = classify_units(ctx, scenario.base_year, rules, units=list(model.units))
    allocation = formula_allocation(scenario, model, classes, rules)
    check_allocation(allocation, model, scenario)  # eligible, within the horizon, absorbable
    for year in scenario.years:
        rows = allocation[allocation["year"] == year]
        assert rows["bn_kzt"].sum() == pytest.approx(80.0)
        assert rows[rows["part"] == "equity"]["bn_kzt"].sum() == pytest.approx(0.3 * 80.0)
        assert all(rules.part_of(classes[u], d) == p for u, d, p in rows[["unit_id", "direction", "part"]].itertuples(
            index=False))
    # equal per head within a part: per-capita totals of equity units in 2025 are equal (nothing capped at 24 bn)
    population = model.baseline.population[2024]
    equity = allocation[(allocation["year"] == 2025) & (allocation["part"] == "equity")]
    per_head = equity.groupby("unit_id")["bn_kzt"].sum() / population.loc[equity["unit_id"].unique()]
    assert per_head.max() == pytest.approx(per_head.min(), rel=1e-6)


# --- formula injection and file names --------------------------------------------------------------


@given(st.text(max_size=40))
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise_cell(text)
    assert isinstance(out, str)
    assert not out.startswith(FORMULA_PREFIXES)
    assert out == text or out == "'" + text


@given(st.one_of(st.integers(), st.floats(allow_nan=False)))
def test_numbers_stay_numbers(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_risky_text_is_prefixed(text):
    assert neutralise_cell(text) == "'" + text


@given(st.text(alphabet=st.characters(), max_size=300))
def test_safe_filename_properties(text):
    name = safe_filename(text)
    assert 0 < len(name) <= MAX_FILENAME_CHARS
    assert not any(ch in name for ch in '/\\<>:"|?*')
    assert all(ch.isprintable() for ch in name)
    assert not name.startswith((".", "-")) and name not in (".", "..")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@pytest.mark.parametrize(("text", "expected"), [
    ("../../etc/passwd", "etc_passwd"),
    ("C:\\Windows\\system32", "C_Windows_system32"),
    ("nul", "_nul"),
    ("com1.txt", "_com1.txt"),
    ("a\x00b\nc", "a_b_c"),
    ("Жол картасы 2025–2030", "Жол_картасы_2025–2030"),
    ("=HYPERLINK(\"x\")", "HYPERLINK(_x_)"),
    ("", "roadmap"),
    ("x" * 500, "x" * MAX_FILENAME_CHARS),
])
def test_safe_filename_cases(text, expected):
    assert safe_filename(text) == expected


@given(st.text(alphabet=string.printable + "әғқңөұүһі/\\", max_size=200))
def test_export_filename_is_one_plain_file(name):
    file_name = export_filename(name, "kk", "xlsx")
    assert file_name.startswith("roadmap_") and file_name.endswith("_kk.xlsx")
    assert "/" not in file_name and "\\" not in file_name

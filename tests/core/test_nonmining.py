"""Non-mining GRP per capita in the default dataset, checked by hand against the shared reference files.

Hand figures: GRP (data/kazakhstan/indicators.csv ``grp_total``), mining value added (the BNS section B series
copied as ``gva_mining``) and population, million tenge and persons.
"""

from __future__ import annotations

import pytest

from engine.core.diagnose import diagnose

NONMINING = "grp_per_capita_nonmining"


def value(ctx, unit: str, year: int, indicator: str) -> float:
    level = "country" if unit == "kazakhstan" else "region"
    return float(ctx.dataset.values(indicator, year, level).get(unit))


def row(ctx, unit: str, year: int, indicator: str) -> float:
    """The one value of a row, whether or not the unit existed that year (2022-boundary series)."""
    rows = ctx.dataset.indicators
    picked = rows[(rows["unit_id"] == unit) & (rows["year"] == year) & (rows["indicator"] == indicator)]
    assert len(picked) == 1, (unit, year, indicator)
    return float(picked["value"].iloc[0])


def test_atyrau_2024_by_hand(ctx):
    # GRP 14,981,586.3 mn, mining 6,546,078.4 mn (43.7% of GRP, as the reference notes say), 707,427.5 people
    assert value(ctx, "atyrau", 2024, "gva_mining") == pytest.approx(6_546_078.4)
    share = 6_546_078.4 / 14_981_586.3
    assert share == pytest.approx(0.437, abs=5e-4)
    expected = (14_981_586.3 - 6_546_078.4) / 707_427.5 * 1000
    assert value(ctx, "atyrau", 2024, NONMINING) == pytest.approx(expected, abs=0.05)
    assert value(ctx, "atyrau", 2024, NONMINING + "_2022bnd") == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize("unit", ["turkistan", "west_kazakhstan", "almaty_city", "kazakhstan"])
def test_formula_reproduced_for_other_units(ctx, unit):
    grp = value(ctx, unit, 2024, "grp_total")
    mining = value(ctx, unit, 2024, "gva_mining")
    pop = value(ctx, unit, 2024, "population")
    assert value(ctx, unit, 2024, NONMINING) == pytest.approx((grp - mining) / pop * 1000, abs=0.05)


def test_south_kazakhstan_counted_once_before_2018(ctx):
    # YKO = TRK + SHM in 2016 (152,831.9 = 152,063.0 + 768.9): YKO is the as-of-year unit, the two successors
    # carry retrospective 2022-boundary values only
    assert value(ctx, "south_kazakhstan", 2016, "gva_mining") == pytest.approx(152_831.9)
    assert "turkistan" not in ctx.dataset.values("gva_mining", 2016).index
    assert row(ctx, "turkistan", 2016, "gva_mining_2022bnd") == pytest.approx(152_063.0)
    regions = ctx.dataset.units_in_year(2016)
    total = ctx.dataset.values("gva_mining", 2016).reindex(regions).sum()
    assert total == pytest.approx(value(ctx, "kazakhstan", 2016, "gva_mining"), abs=1.0)


def test_split_parents_2021_are_pre_split_sums(ctx):
    # BNS gives 2021 on the 2022 division: east_kazakhstan's as-of-year 2021 value adds Abai's
    parent = row(ctx, "east_kazakhstan", 2021, "gva_mining_2022bnd")
    child = row(ctx, "abai", 2021, "gva_mining_2022bnd")
    assert value(ctx, "east_kazakhstan", 2021, "gva_mining") == pytest.approx(parent + child, abs=0.05)


def test_rows_are_derived_and_cite_primary_sources(ctx):
    rows = ctx.dataset.indicators[ctx.dataset.indicators["indicator"] == NONMINING]
    assert set(rows["flag"]) == {"derived"}
    assert rows["source"].str.contains("gva_nominal_by_region_section.csv").all()
    assert not rows["source"].str.contains(r"\.\./", regex=True).any()


def test_complete_for_every_unit_of_every_year(ctx):
    for year in range(2015, 2026):
        units = set(ctx.dataset.units_in_year(year))
        assert units <= set(ctx.dataset.values(NONMINING, year).index), year


def test_diagnose_on_the_nonmining_indicator(ctx):
    total, nonmining = diagnose(ctx, indicator="grp_per_capita"), diagnose(ctx, indicator=NONMINING)
    assert nonmining.indicator == NONMINING and nonmining.year == 2025
    assert nonmining.metrics["max_min_ratio"] < total.metrics["max_min_ratio"]
    assert min(nonmining.trend) == 2015  # derivable on the borders of each year from 2015

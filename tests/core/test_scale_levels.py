"""District and settlement datasets: calibration, flags and labels, the dataset format, and the model on them."""

import numpy as np
import pandas as pd
import pytest

from engine.core.data import load_dataset
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.core.scale.districts import (
    SPLITS,
    TOWN_SIZE,
    DistrictRow,
    estimate_district_population,
    read_district_rows,
    sources_text,
)
from engine.core.scale.settlements import LABEL, NATIONAL_COUNT, official_counts, synthesize_settlements
from engine.core.scale.writer import write_dataset
from engine.model.response import build_baseline, build_response_model, planning_level, receiving_units

HUBS = ("astana", "almaty_city", "shymkent", "aktobe")


def test_district_populations_add_up_to_their_region_every_year(districts):
    ds, _ = districts
    units = ds.units[ds.units["level"] == "district"]
    assert len(units) == 227 and set(units["parent_id"]) <= set(ds.units.index[ds.units["level"] == "region"])
    pop = ds.panel("population", "district")
    regional = ds.panel("population_2022bnd")
    for year in (2019, 2024):
        by_region = pop[year].groupby(units.loc[pop.index, "parent_id"]).sum()
        np.testing.assert_allclose(by_region.to_numpy(), regional.loc[by_region.index, year].to_numpy(), rtol=1e-6)


def test_estimates_are_flagged_with_their_method_and_published_figures_are_kept(districts):
    ds, report = districts
    rows = ds.indicators[(ds.indicators["indicator"] == "population") & (ds.indicators["year"] == 2024)
                         & ds.indicators["unit_id"].isin(ds.units.index[ds.units["level"] == "district"])]
    assert set(rows["flag"]) == {"estimate", "derived"}
    estimated = rows[rows["flag"] == "estimate"]
    assert len(estimated) >= 227 - 53 and estimated["source"].str.startswith("estimate:").all()
    assert report["published_population"] == 53
    # a published 2023 figure, carried to 2023 itself, is the figure (Zhetisu: every unit published)
    tekeli = ds.values("population", 2023, "district")["zhetisu_tekeli_city"]
    assert tekeli == pytest.approx(31314 * 1.0, rel=0.02)
    grp = ds.indicators[(ds.indicators["indicator"] == "grp_per_capita")
                        & ds.indicators["unit_id"].isin(rows["unit_id"])]
    assert set(grp["flag"]) == {"proxy"} and grp["source"].str.contains("no district GRP").all()
    assert report["check"]["count"] > 30 and report["check"]["median_abs_pct_error"] < 25
    assert "Leave-one-out" in sources_text(report)


def test_estimation_by_hand():
    # two districts without figures share what a published one leaves, by their settlement weights
    rows = [DistrictRow("r_a", "r", "district", {"en": "A"}, "", 1000.0, 2024, None, "", {"kato2022_villages": 1}),
            DistrictRow("r_b", "r", "district", {"en": "B"}, "", None, None, None, "", {"kato2022_villages": 2}),
            DistrictRow("r_c", "r", "district", {"en": "C"}, "", None, None, None, "",
                        {"kato2022_villages": 1, "kato2022_district_towns": 1})]
    out = estimate_district_population(rows, 50_000.0, 10_000.0, {2024: 1.0})
    per_locality = 40_000.0 / 4  # rural population per rural locality
    weights = {"r_b": 2 * per_locality, "r_c": per_locality + TOWN_SIZE}
    left = 50_000.0 - 1000.0
    assert out["r_a"].value == pytest.approx(1000.0) and out["r_a"].flag == "derived"
    for unit, w in weights.items():
        assert out[unit].value == pytest.approx(left * w / sum(weights.values()))
        assert out[unit].flag == "estimate"


def test_splits_share_the_parents_settlements():
    rows = {r.unit_id: r for r in read_district_rows()}
    for child, (parent, share) in SPLITS.items():
        assert rows[child].counts, child
        assert rows[child].rural_localities == pytest.approx(share / (1 - share) * rows[parent].rural_localities
                                                             if share < 1 else rows[child].rural_localities)


def test_the_written_district_dataset_loads_and_plans_by_district(districts, tmp_path):
    ds, report = districts
    write_dataset(ds, tmp_path / "d", sources_text(report))
    loaded = load_dataset(tmp_path / "d")
    pd.testing.assert_frame_equal(loaded.indicators, ds.indicators, check_dtype=False)
    assert planning_level(loaded) == "district"
    a = ParameterValues(load_direction_rules())
    units = loaded.units_in_year(2024, "district")
    model = build_response_model(loaded, build_baseline(loaded, 2024, 2027, a, units), a, HUBS)
    assert model.baseline.migration is None and "below the region level" in model.baseline.method
    # hubs: the urban districts of the three cities and Aktobe's city, not the rest of Aktobe oblast
    assert "aktobe_aktobe_city" in model.hubs and "aktobe_alga" not in model.hubs
    assert {u for u in model.hubs if u.startswith("astana_")} == {u for u in units if u.startswith("astana_")}
    # mobility is eligible in the districts of the listed sending regions and goes to receiving regions' units
    assert all(u.split("_")[0] in {"turkistan", "zhambyl", "kyzylorda", "shymkent", "almaty", "zhetisu", "mangystau"}
               for u in model.eligible["mobility"])
    assert set(model.mobility_destinations) and all(loaded.units.at[d, "parent_id"] in {
        "pavlodar", "north_kazakhstan", "kostanay", "east_kazakhstan", "abai", "akmola", "ulytau", "karaganda"}
        for d in model.mobility_destinations)


def test_settlements_are_calibrated_and_labelled(settlements):
    ds, report = settlements
    kinds = ds.units.loc[ds.units["level"] == "settlement", "kind"]
    rural = kinds[kinds.isin(["village", "district_centre"])]
    assert len(rural) == NATIONAL_COUNT
    for region, count in official_counts().items():
        assert report.villages_by_region[region] == int(count)
    assert (ds.units.loc[kinds.index, "notes"] == LABEL).all()
    flags = ds.indicators[ds.indicators["unit_id"].isin(kinds.index)]["flag"]
    assert set(flags) == {"generated"}
    pop = ds.panel("population", "settlement")
    district = ds.units.loc[pop.index, "parent_id"]
    region = ds.units.loc[district, "parent_id"].to_numpy()
    total = pop.groupby(region).sum()
    regional = ds.panel("population_2022bnd")
    # populations are written to 0.01 person: a region's sum is exact to a fraction of a person
    np.testing.assert_allclose(total.to_numpy(), regional.loc[total.index, total.columns].to_numpy(), atol=1.0)
    # the regions' GRP is kept
    grp = ds.panel("grp_per_capita", "settlement")[2024] * pop[2024]
    regional_grp = (grp.groupby(region).sum() / pop[2024].groupby(region).sum())
    expected = ds.panel("grp_per_capita_2022bnd")[2024].loc[regional_grp.index]
    np.testing.assert_allclose(regional_grp.to_numpy(), expected.to_numpy(), rtol=1e-6)


def test_the_same_seed_gives_the_same_settlements():
    a, _ = synthesize_settlements(seed=3, history=1)
    b, _ = synthesize_settlements(seed=3, history=1)
    c, _ = synthesize_settlements(seed=4, history=1)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    pd.testing.assert_frame_equal(a.units, b.units)
    assert not a.indicators["value"].equals(c.indicators["value"])


def test_villages_send_to_their_districts_town(small_settlements):
    ds = small_settlements
    units = ds.units_in_year(2024, "settlement")
    receiving = receiving_units(ds, units, ds.values("population", 2024, "settlement"))
    for village, centre in receiving.items():
        if ds.units.at[village, "kind"] == "village":
            assert ds.units.at[centre, "kind"] != "village"
            assert ds.units.at[centre, "parent_id"] == ds.units.at[village, "parent_id"]


def test_compression_moves_people_to_the_town_and_keeps_national_output_gain(small_settlements):
    ds = small_settlements
    a = ParameterValues(load_direction_rules())
    units = ds.units_in_year(2024, "settlement")
    model = build_response_model(ds, build_baseline(ds, 2024, 2026, a, units), a, HUBS)
    village = next(u for u, r in model.receiving.items() if r != u)
    ks = model.cells[(village, "peripheral_compression", 2025)]
    from engine.model.simulate import simulate_spending

    spending = np.zeros(model.n_levers)
    spending[ks[0]] = model.lever_capacity[ks[0]]
    plan = simulate_spending(model, spending)
    base = model.baseline
    moved = plan.population.at[model.receiving[village], 2026] - base.population.at[model.receiving[village], 2026]
    assert moved > 0
    assert plan.population.at[village, 2026] == pytest.approx(base.population.at[village, 2026] - moved)
    np.testing.assert_allclose(plan.population.sum(), base.population.sum(), rtol=1e-12)  # people are conserved


def test_a_scenario_caps_a_district_of_a_district_dataset(districts, tmp_path):
    # the command line checks unit caps against the units the dataset plans with, not against regions
    import json

    from engine.interfaces.cli import main

    ds, report = districts
    write_dataset(ds, tmp_path / "d", sources_text(report))
    scenario = tmp_path / "caps.yaml"
    scenario.write_text("name: district caps\nbase_year: 2024\nhorizon: [2025, 2026]\nbudget_bn_kzt: 100\n"
                        "objective: max_min_ratio\nequity_share: 0.5\nunit_caps_bn_kzt:\n  abai_semey_city: 1.0\n",
                        encoding="utf-8")

    code = main(["solve", "--scenario", str(scenario), "--data", str(tmp_path / "d"), "--json",
                 str(tmp_path / "plan.json")])

    assert code == 0
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    by_year: dict[int, float] = {}
    for row in plan["allocation"]:
        if row["unit_id"] == "abai_semey_city":
            by_year[row["year"]] = by_year.get(row["year"], 0.0) + row["bn_kzt"]
    assert all(v <= 1.0 + 1e-6 for v in by_year.values())

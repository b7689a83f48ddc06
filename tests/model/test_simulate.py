import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.context import load_context
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.interfaces.cli import main
from engine.model.response import build_baseline, build_response_model
from engine.model.simulate import (
    ALLOCATION_COLUMNS,
    INDICATORS,
    baseline_trajectories,
    compare_with_linear,
    empty_allocation,
    fill_segments,
    linear_grp_per_capita,
    simulate_plan,
    simulate_spending,
)
from engine.model.study import build_study

SCENARIO = """name: Test plan
base_year: 2024
horizon: [2025, 2030]
budget_bn_kzt: 200
objective: max_min_ratio
equity_share: 0.6
"""


@pytest.fixture(scope="module")
def setup():
    ctx = load_context()
    a = ParameterValues(load_direction_rules())
    baseline = build_baseline(ctx.dataset, 2024, 2030, a)
    return ctx, build_response_model(ctx.dataset, baseline, a, ctx.typology.hub_ids)


def frame(rows):
    return pd.DataFrame(rows, columns=list(ALLOCATION_COLUMNS))


def test_empty_plan_reproduces_the_baseline_exactly(setup):
    _, model = setup
    plan = simulate_plan(model, empty_allocation())
    assert np.array_equal(plan.grp_per_capita.to_numpy(), model.baseline.grp_per_capita.to_numpy())
    assert np.array_equal(plan.population.to_numpy(), model.baseline.population.to_numpy())
    assert (plan.induced_migration.to_numpy() == 0).all() and (plan.bonus_bn.to_numpy() == 0).all()
    nets = plan.net_migration[model.years]
    assert np.array_equal(nets.to_numpy(), model.baseline.net_migration[model.years].to_numpy())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["turkistan", "zhambyl", "kyzylorda", "shymkent", "zhetisu"]),
                          st.sampled_from(["mobility", "agglomeration"]), st.integers(2025, 2030),
                          st.floats(0.0, 1.0)), min_size=1, max_size=6))
def test_plans_conserve_people(setup, cells):
    _, model = setup
    rows = {}
    for unit, direction, year, share in cells:  # a share of what the cell can absorb
        if unit in model.eligible[direction]:
            rows[(unit, direction, year)] = share * model.capacity(unit, direction, year)
    plan = simulate_plan(model, frame([(*k, v) for k, v in rows.items()]))
    np.testing.assert_allclose(plan.population.sum().to_numpy(), model.baseline.population.sum().to_numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(plan.induced_migration.sum().to_numpy(), 0.0, atol=1e-6)
    np.testing.assert_allclose(plan.net_migration[model.years].sum().to_numpy(), 0.0, atol=1e-5)


def test_mobility_moves_people_and_per_capita_values(setup):
    _, model = setup
    allocation = frame([("turkistan", "mobility", 2025, model.capacity("turkistan", "mobility", 2025))])
    plan = simulate_plan(model, allocation)
    static = simulate_plan(model, allocation, migration_response=False)
    base = model.baseline
    moved = base.population.at["turkistan", 2030] - static.population.at["turkistan", 2030]
    assert moved > 0
    dests = list(model.destination_shares["turkistan"])
    gained = static.population.loc[dests, 2030].sum() - base.population.loc[dests, 2030].sum()
    assert gained == pytest.approx(moved, rel=1e-9)  # the movers arrive in the receiving regions
    # induced migration adds a little on top: fewer people in Turkistan lift its GRP per capita a bit
    assert plan.population.at["turkistan", 2030] == pytest.approx(static.population.at["turkistan", 2030], rel=1e-3)
    assert plan.net_migration.at["turkistan", 2025] < base.net_migration.at["turkistan", 2025]
    assert plan.grp_per_capita.at["turkistan", 2030] != base.grp_per_capita.at["turkistan", 2030]


def test_without_the_migration_response_population_is_linear(setup):
    _, model = setup
    allocation = frame([("turkistan", "agglomeration", 2025, 40.0), ("zhambyl", "mobility", 2026, 3.0)])
    static = simulate_plan(model, allocation, migration_response=False)
    full = simulate_plan(model, allocation)
    assert (static.induced_migration.to_numpy() == 0).all()
    assert np.abs(full.induced_migration.to_numpy()).sum() > 0  # higher income in Turkistan keeps people
    assert full.induced_migration.at["turkistan", 2026] > 0


def test_interaction_bonus_is_cap_times_actor_graph_density_times_the_effect(setup):
    _, model = setup
    rows = [("turkistan", "agglomeration", 2025, 20.0), ("turkistan", "interaction", 2025, 0.5)]
    spending = fill_segments(model, frame(rows))
    plan = simulate_spending(model, spending)
    year = 2025 + int(model.assumptions.value("capital_lag_years"))  # the capital return has started
    base = sum(s * model.bonus_base[k].get(year, 0.0) for k, s in enumerate(spending)
               if model.levers[k].unit == "turkistan")
    cover = sum(spending[k] * per_bn for k, per_bn in model.bonus_cover[("turkistan", year)])
    assert plan.bonus_bn.at["turkistan", year] == pytest.approx(model.bonus_cap * min(base, cover))
    assert plan.interaction_density.at["turkistan", year] == pytest.approx(min(1.0, cover / base))


def test_linear_view_and_simulator_agree_within_a_reported_gap(setup):
    ctx, model = setup
    allocation = frame([(u, "agglomeration", y, model.capacity(u, "agglomeration", y))
                        for u in ("turkistan", "zhambyl", "abai") for y in model.years]
                       + [("turkistan", "mobility", 2025, model.capacity("turkistan", "mobility", 2025))])
    spending = fill_segments(model, allocation)
    gap = compare_with_linear(model, spending, ctx)
    assert set(gap.by_reason) == {"segment_order", "first_order_per_capita", "induced_migration"}
    assert gap.by_reason["segment_order"] == 0
    assert 0 < gap.max_rel < 1e-3
    assert gap.max_abs <= sum(gap.by_reason.values()) + 1e-9
    for m in gap.metrics.values():
        assert m["max_min_ratio_linear"] == pytest.approx(m["max_min_ratio_simulated"], rel=1e-3)
    # with no spending both views are the baseline
    zero = [0.0] * len(model.levers)
    assert np.array_equal(linear_grp_per_capita(model, zero).to_numpy(), model.baseline.grp_per_capita.to_numpy())


def test_a_later_segment_before_an_earlier_one_shows_as_segment_order_gap(setup):
    _, model = setup
    k = next(i for i, lv in enumerate(model.levers)
             if (lv.unit, lv.direction, lv.year, lv.segment) == ("turkistan", "agglomeration", 2025, 2))
    spending = [0.0] * len(model.levers)
    spending[k] = model.levers[k].capacity / 2
    assert compare_with_linear(model, spending).by_reason["segment_order"] > 0


def test_a_dataset_without_migration_data_simulates_on_the_plain_trend(tiny_dataset_dir):
    from engine.core.data import load_dataset

    ds = load_dataset(tiny_dataset_dir)
    a = ParameterValues(load_direction_rules())
    model = build_response_model(ds, build_baseline(ds, 2019, 2022, a), a, ["capital"])
    cap = model.capacity("north", "agglomeration", 2020)
    plan = simulate_plan(model, frame([("north", "agglomeration", 2020, cap)]))
    assert model.baseline.net_migration is None and plan.net_migration.isna().all().all()
    np.testing.assert_allclose(plan.population.sum().to_numpy(), model.baseline.population.sum().to_numpy())
    assert plan.grp_per_capita.at["north", 2020] > model.baseline.grp_per_capita.at["north", 2020]
    assert plan.induced_migration.at["north", 2021] > 0  # richer north draws people, even without data to anchor


def test_baseline_trajectories_have_every_indicator(setup):
    _, model = setup
    traj = baseline_trajectories(model)
    for name in INDICATORS:
        table = traj.indicator(name)
        assert list(table.columns) == model.baseline.years and list(table.index) == model.units


# -- the command line -------------------------------------------------------------------------------

@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_simulate_without_allocation_writes_plan_equal_to_baseline(scenario_file, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["simulate", "--scenario", str(scenario_file), "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["years"] == list(range(2024, 2031))
    for part in ("baseline", "plan"):
        assert set(doc[part]) >= {"units", "metrics_by_year", "problem_regions_by_year"}
        assert set(doc[part]["metrics_by_year"]) == {str(y) for y in doc["years"]}
        assert set(doc[part]["units"]["turkistan"]) >= {"population", "grp_per_capita", "net_migration"}
        assert "max_min_ratio" in doc[part]["metrics_by_year"]["2030"]
    assert doc["plan"]["units"] == doc["baseline"]["units"]
    assert doc["plan"]["metrics_by_year"] == doc["baseline"]["metrics_by_year"]
    assert doc["migration"]["calibration"]["parameters"]["beta"] > 0
    assert "Linear view vs simulator" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", ["csv", "json", "solve.json"])
def test_simulate_reads_csv_json_and_solve_output(scenario_file, tmp_path, suffix):
    rows = [{"unit_id": "turkistan", "direction": "agglomeration", "year": 2026, "bn_kzt": 12.5}]
    alloc = tmp_path / f"plan.{suffix}"
    if suffix == "csv":
        alloc.write_text("unit_id,direction,year,bn_kzt,part\nturkistan,agglomeration,2026,12.5,equity\n")
    elif suffix == "json":
        alloc.write_text(json.dumps(rows))
    else:
        alloc.write_text(json.dumps({"status": "optimal", "allocation": rows}))
    out = tmp_path / "out.json"
    assert main(["simulate", "--scenario", str(scenario_file), "--allocation", str(alloc), "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["allocation"]["total_bn_kzt"] == 12.5
    assert doc["plan"]["units"]["turkistan"]["grp_per_capita"][-1] > doc["baseline"]["units"]["turkistan"][
        "grp_per_capita"][-1]


def test_bad_allocation_rows_are_named_by_file_and_row(scenario_file, tmp_path, capsys):
    alloc = tmp_path / "bad.csv"
    alloc.write_text("unit_id,direction,year,bn_kzt\n"
                     "turkistan,agglomeration,2025,1\n"
                     "narnia,agglomeration,2025,1\n"
                     "almaty_city,mobility,2025,1\n"
                     "turkistan,agglomeration,2031,1\n"
                     "turkistan,agglomeration,2026,-2\n"
                     "turkistan,agglomeration,2027,1e6\n", encoding="utf-8")
    code = main(["simulate", "--scenario", str(scenario_file), "--allocation", str(alloc), "--json",
                 str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"{alloc}:3: unit_id: unknown unit" in err
    assert f"{alloc}:4: direction: mobility is not eligible" in err
    assert f"{alloc}:5: year: year outside the horizon 2025-2030" in err
    assert f"{alloc}:6: bn_kzt: must be a non-negative number" in err
    assert f"{alloc}:7: bn_kzt:" in err and "can absorb" in err
    assert ":2:" not in err
    assert not (tmp_path / "o.json").exists()


def test_bad_json_allocation_and_missing_files_exit_2(scenario_file, tmp_path, capsys):
    alloc = tmp_path / "bad.json"
    alloc.write_text('{"rows": []}')
    assert main(["simulate", "--scenario", str(scenario_file), "--allocation", str(alloc)]) == 2
    assert "allocation" in capsys.readouterr().err
    assert main(["simulate", "--scenario", str(tmp_path / "none.yaml")]) == 2
    assert main(["simulate", "--scenario", str(scenario_file), "--allocation", str(tmp_path / "none.csv")]) == 2


@pytest.mark.parametrize("name", ["concept_2025_2030", "shortfall_2025_2030"])
def test_the_optimizers_own_plan_agrees_with_the_simulator(name):
    from pathlib import Path

    from engine.allocation import optimize
    from engine.core.scenario import load_scenario

    ctx = load_context()
    scenario = load_scenario(Path(__file__).resolve().parents[2] / "data" / "scenarios" / f"{name}.yaml",
                             load_direction_rules())
    study = build_study(ctx, scenario)
    result = optimize(study, with_baselines=False)
    model = study.model
    gap = compare_with_linear(model, fill_segments(model, result.allocation_frame()), ctx)
    assert gap.by_reason["segment_order"] == 0  # concave segments: the solution fills them in order
    assert gap.max_rel < 1e-3  # measured 0.9e-4 and 1.7e-4 (thousand tenge per person, largest over units, years)
    for m in gap.metrics.values():
        assert m["max_min_ratio_simulated"] == pytest.approx(m["max_min_ratio_linear"], rel=1e-4)
        assert m["williamson_simulated"] == pytest.approx(m["williamson_linear"], rel=5e-3)

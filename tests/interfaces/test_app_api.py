"""engine.interfaces.app_api: the app's calls, with plain inputs and outputs that cross a process boundary."""

from __future__ import annotations

import pickle

import pytest

from engine.allocation.baselines import FORMULAS
from engine.core.errors import ScenarioError
from engine.interfaces import app_api

DEFAULT = app_api.default_scenario_yaml()


@pytest.fixture(scope="module")
def plan() -> dict:
    return app_api.solve(DEFAULT)


def with_fields(**changes) -> str:
    return app_api.scenario_yaml({**app_api.scenario_fields(DEFAULT), **changes})


def test_scenario_fields_round_trip_to_the_same_yaml():
    canonical = with_fields()

    assert app_api.scenario_yaml(app_api.scenario_fields(canonical)) == canonical
    assert app_api.check_scenario_yaml(canonical) == canonical
    assert set(app_api.scenario_fields(canonical)["directions"]) == {
        "agglomeration", "peripheral_compression", "mobility", "interaction"}


def test_bad_fields_name_every_problem():
    with pytest.raises(ScenarioError) as caught:
        with_fields(equity_share=1.5, objective="fastest", unit_caps_bn_kzt={"atlantis": 5.0})

    columns = {p.column for p in caught.value.problems}
    assert {"equity_share", "objective", "unit_caps_bn_kzt.atlantis"} <= columns


def test_a_scenario_text_over_one_megabyte_is_refused():
    with pytest.raises(ScenarioError) as caught:
        app_api.check_scenario_yaml(DEFAULT + "#" * app_api.MAX_SCENARIO_BYTES, "big.yaml")

    assert caught.value.problems[0].file == "big.yaml"
    assert "at most 1024 KB" in caught.value.problems[0].message


def test_solve_is_the_optimizers_public_json_and_pickles(plan):
    assert plan["status"] == "optimal" and plan["hold"] is None
    assert sum(r["bn_kzt"] for r in plan["allocation"]) == pytest.approx(3000.0, abs=1e-3)
    assert pickle.loads(pickle.dumps(plan)) == plan


def test_allocation_views_add_up(plan):
    views = app_api.allocation_views(plan)

    total = sum(r["bn_kzt"] for r in plan["allocation"])
    assert views["by_cell"].to_numpy().sum() == pytest.approx(total)
    assert views["by_unit"].sum() == pytest.approx(total)
    assert views["by_direction_part"].to_numpy().sum() == pytest.approx(total)
    assert views["by_year"].sum(axis=1).tolist() == pytest.approx([500.0] * 6)
    unit = views["by_unit"].idxmax()
    persons = plan["trajectories"]["baseline"][unit]["population"][0]
    # bn tenge per person, in thousand tenge: bn x 1e9 / persons / 1e3
    assert views["per_capita"][unit] == pytest.approx(views["by_unit"][unit] * 1e6 / persons)
    assert app_api.equity_part_share(plan) == pytest.approx(views["by_direction_part"]["equity"].sum() / total)


def test_criteria_by_year_has_both_criteria_for_baseline_and_plan(plan):
    criteria = app_api.criteria_by_year(plan)

    assert list(criteria.index) == list(range(2024, 2031))
    for key in ("problem_regions", "max_min_ratio", "williamson", "theil_t_weighted"):
        assert (key, "baseline") in criteria.columns and (key, "plan") in criteria.columns
    assert criteria[("max_min_ratio", "plan")][2030] == pytest.approx(plan["metrics_after"]["max_min_ratio"])


def test_ratio_only_years_warns_when_the_ratio_alone_improves():
    def year(ratio: float, williamson: float, theil: float) -> dict:
        return {"problem_regions": 3, "max_min_ratio": ratio, "williamson": williamson, "theil_t_weighted": theil}

    result = {"metrics_by_year": {
        "baseline": {"2025": year(10.0, 0.5, 0.2), "2026": year(10.0, 0.5, 0.2), "2027": year(10.0, 0.5, 0.2)},
        "plan": {"2025": year(9.0, 0.51, 0.2), "2026": year(9.0, 0.49, 0.19), "2027": year(10.0, 0.6, 0.3)}}}

    assert app_api.ratio_only_years(result) == [2025]


def test_baseline_comparison_puts_the_plan_beside_the_formulas(plan):
    table = app_api.baseline_comparison(plan)

    assert list(table.index) == ["plan", *[f.name for f in FORMULAS]]
    assert table["spent_bn"].tolist() == pytest.approx([3000.0] * len(table), abs=1e-3)
    # the plan minimises the max/min ratio as it is scored (after the last year's impulse): no formula ends lower
    assert table.loc["plan", "max_min_ratio"] <= table["max_min_ratio"].min() + 1e-9
    assert table.loc["plan", "max_min_ratio"] == pytest.approx(
        plan["lasting_effects"]["metrics_after_lasting"]["max_min_ratio"])


def test_a_frontier_point_plan_holds_its_level():
    frontier = app_api.frontier(DEFAULT, points=3)
    points = [p for p in frontier["points"] if p["status"] == "optimal"]
    middle = points[1]

    held = app_api.solve(DEFAULT, hold=(frontier["equity_metric"], middle["equity_level"]))

    assert held["status"] == "optimal"
    assert held["hold"] == {"metric": "max_min_ratio", "level": middle["equity_level"]}
    assert sum(r["bn_kzt"] for r in held["allocation"]) == pytest.approx(3000.0, abs=1e-3)
    # the simulator's ratio is the linear model's within a small gap
    assert held["metrics_after"]["max_min_ratio"] == pytest.approx(middle["equity_value"], rel=2e-3)
    assert [b["name"] for b in held["baselines"]] == [f.name for f in FORMULAS]
    roadmap = app_api.build_roadmap(DEFAULT, "ru", hold=("max_min_ratio", middle["equity_level"]))
    assert roadmap.allocation_note.startswith("Это план точки границы")


def test_roadmap_in_two_languages_from_one_simulation(plan, monkeypatch):
    from engine.roadmap import pipeline

    def no_simulation(*args, **kwargs):
        raise AssertionError("the roadmap of a solved plan must read the result's trajectories")

    monkeypatch.setattr(pipeline, "simulate_plan", no_simulation)
    kk = app_api.build_roadmap(DEFAULT, "kk")
    en = app_api.build_roadmap(DEFAULT, "en")

    assert kk.lang == "kk" and en.lang == "en"
    assert kk.total_bn == pytest.approx(en.total_bn) == pytest.approx(3000.0, abs=1e-3)
    assert app_api.export_name(kk, "pdf").endswith("_kk.pdf")
    name, mime, data = app_api.export_plan(DEFAULT, "ru", "json")
    assert name.endswith("_ru.json") and mime == "application/json" and data.startswith(b"{")


def test_an_uploaded_table_changes_the_plan(plan):
    base = app_api.default_context().dataset.indicators
    lowest = min(plan["trajectories"]["baseline"],
                 key=lambda u: plan["trajectories"]["baseline"][u]["grp_per_capita"][0])
    raised = base.copy()
    rows = (raised["unit_id"] == lowest) & (raised["indicator"] == "grp_per_capita") & (raised["year"] == 2024)
    raised.loc[rows, "value"] = raised.loc[rows, "value"] * 3

    other = app_api.solve(DEFAULT, indicators=raised)

    assert app_api.digest_indicators(raised) != app_api.digest_indicators(None)
    assert other["metrics_before"]["max_min_ratio"] != pytest.approx(plan["metrics_before"]["max_min_ratio"])

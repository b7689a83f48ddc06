"""The replan starts from what happened: observed values move its model, and the revised scenario (its
``progress`` key) keeps the spent years in every later solve: a workshop on it, a re-solve, its YAML read back."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from engine.allocation import optimize, prepare
from engine.analysis.monitor import monitor
from engine.analysis.workshop import apply_budget, compute_direction_capacity, scenario_for_priorities
from engine.core.errors import ScenarioError
from engine.core.scenario import scenario_from_text
from engine.model.simulate import simulate_plan
from engine.model.study import build_study

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "data" / "scenarios" / "concept_2025_2030.yaml"
AS_OF = 2026


@pytest.fixture(scope="module")
def actuals(plan):
    spent = plan[plan["year"] <= AS_OF].reset_index(drop=True).copy()
    spent["bn_kzt"] = [math.floor(v * (0.7 if i % 3 else 1.0) * 1000) / 1000 for i, v in enumerate(spent["bn_kzt"])]
    return spent


def observed_rows(study, plan, surprises: dict[str, float]) -> list[dict]:
    """The plan's 2026 value of each unit times its surprise factor, as an observed indicator row."""
    target = simulate_plan(study.model, plan).grp_per_capita
    return [{"unit_id": u, "year": AS_OF, "indicator": "grp_per_capita", "value": float(target.at[u, AS_OF]) * f}
            for u, f in surprises.items()]


def cells(frame, years):
    part = frame[frame["year"].isin(list(years))]
    return {(u, d, int(y)): float(v) for u, d, y, v in part[["unit_id", "direction", "year", "bn_kzt"]].itertuples(
        index=False) if v > 1e-9}


@pytest.fixture(scope="module")
def rebased(study, plan, actuals):
    # turkistan fell 15% behind what the plan expected, astana ran 10% ahead
    rows = observed_rows(study, plan, {"turkistan": 0.85, "astana": 1.10})
    return monitor(study, plan, actuals, AS_OF, indicators=rows), rows


def test_the_replans_model_passes_through_the_observed_values(rebased, study, actuals):
    found, rows = rebased
    revised = found.revised
    assert revised.progress is not None and revised.progress.as_of == AS_OF
    assert {(u, y) for u, y in revised.progress.observed} == {("turkistan", AS_OF), ("astana", AS_OF)}
    moved = build_study(study.ctx, revised, indicator=study.indicator, data_key=study.data_key)
    # the spending actually done, simulated on the moved model, meets what was observed
    path = simulate_plan(moved.model, actuals).grp_per_capita
    for row in rows:
        assert path.at[row["unit_id"], AS_OF] == pytest.approx(row["value"], rel=1e-6)
    # an unobserved unit keeps its path
    assert moved.no_policy.grp_per_capita.loc["abai"].tolist() == pytest.approx(
        study.no_policy.grp_per_capita.loc["abai"].tolist())
    assert {r["unit_id"] for r in found.rebased} == {"turkistan", "astana"}
    shift = {r["unit_id"]: r["shift"] for r in found.rebased}
    assert shift["turkistan"] < 0 < shift["astana"]


def test_a_region_that_fell_behind_gets_more_of_the_years_left(study, plan, actuals):
    """A middle-income region observed far below the poorest (a plant closed, say) becomes the minimum of the
    max/min ratio: the replan that knows it gives it more of the years left than the replan that does not."""
    target = simulate_plan(study.model, plan).grp_per_capita[AS_OF].sort_values()
    middle = target.index[len(target) // 2]
    rows = [{"unit_id": middle, "year": AS_OF, "indicator": "grp_per_capita", "value": 0.6 * float(target.iloc[0])}]
    found = monitor(study, plan, actuals, AS_OF, indicators=rows)
    plain = monitor(study, plan, actuals, AS_OF)

    def later(m, unit):
        frame = m.replan.allocation_frame()
        return float(frame[(frame["unit_id"] == unit) & (frame["year"] > AS_OF)]["bn_kzt"].sum())

    assert found.replan.status.solved and plain.replan.status.solved
    assert later(found, middle) > later(plain, middle) + 1.0
    # the spent years are still held exactly, and the years left spend exactly their budgets
    frame = found.replan.allocation_frame()
    got, want = cells(frame, [2025, 2026]), cells(actuals, [2025, 2026])
    assert set(got) == set(want) and max(abs(got[k] - want[k]) for k in want) < 1e-6
    for year in (2027, 2028, 2029, 2030):
        assert frame.loc[frame["year"] == year, "bn_kzt"].sum() == pytest.approx(500.0, abs=1e-6)


def test_the_revised_scenario_text_keeps_the_spent_years_in_every_later_solve(rebased, study, actuals):
    found, _rows = rebased
    text = found.to_json()["replan"]["scenario_yaml"]
    again = scenario_from_text(text, "revised")
    assert again.progress == found.revised.progress
    assert again.budget_bn_kzt[2025] == pytest.approx(float(actuals.loc[actuals["year"] == 2025, "bn_kzt"].sum()))
    moved = build_study(study.ctx, again, indicator=study.indicator, data_key=study.data_key)
    want = cells(actuals, [2025, 2026])
    # a workshop's scenarios from the revised version: other priorities and another yearly budget
    capacity = compute_direction_capacity(prepare(moved).forms, again.open_years)
    workshop = scenario_for_priorities(again, {"agglomeration": 0.1, "peripheral_compression": 0.1,
                                               "mobility": 0.6, "interaction": 0.2}, 0.5, capacity_bn_kzt=capacity)
    for scenario in (again, workshop, apply_budget(again, 600.0)):
        result = optimize(prepare(moved.with_scenario(scenario)))
        assert result.status.solved, result.message
        frame = result.allocation_frame()
        got = cells(frame, [2025, 2026])
        assert set(got) == set(want) and max(abs(got[k] - want[k]) for k in want) < 1e-6
    assert apply_budget(again, 600.0).budget_bn_kzt[2027] == 600.0
    assert apply_budget(again, 600.0).budget_bn_kzt[2026] == again.budget_bn_kzt[2026]


def test_a_bad_progress_key_is_refused_with_every_problem(study):
    base = SCENARIO.read_text(encoding="utf-8")
    bad = base + ("progress:\n  as_of: 2031\n")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(bad, "s")
    assert any("progress.as_of" in str(p) for p in caught.value.problems)
    bad = base + ("progress:\n  as_of: 2026\n  spent_bn_kzt:\n    2027: {abai: {mobility: 1}}\n"
                  "    2025: {abai: {roads: 1, mobility: -2}}\n  observed:\n    2026: {abai: 0}\n")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_text(bad, "s")
    where = {p.column for p in caught.value.problems}
    assert {"progress.spent_bn_kzt.2027", "progress.spent_bn_kzt.2025.abai.roads",
            "progress.spent_bn_kzt.2025.abai.mobility", "progress.observed.2026.abai"} <= where
    over = base + "progress:\n  as_of: 2025\n  spent_bn_kzt:\n    2025: {abai: {mobility: 99999}}\n"
    with pytest.raises(ScenarioError) as caught:
        prepare(study.with_scenario(scenario_from_text(over, "s")))
    assert "progress.spent_bn_kzt.2025.abai.mobility" in str(caught.value)

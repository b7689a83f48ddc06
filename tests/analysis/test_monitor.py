"""Monitoring: plan against actuals, KPI deviations, and the replan of the remaining years (spent years fixed as
given, exactly the scenario's budgets for the rest, plus the unspent money with carry-over)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from engine.analysis.monitor import monitor, read_actuals
from engine.analysis.monitor_report import report_bytes
from engine.core.errors import DataValidationError, ExitCode, ScenarioError
from engine.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "data" / "scenarios" / "concept_2025_2030.yaml"
AS_OF = 2026


@pytest.fixture(scope="module")
def actuals(plan):
    """What was spent: 80% of every other cell of 2025-2026, the rest as planned (reported down to 0.001 bn, so
    no cell is above what the plan, and the unit, could absorb)."""
    spent = plan[plan["year"] <= AS_OF].reset_index(drop=True).copy()
    spent["bn_kzt"] = [math.floor(v * (0.8 if i % 2 else 1.0) * 1000) / 1000 for i, v in enumerate(spent["bn_kzt"])]
    return spent


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def cells(frame: pd.DataFrame, years) -> dict:
    part = frame[frame["year"].isin(list(years))]
    return {(u, d, int(y)): float(v) for u, d, y, v in part[["unit_id", "direction", "year", "bn_kzt"]].itertuples(
        index=False) if v > 0}


@pytest.fixture(scope="module")
def found(study, plan, actuals):
    return monitor(study, plan, actuals, AS_OF)


@pytest.fixture(scope="module")
def carried(study, plan, actuals):
    return monitor(study, plan, actuals, AS_OF, carry_over=True)


def test_deviation_by_year_is_plan_against_spending(found, plan, actuals):
    by_year = found.by_year()
    assert sorted(by_year) == [2025, 2026]
    for year, row in by_year.items():
        assert row["planned_bn"] == pytest.approx(plan.loc[plan["year"] == year, "bn_kzt"].sum())
        assert row["spent_bn"] == pytest.approx(actuals.loc[actuals["year"] == year, "bn_kzt"].sum())
        assert row["deviation_bn"] == pytest.approx(row["spent_bn"] - row["planned_bn"])
    cell = found.by_cell()[0]
    assert {"unit_id", "direction", "planned_bn", "spent_bn", "deviation_bn"} <= set(cell)
    assert sum(c["spent_bn"] for c in found.by_cell()) == pytest.approx(actuals["bn_kzt"].sum())


def test_replan_keeps_the_spent_years_and_spends_exactly_the_remaining_budgets(found, study, actuals):
    assert found.replan.status.solved
    frame = found.replan.allocation_frame()
    got, want = cells(frame, [2025, 2026]), cells(actuals, [2025, 2026])
    assert set(got) == set(want)
    assert max(abs(got[k] - want[k]) for k in want) < 1e-6
    for year in (2027, 2028, 2029, 2030):
        spent = frame.loc[frame["year"] == year, "bn_kzt"].sum()
        assert spent == pytest.approx(study.scenario.budget_bn_kzt[year], abs=1e-6)
    assert found.fixed_gap_bn() < 1e-6
    doc = found.to_json()
    assert doc["replan"]["years"] == [2027, 2028, 2029, 2030]
    assert doc["replan"]["budget_bn_kzt"] == {str(y): 500.0 for y in (2027, 2028, 2029, 2030)}
    assert found.changes()  # spending less on the way moves the optimum for the years left


def test_carry_over_adds_the_unspent_money_to_the_remaining_years(carried, study, actuals):
    budget = study.scenario.budget_bn_kzt
    unspent = sum(budget[y] for y in (2025, 2026)) - actuals["bn_kzt"].sum()
    assert unspent > 50  # every other cell spent 80%: a real shortfall
    assert carried.unspent_bn == pytest.approx(unspent)
    frame = carried.replan.allocation_frame()
    later = frame[frame["year"] > AS_OF]
    assert later["bn_kzt"].sum() == pytest.approx(sum(budget[y] for y in (2027, 2028, 2029, 2030)) + unspent,
                                                  abs=1e-5)
    for year in (2027, 2028, 2029, 2030):  # the four budgets are equal, so is their share of the carry-over
        assert later.loc[later["year"] == year, "bn_kzt"].sum() == pytest.approx(budget[year] + unspent / 4, abs=1e-6)
    assert max(abs(a - b) for a, b in zip(cells(frame, [2025]).values(), cells(actuals, [2025]).values(),
                                          strict=True)) < 1e-6


def test_kpi_deviations_compare_the_observed_with_the_plans_target(study, plan, actuals):
    from engine.model.simulate import simulate_plan

    records = [{"unit_id": "turkistan", "year": 2025, "indicator": "grp_per_capita", "value": 2000.0},
               {"unit_id": "astana", "year": 2026, "indicator": "grp_per_capita", "value": 9000.0},
               {"unit_id": "astana", "year": 2028, "indicator": "grp_per_capita", "value": 9000.0},
               {"unit_id": "astana", "year": 2026, "indicator": "unemployment_rate", "value": 4.5}]
    found = monitor(study, plan, actuals, AS_OF, indicators=records, replan=False)
    target = simulate_plan(study.model, found.plan).grp_per_capita
    assert [(k.unit_id, k.year) for k in found.kpis] == [("astana", 2026), ("turkistan", 2025)]
    for k in found.kpis:
        assert k.target == pytest.approx(float(target.at[k.unit_id, k.year]))
        assert k.deviation == pytest.approx(k.observed - k.target)
    assert any("unemployment_rate" in n for n in found.notes)
    assert any("outside the monitored years" in n for n in found.notes)


def test_bad_actuals_are_refused_with_every_problem(study, tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text("unit_id,direction,year,bn_kzt\n"
                    "atlantis,agglomeration,2025,1\n"
                    "astana,teleportation,2025,1\n"
                    "astana,agglomeration,2029,1\n"
                    "astana,agglomeration,2025,-3\n"
                    "astana,agglomeration,2026,2\n"
                    "astana,agglomeration,2026,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        read_actuals(study, AS_OF, path)
    text = str(caught.value)
    assert f"{path}:2: unit_id: unknown unit" in text
    assert f"{path}:3: direction: unknown direction" in text
    assert f"{path}:4: year: year outside the monitored years 2025-2026 (--as-of 2026)" in text
    assert f"{path}:5: bn_kzt: must be a non-negative number" in text
    assert f"{path}:7: unit_id: repeats (astana, agglomeration, 2026) of row 6" in text


def test_missing_columns_and_a_bad_year_are_refused(study, tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text("unit_id,year,amount\nastana,2025,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="direction: missing required column"):
        read_actuals(study, AS_OF, path)
    with pytest.raises(ScenarioError, match="--as-of: must be a year of the horizon 2025-2030"):
        monitor(study, pd.DataFrame(columns=["unit_id", "direction", "year", "bn_kzt"]),
                pd.DataFrame(columns=["unit_id", "direction", "year", "bn_kzt"]), 2040)


def test_the_report_says_what_was_planned_done_and_changed(found):
    for lang, words in (("ru", ("Запланировано и исполнено", "Изменено")), ("kk", ("Жоспарланғаны",)),
                        ("en", ("Planned and done", "Changed"))):
        name, data = report_bytes(found, "md", lang)
        text = data.decode("utf-8")
        assert name.endswith(f"_{AS_OF}_{lang}.md")
        for word in words:
            assert word in text
    name, data = report_bytes(found, "docx", "kk")
    assert data[:2] == b"PK" and name.endswith(".docx")


def test_the_command_writes_the_json_and_the_report(tmp_path, plan, actuals, capsys):
    plan_path = write_csv(tmp_path / "plan.csv", plan)
    actuals_path = write_csv(tmp_path / "actuals.csv", actuals)
    out = tmp_path / "monitor.json"
    code = main(["monitor", "--scenario", str(SCENARIO), "--plan", str(plan_path), "--actuals", str(actuals_path),
                 "--as-of", str(AS_OF), "--carry-over", "--json", str(out), "--out", str(tmp_path / "report"),
                 "--lang", "ru"])
    assert code == ExitCode.OK
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["deviation"]["by_year"]) == {"2025", "2026"}
    assert {"planned_bn", "spent_bn"} <= set(doc["deviation"]["by_year"]["2025"])
    assert doc["replan"]["status"] == "optimal" and doc["replan"]["carry_over"] is True
    assert sorted(p.suffix for p in (tmp_path / "report").iterdir()) == [".docx", ".md"]


def test_the_command_refuses_bad_actuals_with_exit_2(tmp_path, plan, capsys):
    plan_path = write_csv(tmp_path / "plan.csv", plan)
    bad = tmp_path / "actuals.csv"
    bad.write_text("unit_id,direction,year,bn_kzt\nastana,agglomeration,2025,lots\n", encoding="utf-8")
    code = main(["monitor", "--scenario", str(SCENARIO), "--plan", str(plan_path), "--actuals", str(bad),
                 "--as-of", str(AS_OF), "--json", str(tmp_path / "m.json")])
    assert code == ExitCode.INVALID
    err = capsys.readouterr().err
    assert f"{bad}:2: bn_kzt: must be a non-negative number of billions of tenge ('lots')" in err
    assert "Traceback" not in err
    assert not (tmp_path / "m.json").exists()

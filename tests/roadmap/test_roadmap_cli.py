"""``roadmap roadmap``: files written, allocations read from CSV or JSON, and clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from roadmap_fixtures import ALLOCATION, SCENARIO

from engine.core.i18n import t
from engine.interfaces.cli import main


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO.format(name="'../Концепция: 2025/2027'"), encoding="utf-8")
    return path


def test_writes_every_format_from_a_csv_allocation(tmp_path, scenario_file, capsys):
    allocation = tmp_path / "allocation.csv"
    ALLOCATION.to_csv(allocation, index=False)
    out = tmp_path / "out"
    code = main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--allocation", str(allocation),
                 "--out", str(out), "--format", "xlsx,docx,pdf,md,json,csv", "--lang", "ru"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    stem = "roadmap_Концепция_2025_2027_ru"
    assert names == sorted(f"{stem}.{ext}" for ext in ("xlsx", "docx", "pdf", "md", "json", "csv"))
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / f"{stem}.{ext}") for ext in ("xlsx", "docx", "pdf", "md", "json", "csv")]
    doc = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert doc["allocation_note"] == t("note_allocation_file", "ru", name="allocation.csv")
    assert sum(m["total_bn_kzt"] for p in doc["parts"] for m in p["measures"]) == pytest.approx(
        ALLOCATION["bn_kzt"].sum())
    book = openpyxl.load_workbook(out / f"{stem}.xlsx")
    assert t("equity", "ru") in book.sheetnames
    assert docx.Document(str(out / f"{stem}.docx")).paragraphs[0].text.endswith("../Концепция: 2025/2027")


def test_reads_the_json_of_roadmap_solve(tmp_path, scenario_file):
    allocation = tmp_path / "solve.json"
    rows = [dict(r._asdict(), part="equity") for r in ALLOCATION.itertuples(index=False)]
    allocation.write_text(json.dumps({"status": "optimal", "allocation": rows}), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--allocation", str(allocation),
                 "--out", str(out), "--format", "json", "--lang", "kk"]) == 0
    doc = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
    assert doc["lang"] == "kk" and len(doc["parts"]) == 2
    # the file tagged everything 'equity'; the rules put Astana and Atyrau in the efficiency part and say so
    assert {m["unit_id"] for m in doc["parts"][1]["measures"]} == {"astana", "atyrau"}
    assert any("rules/roadmap.yaml" in w for w in doc["warnings"])


def test_formula_allocation_is_announced(tmp_path, scenario_file, capsys):
    out = tmp_path / "out"
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--formula", "--out", str(out),
                 "--format", "md", "--lang", "en"]) == 0
    assert "the allocation follows a formula" in capsys.readouterr().err
    text = next(out.iterdir()).read_text(encoding="utf-8")
    assert t("note_allocation_formula", "en").split(",")[0] in text


def test_bad_allocation_rows_are_named(tmp_path, scenario_file, capsys):
    allocation = tmp_path / "bad.csv"
    allocation.write_text("unit_id,direction,year,bn_kzt\nastana,agglomeration,2025,ten\n"
                          "atlantis,agglomeration,2025,1\n", encoding="utf-8")
    code = main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--allocation", str(allocation),
                 "--out", str(tmp_path / "out"), "--format", "json"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{allocation}:2: bn_kzt: must be a number of billions of tenge ('ten')" in err
    assert "Traceback" not in err
    allocation.write_text("unit_id,direction,year,bn_kzt\natlantis,agglomeration,2025,1\n", encoding="utf-8")
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--allocation", str(allocation),
                 "--out", str(tmp_path / "out"), "--format", "json"]) == 2
    assert "unit_id: unknown unit, or not existing in 2024 ('atlantis')" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unknown_format_and_language_are_refused(tmp_path, scenario_file, capsys):
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--formula", "--out", str(tmp_path),
                 "--format", "xlsx,exe"]) == 2
    assert "unknown or no export format" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--out", str(tmp_path), "--lang", "de"])
    assert info.value.code == 2


def test_default_allocation_is_the_optimizers(tmp_path, scenario_file):
    out = tmp_path / "out"
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario_file), "--out", str(out), "--format", "json"]) == 0
    doc = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
    assert doc["allocation_note"] == t("note_allocation_optimizer", "en", objective=t("obj_max_min_ratio", "en"))
    for year in ("2025", "2026", "2027"):  # the optimizer spends the whole yearly budget
        assert sum(p["budget_bn_kzt"][year] for p in doc["parts"]) == pytest.approx(80.0, rel=1e-6)
    assert doc["warnings"] == []  # its parts and the roadmap's rules agree, and the equity share holds
    assert doc["equity_share"] >= 0.3 - 1e-9


def test_a_scenario_without_a_plan_writes_nothing(tmp_path, capsys):
    scenario = tmp_path / "impossible.yaml"
    scenario.write_text(SCENARIO.format(name="impossible").replace("equity_share: 0.3", "equity_share: 0.3\n"
                        "directions: {agglomeration: {min: 0.7}, mobility: {min: 0.5}}"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["roadmap", "--no-reach", "--scenario", str(scenario), "--out", str(out), "--format", "json"]) == 3
    err = capsys.readouterr().err
    assert "no plan (status infeasible)" in err and "directions.agglomeration.min" in err
    assert not out.exists()


def test_the_roadmap_says_plainly_what_the_budget_cannot_move(tmp_path, scenario_file):
    out = tmp_path / "out"
    assert main(["roadmap", "--scenario", str(scenario_file), "--out", str(out), "--format", "json",
                 "--lang", "kk"]) == 0
    doc = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
    reach = {r["metric"]: r for r in doc["reach"]}
    assert set(reach) == {"max_min_ratio", "problem_regions"}
    ratio = reach["max_min_ratio"]
    assert ratio["with_plan"] <= ratio["without_policy"] and ratio["best_value"] <= ratio["with_plan"] + 1e-9
    small = [r for r in reach.values() if r["small"]]
    assert len([w for w in doc["warnings"] if w.startswith("Бұл бюджет")]) == len(small)
    for r in small:
        assert r["moved_share"] < 0.02

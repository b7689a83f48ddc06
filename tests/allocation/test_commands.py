"""``roadmap solve`` and ``roadmap frontier``: exit codes, the JSON interface, the MPS file, bad input."""

import json
import subprocess
import sys
from pathlib import Path

import highspy
import pytest

from engine.core.metrics import DISPARITY_METRIC_KEYS
from engine.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "data" / "scenarios"
PUBLIC_KEYS = {"status", "objective", "objective_value", "allocation", "metrics_before", "metrics_baseline",
               "metrics_after", "problem_regions_before", "problem_regions_baseline", "problem_regions_after",
               "budget_shadow_price", "binding_constraints", "explanations", "baselines"}
SHORT = """name: short
base_year: 2024
horizon: [2025, 2026]
budget_bn_kzt: 300
objective: maximin
equity_share: 0.6
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_concept_scenario_end_to_end_as_a_program(tmp_path):
    out_json, out_mps = tmp_path / "plan.json", tmp_path / "plan.mps"
    done = subprocess.run([sys.executable, "-m", "engine", "solve", "--scenario",
                           str(SCENARIOS / "concept_2025_2030.yaml"), "--json", str(out_json), "--mps", str(out_mps)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Scenario: Concept of Regional Development 2025-2030")
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(doc) >= PUBLIC_KEYS
    assert doc["status"] == "optimal" and doc["objective"] == "max_min_ratio"
    keys = set(DISPARITY_METRIC_KEYS) | {"problem_regions"}
    for name in ("metrics_before", "metrics_baseline", "metrics_after"):
        assert keys <= set(doc[name])
    assert {"unit_id", "direction", "year", "bn_kzt", "part"} == set(doc["allocation"][0])
    for year in range(2025, 2031):
        assert sum(r["bn_kzt"] for r in doc["allocation"] if r["year"] == year) == pytest.approx(500.0, abs=1e-5)
    assert doc["problem_regions_after"]["count"] == len(doc["problem_regions_after"]["units"])
    assert doc["budget_shadow_price"]["by_year"][0]["text"].startswith("One more billion tenge in 2025")
    from engine.allocation.baselines import FORMULAS

    assert [b["name"] for b in doc["baselines"]] == [f.name for f in FORMULAS]  # every formula, status quo too
    # an independent solver reading the MPS file finds the objective_value
    text = out_mps.read_text()
    assert text.startswith("OBJSENSE\n MAX\n")
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(out_mps)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert highs.getInfo().objective_function_value == pytest.approx(doc["objective_value"], rel=1e-6)


def test_infeasible_scenario_exits_3_with_the_json(tmp_path, capsys):
    out, mps = tmp_path / "inf.json", tmp_path / "elastic.mps"
    code, stdout, err = run(capsys, "solve", "--scenario", str(SCENARIOS / "infeasible_example.yaml"), "--json",
                            str(out), "--mps", str(mps))
    assert code == 3, err
    assert mps.read_text().startswith("OBJSENSE\n MIN\n")  # the last model solved: the elastic re-solve
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["status"] == "infeasible" and doc["allocation"] == []
    named = {rule for c in doc["conflicts"] for rule in c["rules"]}
    assert {"directions.agglomeration.min", "directions.mobility.min", "equity_share"} <= named
    assert doc["relaxations"] and all(r["by_bn"] > 0 for r in doc["relaxations"])
    assert "direction minimums add up to 110%" in stdout


@pytest.mark.parametrize(("text", "needle"), [
    (SHORT.replace("budget_bn_kzt:", "budjet_bn_kzt:"), "budjet_bn_kzt: unknown key; did you mean 'budget_bn_kzt'?"),
    (SHORT.replace("equity_share: 0.6", "equity_share: 1.5"), "equity_share: must be a share between 0 and 1"),
    (SHORT.replace("objective: maximin", "objective: fairness"), "objective: must be one of"),
    (SHORT + "unit_caps_bn_kzt: {atlantis: 5}\n", "unit_caps_bn_kzt.atlantis: unknown unit id"),
    (SHORT + "assumptions: {capital_return: 99}\n", "assumptions.capital_return: must lie within"),
    ("a: &a [1, 2, 3]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "YAML aliases and anchors"),
    ("just text", "a scenario must be a mapping"),
])
def test_invalid_scenarios_exit_2_naming_the_problem(tmp_path, capsys, text, needle):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "solve", "--scenario", str(path), "--json", str(tmp_path / "x.json"))
    assert code == 2
    assert needle in err
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(("argv", "needle"), [
    (["solve", "--scenario", "missing.yaml"], "missing.yaml"),
    (["solve", "--scenario", str(SCENARIOS / "concept_2025_2030.yaml"), "--time-limit", "-1"], "--time-limit"),
    (["solve", "--scenario", str(SCENARIOS / "concept_2025_2030.yaml"), "--solver", "gurobi"], "invalid choice"),
    (["frontier", "--scenario", str(SCENARIOS / "concept_2025_2030.yaml"), "--points", "1"], "--points"),
    (["solve", "--scenario", str(SCENARIOS / "concept_2025_2030.yaml"), "--json", "/no/such/folder/x.json"],
     "does not exist"),
])
def test_bad_arguments_exit_2(capsys, argv, needle):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    _, err = capsys.readouterr()
    assert code == 2
    assert needle in err and "Traceback" not in err


def test_frontier_command(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SHORT.replace("objective: maximin", "objective: shortfall"), encoding="utf-8")
    out = tmp_path / "f.json"
    code, stdout, _ = run(capsys, "frontier", "--scenario", str(path), "--points", "4", "--json", str(out))
    assert code == 0 and "4 points" in stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["equity_metric"] == "shortfall" and len(doc["points"]) == 4
    for point in doc["points"]:
        assert {"equity_value", "national_growth", "by_direction", "by_part"} <= set(point)


def test_cbc_and_time_limit_options(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SHORT, encoding="utf-8")
    out = tmp_path / "s.json"
    code, _, _ = run(capsys, "solve", "--scenario", str(path), "--solver", "cbc", "--time-limit", "60",
                     "--json", str(out))
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["solver"] == "cbc" and doc["status"] == "optimal"


def test_every_example_scenario_is_valid_for_the_default_data(kz_ctx, kz_levers):
    from engine.core.scenario import OBJECTIVES, load_scenario

    found = set()
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path, kz_levers, set(kz_ctx.dataset.units_in_year(2024)))
        found.add(scenario.objective)
    assert found == set(OBJECTIVES)
    concept = load_scenario(SCENARIOS / "concept_2025_2030.yaml", kz_levers)
    assert (concept.base_year, concept.horizon, concept.objective, concept.equity_share) == (
        2024, (2025, 2030), "max_min_ratio", 0.6)
    assert concept.total_budget == 3000.0

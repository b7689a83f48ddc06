"""``roadmap scenario ...`` and ``roadmap workshop ...`` through the real command line entry point."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from engine.core.scenario import scenario_from_text
from engine.interfaces.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path, scenario_text):
    scenario = tmp_path / "concept.yaml"
    scenario.write_text(scenario_text, encoding="utf-8")
    result = tmp_path / "result.json"
    result.write_text('{"max_min_ratio": 12.1}', encoding="utf-8")
    return scenario, result


def test_scenario_save_list_show(capsys, files, db_url):
    scenario, result = files
    code, out, _ = run(capsys, "scenario", "save", "--db", db_url, "--name", "Base", "--file", str(scenario),
                       "--result", str(result), "--by", "Aigerim")
    assert code == 0 and "Saved scenario 'Base' (id 1, version 1, with its result)" in out
    assert run(capsys, "scenario", "save", "--db", db_url, "--name", "Other", "--file", str(scenario))[0] == 0
    code, out, _ = run(capsys, "scenario", "list", "--db", db_url, "--json")
    listed = json.loads(out)
    assert code == 0 and [s["name"] for s in listed] == ["Base", "Other"]
    assert {k: listed[0][k] for k in ("id", "name", "version", "objective", "base_year", "horizon")} == {
        "id": 1, "name": "Base", "version": 1, "objective": "max_min_ratio", "base_year": 2024,
        "horizon": [2025, 2030]}
    assert listed[0]["updated_at"].endswith("+00:00") and listed[0]["updated_by"] == "Aigerim"
    code, out, _ = run(capsys, "scenario", "show", "--db", db_url, "--name", "Base")
    assert code == 0 and out == scenario.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "scenario", "show", "--db", db_url, "--id", "2", "--json")
    assert json.loads(out)["name"] == "Other"


def test_scenario_list_reads_the_url_from_the_environment(capsys, files, sqlite_url, monkeypatch):
    monkeypatch.setenv("ROADMAP_DB", sqlite_url)
    assert run(capsys, "scenario", "save", "--file", str(files[0]))[0] == 0
    assert [s["name"] for s in json.loads(run(capsys, "scenario", "list", "--json")[1])] == ["Concept 2025-2030"]


def test_scenario_errors_exit_2_with_a_message_and_save_nothing(capsys, files, sqlite_url, tmp_path):
    scenario, _ = files
    bad = tmp_path / "bad.yaml"
    bad.write_text(scenario.read_text().replace("objective: max_min_ratio", "objective: fairness"), encoding="utf-8")
    code, _, err = run(capsys, "scenario", "save", "--db", sqlite_url, "--file", str(bad))
    assert code == 2 and f"{bad}: objective: must be one of" in err and "Traceback" not in err
    assert json.loads(run(capsys, "scenario", "list", "--db", sqlite_url, "--json")[1]) == []
    code, _, err = run(capsys, "scenario", "save", "--db", sqlite_url, "--file", str(tmp_path / "missing.yaml"))
    assert code == 2 and "missing.yaml: file not found" in err
    run(capsys, "scenario", "save", "--db", sqlite_url, "--file", str(scenario))
    code, _, err = run(capsys, "scenario", "save", "--db", sqlite_url, "--file", str(scenario))
    assert code == 2 and "already exists (version 1" in err
    code, out, _ = run(capsys, "scenario", "save", "--db", sqlite_url, "--file", str(scenario),
                       "--expected-version", "1")
    assert code == 0 and "version 2" in out
    code, _, err = run(capsys, "scenario", "show", "--db", sqlite_url, "--name", "nope")
    assert code == 2 and "no saved scenario with name 'nope'" in err
    code, _, err = run(capsys, "scenario", "list", "--db", "oracle://x/y")
    assert code == 2 and "only SQLite and PostgreSQL" in err


def test_workshop_session_from_the_command_line(capsys, files, sqlite_url, tmp_path, monkeypatch):
    scenario, _ = files
    code, out, _ = run(capsys, "workshop", "create", "--db", sqlite_url, "--name", "Akmola", "--template",
                       str(scenario), "--budget", "400", "--json")
    created = json.loads(out)
    assert code == 0 and created["status"] == "open" and created["budget_bn_kzt"] == 400.0
    key, join_code = created["facilitator_key"], created["join_code"]
    tokens = []
    for name, role, weights in (("Dana", "government", "5,1,1,3"), ("Bolat", "business", "2,5,2,1"),
                                ("Aigerim", "population", "agglomeration=1,peripheral_compression=2,mobility=6,"
                                                          "interaction=1")):
        code, out, _ = run(capsys, "workshop", "join", "--db", sqlite_url, "--code", join_code, "--name", name,
                           "--role", role)
        token = re.search(r"token .*: (\S+)", out).group(1)
        tokens.append(token)
        code, out, _ = run(capsys, "workshop", "submit", "--db", sqlite_url, "--token", token, "--weights", weights,
                           "--equity-share", "0.6")
        assert code == 0 and "version 1" in out
    code, _, err = run(capsys, "workshop", "submit", "--db", sqlite_url, "--token", tokens[0], "--weights", "1,1,1",
                       "--equity-share", "0.5")
    assert code == 2 and "--weights: give 4 numbers" in err
    monkeypatch.setenv("ROADMAP_FACILITATOR_KEY", key)
    code, out, _ = run(capsys, "workshop", "aggregate", "--db", sqlite_url, "--json")
    assert code == 0 and json.loads(out)["weights"]["interaction"] == pytest.approx(1 / 7)
    assert "mobility:\n    min: 0.235714\n    max: 0.335714" in json.loads(out)["scenario_yaml"]
    code, out, _ = run(capsys, "workshop", "aggregate", "--db", sqlite_url, "--json", "--fit-capacity")
    fitted = scenario_from_text(json.loads(out)["scenario_yaml"])
    assert code == 0 and fitted.bounds("mobility").max < 0.2  # mobility absorbs about 10% of this budget
    assert fitted.bounds("agglomeration").min > 0.3
    code, out, _ = run(capsys, "workshop", "candidate", "--db", sqlite_url, "--aggregate")
    assert code == 0 and "Added candidate 1: Median of 3 submissions (aggregate)" in out
    run(capsys, "workshop", "candidate", "--db", sqlite_url, "--participants")
    code, out, _ = run(capsys, "workshop", "vote", "--db", sqlite_url, "--token", tokens[1], "--ranking", "3,1")
    assert code == 0
    code, out, _ = run(capsys, "workshop", "ranking", "--db", sqlite_url, "--json")
    ranking = json.loads(out)
    assert ranking["ballots"] == 1 and ranking["ranking"][0]["id"] == 3 and ranking["ranking"][0]["points"] == 3
    code, out, _ = run(capsys, "workshop", "adopt", "--db", sqlite_url, "--candidate", "3", "--expected-version", "1")
    assert code == 0 and "adopted saved scenario 1" in out
    code, out, _ = run(capsys, "workshop", "list", "--db", sqlite_url, "--json")
    listed = json.loads(out)
    assert [(w["name"], w["participants"], w["submissions"], w["status"]) for w in listed] == \
        [("Akmola", 3, 3, "adopted")]
    assert key not in out and join_code not in out
    target = tmp_path / "export.csv"
    code, out, _ = run(capsys, "workshop", "export", "--db", sqlite_url, "--format", "csv", "--out", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert code == 0 and [r["section"] for r in rows].count("submission") == 3
    code, out, _ = run(capsys, "workshop", "export", "--db", sqlite_url)
    assert json.loads(out)["adopted"]["id"] == 1
    monkeypatch.delenv("ROADMAP_FACILITATOR_KEY")
    code, _, err = run(capsys, "workshop", "export", "--db", sqlite_url)
    assert code == 2 and "give the facilitator key with --key or $ROADMAP_FACILITATOR_KEY" in err
    code, _, err = run(capsys, "workshop", "export", "--db", sqlite_url, "--key", tokens[0])
    assert code == 2 and "facilitator key does not open any workshop" in err

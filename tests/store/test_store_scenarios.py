"""Saved scenarios: checked before saving, versioned, saved with their result in one transaction."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

import engine.store.scenarios as scenarios_module
from engine.core.errors import ScenarioError
from engine.store import (
    ConflictError,
    NotFoundError,
    StoreError,
    get_scenario,
    latest_result,
    list_scenarios,
    save_result,
    save_scenario,
    schema,
    update_scenario,
)
from engine.store.db import read_transaction


def _rows(store) -> tuple[int, int]:
    with read_transaction(store) as conn:
        scenarios = conn.execute(sa.select(sa.func.count()).select_from(schema.scenarios)).scalar_one()
        results = conn.execute(sa.select(sa.func.count()).select_from(schema.results)).scalar_one()
    return int(scenarios), int(results)


def test_save_list_show_round_trip(store, scenario_text):
    saved = save_scenario(store, scenario_text, saved_by="Aigerim", label="draft", result={"ratio": 12.5})
    assert (saved.name, saved.version, saved.objective, saved.base_year, saved.horizon) == \
        ("Concept 2025-2030", 1, "max_min_ratio", 2024, (2025, 2030))
    assert saved.updated_by == "Aigerim" and saved.label == "draft"
    assert saved.created_at.tzinfo is not None
    other = save_scenario(store, scenario_text, name="Variant B")
    assert [s.name for s in list_scenarios(store)] == ["Concept 2025-2030", "Variant B"]
    assert get_scenario(store, name="Variant B") == other
    assert get_scenario(store, saved.id).yaml == scenario_text
    assert get_scenario(store, saved.id).scenario().equity_share == 0.6
    result = latest_result(store, saved.id)
    assert result is not None and result.result == {"ratio": 12.5} and result.scenario_version == 1
    assert latest_result(store, other.id) is None
    summary = saved.summary()
    assert {k: summary[k] for k in ("id", "name", "version", "objective", "base_year", "horizon")} == {
        "id": saved.id, "name": "Concept 2025-2030", "version": 1, "objective": "max_min_ratio",
        "base_year": 2024, "horizon": [2025, 2030]}


def test_invalid_yaml_is_refused_and_nothing_is_saved(store, scenario_text):
    with pytest.raises(ScenarioError) as info:
        save_scenario(store, scenario_text.replace("budget_bn_kzt", "budjet_bn_kzt"), source="plan.yaml")
    assert "plan.yaml: budjet_bn_kzt: unknown key; did you mean 'budget_bn_kzt'?" in str(info.value)
    with pytest.raises(ScenarioError, match="capital_return: must lie within"):
        save_scenario(store, scenario_text + "assumptions: {capital_return: 50}\n")
    assert _rows(store) == (0, 0)


def test_a_taken_name_is_not_overwritten_without_the_version_read(store, scenario_text):
    first = save_scenario(store, scenario_text, saved_by="Aigerim")
    with pytest.raises(ConflictError, match=r"already exists \(version 1, saved by Aigerim at .* UTC\); nothing was "
                                            r"saved.*--expected-version 1"):
        save_scenario(store, scenario_text.replace("0.6", "0.7"), saved_by="Bolat")
    second = save_scenario(store, scenario_text.replace("0.6", "0.7"), expected_version=1, saved_by="Bolat")
    assert second.id == first.id and second.version == 2
    with pytest.raises(ConflictError, match=r"was changed by Bolat at .* \(now version 2\) since you read version 1"):
        save_scenario(store, scenario_text.replace("0.6", "0.8"), expected_version=1, saved_by="Aigerim")
    assert get_scenario(store, first.id).scenario().equity_share == 0.7
    with pytest.raises(NotFoundError, match="no scenario named 'Nowhere' to update"):
        save_scenario(store, scenario_text, name="Nowhere", expected_version=3)


def test_two_people_editing_the_same_scenario(store, scenario_text):
    saved = save_scenario(store, scenario_text, saved_by="planner")
    # both read version 1
    update_scenario(store, saved.id, scenario_text.replace("max_min_ratio", "maximin"), expected_version=1,
                    saved_by="Aigerim")
    with pytest.raises(ConflictError) as info:
        update_scenario(store, saved.id, scenario_text.replace("0.6", "0.9"), expected_version=1, saved_by="Bolat")
    assert "changed by Aigerim" in str(info.value) and "now version 2" in str(info.value)
    final = get_scenario(store, saved.id)
    assert (final.version, final.objective, final.updated_by) == (2, "maximin", "Aigerim")
    with pytest.raises(NotFoundError):
        update_scenario(store, 999, scenario_text, expected_version=1)


def test_a_save_interrupted_midway_leaves_no_partial_scenario(store, scenario_text, monkeypatch):
    save_scenario(store, scenario_text, name="kept", result={"v": 1})

    def fail(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(scenarios_module, "insert_result", fail)
    with pytest.raises(OSError):
        save_scenario(store, scenario_text, name="new one", result={"v": 2})
    with pytest.raises(OSError):
        save_scenario(store, scenario_text.replace("0.6", "0.1"), name="kept", expected_version=1, result={"v": 3})
    monkeypatch.undo()
    assert [s.name for s in list_scenarios(store)] == ["kept"]
    kept = get_scenario(store, name="kept")
    assert kept.version == 1 and "0.6" in kept.yaml and _rows(store) == (1, 1)


def test_results_belong_to_the_version_they_were_computed_from(store, scenario_text):
    saved = save_scenario(store, scenario_text)
    save_result(store, saved.id, {"ratio": 10}, scenario_version=1)
    update_scenario(store, saved.id, scenario_text.replace("0.6", "0.5"), expected_version=1, result={"ratio": 9})
    with pytest.raises(ConflictError, match="computed from version 1 .* saved version 2"):
        save_result(store, saved.id, {"ratio": 11}, scenario_version=1)
    assert latest_result(store, saved.id).result == {"ratio": 9}
    assert latest_result(store, saved.id, scenario_version=1).result == {"ratio": 10}


@pytest.mark.parametrize("bad", [{"x": math.nan}, {"x": math.inf}, {"x": object()}])
def test_results_json_cannot_hold_are_refused(store, scenario_text, bad):
    with pytest.raises(StoreError, match="cannot be saved as JSON"):
        save_scenario(store, scenario_text, result=bad)
    assert _rows(store) == (0, 0)


def test_unknown_scenarios_and_bad_names(store, scenario_text):
    with pytest.raises(NotFoundError, match="no saved scenario with id 5"):
        get_scenario(store, 5)
    with pytest.raises(NotFoundError, match="name 'x'"):
        get_scenario(store, name="x")
    with pytest.raises(StoreError, match="1 to 200 characters"):
        save_scenario(store, scenario_text, name=" ")
    with pytest.raises(StoreError, match="1 to 200 characters"):
        save_scenario(store, scenario_text, name="n" * 201)


def test_unicode_names_and_text_round_trip(store, scenario_text):
    text = scenario_text.replace("Concept 2025-2030", "Өңірлік даму — Региональное развитие")
    saved = save_scenario(store, text, owner="Әсел")
    again = get_scenario(store, name="Өңірлік даму — Региональное развитие")
    assert again.yaml == text and again.owner == "Әсел" and again.id == saved.id

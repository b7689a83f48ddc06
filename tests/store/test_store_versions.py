"""Scenario versions: a revised plan adopted as a new version keeps the previous version and its result."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engine.store import ConflictError, open_store, save_scenario, schema
from engine.store.db import read_transaction, write_transaction
from engine.store.migrations import MIGRATIONS, upgrade_schema
from engine.store.versions import adopt_revised_plan, all_versions, get_version, list_versions

REVISED = {"schema": "kz-regional-roadmap/monitor/1", "as_of": 2026,
           "replan": {"status": "optimal", "allocation": [
               {"unit_id": "astana", "direction": "agglomeration", "year": 2027, "bn_kzt": 12.5}]}}


def test_a_revised_plan_is_a_new_version_and_the_previous_is_kept(store, scenario_text):
    first = save_scenario(store, scenario_text, result={"allocation": [], "note": "the plan signed"},
                          saved_by="planner")
    adopted = adopt_revised_plan(store, first.id, first.version, REVISED, saved_by="akimat")
    assert adopted.version == first.version + 1
    assert adopted.label == "revised as of 2026"
    versions = list_versions(store, first.id)
    assert [(v.version, v.current) for v in versions] == [(1, False), (2, True)]
    previous, current = versions
    assert previous.yaml == scenario_text and previous.result == {"allocation": [], "note": "the plan signed"}
    assert previous.saved_by == "planner"
    assert current.result["replan"]["allocation"][0]["bn_kzt"] == 12.5
    assert get_version(store, first.id, 1).yaml == scenario_text
    assert [v.title for v in all_versions(store)][-1].endswith("v2 (revised as of 2026)")


def test_adopting_on_a_stale_version_is_refused_and_nothing_is_saved(store, scenario_text):
    first = save_scenario(store, scenario_text)
    adopt_revised_plan(store, first.id, first.version, REVISED)
    with pytest.raises(ConflictError, match="since you read version 1"):
        adopt_revised_plan(store, first.id, first.version, REVISED)
    assert len(list_versions(store, first.id)) == 2


def test_migration_3_comes_after_the_workshops():
    assert [m.version for m in MIGRATIONS][-1] == 3
    assert "scenario_versions" in {t.name for t in schema.metadata.sorted_tables}


def test_upgrade_from_version_2_keeps_the_scenarios(sqlite_url, scenario_text):
    with open_store(sqlite_url) as store:
        saved = save_scenario(store, scenario_text)
        with write_transaction(store) as conn:  # back to schema 2: no versions table
            conn.execute(schema.scenario_versions.delete())
            conn.execute(sa.text("DROP TABLE scenario_versions"))
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version == 3))
        assert upgrade_schema(store) == 3
        with read_transaction(store) as conn:
            assert sa.inspect(conn).has_table("scenario_versions")
        adopt_revised_plan(store, saved.id, saved.version, REVISED)
        assert [v.version for v in list_versions(store, saved.id)] == [1, 2]

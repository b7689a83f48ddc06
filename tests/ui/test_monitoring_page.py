"""Monitoring page: renders in kk, ru and en; plan against actual from uploaded spending; the revised plan
adopted as a new version of the scenario with the previous version kept."""

from __future__ import annotations

import pytest

from engine.core.i18n import LANGUAGES, t
from engine.interfaces import app_api, monitoring_api
from engine.store import list_scenarios, open_store
from engine.store.versions import list_versions
from ui.keys import Key

PAGE = "ui/pages/monitoring.py"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'monitoring.sqlite'}"
    monkeypatch.setenv("ROADMAP_DB", url)
    return url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_monitoring_renders_in_every_language(app, open_page, db_url, lang):
    open_page(PAGE, lang)
    assert not app.exception
    assert app.title[0].value == t("page_monitoring", lang)
    assert app.button(key=Key.MON_RUN).label == t("mon_run", lang)
    assert app.button(key=Key.MON_RUN).disabled  # nothing uploaded yet
    assert app.checkbox(key=Key.MON_CARRY).label == t("mon_carry_over_label", lang)


def test_monitor_upload_and_adopt_keep_the_previous_version(db_url):
    """What the page runs in a worker, and what its adopt button saves (AppTest cannot upload a file)."""
    from engine.store import save_scenario
    from engine.store.versions import adopt_revised_plan

    yaml_text = app_api.default_scenario_yaml()
    plan = _plan(yaml_text)
    actuals = "unit_id,direction,year,bn_kzt\n" + "".join(
        f"{r['unit_id']},{r['direction']},{r['year']},{r['bn_kzt'] * 0.9:.3f}\n" for r in plan if r["year"] == 2025)
    result = monitoring_api.monitor_upload(yaml_text, actuals.encode(), "actuals.csv", 2025, carry_over=True,
                                           plan=plan, lang="ru")
    assert result["replan"]["status"] == "optimal"
    assert "Запланировано и исполнено" in result["report_md"]
    assert result["report_docx"][:2] == b"PK"
    with open_store(db_url) as store:
        saved = save_scenario(store, yaml_text, result={"allocation": result["plan_allocation"]})
        payload = {k: v for k, v in result.items() if k not in ("report_docx", "report_md", "kpi_series")}
        adopted = adopt_revised_plan(store, saved.id, saved.version, payload)
        assert adopted.version == 2 and len(list_scenarios(store)) == 1
        versions = list_versions(store, saved.id)
        assert monitoring_api.plan_rows(versions[0].result) == result["plan_allocation"]
        assert monitoring_api.plan_rows(versions[1].result) == result["replan"]["allocation"]


def test_bad_actuals_are_refused_with_the_row_named():
    from engine.core.errors import DataValidationError

    with pytest.raises(DataValidationError, match="actuals.csv:2: unit_id: unknown unit"):
        monitoring_api.monitor_upload(app_api.default_scenario_yaml(),
                                      b"unit_id,direction,year,bn_kzt\natlantis,mobility,2025,1\n", "actuals.csv",
                                      2025, plan=[{"unit_id": "astana", "direction": "agglomeration", "year": 2025,
                                                   "bn_kzt": 1.0}])


def _plan(yaml_text):
    from engine.allocation import optimize
    from engine.interfaces import studies

    ctx = studies.default_context()
    study = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, "default").study
    frame = optimize(study).allocation_frame()
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]

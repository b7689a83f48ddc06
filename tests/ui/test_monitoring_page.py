"""Monitoring page: renders in kk, ru and en; plan against actual from uploaded spending; the revised plan
adopted as a new version of the scenario with the previous version kept."""

from __future__ import annotations

import pytest

from engine.core.i18n import LANGUAGES, indicator_name, t
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
        # the new version's scenario holds the spent year: a workshop on it keeps 2025 as it was spent
        from engine.core.scenario import scenario_from_text
        from engine.interfaces.workshop_api import plan_for_priorities, stored_templates

        revised = scenario_from_text(versions[1].yaml, "v2")
        assert revised.progress is not None and revised.progress.as_of == 2025
        template = stored_templates(store)[f"store:{saved.id}:2"][1]
        workshop = plan_for_priorities(template, 700.0, {"agglomeration": 1, "peripheral_compression": 1,
                                                         "mobility": 1, "interaction": 1}, 0.5)
        assert workshop.solved
        spent = {(r["unit_id"], r["direction"]): r["bn_kzt"] * 0.9 for r in plan if r["year"] == 2025}
        assert scenario_from_text(workshop.scenario_yaml, "w").progress == revised.progress
        got = {(r["unit_id"], r["direction"]): r["bn_kzt"] for r in _plan(workshop.scenario_yaml) if r["year"] == 2025}
        assert {k for k, v in got.items() if v > 1e-9} == {k for k, v in spent.items() if v >= 5e-4}
        assert all(abs(got[k] - round(spent[k], 3)) < 1e-6 for k in got)


def test_the_page_shows_plan_against_actual_and_the_replan_in_the_language(app, open_page, db_url):
    """Actuals and observed values uploaded on the page: the tables name regions, directions and columns in
    Russian (no raw ids), and the replan says what it was moved to."""
    yaml_text = app_api.default_scenario_yaml()
    plan = _plan(yaml_text)
    actuals = "unit_id,direction,year,bn_kzt\n" + "".join(
        f"{r['unit_id']},{r['direction']},{r['year']},{r['bn_kzt'] * 0.8:.3f}\n" for r in plan if r["year"] == 2025)
    observed = ("unit_id,year,indicator,value,unit,source\n"
                "turkistan,2025,grp_per_capita,1500,thousand KZT per person,akimat report\n")
    open_page(PAGE, "ru")
    app.selectbox(key=Key.MON_AS_OF).set_value(2025)
    app.file_uploader(key=Key.MON_ACTUALS).set_value(("actuals.csv", actuals.encode(), "text/csv"))
    app.file_uploader(key=Key.MON_INDICATORS).set_value(("observed.csv", observed.encode(), "text/csv")).run()
    app.button(key=Key.MON_RUN).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    frames = [d.value for d in app.dataframe]
    columns = {str(c) for f in frames for c in f.columns}
    assert {t("region", "ru"), t("mon_col_observed", "ru"), t("mon_col_shift", "ru")} <= columns
    assert not columns & {"unit_id", "direction", "observed", "shift", "budget_bn"}
    cells = {str(v) for f in frames for v in f.to_numpy().ravel()}
    assert "turkistan" not in cells and "mobility" not in cells
    said = t("mon_rebased_intro", "ru", indicator=indicator_name("grp_per_capita", "ru"))
    assert any(c.value == said for c in app.caption)


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

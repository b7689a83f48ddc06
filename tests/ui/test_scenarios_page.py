"""Scenarios page: save (session and store), download, upload, load from the store, and compare."""

import pytest

from engine.core.i18n import LANGUAGES, t
from engine.interfaces import app_api
from engine.store import list_scenarios, open_store
from ui.keys import Key

PAGE = "ui/pages/scenarios.py"


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scenarios.sqlite'}"
    monkeypatch.setenv("ROADMAP_DB", url)
    return url


def other_scenario(name="Lean budget", budget=200):
    fields = app_api.scenario_fields(app_api.default_scenario_yaml())
    return app_api.scenario_yaml({**fields, "name": name, "budget_bn_kzt": budget})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scenarios_renders_in_every_language(app, open_page, db_url, lang):
    open_page(PAGE, lang)

    assert not app.exception
    assert app.title[0].value == t("page_scenarios", lang)
    assert app.button(key=Key.SCENARIO_SAVE).label == t("save_scenario", lang)
    assert app.code[0].value.startswith("name: Concept of Regional Development 2025-2030")


def test_save_keeps_the_scenario_in_the_session_and_the_store(app, open_page, db_url):
    open_page(PAGE)

    app.text_input(key=Key.SCENARIO_NAME).set_value("Plan A").run()
    app.button(key=Key.SCENARIO_SAVE).click().run()

    assert not app.exception
    assert "Plan A" in app.session_state[Key.SAVED]
    stored = {s.name: s for s in list_scenarios(open_store(db_url))}
    assert stored["Plan A"].version == 1
    assert "name: Plan A" in stored["Plan A"].yaml


def test_saving_a_taken_name_is_a_conflict_unless_replacing(app, open_page, db_url):
    open_page(PAGE)
    app.text_input(key=Key.SCENARIO_NAME).set_value("Plan A").run()
    app.button(key=Key.SCENARIO_SAVE).click().run()

    app.button(key=Key.SCENARIO_SAVE).click().run()

    assert not app.exception
    assert app.warning[0].value == t("store_conflict", "en")
    assert any("already exists" in x.value for x in app.text)

    app.checkbox(key=Key.SCENARIO_OVERWRITE).check().run()
    app.button(key=Key.SCENARIO_SAVE).click().run()

    assert not app.warning
    assert {s.name: s.version for s in list_scenarios(open_store(db_url))}["Plan A"] == 2


def test_upload_a_yaml_scenario(app, open_page, db_url):
    open_page(PAGE)

    app.file_uploader(key=Key.SCENARIO_UPLOAD).set_value(
        ("lean.yaml", other_scenario().encode("utf-8"), "application/x-yaml")).run()

    assert not app.exception
    assert "Lean budget" in app.session_state[Key.SAVED]


def test_a_bad_upload_names_the_problem(app, open_page, db_url):
    open_page(PAGE, "ru")

    bad = b"name: x\nbase_year: 2024\nhorizon: [2025, 2030]\nbudjet_bn_kzt: 5\n"
    app.file_uploader(key=Key.SCENARIO_UPLOAD).set_value(("bad.yaml", bad, "application/x-yaml")).run()

    assert not app.exception
    assert app.error
    problems = "\n".join(x.value for x in app.text)
    # in the page's language: the key's place stays as in the file
    assert "bad.yaml: budjet_bn_kzt: неизвестный ключ; возможно, имелось в виду 'budget_bn_kzt'?" in problems
    assert "нет обязательного ключа" in problems and "unknown key" not in problems
    assert not app.session_state[Key.SAVED]


def test_an_upload_over_one_megabyte_is_refused(app, open_page, db_url):
    open_page(PAGE)

    big = other_scenario().encode("utf-8") + b"#" * (1024 * 1024)
    app.file_uploader(key=Key.SCENARIO_UPLOAD).set_value(("big.yaml", big, "application/x-yaml")).run()

    assert not app.exception
    assert any("larger than 1 MB" in x.value for x in app.text)
    assert not app.session_state[Key.SAVED]


def test_names_are_shown_as_plain_text(app, open_page, db_url):
    open_page(PAGE)
    name = "[click](javascript:alert(1)) <script>x</script>"

    app.file_uploader(key=Key.SCENARIO_UPLOAD).set_value(
        ("x.yaml", other_scenario(name).encode("utf-8"), "application/x-yaml")).run()

    assert not app.exception
    assert any(x.value == name for x in app.text)
    assert not any("javascript:" in m.value and "\\:" not in m.value for m in app.markdown)


def test_load_from_the_store_and_use_it(app, open_page, db_url):
    from engine.store import save_scenario

    save_scenario(open_store(db_url), other_scenario("Stored plan", 300), saved_by="test")
    open_page(PAGE)

    app.selectbox(key=Key.STORE_PICK).set_value("Stored plan").run()
    app.button(key=Key.STORE_ADD).click().run()
    app.button(key=f"{Key.SCENARIO_USE}_0").click().run()
    app.switch_page("ui/pages/whatif.py").run()

    assert not app.exception
    assert app.session_state[Key.RESULT]["scenario"]["name"] == "Stored plan"
    assert app.number_input(key=Key.BUDGET).value == 300.0


def test_compare_two_scenarios_side_by_side(app, open_page, db_url):
    open_page(PAGE)
    app.file_uploader(key=Key.SCENARIO_UPLOAD).set_value(
        ("lean.yaml", other_scenario().encode("utf-8"), "application/x-yaml")).run()

    app.multiselect(key=Key.COMPARE).set_value([t("current_scenario", "en"), "Lean budget"]).run()

    assert not app.exception
    tables = [d.value for d in app.dataframe]
    assert all(list(tb.columns) == [t("current_scenario", "en"), "Lean budget"] for tb in tables)
    spent = tables[1].loc[t("spent_bn", "en")]
    assert list(spent) == ["3,000.0", "1,200.0"]
    assert len(app.get("plotly_chart")) == 5  # four criteria by year and the allocation by direction and part

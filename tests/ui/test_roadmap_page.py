"""Roadmap page: both parts, KPIs and priorities in the session's language, and a download for every export."""

import io

import openpyxl
import pytest

from engine.core.i18n import LANGUAGES, t
from engine.interfaces import app_api
from engine.roadmap import EXPORT_FORMATS
from ui.components import plain
from ui.keys import Key

PAGE = "ui/pages/roadmap.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_roadmap_renders_in_every_language(app, open_page, lang):
    open_page(PAGE, lang)

    assert not app.exception
    assert app.title[0].value == t("page_roadmap", lang)
    sections = [e.label for e in app.expander]  # headings are escaped markdown
    for key in ("part_equity_title", "part_efficiency_title", "priorities_title", "kpi"):
        assert plain(t(key, lang)) in sections
    buttons = {b.key: b.label for b in app.get("download_button")}
    assert buttons == {f"{Key.ROADMAP_DOWNLOAD}_{fmt}": t("download_format", lang, fmt=fmt.upper())
                       for fmt in EXPORT_FORMATS}


def test_roadmap_lists_measures_with_their_budgets(app, open_page):
    open_page(PAGE)

    tables = [d.value for d in app.dataframe]
    measures = [tb for tb in tables if t("instrument", "en") in tb.columns]
    assert len(measures) == 2  # one table of measures per part
    kpis = [tb for tb in tables if "2030" in tb.columns and t("region", "en") in tb.columns]
    assert kpis


def test_infeasible_scenario_has_no_roadmap_but_a_message(app, open_page):
    open_page(PAGE)
    app.switch_page("ui/pages/whatif.py").run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_agglomeration").set_value((0.6, 1.0)).run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_mobility").set_value((0.5, 1.0)).run()

    app.switch_page(PAGE).run()

    assert not app.exception
    assert app.error[0].value == t("roadmap_no_plan", "en")
    assert not app.get("download_button")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_download_is_the_plan_in_the_sessions_language(lang):
    yaml_text = app_api.default_scenario_yaml()
    name, mime, data = app_api.export_plan(yaml_text, lang, "xlsx")

    assert name.endswith(f"_{lang}.xlsx") and mime.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    text = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert t("part_equity_title", lang) in text

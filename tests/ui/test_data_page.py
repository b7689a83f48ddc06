import re

from engine.core.i18n import t
from ui.keys import Key


def test_diagnosis_is_the_default_page_and_speaks_russian_first(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Диагностика"
    assert app.metric[0].value.replace("\u00a0", " ")  # the max/min ratio is shown


def test_language_switch_changes_labels(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("kk").run()
    assert app.title[0].value == "Диагностика"
    assert app.selectbox(key=Key.DIAG_YEAR).label == "Жыл"
    app.sidebar.selectbox(key=Key.LANG).set_value("en").run()
    assert app.selectbox(key=Key.DIAG_YEAR).label == "Year"


def test_data_page_lists_units_and_sources(app):
    app.run()
    app.switch_page("ui/pages/data.py").run()
    assert not app.exception
    assert app.title[0].value == "Данные"
    assert len(app.dataframe) >= 2


def test_diagnosis_year_2019_shows_the_article_gap(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("en").run()
    app.selectbox(key=Key.DIAG_YEAR).set_value(2019).run()
    assert not app.exception
    assert app.metric[0].value == "14.47"
    assert app.metric[3].value == "8"


def test_diagnosis_shows_the_backtest_table_in_kazakh(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("kk").run()
    app.toggle(key=Key.DIAG_BACKTEST).set_value(True).run()
    assert not app.exception
    table = app.dataframe[-1].value
    assert list(table.columns[:3]) == ["Әдіс", "MAPE, %", "Макс/мин қатесі, %"]
    methods = list(table.iloc[:, 0])
    assert methods[0] == "Қозғалтқыштың базалық болжамы (әдепкі)"  # the default ranks first
    assert "Өзгеріссіз (соңғы мән)" in methods and len(methods) == 6
    assert any("Бета-жақындасу" in m.value for m in app.markdown)


def test_a_bad_upload_is_explained_in_kazakh(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("kk").run()
    app.switch_page("ui/pages/data.py").run()
    bad = ("unit_id,year,indicator,value\n"
           "atlantis,2024,grp_per_capita,100\n"       # 2 no such unit
           "almaty_city,2024,grp_per_capita,lots\n"    # 3 not a number
           "almaty_city,2024,grp_per_capitaa,5\n"      # 4 a misspelt indicator
           "almaty_city,1800,grp_per_capita,5\n")      # 5 a year outside the range
    app.file_uploader(key=Key.UPLOAD).set_value(("bad.csv", bad.encode(), "text/csv")).run()

    assert not app.exception
    assert app.error
    shown = "\n".join(x.value for x in app.text)
    assert "bad.csv:2: unit_id: белгісіз бірлік: мұндай идентификаторы не атауы бар аумақтық бірлік жоқ ('atlantis')" \
        in shown
    assert "bad.csv:3: value: сан емес ('lots')" in shown
    assert "белгісіз көрсеткіш: " in shown and "'grp_per_capita' деп жазғыңыз келді ме?" in shown
    assert "bad.csv:5: year: жыл " in shown
    assert "unknown" not in shown and "not a number" not in shown  # nothing of the English text is left


def test_diagnosis_notes_and_reasons_in_kazakh(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("kk").run()
    assert not app.exception
    notes = [c.value for c in app.caption if c.value.startswith(t("flagged_note", "kk"))]
    assert notes and all("are flagged" not in n and "grp_per_capita" not in n for n in notes)
    assert any("белгіленген: есептелген" in n for n in notes)
    reasons = next(d.value for d in app.dataframe if t("why", "kk") in d.value.columns)[t("why", "kk")]
    assert len(reasons) and not any(re.search("[A-Za-z]", r) for r in reasons)  # no English, no rule ids

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

"""Diagnosis, What-if and Roadmap pages say which indicator a result is on, by its name in the page's language."""

import pytest

from engine.core.i18n import LANGUAGES, t
from ui.keys import Key

NONMINING = "grp_per_capita_nonmining"


def captions(app):
    return [c.value for c in app.caption]


def test_diagnosis_offers_the_indicator_by_name(app):
    app.run()
    app.sidebar.selectbox(key=Key.LANG).set_value("en").run()
    box = app.selectbox(key=Key.DIAG_INDICATOR)
    assert NONMINING in box.options or t(NONMINING, "en") in box.options
    box.set_value(NONMINING).run()
    assert not app.exception
    assert app.metric[0].value == "6.87"  # max/min ratio of non-mining GRP per capita, 2025 (Almaty / Turkistan)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_whatif_and_roadmap_name_the_indicator(app, open_page, lang):
    open_page("ui/pages/whatif.py", lang)
    app.selectbox(key=Key.INDICATOR).set_value(NONMINING).run()
    assert not app.exception
    assert app.session_state[Key.RESULT]["scenario"]["indicator"] == NONMINING
    assert t("indicator_on", lang, indicator=t(NONMINING, lang)) in captions(app)
    app.switch_page("ui/pages/roadmap.py").run()
    assert not app.exception
    assert t("indicator_on", lang, indicator=t(NONMINING, lang)) in captions(app)

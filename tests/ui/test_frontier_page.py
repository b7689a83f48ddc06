"""Frontier page: trace the frontier, choose a point, and its plan becomes the session's plan."""

import pytest

from engine.core.i18n import LANGUAGES, t
from ui.keys import Key

PAGE = "ui/pages/frontier.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_frontier_renders_in_every_language(app, open_page, lang):
    open_page(PAGE, lang)

    app.button(key=Key.FRONTIER_RUN).click().run()

    assert not app.exception
    assert app.title[0].value == t("page_frontier", lang)
    assert app.button(key=Key.FRONTIER_TAKE).label == t("take_point", lang)
    assert len(app.selectbox(key=Key.FRONTIER_PICK).options) >= 2


def test_frontier_trades_equity_for_growth(app, open_page):
    open_page(PAGE)

    app.slider(key=Key.FRONTIER_POINTS).set_value(5).run()
    app.button(key=Key.FRONTIER_RUN).click().run()

    points = [p for p in app.session_state[Key.FRONTIER]["frontier"]["points"] if p["status"] == "optimal"]
    assert len(points) == 5
    ratios = [p["equity_value"] for p in points]
    growth = [p["national_growth"] for p in points]
    assert ratios == sorted(ratios)  # the max/min ratio loosens along the frontier
    assert growth == sorted(growth)  # and buys national growth
    assert growth[-1] > growth[0]


def test_taking_a_point_makes_its_plan_the_whatif_plan(app, open_page):
    open_page(PAGE)
    app.slider(key=Key.FRONTIER_POINTS).set_value(5).run()
    app.button(key=Key.FRONTIER_RUN).click().run()
    point = [p for p in app.session_state[Key.FRONTIER]["frontier"]["points"] if p["status"] == "optimal"][2]

    app.selectbox(key=Key.FRONTIER_PICK).set_value(2).run()
    app.button(key=Key.FRONTIER_TAKE).click().run()
    app.switch_page("ui/pages/whatif.py").run()

    assert not app.exception
    assert app.session_state[Key.HOLD] == ("max_min_ratio", pytest.approx(point["equity_level"]))
    result = app.session_state[Key.RESULT]
    assert result["hold"]["metric"] == "max_min_ratio"
    assert result["metrics_after"]["max_min_ratio"] <= point["equity_level"] * 1.01  # simulated vs linear
    assert sum(r["bn_kzt"] for r in result["allocation"]) == pytest.approx(3000.0, abs=1e-3)
    assert app.info[0].value.startswith("This is a frontier point's plan")
    app.switch_page("ui/pages/roadmap.py").run()
    assert not app.exception
    assert any("This is a frontier point" in c.value for c in app.caption)  # the roadmap says whose plan it is
    app.switch_page("ui/pages/whatif.py").run()

    app.button(key=Key.BACK_TO_OBJECTIVE).click().run()

    assert app.session_state[Key.HOLD] is None
    assert app.session_state[Key.RESULT]["hold"] is None


def test_changing_the_budget_leaves_the_point(app, open_page):
    open_page(PAGE)
    app.button(key=Key.FRONTIER_RUN).click().run()
    app.button(key=Key.FRONTIER_TAKE).click().run()
    app.switch_page("ui/pages/whatif.py").run()

    app.number_input(key=Key.BUDGET).set_value(600.0).run()

    assert app.session_state[Key.HOLD] is None
    assert app.session_state[Key.RESULT]["hold"] is None

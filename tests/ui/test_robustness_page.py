"""Robustness page: the robust plan judged with every candidate on fresh draws, and adopted for the roadmap and
the workshop; a sweep runs in chunks with a progress bar and shows each plan's odds and regret."""

import pytest

from engine.core.i18n import LANGUAGES, t
from ui.components import plain
from ui.keys import Key

PAGE = "ui/pages/robustness.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sweep_runs_and_reports_in_every_language(app, open_page, lang):
    open_page(PAGE, lang)
    app.slider(key=Key.SWEEP_DRAWS).set_value(20).run()

    app.button(key=Key.SWEEP_RUN).click().run()

    assert not app.exception
    assert app.title[0].value == t("page_robustness", lang)
    report = app.session_state[Key.SWEEP_RESULT]["report"]
    assert report["draws"] == 20
    assert "optimizer_central" in report["summary"]
    for row in report["summary"].values():
        assert 0.0 <= row["p_ratio_falls_vs_base"] <= 1.0
        assert row["problem_regions_min"] <= row["problem_regions_max"]
    table = app.dataframe[0].value
    assert t("candidate_plan", lang) in table.columns
    assert len(table) == len(report["summary"])
    assert any(m.value.startswith(f"- {t('robust_minimax', lang)}: **") for m in app.markdown)
    assert "20" in app.success[0].value
    # the engine details say how the sweep works in the planner's language, not in the module's docstring
    assert plain(t("sweep_method", lang)) in [m.value for m in app.expander[-1].markdown]


def test_app_sweep_matches_the_command_line_sweep(app, open_page):
    """The app's chunked sweep and ``run_sweep`` draw the same Latin hypercube and agree on every summary."""
    from engine.analysis.sweep import SequentialEvaluator, prepare_sweep, run_sweep
    from engine.interfaces.app_api import default_scenario_yaml
    from engine.model.study import open_study

    open_page(PAGE)
    app.slider(key=Key.SWEEP_DRAWS).set_value(20).run()
    app.number_input(key=Key.SWEEP_SEED).set_value(7).run()
    app.button(key=Key.SWEEP_RUN).click().run()
    report = app.session_state[Key.SWEEP_RESULT]["report"]

    direct = run_sweep(prepare_sweep(open_study(default_scenario_yaml())), 20, 7, SequentialEvaluator())

    assert report["notes"] == direct.to_json()["notes"]  # the app says what the command line says
    expected = direct.to_json()["summary"]
    assert report["summary"].keys() == expected.keys()
    for name, row in expected.items():
        for key, value in row.items():
            assert report["summary"][name][key] == pytest.approx(value, rel=1e-9, abs=1e-12), (name, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_renders_in_every_language(app, open_page, lang):
    open_page(PAGE, lang)

    assert not app.exception
    assert [tab.label for tab in app.tabs] == [t("robust_tab_compare", lang), t("robust_tab_sweep", lang)]
    assert app.button(key=Key.ROBUST_RUN).label == t("run_robust", lang)
    assert app.number_input(key=Key.ROBUST_DRAWS).value == 30
    assert app.number_input(key=Key.ROBUST_SEED).value != app.number_input(key=Key.FRESH_SEED).value
    assert app.selectbox(key=Key.ROBUST_RISK).options == [t("risk_expected", lang), t("risk_cvar", lang),
                                                          t("risk_worst", lang)]
    assert not app.warning  # different seeds by default: the judgement is out of sample


def cells(rows):
    return sorted((str(r["unit_id"]), str(r["direction"]), int(r["year"]), round(float(r["bn_kzt"]), 6))
                  for r in rows)


def test_robust_plan_is_compared_adopted_and_becomes_the_roadmap(app, open_page, tmp_path, monkeypatch):
    from engine.interfaces.robustness_api import plan_mix
    from engine.model.study import read_scenario
    from engine.store import open_as_facilitator, open_store

    url = f"sqlite:///{tmp_path / 'workshop.sqlite'}"
    monkeypatch.setenv("ROADMAP_DB", url)
    lang = "ru"
    open_page(PAGE, lang)
    app.number_input(key=Key.ROBUST_DRAWS).set_value(4).run()
    app.number_input(key=Key.FRESH_DRAWS).set_value(6).run()

    app.button(key=Key.ROBUST_RUN).click().run()

    assert not app.exception
    stored = app.session_state[Key.ROBUST_RESULT]
    assert stored["plan"]["status"] == "optimal" and stored["plan"]["draws"]["count"] == 4
    report = stored["report"]
    assert report["draws"] == 6 and report["seed"] != stored["plan"]["draws"]["seed"]
    formulas = [n for n in report["summary"] if n.startswith("formula_")]
    assert {"formula_status_quo", "formula_equal_split", "formula_eu_style"} <= set(formulas)
    table = app.dataframe[0].value
    assert len(table) == 2 + len(formulas)  # the robust plan, the central plan, every formula
    assert table[t("candidate_plan", lang)].iloc[0] == t("plan_robust", lang)
    for column in (t("regret_mean", lang), t("regret_max", lang),
                   t("p_beats", lang, plan=t("plan_optimizer_central", lang)),
                   t("p_beats", lang, plan=t("plan_formula", lang, name=t("formula_eu_style", lang)))):
        assert column in table.columns
    for name in report["summary"]:  # the box chart has one draw per fresh draw and plan
        assert len(report["distribution"][name]["effect"]) == 6
    assert [r["against"] for r in stored["report"]["verdict_rows"]] == ["optimizer_central", *formulas]
    assert any(h.value == t("verdict_title", lang) for h in app.subheader)
    assert len(app.get("plotly_chart")) == 1
    assert plain(t("robust_method", lang)) in [m.value for m in app.expander[0].markdown]

    app.button(key=Key.ROBUST_ADOPT).click().run()

    assert not app.exception
    adopted = app.session_state[Key.ADOPTED_PLAN]
    assert cells(adopted["allocation"]) == cells(stored["plan"]["allocation"])
    assert adopted["draws"] == 4

    app.switch_page("ui/pages/roadmap.py").run()

    assert not app.exception
    assert cells(app.session_state[Key.ROADMAP_SHOWN]) == cells(stored["plan"]["allocation"])
    assert app.info[0].value == t("roadmap_of_robust", lang, risk=t("risk_expected", lang), draws=4, seed=0)

    app.switch_page("ui/pages/workshop_facilitator.py").run()

    assert not app.exception
    assert app.selectbox(key=Key.WS_NEW_TEMPLATE).options[0] == t("ws_template_robust_option", lang)
    app.text_input(key=Key.WS_NEW_NAME).input("Семинар").run()
    app.button(key=Key.WS_CREATE).click().run()

    assert not app.exception
    workshop = open_as_facilitator(open_store(url), app.session_state[Key.WS_FAC_KEY]).workshop
    template = read_scenario(workshop.template_yaml)
    shares, equity = plan_mix(stored["plan"]["allocation"])
    for direction, share in shares.items():  # the workshop starts from the robust plan's mix
        assert template.bounds(direction).min <= share <= template.bounds(direction).max
    assert template.equity_share == pytest.approx(equity, abs=1e-3)

"""Robustness page: a sweep runs in chunks with a progress bar and shows each plan's odds and regret."""

import pytest

from engine.core.i18n import LANGUAGES, t
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

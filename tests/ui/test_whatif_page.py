"""What-if page: arrange (open the page, set widgets by key), act (run), assert (the plan on screen)."""

from collections import defaultdict

import pytest

from engine.core.i18n import LANGUAGES, t
from ui.keys import Key

PAGE = "ui/pages/whatif.py"


def metric(app, label_key, lang="en"):
    return next(m.value for m in app.metric if m.label == t(label_key, lang))


def spent_by_unit(result):
    totals = defaultdict(float)
    for row in result["allocation"]:
        totals[row["unit_id"]] += row["bn_kzt"]
    return totals


@pytest.mark.parametrize("lang", LANGUAGES)
def test_whatif_renders_in_every_language(app, open_page, lang):
    open_page(PAGE, lang)

    assert not app.exception
    assert app.title[0].value == t("page_whatif", lang)
    assert app.number_input(key=Key.BUDGET).label == t("budget_per_year", lang)
    assert metric(app, "spent_bn", lang)
    assert [s.value for s in app.success] == [t("status_optimal", lang)]


def test_default_plan_spends_the_concept_budget(app, open_page):
    open_page(PAGE)

    result = app.session_state[Key.RESULT]
    assert result["status"] == "optimal"
    assert metric(app, "spent_bn") == "3,000"  # 500 bn a year, 2025-2030
    assert len(app.get("plotly_chart")) == 2  # the open tab only: the heatmap and the split by direction and part


@pytest.mark.parametrize(("tab", "charts"), [("map", 1), ("trajectories", 1), ("criteria_by_year", 3),
                                             ("formula_baselines", 0), ("explanations", 0)])
def test_every_tab_draws_when_opened(app, open_page, tab, charts):
    open_page(PAGE)

    app.session_state[Key.WHATIF_TAB] = t(tab, "en")
    app.run()

    assert not app.exception
    assert len(app.get("plotly_chart")) == charts


def test_budget_change_resolves_with_the_new_budget(app, open_page):
    open_page(PAGE)

    app.number_input(key=Key.BUDGET).set_value(800.0).run()

    assert not app.exception
    assert metric(app, "spent_bn") == "4,800"
    assert sum(spent_by_unit(app.session_state[Key.RESULT]).values()) == pytest.approx(4800.0, abs=1e-3)


def test_budget_year_by_year(app, open_page):
    open_page(PAGE)

    app.toggle(key=Key.BUDGET_BY_YEAR).set_value(True).run()
    app.number_input(key=f"{Key.BUDGET_YEAR}_2025").set_value(0.0).run()

    assert not app.exception
    assert metric(app, "spent_bn") == "2,500"
    years = {row["year"] for row in app.session_state[Key.RESULT]["allocation"] if row["bn_kzt"] > 1e-9}
    assert 2025 not in years


def test_horizon_and_objective(app, open_page):
    open_page(PAGE)

    app.slider(key=Key.HORIZON).set_value((2025, 2027)).run()
    app.selectbox(key=Key.OBJECTIVE).set_value("blend").run()

    assert not app.exception
    assert app.slider(key=Key.EQUITY_WEIGHT).label == t("equity_weight", "en")
    scenario = app.session_state[Key.RESULT]["scenario"]
    assert scenario["horizon"] == [2025, 2027] and scenario["objective"] == "blend"
    assert metric(app, "spent_bn") == "1,500"


def test_formula_baselines_beside_the_plan(app, open_page):
    open_page(PAGE)

    app.session_state[Key.WHATIF_TAB] = t("formula_baselines", "en")
    app.run()

    table = app.dataframe[0].value
    from engine.allocation.baselines import FORMULAS

    assert list(table.index) == [t("optimized_plan", "en"), *[t(f"formula_{f.name}", "en") for f in FORMULAS]]
    assert set(table[t("spent_bn", "en")]) == {"3,000.0"}  # the same budget, shared every way


def test_what_it_takes_draws_the_budget_outcome_curve(app, open_page):
    open_page(PAGE)

    app.session_state[Key.WHATIF_TAB] = t("what_it_takes", "en")
    app.run()
    app.button(key=Key.CURVE_RUN).click().run()

    assert not app.exception
    charts = app.get("plotly_chart")
    assert charts and t("curve_title", "en") in charts[-1].proto.spec


def test_unit_cap_holds(app, open_page):
    open_page(PAGE)
    biggest = max(spent_by_unit(app.session_state[Key.RESULT]).items(), key=lambda kv: kv[1])[0]

    app.multiselect(key=Key.CAP_UNITS).set_value([biggest]).run()
    app.number_input(key=f"{Key.CAP_VALUE}_{biggest}").set_value(10.0).run()

    assert not app.exception
    assert spent_by_unit(app.session_state[Key.RESULT])[biggest] <= 6 * 10.0 + 1e-6


def test_assumption_choice_goes_into_the_scenario(app, open_page):
    open_page(PAGE)

    app.radio(key=f"{Key.ASSUMPTION}_capital_return").set_value("high").run()

    assert not app.exception
    assert app.session_state[Key.RESULT]["scenario"]["assumptions"] == {"capital_return": "high"}
    assert "capital_return: high" in app.session_state[Key.SCENARIO]


def test_infeasible_bounds_explain_the_conflict_without_a_traceback(app, open_page):
    open_page(PAGE, "ru")

    app.slider(key=f"{Key.DIRECTION_BOUNDS}_agglomeration").set_value((0.6, 1.0)).run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_mobility").set_value((0.5, 1.0)).run()

    assert not app.exception
    assert app.session_state[Key.RESULT]["status"] == "infeasible"
    assert app.error[0].value == t("status_infeasible", "ru")
    subheaders = [s.value for s in app.subheader]
    assert t("conflicts", "ru") in subheaders and t("relaxations", "ru") in subheaders
    assert any("не хватает" in m.value for m in app.markdown)


def test_closing_every_direction_is_infeasible(app, open_page):
    open_page(PAGE)

    app.slider(key=f"{Key.DIRECTION_BOUNDS}_interaction").set_value((0.0, 0.0)).run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_agglomeration").set_value((0.0, 0.0)).run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_peripheral_compression").set_value((0.0, 0.0)).run()
    app.slider(key=f"{Key.DIRECTION_BOUNDS}_mobility").set_value((0.0, 0.0)).run()

    assert not app.exception
    assert app.session_state[Key.RESULT]["status"] == "infeasible"  # nothing may be spent, yet all must be


def test_explanations_and_shadow_price_in_words(app, open_page):
    open_page(PAGE, "kk")

    app.session_state[Key.WHATIF_TAB] = t("explanations", "kk")
    app.run()

    subheaders = [s.value for s in app.subheader]
    assert t("shadow_price", "kk") in subheaders
    assert any("1 млрд теңге" in m.value for m in app.markdown)
    assert t("explanations", "kk") in subheaders
    # the explanations are written in Kazakh now: the page no longer warns that they are English
    assert not any(c.value == t("english_only_note", "kk") for c in app.caption)


def test_metrics_before_without_policy_and_with_the_plan(app, open_page):
    open_page(PAGE)

    app.session_state[Key.WHATIF_TAB] = t("criteria_by_year", "en")
    app.run()

    table = app.table[0].value
    assert list(table.columns) == ["Base year 2024", "No new policy 2030", "Plan 2030"]
    ratio = table.loc[t("max_min_ratio", "en")]
    assert float(ratio["Plan 2030"]) < float(ratio["No new policy 2030"]) < float(ratio["Base year 2024"])


def test_a_budget_that_barely_moves_the_criteria_is_said_plainly(app, open_page):
    open_page(PAGE, "ru")
    assert not app.exception
    notes = [i.value for i in app.info if "лишь на" in i.value]
    assert len(notes) == 1 and "«Что для этого нужно»" in notes[0]  # 500 bn a year moves the ratio by under 1%


def test_a_revised_plan_holds_its_spent_year_when_the_budget_changes(app, open_page):
    """A scenario with progress (a revised version from monitoring): the page says which years are held, the
    budget field is the open years', and a new budget leaves the spent year as it was spent."""
    from engine.interfaces import app_api

    spent = {("abai", "peripheral_compression"): 1.5, ("turkistan", "mobility"): 2.0}
    revised = app_api.default_scenario_yaml() + (
        "progress:\n  as_of: 2025\n  spent_bn_kzt:\n"
        "    2025: {abai: {peripheral_compression: 1.5}, turkistan: {mobility: 2.0}}\n")
    app.session_state[Key.SCENARIO] = revised
    open_page(PAGE)
    assert not app.exception
    assert app.number_input(key=Key.BUDGET).value == 500.0
    assert t("progress_held_note", "en", year=2025) in [c.value for c in app.caption]
    app.number_input(key=Key.BUDGET).set_value(650.0).run()
    assert not app.exception
    result = app.session_state[Key.RESULT]
    held = {(r["unit_id"], r["direction"]): r["bn_kzt"] for r in result["allocation"] if r["year"] == 2025}
    assert {k: v for k, v in held.items() if v > 1e-9} == pytest.approx(spent)
    later = sum(r["bn_kzt"] for r in result["allocation"] if r["year"] == 2026)
    assert later == pytest.approx(650.0, abs=1e-6)

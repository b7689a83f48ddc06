"""The roadmap of a hand-typed allocation: parts, measures, effects, KPIs, criteria, priorities and warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from roadmap_fixtures import ALLOCATION, make_scenario

from engine.core.diagnose import metrics_for_values
from engine.core.errors import DataValidationError, ScenarioError
from engine.core.i18n import t
from engine.core.roadmap_rules import PRIORITIES
from engine.model.study import build_study
from engine.roadmap.build import build_roadmap, ratio_only_years
from engine.roadmap.pipeline import inputs_from_allocation, roadmap_from_inputs
from engine.roadmap.result import CRITERIA, CriteriaRow


def test_measures_go_to_the_part_their_rule_says(roadmaps):
    roadmap = roadmaps["en"]
    equity, efficiency = roadmap.parts
    assert (equity.id, efficiency.id) == ("equity", "efficiency")
    assert {m.id for m in equity.measures} == {"turkistan.agglomeration", "turkistan.mobility",
                                               "zhambyl.peripheral_compression", "kostanay.interaction"}
    assert {m.id for m in efficiency.measures} == {"astana.agglomeration", "atyrau.interaction"}
    rules = {m.id: m.rule_id for m in roadmap.measures}
    assert rules["turkistan.agglomeration"] == "problem_agglomeration"
    assert rules["kostanay.interaction"] == "lagging_interaction"
    assert rules["astana.agglomeration"] == "hub_agglomeration"
    assert rules["atyrau.interaction"] == "leading_interaction"


def test_budget_years_and_totals_follow_the_allocation(roadmaps):
    roadmap = roadmaps["en"]
    astana = roadmap.measure("astana.agglomeration")
    assert dict(astana.budget_by_year) == {2025: 30.0, 2026: 0.0, 2027: 10.0}
    assert (astana.start_year, astana.end_year) == (2025, 2027)
    mobility = roadmap.measure("turkistan.mobility")
    assert (mobility.start_year, mobility.end_year) == (2026, 2026)
    assert roadmap.part("equity").total_bn == pytest.approx(20 + 5 + 3 + 2.5)
    assert roadmap.part("efficiency").total_bn == pytest.approx(30 + 10 + 4)
    assert roadmap.total_bn == pytest.approx(ALLOCATION["bn_kzt"].sum())
    assert dict(roadmap.part("efficiency").budget_by_year) == pytest.approx({2025: 30.0, 2026: 4.0, 2027: 10.0})
    assert roadmap.allocation["bn_kzt"].sum() == pytest.approx(ALLOCATION["bn_kzt"].sum())


def test_instruments_actors_and_names_are_in_the_language(roadmaps, direction_rules):
    for lang, roadmap in roadmaps.items():
        m = roadmap.measure("turkistan.mobility")
        assert m.region == {"kk": "Түркістан облысы", "ru": "Туркестанская область", "en": "Turkistan Region"}[lang]
        assert m.direction_name == t("mobility", lang)
        names = {i.id: i.names[lang] for i in direction_rules.directions["mobility"].instruments}
        assert m.instrument_names == tuple(names[i] for i in m.instruments)
        assert m.actors == ("government", "population", "business")
        assert m.actor_names == tuple(t(f"actor_{a}", lang) for a in m.actors)


def test_effects_and_kpi_targets_come_from_the_trajectories(roadmaps, inputs):
    roadmap = roadmaps["en"]
    for m in roadmap.measures:
        e = m.effect
        assert e.year == 2027
        assert e.grp_per_capita_plan == inputs.plan.grp_per_capita.at[m.unit_id, 2027]
        assert e.grp_per_capita_baseline == inputs.baseline.grp_per_capita.at[m.unit_id, 2027]
        assert e.grp_per_capita_change_pct == pytest.approx(100 * (e.grp_per_capita_plan / e.grp_per_capita_baseline
                                                                   - 1))
        assert e.population_change == pytest.approx(inputs.plan.population.at[m.unit_id, 2027]
                                                    - inputs.baseline.population.at[m.unit_id, 2027])
        assert dict(m.kpi_targets) == {y: inputs.plan.grp_per_capita.at[m.unit_id, y] for y in (2025, 2026, 2027)}
    # agglomeration money raises GRP per capita in the unit it is spent in; mobility money moves people out
    assert roadmap.measure("astana.agglomeration").effect.alone_grp_per_capita_change_pct > 0
    assert roadmap.measure("turkistan.mobility").effect.alone_population_change < 0
    assert roadmap.measure("turkistan.mobility").effect.population_change < 0


def test_criteria_by_year_are_the_diagnose_metrics_of_both_trajectories(roadmaps, inputs, ctx):
    roadmap = roadmaps["en"]
    assert [row.year for row in roadmap.criteria] == [2024, 2025, 2026, 2027]
    for row in roadmap.criteria:
        for traj, values in ((inputs.baseline, row.baseline), (inputs.plan, row.plan)):
            expected, _ = metrics_for_values(ctx, traj.grp_per_capita[row.year], traj.population[row.year], row.year)
            assert {k: values[k] for k in CRITERIA} == pytest.approx({k: expected[k] for k in CRITERIA})
    first = roadmap.criteria[0]
    assert first.baseline == first.plan  # nothing is spent in the base year
    assert roadmap.diagnosis.metrics == pytest.approx(dict(first.baseline))
    assert roadmap.diagnosis.max_region == "Atyrau Region" and roadmap.diagnosis.min_region == "Turkistan Region"


def test_priorities_list_the_measures_that_serve_them(roadmaps):
    roadmap = roadmaps["en"]
    assert [p.id for p in roadmap.priorities] == list(PRIORITIES)
    by_id = {p.id: set(p.measure_ids) for p in roadmap.priorities}
    assert by_id["agglomerations"] >= {"astana.agglomeration", "turkistan.agglomeration"}
    assert by_id["territorial_justice"] == {m.id for m in roadmap.part("equity").measures}
    for p in roadmap.priorities:
        for mid in p.measure_ids:
            assert p.id in roadmap.measure(mid).priorities


def test_assumptions_hold_the_values_in_force_and_sources(roadmaps, inputs):
    roadmap = roadmaps["en"]
    params = {p.id: p for p in roadmap.assumptions}
    assumptions = inputs.model.assumptions
    assert params["capital_return"].overridden and params["capital_return"].value == assumptions.value(
        "capital_return") == params["capital_return"].high
    assert not params["hub_premium"].overridden and params["hub_premium"].is_assumption
    for pid in ("baseline_real_growth", "relocation_cost_per_person_mn_kzt", "co_financing_ratio"):
        assert pid in params and params[pid].source
    measure = roadmap.measure("astana.agglomeration")
    assert "hub_premium" in measure.assumption_parameters and "capital_return" not in measure.assumption_parameters
    titles = [s.title for s in roadmap.sources]
    assert titles[0].startswith("Smagulova")
    assert any(title.startswith("kazakhstan/SOURCES.md: GRP per capita") for title in titles)


def test_warnings_unspent_budget_and_equity_share(ctx, direction_rules, roadmaps):
    en = roadmaps["en"]
    assert any("is not allocated" in w for w in en.warnings)  # 80 a year, far less spent
    assert not any("equity part gets" in w for w in en.warnings)  # 30.5 of 74.5 = 41% >= 30%
    demanding = make_scenario("demanding", direction_rules, equity_share=0.6, allow_unspent=True)
    study = build_study(ctx, demanding, direction_rules=direction_rules)
    roadmap = roadmap_from_inputs(inputs_from_allocation(study, ALLOCATION), "ru")
    assert roadmap.warnings == (t("warn_equity_share", "ru", actual="40,9", required="60,0"),)


def test_a_part_tag_that_differs_from_the_rules_is_reported(ctx, direction_rules, scenario):
    tagged = ALLOCATION.assign(part=["equity", "equity", "equity", "efficiency", "efficiency", "equity", "equity"])
    inputs = inputs_from_allocation(build_study(ctx, scenario, direction_rules=direction_rules), tagged)
    roadmap = roadmap_from_inputs(inputs, "en")
    assert any("1 allocation cell(s)" in w and "astana x agglomeration" in w for w in roadmap.warnings)
    assert roadmap.measure("astana.agglomeration").part == "efficiency"  # the rules decide


def test_bad_allocations_are_refused_with_every_row_named(ctx, scenario, inputs):
    bad = pd.DataFrame([("atlantis", "agglomeration", 2025, 1.0), ("astana", "teleport", 2025, 1.0),
                        ("astana", "agglomeration", 2031, 1.0), ("astana", "agglomeration", 2025, -1.0),
                        ("almaty_city", "peripheral_compression", 2025, 1.0)],
                       columns=["unit_id", "direction", "year", "bn_kzt"])
    with pytest.raises(DataValidationError) as info:
        build_roadmap(ctx, scenario, inputs.model, bad, inputs.baseline, inputs.plan)
    found = [str(p) for p in info.value.problems]
    assert found[0] == "allocation:1: unit_id: unknown unit, or not existing in 2024 ('atlantis')"
    assert found[1].startswith("allocation:2: direction: unknown direction")
    assert found[2] == "allocation:3: year: year outside the horizon 2025-2027 (2031)"
    assert found[3] == "allocation:4: bn_kzt: must be a non-negative number of billions of tenge (-1.0)"
    assert found[4].startswith("allocation:5: unit_id: peripheral_compression is not available in this unit")
    too_much = pd.DataFrame([("astana", "agglomeration", 2025, 1e5)], columns=list(ALLOCATION.columns))
    with pytest.raises(DataValidationError, match="exceeds what astana can absorb"):
        build_roadmap(ctx, scenario, inputs.model, too_much, inputs.baseline, inputs.plan)
    with pytest.raises(ScenarioError, match="language"):
        build_roadmap(ctx, scenario, inputs.model, ALLOCATION, inputs.baseline, inputs.plan, "de")


def test_an_empty_allocation_gives_two_empty_parts(ctx, scenario, inputs):
    empty = ALLOCATION.iloc[0:0]
    roadmap = build_roadmap(ctx, scenario, inputs.model, empty, inputs.baseline, inputs.baseline, "kk")
    assert [len(p.measures) for p in roadmap.parts] == [0, 0] and roadmap.total_bn == 0
    assert all(p.measure_ids == () for p in roadmap.priorities)
    assert all(row.baseline == row.plan for row in roadmap.criteria)


def _row(year: int, ratio: tuple[float, float], williamson: tuple[float, float], theil: tuple[float, float]):
    def side(i: int) -> dict[str, float]:
        return {"problem_regions": 3.0, "max_min_ratio": ratio[i], "williamson": williamson[i],
                "theil_t_weighted": theil[i]}

    return CriteriaRow(year, side(0), side(1))


def test_a_plan_winning_on_max_min_alone_is_flagged():
    rows = (_row(2025, (10, 9), (0.5, 0.4), (0.2, 0.1)),  # better on all three: fine
            _row(2026, (10, 9), (0.5, 0.6), (0.2, 0.1)),  # ratio better, Williamson worse
            _row(2027, (10, 9), (0.5, 0.4), (0.2, 0.3)),  # ratio better, Theil worse
            _row(2028, (10, 11), (0.5, 0.6), (0.2, 0.3)))  # ratio worse too: not "on max/min alone"
    assert ratio_only_years(rows) == [2026, 2027]


def test_language_changes_words_not_numbers(roadmaps):
    kk, ru, en = roadmaps["kk"], roadmaps["ru"], roadmaps["en"]
    assert kk.parts[0].title == t("part_equity_title", "kk") != en.parts[0].title
    for a, b in ((kk, en), (ru, en)):
        assert [m.id for m in a.measures] != [] and {m.id for m in a.measures} == {m.id for m in b.measures}
        np.testing.assert_allclose([a.measure(m.id).effect.grp_per_capita_plan for m in b.measures],
                                   [m.effect.grp_per_capita_plan for m in b.measures])
    reasons = [u.reasons for u in kk.diagnosis.units if u.problem]
    assert reasons and all("ЖӨӨ" in r[0] for r in reasons)

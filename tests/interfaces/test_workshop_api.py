"""Workshop compositions: templates and uploads, a participant's plan fitted to capacity, changes checked."""

from __future__ import annotations

import functools
import math
import pickle

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.allocation import OptimizationResult, Prepared, optimize
from engine.allocation.prepared import with_scenario
from engine.analysis.workshop import compute_direction_capacity, scenario_for_priorities
from engine.core.errors import ScenarioError
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import scenario_from_text
from engine.interfaces import workshop_api as api

TEMPLATE = (api.SCENARIO_DIR / "concept_2025_2030.yaml").read_text(encoding="utf-8")
BUDGET = 400.0
MOBILITY_FIRST = {"agglomeration": 1, "peripheral_compression": 1, "mobility": 6, "interaction": 1}


@pytest.fixture(scope="module")
def plan() -> api.WorkshopPlan:
    return api.plan_for_priorities(TEMPLATE, BUDGET, MOBILITY_FIRST, 0.7)


def test_every_shipped_scenario_is_offered_with_its_own_name():
    files = api.list_template_files()
    assert {f.stem for f in files} == {p.stem for p in api.SCENARIO_DIR.glob("*.yaml")}
    concept = next(f for f in files if f.stem == "concept_2025_2030")
    assert concept.name == "Concept of Regional Development 2025-2030" and concept.text == TEMPLATE


@pytest.mark.parametrize(("data", "reason"), [
    (b"x" * (api.MAX_TEMPLATE_BYTES + 1), "larger than 1 MB"),
    (b"name: \xff\xfe", "not UTF-8"),
    (b"name: [unclosed", ""),
    (TEMPLATE.encode() + b"data: /etc\n", "remove this key"),
    (TEMPLATE.encode() + b"budjet: 5\n", "budjet"),
])
def test_a_bad_upload_is_refused_naming_the_file_and_the_reason(data, reason):
    with pytest.raises(ScenarioError) as caught:
        api.check_uploaded_template(data, "mine.yaml")
    assert all(p.file == "mine.yaml" for p in caught.value.problems)
    assert reason in "\n".join(str(p) for p in caught.value.problems)


def test_a_good_upload_comes_back_as_text():
    assert api.check_uploaded_template(TEMPLATE.encode("utf-8"), "concept.yaml") == TEMPLATE


def test_template_with_budget_puts_the_yearly_budget_in_every_year():
    scenario = scenario_from_text(api.template_with_budget(TEMPLATE, 250.0, "Candidate"))
    assert scenario.name == "Candidate"
    assert dict(scenario.budget_bn_kzt) == dict.fromkeys(range(2025, 2031), 250.0)


def test_the_plan_follows_the_fitted_shares_within_the_band(plan):
    assert plan.status == "optimal" and plan.solved
    assert plan.budget_bn_kzt == pytest.approx(6 * BUDGET)
    assert plan.spent_bn_kzt == pytest.approx(plan.budget_bn_kzt, rel=1e-6)  # every year's budget is spent
    assert sum(plan.shares_asked.values()) == pytest.approx(1.0)
    capacity = api.compute_template_capacity(TEMPLATE, BUDGET)
    for d in DIRECTIONS:  # fitted: never above what a direction can absorb, spent within +-5 points of it
        assert plan.shares_asked[d] <= capacity[d] / plan.budget_bn_kzt + 1e-9
        spent = plan.by_direction()[d] / plan.spent_bn_kzt
        assert plan.shares_asked[d] - 0.05 - 1e-6 <= spent <= plan.shares_asked[d] + 0.05 + 1e-6
    assert plan.by_part()["equity"] >= 0.7 * plan.budget_bn_kzt - 1e-6
    assert set(plan.metrics_after) == set(api.CRITERIA)
    assert sorted(plan.by_year["plan"]) == list(range(2025, 2031))
    assert plan.by_year["plan"][2030] == plan.metrics_after


def test_without_the_capacity_fit_the_same_priorities_have_no_plan(plan):
    # mobility cannot absorb 6/9 of the budget: the fit is what makes the participant's plan solvable
    template = scenario_from_text(TEMPLATE).replace(budget_bn_kzt=dict.fromkeys(range(2025, 2031), BUDGET))
    prep = api.prepared_for(template)
    unfitted = scenario_for_priorities(template, MOBILITY_FIRST, 0.7)
    assert not optimize(with_scenario(prep, unfitted), with_baselines=False).status.solved
    assert plan.shares_asked["mobility"] < 6 / 9 - 0.05
    assert compute_direction_capacity(prep.forms, template.years)["mobility"] < 6 / 9 * plan.budget_bn_kzt


def test_scenarios_with_the_same_model_share_one_prepared_model():
    one = scenario_from_text(TEMPLATE)
    other = one.replace(budget_bn_kzt=dict.fromkeys(one.years, 123.0), objective="maximin")
    assert api.prepared_for(one).model is api.prepared_for(other).model
    assert api.prepared_for(other).scenario is other


def test_a_plan_survives_pickling(plan):
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan


@functools.cache
def _solved(scenario_yaml: str) -> tuple[Prepared, OptimizationResult]:
    prep = api.prepared_for(scenario_from_text(scenario_yaml))
    return prep, optimize(with_scenario(prep, prep.scenario), with_baselines=False)


def _cell(plan: api.WorkshopPlan, direction: str) -> tuple[str, int, float]:
    """A unit and year where the plan spends on ``direction``, and how much."""
    _, result = _solved(plan.scenario_yaml)
    row = max((r for r in result.allocation if r.direction == direction), key=lambda r: r.bn_kzt)
    return row.unit_id, row.year, row.bn_kzt


def test_changes_that_cancel_out_evaluate_to_the_plan_itself(plan):
    unit, year, _ = _cell(plan, "agglomeration")
    changes = [{"unit_id": unit, "direction": "agglomeration", "year": year, "change_bn_kzt": -1.5},
               {"unit_id": unit, "direction": "agglomeration", "year": year, "change_bn_kzt": 1.5}]
    changed = api.plan_for_priorities(TEMPLATE, BUDGET, MOBILITY_FIRST, 0.7, changes).changes
    assert changed is not None and changed.ok and changed.added_bn_kzt == 0.0
    for key in api.CRITERIA:
        assert changed.metrics_after[key] == pytest.approx(plan.metrics_after[key], rel=1e-9)


def test_a_change_is_added_in_its_year_or_in_every_year(plan):
    unit, year, _ = _cell(plan, "interaction")
    one = api.plan_for_priorities(TEMPLATE, BUDGET, MOBILITY_FIRST, 0.7,
                                  [{"unit_id": unit, "direction": "interaction", "year": year,
                                    "change_bn_kzt": -2.0}]).changes
    steady = _steady_unit(plan, "interaction")  # spends at least 1 bn there in every year
    every = api.plan_for_priorities(TEMPLATE, BUDGET, MOBILITY_FIRST, 0.7,
                                    [{"unit_id": steady, "direction": "interaction", "change_bn_kzt": -0.5}]).changes
    assert one.ok and one.spent_bn_kzt == pytest.approx(plan.spent_bn_kzt - 2.0)
    assert every.ok and every.added_bn_kzt == pytest.approx(-3.0)  # 0.5 less in each of six years
    assert every.spent_bn_kzt == pytest.approx(plan.spent_bn_kzt - 3.0)


def _steady_unit(plan: api.WorkshopPlan, direction: str) -> str:
    _, result = _solved(plan.scenario_yaml)
    least: dict[str, dict[int, float]] = {}
    for row in result.allocation:
        if row.direction == direction:
            least.setdefault(row.unit_id, {})[row.year] = row.bn_kzt
    return next(u for u, years in least.items() if len(years) == len(plan.years) and min(years.values()) >= 1)


def test_every_bad_change_is_reported_and_nothing_is_evaluated(plan):
    unit, year, planned = _cell(plan, "agglomeration")
    ineligible = next(u.unit_id for u in plan.units if u.unit_id not in plan.eligible["mobility"])
    changes = [{"unit_id": "atlantis", "direction": "mobility", "change_bn_kzt": 1.0},
               {"unit_id": ineligible, "direction": "mobility", "change_bn_kzt": 1.0},
               {"unit_id": unit, "direction": "agglomeration", "year": 2040, "change_bn_kzt": 1.0},
               {"unit_id": unit, "direction": "agglomeration", "year": year, "change_bn_kzt": -planned - 1.0},
               {"unit_id": unit, "direction": "interaction", "year": year, "change_bn_kzt": 99_999.0}]
    changed = api.plan_for_priorities(TEMPLATE, BUDGET, MOBILITY_FIRST, 0.7, changes).changes
    assert not changed.ok and changed.metrics_after is None
    text = "\n".join(changed.problems)
    assert "allocation_changes:1: unit_id: not a unit of the base year 2024 ('atlantis')" in text
    assert "allocation_changes:2: direction: mobility is not eligible in this unit" in text
    assert "allocation_changes:3: year: outside the horizon 2025-2030 (2040)" in text
    assert f"take {planned + 1.0:,.3f} bn from agglomeration in {unit} in {year}" in text
    assert "the unit can absorb" in text
    assert len(changed.problems) == 5


def _nonzero(largest: float) -> st.SearchStrategy[float]:
    """A change of 1% to 100% of ``largest``, either way."""
    return st.tuples(st.booleans(), st.floats(0.01, 1.0)).map(lambda p: (1 if p[0] else -1) * p[1] * largest)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_accepted_changes_move_the_spending_by_exactly_their_sum(plan, data):
    prep, result = _solved(plan.scenario_yaml)
    anywhere = st.fixed_dictionaries({
        "unit_id": st.sampled_from([u.unit_id for u in plan.units]), "direction": st.sampled_from(DIRECTIONS),
        "year": st.one_of(st.none(), st.sampled_from(plan.years)),
        "change_bn_kzt": _nonzero(50.0)})
    # these always fit: up to a quarter of what the plan spends in a cell taken away
    spent = st.sampled_from(result.allocation).flatmap(lambda r: st.fixed_dictionaries({
        "unit_id": st.just(r.unit_id), "direction": st.just(r.direction), "year": st.just(r.year),
        "change_bn_kzt": st.floats(0.01, 1.0).map(lambda f: -f * r.bn_kzt / 4)}))
    changes = data.draw(st.one_of(st.lists(spent, min_size=1, max_size=4),
                                  st.lists(st.one_of(spent, anywhere), min_size=1, max_size=4)))
    outcome = api.apply_changes(prep, result, changes)
    event("accepted" if outcome.ok else "refused")
    expected = sum(c["change_bn_kzt"] * (1 if c["year"] is not None else len(plan.years)) for c in changes)
    if outcome.ok:
        assert outcome.added_bn_kzt == pytest.approx(expected, abs=1e-5)
        assert outcome.spent_bn_kzt == pytest.approx(plan.spent_bn_kzt + expected, abs=1e-4)
        assert all(math.isfinite(float(v)) for v in outcome.metrics_after.values())
    else:
        assert outcome.metrics_after is None and outcome.problems


def test_stored_versions_are_workshop_templates_a_revised_plan_among_them(tmp_path):
    from pathlib import Path

    from engine.interfaces.workshop_api import stored_templates
    from engine.store import open_store, save_scenario
    from engine.store.versions import adopt_revised_plan

    text = (Path(__file__).resolve().parents[2] / "data" / "scenarios" / "concept_2025_2030.yaml").read_text(
        encoding="utf-8")
    with open_store(f"sqlite:///{tmp_path / 'ws.sqlite'}") as store:
        saved = save_scenario(store, text)
        adopt_revised_plan(store, saved.id, saved.version, {"as_of": 2026, "replan": {"allocation": []}})
        found = stored_templates(store)
    assert list(found) == [f"store:{saved.id}:1", f"store:{saved.id}:2"]
    assert found[f"store:{saved.id}:2"][0].endswith("v2 (revised as of 2026)")
    assert found[f"store:{saved.id}:2"][1] == text

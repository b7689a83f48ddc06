"""Workshop rules: normalised priorities, the median aggregate, the scenario from priorities, the Borda count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.analysis.workshop import (
    Priorities,
    PrioritiesError,
    aggregate_priorities,
    apply_budget,
    borda_count,
    check_allocation_changes,
    compute_direction_capacity,
    fit_to_capacity,
    scenario_for_priorities,
)
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import scenario_from_text
from engine.model.study import build_study

TEMPLATE = scenario_from_text("""
name: Workshop template
base_year: 2024
horizon: [2025, 2027]
budget_bn_kzt: 300
objective: blend
equity_weight: 0.4
equity_share: 0.5
directions:
  mobility: {min: 0.3, max: 0.9}
assumptions: {capital_return: high}
""", "template.yaml")

weights = st.fixed_dictionaries({d: st.floats(0, 100, allow_nan=False) for d in DIRECTIONS}).filter(
    lambda w: sum(w.values()) > 1e-6)
shares = st.floats(0, 1, allow_nan=False)
priorities = st.builds(Priorities.of, weights, shares)


def p(a: float, c: float, m: float, i: float, e: float) -> Priorities:
    return Priorities.of(dict(zip(DIRECTIONS, (a, c, m, i), strict=True)), e)


def test_worked_example_by_hand():
    agg = aggregate_priorities([p(5, 1, 1, 3, 0.3), p(2, 5, 2, 1, 0.6), p(1, 2, 6, 1, 0.8)],
                               ["government", "business", "population"])
    assert agg.raw_medians == pytest.approx(dict(zip(DIRECTIONS, (0.2, 0.2, 0.2, 0.1), strict=True)))
    assert agg.priorities.weights == pytest.approx(dict(zip(DIRECTIONS, (2 / 7, 2 / 7, 2 / 7, 1 / 7), strict=True)))
    assert agg.priorities.equity_share == 0.6 and agg.count == 3
    assert agg.by_role["business"].weights["peripheral_compression"] == pytest.approx(0.5)


def test_even_count_takes_the_mean_of_the_middle_two_and_one_extremist_moves_little():
    agg = aggregate_priorities([p(1, 1, 1, 1, 0.2), p(1, 1, 1, 1, 0.4)])
    assert agg.priorities.weights == pytest.approx(dict.fromkeys(DIRECTIONS, 0.25))
    assert agg.priorities.equity_share == pytest.approx(0.3)
    crowd = [p(1, 1, 1, 1, 0.5)] * 4
    assert aggregate_priorities([*crowd, p(1, 0, 0, 0, 1.0)]).priorities == aggregate_priorities(crowd).priorities


def test_all_medians_zero_falls_back_to_mean_shares():
    agg = aggregate_priorities([p(1, 0, 0, 0, 0.5), p(0, 1, 0, 0, 0.5), p(0, 0, 1, 0, 0.5)])
    assert agg.priorities.weights == pytest.approx(dict(zip(DIRECTIONS, (1 / 3, 1 / 3, 1 / 3, 0), strict=True)))


def test_no_submissions_and_bad_priorities_are_refused():
    with pytest.raises(PrioritiesError, match="no submissions"):
        aggregate_priorities([])
    with pytest.raises(PrioritiesError, match="at least one weight must be above 0"):
        p(0, 0, 0, 0, 0.5)
    with pytest.raises(PrioritiesError) as info:
        Priorities.of({"agglomeration": float("nan"), "roads": 1, "mobility": True}, "half")
    found = [str(x) for x in info.value.problems]
    assert "priorities: weights.roads: unknown direction; allowed: " + ", ".join(DIRECTIONS) in found
    assert "priorities: weights.agglomeration: must be a number of 0 or more (nan)" in found
    assert "priorities: weights.mobility: must be a number of 0 or more (True)" in found
    assert "priorities: equity_share: must be a share between 0 and 1 ('half')" in found


@given(st.lists(priorities, min_size=1, max_size=9), st.randoms())
def test_aggregate_is_a_share_vector_independent_of_order(submissions, rnd):
    agg = aggregate_priorities(submissions)
    assert sum(agg.priorities.weights.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in agg.priorities.weights.values())
    low, high = min(s.equity_share for s in submissions), max(s.equity_share for s in submissions)
    assert low <= agg.priorities.equity_share <= high
    shuffled = list(submissions)
    rnd.shuffle(shuffled)
    assert aggregate_priorities(shuffled).priorities.weights == pytest.approx(agg.priorities.weights)


@given(priorities)
def test_unanimity_gives_the_common_priorities(one):
    agg = aggregate_priorities([one, one, one])
    assert agg.priorities.weights == pytest.approx(one.weights) and agg.priorities.equity_share == one.equity_share


@given(weights, shares, st.sampled_from([0.0, 0.05, 0.2]))
def test_scenario_from_priorities_is_valid_and_contains_the_weights(raw, equity, tolerance):
    scenario = scenario_for_priorities(TEMPLATE, raw, equity, tolerance)
    again = scenario_from_text(scenario.to_yaml(), "derived.yaml")  # a valid scenario file
    assert again == scenario
    norm = Priorities.of(raw, equity).weights
    for d in DIRECTIONS:
        b = scenario.bounds(d)
        assert b.min <= norm[d] <= b.max and b.max - b.min <= 2 * tolerance + 2e-6
    # the direction bounds admit a split of the whole budget (up to float rounding of the sum)
    assert sum(scenario.bounds(d).min for d in DIRECTIONS) <= 1 + 1e-12
    assert sum(scenario.bounds(d).max for d in DIRECTIONS) >= 1 - 1e-12
    assert scenario.equity_share == equity
    assert (scenario.budget_bn_kzt, scenario.objective, scenario.assumptions, scenario.equity_weight) == (
        TEMPLATE.budget_bn_kzt, TEMPLATE.objective, TEMPLATE.assumptions, TEMPLATE.equity_weight)


def test_priorities_replace_the_template_direction_bounds():
    scenario = scenario_for_priorities(TEMPLATE, dict.fromkeys(DIRECTIONS, 1), 0.7, name="Dana's plan")
    assert scenario.bounds("mobility").min == pytest.approx(0.2) and scenario.bounds("mobility").max == 0.3
    assert scenario.name == "Dana's plan" and "equity share 70%" in scenario.description
    assert apply_budget(scenario, 120).budget_bn_kzt == {2025: 120.0, 2026: 120.0, 2027: 120.0}
    assert apply_budget(scenario, None) is scenario


def test_borda_worked_example_and_ties():
    rows = borda_count([["A", "B", "C"]] * 2 + [["B", "C", "A"]] * 2 + [["C", "B", "A"]], ["A", "B", "C"])
    assert [(r.candidate, r.points, r.first_places, r.rank, r.tied) for r in rows] == [
        ("B", 7, 2, 1, False), ("A", 4, 2, 2, True), ("C", 4, 1, 2, True)]
    partial = borda_count([["C"], ["A", "B"]], ["A", "B", "C"])
    assert [(r.candidate, r.points) for r in partial] == [("A", 2), ("C", 2), ("B", 1)]
    assert [r.points for r in borda_count([], ["x", "y"])] == [0, 0]


@pytest.mark.parametrize(("ballot", "message"), [
    ([], "rank at least one candidate"),
    (["A", "A"], "ballot 1:2: candidate ranked twice ('A')"),
    (["Z"], "ballot 1:1: unknown candidate ('Z')"),
])
def test_bad_ballots_are_refused(ballot, message):
    with pytest.raises(PrioritiesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        borda_count([ballot], ["A", "B"])


@given(st.lists(st.permutations(list(range(5))).flatmap(lambda perm: st.integers(1, 5).map(lambda k: perm[:k])),
                max_size=12))
def test_borda_points_add_up(ballots):
    rows = borda_count(ballots, list(range(5)))
    assert sum(r.points for r in rows) == sum(sum(4 - k for k in range(len(b))) for b in ballots)
    assert [r.points for r in rows] == sorted((r.points for r in rows), reverse=True)
    assert all(r.rank == 1 + sum(o.points > r.points for o in rows) for r in rows)


def test_unanimous_full_ballots_elect_the_common_favourite():
    rows = borda_count([[2, 0, 1]] * 3, [0, 1, 2])
    assert [r.candidate for r in rows] == [2, 0, 1] and not any(r.tied for r in rows)


def test_allocation_changes_are_checked_and_canonical():
    assert check_allocation_changes(None) == []
    good = check_allocation_changes([{"unit_id": "akmola", "direction": "mobility", "change_bn_kzt": 5}])
    assert good == [{"unit_id": "akmola", "direction": "mobility", "year": None, "change_bn_kzt": 5.0}]
    with pytest.raises(PrioritiesError) as info:
        check_allocation_changes([{"unit_id": "", "direction": "roads", "year": 1800, "change_bn_kzt": "x",
                                   "colour": 1}, 3])
    found = [str(x) for x in info.value.problems]
    assert "allocation_changes:1: colour: unknown key" in found
    assert "allocation_changes:1: year: must be a year between 1990 and 2100 (1800)" in found
    assert "allocation_changes:2: must be a mapping ('int')" in found
    with pytest.raises(PrioritiesError, match="must be a list"):
        check_allocation_changes("move money")


capacities = st.fixed_dictionaries({}, optional={d: st.floats(0, 1.5, allow_nan=False) for d in DIRECTIONS})


@given(priorities, capacities)
def test_fitting_to_capacity_respects_capacity_and_keeps_proportions(one, cap):
    shares = fit_to_capacity(one.weights, cap)
    limit = {d: cap.get(d, float("inf")) for d in DIRECTIONS}
    assert all(0 <= shares[d] <= limit[d] + 1e-12 for d in DIRECTIONS)
    absorbable = sum(min(limit[d], 1.0) for d in DIRECTIONS)
    assert sum(shares.values()) == pytest.approx(min(1.0, absorbable), abs=1e-9)
    free = [d for d in DIRECTIONS if one.weights[d] > 0 and shares[d] < limit[d] - 1e-9]
    if len(free) >= 2:  # the directions not at capacity keep the proportions of their weights
        a, b = free[:2]
        assert shares[a] * one.weights[b] == pytest.approx(shares[b] * one.weights[a], abs=1e-9)
    if all(one.weights[d] <= limit[d] for d in DIRECTIONS):
        assert shares == pytest.approx(dict(one.weights))


def test_capacity_spills_to_directions_weighted_zero():
    shares = fit_to_capacity({"agglomeration": 0.0, "peripheral_compression": 0.0, "mobility": 1.0,
                              "interaction": 0.0}, {"mobility": 0.1, "interaction": 0.3})
    # the 0.9 left goes to the others in proportion to capacity (no limit counts as the whole budget): 1 : 1 : 0.3
    assert shares == pytest.approx({"agglomeration": 0.9 / 2.3, "peripheral_compression": 0.9 / 2.3,
                                    "mobility": 0.1, "interaction": 0.9 * 0.3 / 2.3})


def test_the_worked_aggregate_solves_once_fitted_to_the_real_capacity():
    # the module docstring's median on the Concept scenario: mobility and compression cannot absorb 29%
    from engine.allocation import optimize, prepare, with_scenario
    from engine.core.context import load_context
    from engine.core.scenario import load_scenario

    ctx = load_context()
    template = load_scenario("data/scenarios/concept_2025_2030.yaml")
    weights = dict(zip(DIRECTIONS, (2 / 7, 2 / 7, 2 / 7, 1 / 7), strict=True))
    plain = scenario_for_priorities(template, weights, 0.6)
    prep = prepare(build_study(ctx, plain))
    capacity = compute_direction_capacity(prep.forms, plain.years)
    assert capacity["mobility"] < 2 / 7 * plain.total_budget  # the plain mapping asks for more than fits
    assert optimize(with_scenario(prep, plain), with_baselines=False).status.value == "infeasible"
    fitted = scenario_for_priorities(template, weights, 0.6, capacity_bn_kzt=capacity)
    assert fitted.bounds("mobility").min <= capacity["mobility"] / fitted.total_budget
    assert fitted.bounds("agglomeration").min > plain.bounds("agglomeration").min  # the excess went elsewhere
    result = optimize(build_study(ctx, fitted), with_baselines=False)
    assert result.status.value == "optimal"
    spent = {d: 0.0 for d in DIRECTIONS}
    for row in result.allocation:
        spent[row.direction] += row.bn_kzt
    for d in DIRECTIONS:
        share = spent[d] / fitted.total_budget
        assert fitted.bounds(d).min - 1e-6 <= share <= fitted.bounds(d).max + 1e-6

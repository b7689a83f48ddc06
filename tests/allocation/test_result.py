"""The result's JSON: public keys, strict JSON, and the allocation frame."""

import json

import pytest

from engine.allocation import Status, optimize
from engine.allocation.result import AllocationRow
from engine.core.metrics import DISPARITY_METRIC_KEYS
from engine.model.study import build_study


def test_json_is_strict_and_complete(world):
    scenario = world.scenario("{budget_bn_kzt: 900, objective: maximin, equity_share: 0.5}")
    result = optimize(build_study(world.ctx, scenario, direction_rules=world.direction_rules))
    doc = result.to_json()
    text = json.dumps(doc, allow_nan=False)  # no NaN or infinity leaks out
    assert json.loads(text) == doc
    assert {"status", "objective", "objective_value", "allocation", "metrics_before", "metrics_baseline",
            "metrics_after", "problem_regions_before", "problem_regions_baseline", "problem_regions_after",
            "budget_shadow_price", "binding_constraints", "explanations", "baselines"} <= set(doc)
    assert set(DISPARITY_METRIC_KEYS) | {"problem_regions"} <= set(doc["metrics_after"])
    assert doc["problem_regions_before"] == {"count": 1, "units": ["low"]}
    assert doc["metrics_by_year"]["plan"].keys() == {"2019", "2020"}
    assert doc["trajectories"]["plan"]["low"]["grp_per_capita"][1] == pytest.approx(1000 + 0.5 * 900)
    assert doc["stages"][0]["coefficient_range"]["matrix"]
    frame = result.allocation_frame()
    assert list(frame.columns) == ["unit_id", "direction", "year", "bn_kzt", "part"]
    assert frame["bn_kzt"].sum() == pytest.approx(900.0)


def test_status_values_are_the_public_words():
    assert [s.value for s in Status] == ["optimal", "time_limit_feasible", "infeasible", "unbounded", "error"]
    assert Status.TIME_LIMIT_FEASIBLE.solved and not Status.INFEASIBLE.solved


def test_spending_by_sums_rows():
    from engine.allocation.result import OptimizationResult

    rows = (AllocationRow("a", "mobility", 2020, 1.5, "equity"), AllocationRow("a", "agglomeration", 2021, 2.0,
                                                                                 "equity"))
    result = OptimizationResult.__new__(OptimizationResult)
    object.__setattr__(result, "allocation", rows)
    assert result.spending_by("unit_id") == {"a": 3.5}
    assert result.spending_by("year") == {2020: 1.5, 2021: 2.0}

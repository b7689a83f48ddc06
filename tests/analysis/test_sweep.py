"""Robustness sweeps: Latin-hypercube draws, one evaluator contract on three back ends, the summary, the CLI."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.analysis.sweep import (
    REFERENCE,
    DaskEvaluator,
    ProcessEvaluator,
    SequentialEvaluator,
    UncertainParameter,
    prepare_sweep,
    run_sweep,
    sample_draws,
    uncertain_parameters,
)
from engine.core.context import load_context
from engine.core.errors import ScenarioError
from engine.core.parameters import load_direction_rules
from engine.core.scenario import load_scenario
from engine.interfaces.cli import main
from engine.model.study import build_study

SCENARIO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "concept_2025_2030.yaml"
SWEPT = ["capital_return", "hub_premium", "baseline_convergence", "implementation_efficiency"]


@pytest.fixture(scope="module")
def setup():
    ctx = load_context()
    direction_rules = load_direction_rules(known_units=set(ctx.dataset.units.index))
    scenario = load_scenario(SCENARIO, direction_rules, set(ctx.dataset.units_in_year(2024)))
    return prepare_sweep(build_study(ctx, scenario, direction_rules=direction_rules), SWEPT)


@pytest.fixture(scope="module")
def sequential(setup):
    calls = []
    result = run_sweep(setup, 5, seed=11, evaluator=SequentialEvaluator(), progress=lambda d, n: calls.append((d, n)))
    return result, calls


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(0, 10_000), st.integers(1, 4))
def test_latin_hypercube_puts_one_draw_in_each_stratum(n, seed, d):
    params = [UncertainParameter(f"p{i}", float(i), float(i) + 2.0, float(i) + 1.0, "assumption") for i in range(d)]
    draws = sample_draws(params, n, seed)
    assert draws == sample_draws(params, n, seed)
    for p in params:
        strata = sorted(int((draw[p.id] - p.low) / (p.high - p.low) * n) for draw in draws)
        assert strata == list(range(n))


def test_every_parameter_with_a_range_is_swept_unless_a_subset_is_chosen():
    direction_rules = load_direction_rules()
    every = uncertain_parameters(direction_rules)
    ids = {p.id for p in every}
    assert "capital_return" in ids and "segment_slopes" not in ids
    assert all(p.low < p.high for p in every)
    with pytest.raises(ScenarioError, match="segment_slopes"):
        uncertain_parameters(direction_rules, ["segment_slopes"])


def test_candidates_and_outcomes(setup, sequential):
    result, calls = sequential
    assert set(setup.candidates) >= {REFERENCE, "optimizer_low", "optimizer_high", "formula_eu_style"}
    assert calls == [(i, 5) for i in range(1, 6)]
    frame = result.frame()
    assert len(frame) == 5 * len(setup.candidates)
    # each draw's best plan is the optimizer's under that draw: no candidate does much better in simulation
    assert (frame["regret"] > -1e-3 * frame["metric"]).all()
    assert frame[frame["plan"] == "formula_equal_per_capita"]["regret"].min() > 0
    for draw in result.draws:
        assert set(draw.overrides) == set(SWEPT)
    doc = result.to_json()
    choice = doc["robust_choice"]
    assert choice["minimax_regret"] in setup.candidates and choice["best_expected"] in setup.candidates
    assert {s["parameter"] for s in doc["sensitivity"]} == set(SWEPT)
    convergence = next(s for s in doc["sensitivity"] if s["parameter"] == "baseline_convergence")
    assert convergence["rho_metric"] < -0.8  # faster convergence, a lower max/min ratio
    assert doc["summary"][REFERENCE]["p_ratio_falls_vs_base"] == 1.0
    json.dumps(doc)


def test_local_processes_give_the_same_outcomes(setup, sequential):
    parallel = run_sweep(setup, 5, seed=11, evaluator=ProcessEvaluator(2))
    assert parallel.frame().drop(columns=[]).equals(sequential[0].frame())


def test_a_dask_cluster_gives_the_same_outcomes(setup, sequential):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_client = run_sweep(setup, 5, seed=11, evaluator=DaskEvaluator(client=client))
        by_address = run_sweep(setup, 2, seed=11, evaluator=DaskEvaluator(cluster.scheduler_address))
    assert on_client.backend == "dask" and on_client.frame().equals(sequential[0].frame())
    assert len(by_address.draws) == 2


def test_an_unreachable_scheduler_is_a_clear_error(setup):
    from engine.analysis.sweep import SweepClusterError

    with pytest.raises(SweepClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_sweep(setup, 1, evaluator=DaskEvaluator("tcp://127.0.0.1:9", timeout="1s"))


def test_the_sweep_command(tmp_path, capsys):
    out = tmp_path / "sweep.json"
    assert main(["sweep", "--scenario", str(SCENARIO), "--draws", "3", "--workers", "1", "--parameters",
                 "hub_premium,capital_return", "--json", str(out), "--no-progress"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["draws"] == 3 and doc["backend"] == "sequential" and len(doc["by_draw"]) == 3
    assert "Least worst-case regret" in capsys.readouterr().out
    assert main(["sweep", "--scenario", str(SCENARIO), "--draws", "3", "--parameters", "no_such_thing",
                 "--json", str(out)]) == 2
    assert "no_such_thing" in capsys.readouterr().err
    assert main(["sweep", "--scenario", str(SCENARIO), "--draws", "0", "--json", str(out)]) == 2


def test_regret_is_measured_against_the_draws_best_plan(setup):
    from engine.analysis.sweep import evaluate_draw

    draw = evaluate_draw(setup, 0, {"capital_return": 0.24})
    assert draw.status == "optimal" and draw.best_metric is not None
    assert min(o.metric for o in draw.plans.values()) >= draw.best_metric - 1e-3 * draw.best_metric
    assert 0.0 <= draw.plan_shift <= 1.0
    assert np.isfinite(draw.baseline_ratio)

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.context import load_context
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.model.migration import (
    GravityParameters,
    apply_flows,
    calibrate_gravity,
    destination_shares,
    gravity_flows,
    net_migration,
)
from engine.model.response import build_baseline

UNITS = ["a", "b", "c"]
# a line a - b - c, 100 km apart (a to c: 200 km)
LINE_KM = pd.DataFrame([[0, 100, 200], [100, 0, 100], [200, 100, 0]], index=UNITS, columns=UNITS, dtype=float)


@pytest.fixture(scope="module")
def shipped():
    ctx = load_context()
    return ctx, ParameterValues(load_direction_rules())


def test_three_unit_line_by_hand():
    # kernel_ij = P_i P_j (y_j / y_i) / d_ij with P = 100, 200, 100 and y = 1, 2, 1:
    # a->b 400, a->c 50, b->a 100, b->c 100, c->a 50, c->b 400; total 1,100
    # rate 0.011 x 400 people = 4.4 movers, k = 4.4 / 1,100 = 0.004
    params = GravityParameters(1.0, 1.0, 1.0, 1.0, 0.011)
    pop = pd.Series([100.0, 200.0, 100.0], index=UNITS)
    income = pd.Series([1.0, 2.0, 1.0], index=UNITS)
    flows = gravity_flows(pop, income, LINE_KM, params)
    assert flows.at["a", "b"] == pytest.approx(1.6) and flows.at["a", "c"] == pytest.approx(0.2)
    assert flows.at["b", "a"] == pytest.approx(0.4) and flows.to_numpy().sum() == pytest.approx(4.4)
    assert net_migration(flows).to_dict() == pytest.approx({"a": -1.2, "b": 2.4, "c": -1.2})
    # movers from a: to b 200 x 2 / 100 = 4, to c 100 x 1 / 200 = 0.5 -> 8/9 and 1/9
    shares = destination_shares("a", ["b", "c"], pop, income, LINE_KM, params)
    assert shares == pytest.approx({"b": 8 / 9, "c": 1 / 9})
    assert apply_flows(pop, flows).to_dict() == pytest.approx({"a": 98.8, "b": 202.4, "c": 98.8})


def test_no_income_gap_and_equal_sizes_means_no_net_migration():
    params = GravityParameters(0.7, 0.7, 0.5, 0.8, 0.02)
    pop = pd.Series(1000.0, index=UNITS)
    flows = gravity_flows(pop, pd.Series(5.0, index=UNITS), LINE_KM, params)
    assert flows.to_numpy().sum() > 0
    np.testing.assert_allclose(net_migration(flows).to_numpy(), 0.0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(1e3, 3e6), st.floats(300, 20000), st.floats(50, 3000)), min_size=2, max_size=8),
       st.floats(0.0, 2.0), st.floats(0.0, 2.0), st.floats(0.0, 2.0), st.floats(0.0, 1.5), st.floats(0.0, 0.05))
def test_migration_conserves_people(rows, a, b, beta, gamma, rate):
    units = [f"u{i}" for i in range(len(rows))]
    pop = pd.Series([r[0] for r in rows], index=units)
    income = pd.Series([r[1] for r in rows], index=units)
    coords = np.array([r[2] for r in rows])
    km = pd.DataFrame(np.abs(coords[:, None] - coords[None, :]) + 10.0, index=units, columns=units)
    flows = gravity_flows(pop, income, km, GravityParameters(a, b, beta, gamma, rate))
    assert (flows.to_numpy() >= 0).all() and np.diag(flows.to_numpy()).sum() == 0
    assert flows.to_numpy().sum() == pytest.approx(rate * pop.sum(), rel=1e-9, abs=1e-9)
    assert net_migration(flows).sum() == pytest.approx(0.0, abs=1e-6 * max(1.0, pop.sum() * rate))
    assert apply_flows(pop, flows).sum() == pytest.approx(pop.sum(), rel=1e-12)


def test_rules_hold_the_calibrated_parameters(shipped):
    ctx, a = shipped
    fit = calibrate_gravity(ctx.dataset, a)
    p = fit.parameters
    assert fit.years == [2022, 2023, 2024] and len(fit.units) == 20
    assert p.origin_elasticity == pytest.approx(a.value("gravity_origin_population_elasticity"), abs=0.01)
    assert p.destination_elasticity == pytest.approx(a.value("gravity_destination_population_elasticity"), abs=0.01)
    assert p.income_elasticity == pytest.approx(a.value("gravity_income_elasticity"), abs=0.01)
    assert p.migration_rate == pytest.approx(a.value("interregional_migration_rate"), abs=5e-4)
    assert a.value("gravity_income_elasticity") > 0  # towards income: the sign Aldashev & Dietz (2014) find
    assert fit.r2_net_rate > 0.4 and fit.sign_agreement > 0.75
    assert fit.outflow_exceeds_departures == 0  # modelled interregional departures fit inside registered ones
    for name, pid in (("a", "gravity_origin_population_elasticity"), ("b", "gravity_destination_population_elasticity"),
                      ("beta", "gravity_income_elasticity")):
        param = a.direction_rules.parameters[pid]  # the range is the fit +- 1.645 standard errors
        assert param.low == pytest.approx(param.central - 1.645 * fit.standard_errors[name], abs=0.011)
        assert param.high == pytest.approx(param.central + 1.645 * fit.standard_errors[name], abs=0.011)


def test_baseline_migration_is_zero_sum_and_leaves_natural_growth(shipped):
    ctx, a = shipped
    baseline = build_baseline(ctx.dataset, 2024, 2030, a)
    mig = baseline.migration
    assert mig is not None and mig.anchored_years == (2022, 2023, 2024)
    assert mig.anchor.sum() == pytest.approx(0.0, abs=1e-6)
    nets = baseline.net_migration
    np.testing.assert_allclose(nets.sum().to_numpy(), 0.0, atol=1e-6)
    for prev, year in zip(baseline.years, baseline.years[1:], strict=False):
        natural = (baseline.population[prev] * np.exp(mig.natural_growth)).sum()
        assert baseline.population[year].sum() == pytest.approx(natural, rel=1e-12)
    # the first projected year carries the observed 2022-2024 net migration forward (about)
    observed = pd.concat([ctx.dataset.values("interregional_net_migration", y) for y in (2022, 2023, 2024)],
                         axis=1).mean(axis=1)
    assert nets[2025]["astana"] == pytest.approx(observed["astana"], rel=0.15)
    assert nets[2025]["turkistan"] == pytest.approx(observed["turkistan"], rel=0.15)


def test_without_migration_data_the_baseline_keeps_the_plain_trend(shipped):
    ctx, a = shipped
    baseline = build_baseline(ctx.dataset, 2019, 2023, a)
    assert baseline.migration is not None and baseline.migration.anchor is None
    assert baseline.net_migration is None

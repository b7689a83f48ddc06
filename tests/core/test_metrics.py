"""Tests for engine.core.metrics: hand-worked cases, properties, and cross-checks against PySAL's inequality."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from inequality.atkinson import Atkinson
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from engine.core.metrics import (
    DISPARITY_METRIC_KEYS,
    MaxMinRatio,
    atkinson,
    coefficient_of_variation,
    compute_disparity_metrics,
    gini,
    max_min_ratio,
    sd_log,
    share_population_below,
    theil_decomposition,
    theil_l,
    theil_t,
    williamson,
)

PROPERTY = settings(deadline=None, database=None)
RTOL, ATOL = 1e-9, 1e-12
LN2 = math.log(2.0)

VALUE = st.floats(min_value=0.1, max_value=1e5, allow_nan=False, allow_infinity=False)
WEIGHT = st.floats(min_value=0.1, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def weighted_data(draw: st.DrawFn, min_size: int = 1) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_value=min_size, max_value=30))
    y = draw(st.lists(VALUE, min_size=n, max_size=n))
    w = draw(st.lists(WEIGHT, min_size=n, max_size=n))
    return np.array(y), np.array(w)


# Every weighted metric as a function of (values, weights); weights=None gives the unweighted form.
WEIGHTED = {
    "gini": gini,
    "theil_t": theil_t,
    "theil_l": theil_l,
    "atkinson_0_5": lambda y, w: atkinson(y, 0.5, w),
    "atkinson_1": lambda y, w: atkinson(y, 1.0, w),
    "atkinson_2": lambda y, w: atkinson(y, 2.0, w),
    "sd_log": sd_log,
}
POPULATION_ONLY = {"williamson": williamson}


def all_weighted(y: np.ndarray, w: np.ndarray) -> dict[str, float]:
    out = {name: f(y, w) for name, f in WEIGHTED.items()}
    out.update({name: f(y, w) for name, f in POPULATION_ONLY.items()})
    return out


def all_unweighted(y: np.ndarray) -> dict[str, float]:
    out = {name: f(y, None) for name, f in WEIGHTED.items()}
    out["cv"] = coefficient_of_variation(y)
    return out


def assert_same(a: dict[str, float], b: dict[str, float]) -> None:
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=RTOL, atol=ATOL, err_msg=key)


def near_cut(y: np.ndarray, w: np.ndarray, threshold: float = 0.75) -> bool:
    """True when a unit sits within rounding of the share-below cut, where the strict test may flip."""
    cut = threshold * np.dot(w, y) / w.sum()
    return bool(np.any(np.abs(y - cut) <= 1e-9 * cut))


# --- cases worked out by hand ----------------------------------------------------------------------


def test_two_values_cv_and_gini() -> None:
    # [1, 3]: mean 2, population SD 1 -> CV = 1/2.
    # Gini: |1-3| + |3-1| = 4 over 2 n^2 mean = 2 * 4 * 2 = 16 -> 0.25.
    assert coefficient_of_variation([1.0, 3.0]) == pytest.approx(0.5, rel=1e-15)
    assert gini([1.0, 3.0]) == pytest.approx(0.25, rel=1e-15)


def test_weighted_gini_counts_weight_as_copies() -> None:
    # [1, 3] with weights [1, 3] is [1, 3, 3, 3]: 3 pairs (1, 3) each way -> 12; n = 4, mean = 2.5,
    # 2 n^2 mean = 80 -> 12 / 80 = 0.15.
    np.testing.assert_allclose(gini([1.0, 3.0], [1.0, 3.0]), 0.15, rtol=1e-14)
    np.testing.assert_allclose(gini([1.0, 3.0, 3.0, 3.0]), 0.15, rtol=1e-14)


def test_max_min_ratio_official_example() -> None:
    values = pd.Series({"Atyrau": 14584.4, "Turkistan": 1008.1, "Almaty": 5000.0})
    result = max_min_ratio(values)
    assert result == MaxMinRatio(
        ratio=14584.4 / 1008.1, max_unit="Atyrau", min_unit="Turkistan", max_value=14584.4, min_value=1008.1
    )
    np.testing.assert_allclose(result.ratio, 14.4672155540, rtol=1e-10)


def test_max_min_ratio_ties_take_first_sorted_unit() -> None:
    result = max_min_ratio(pd.Series({"d": 5.0, "b": 1.0, "c": 5.0, "a": 1.0}))
    assert (result.max_unit, result.min_unit, result.ratio) == ("c", "a", 5.0)
    # numeric ids sort as numbers, not as text; plain arrays use positions
    assert max_min_ratio(pd.Series({10: 2.0, 9: 2.0, 11: 1.0})).max_unit == "9"
    assert max_min_ratio([3.0, 1.0, 3.0]).max_unit == "0"


def test_williamson_unequal_populations() -> None:
    # y = [1, 4], populations [2, 1]: shares 2/3, 1/3; ybar_w = 2/3 + 4/3 = 2;
    # variance = 2/3 * (1-2)^2 + 1/3 * (4-2)^2 = 2/3 + 4/3 = 2 -> V_w = sqrt(2) / 2.
    np.testing.assert_allclose(williamson([1.0, 4.0], [2.0, 1.0]), math.sqrt(2) / 2, rtol=1e-14)
    # equal populations reduce it to the plain CV: mean 2.5, SD 1.5 -> 0.6
    np.testing.assert_allclose(williamson([1.0, 4.0], [7.0, 7.0]), 0.6, rtol=1e-14)
    np.testing.assert_allclose(coefficient_of_variation([1.0, 4.0]), 0.6, rtol=1e-14)


def test_share_population_below_75pct() -> None:
    # y = [1, 4], populations [2, 1]: ybar_w = 2, cut 1.5; only the first unit (2 of 3 people) is below.
    np.testing.assert_allclose(share_population_below([1.0, 4.0], [2.0, 1.0]), 2 / 3, rtol=1e-15)
    # y = [3, 5], equal populations: mean 4, cut exactly 3; 3 is not strictly below -> 0.
    assert share_population_below([3.0, 5.0], [1.0, 1.0]) == 0.0
    # with threshold 1 the cut is 4 and the first unit (half the people) is below
    assert share_population_below([3.0, 5.0], [1.0, 1.0], threshold=1.0) == 0.5


def test_theil_atkinson_sd_log_for_one_and_four() -> None:
    y = [1.0, 4.0]  # mean 2.5, geometric mean 2, harmonic mean 1.6, (mean of sqrt)^2 = 2.25
    np.testing.assert_allclose(theil_t(y), 0.2 * math.log(0.4) + 0.8 * math.log(1.6), rtol=1e-14)
    np.testing.assert_allclose(theil_l(y), math.log(1.25), rtol=1e-14)
    np.testing.assert_allclose(atkinson(y, 0.5), 1 - 2.25 / 2.5, rtol=1e-14)
    np.testing.assert_allclose(atkinson(y, 1.0), 1 - 2.0 / 2.5, rtol=1e-14)
    np.testing.assert_allclose(atkinson(y, 2.0), 1 - 1.6 / 2.5, rtol=1e-14)
    np.testing.assert_allclose(sd_log(y), LN2, rtol=1e-14)  # logs 0 and 2 ln 2


def test_atkinson_below_one_accepts_a_zero_value() -> None:
    # y = [0, 2]: y/mu = [0, 2]; (0.5 * sqrt(0) + 0.5 * sqrt(2))^2 = 0.5 -> A(0.5) = 0.5
    np.testing.assert_allclose(atkinson([0.0, 2.0], 0.5), 0.5, rtol=1e-14)


def test_theil_decomposition_all_between() -> None:
    # Two groups, each equal inside: south {1, 1}, north {4}. mu = 2, income shares 1/3 and 2/3.
    # T = 2 * (1/6) ln(1/2) + (4/6) ln(4/2) = (ln 2) / 3; population shares 2/3, 1/3:
    # L = (2/3) ln(2/1) + (1/3) ln(2/4) = (ln 2) / 3. Every bit of it lies between the groups.
    values = pd.Series({"a": 1.0, "b": 1.0, "c": 4.0})
    groups = pd.Series({"a": "south", "b": "south", "c": "north"})
    for kind in ("T", "L"):
        d = theil_decomposition(values, groups, kind=kind)
        np.testing.assert_allclose([d.total, d.between, d.within], [LN2 / 3, LN2 / 3, 0.0], atol=1e-15)
        assert d.by_group == {"north": 0.0, "south": 0.0}
    # The same with one southern unit of population 2 instead of two of population 1.
    d = theil_decomposition([1.0, 4.0], ["south", "north"], weights=[2.0, 1.0])
    np.testing.assert_allclose([d.total, d.between, d.within], [LN2 / 3, LN2 / 3, 0.0], atol=1e-15)


def test_theil_decomposition_tends_to_pysal_ln2_case() -> None:
    # PySAL's case y = [0, 0, 0, 10, 10, 10] in two groups gives T = between = ln 2. Our Theil needs
    # positive values, so the poor group gets 1e-12: T differs from ln 2 by about 3e-12.
    values = np.array([1e-12] * 3 + [10.0] * 3)
    d = theil_decomposition(values, [0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose([d.total, d.between, d.within], [LN2, LN2, 0.0], atol=1e-10)


def test_theil_decomposition_mixed_case() -> None:
    # A = {1, 3}, B = {4}: total 8, mu = 8/3, S_A = S_B = 1/2, mu_A = 2, mu_B = 4.
    # between = 1/2 ln(2 / (8/3)) + 1/2 ln(4 / (8/3)) = 1/2 ln(9/8)
    # T_A = 1/4 ln(1/2) + 3/4 ln(3/2); within = S_A T_A = 1/8 ln(1/2) + 3/8 ln(3/2)
    # total = 1/8 ln(3/8) + 3/8 ln(9/8) + 1/2 ln(3/2), which equals between + within.
    d = theil_decomposition([1.0, 3.0, 4.0], ["A", "A", "B"])
    between = 0.5 * math.log(9 / 8)
    within = math.log(0.5) / 8 + 3 * math.log(1.5) / 8
    total = math.log(3 / 8) / 8 + 3 * math.log(9 / 8) / 8 + math.log(1.5) / 2
    np.testing.assert_allclose([d.total, d.between, d.within], [total, between, within], rtol=1e-13)
    np.testing.assert_allclose(d.by_group["A"], within, rtol=1e-13)
    assert d.by_group["B"] == 0.0
    # groups with the same distribution: nothing between them
    d = theil_decomposition([1.0, 4.0, 1.0, 4.0], ["x", "x", "y", "y"], kind="L")
    np.testing.assert_allclose([d.between, d.within, d.total], [0.0, math.log(1.25), math.log(1.25)], atol=1e-15)


# --- compute_disparity_metrics ---------------------------------------------------------------------


def regions() -> tuple[pd.Series, pd.Series, pd.Series]:
    values = pd.Series({"AST": 9000.0, "ALA": 7000.0, "ATY": 14584.4, "TUR": 1008.1, "KAR": 4000.0})
    population = pd.Series({"AST": 1.4, "ALA": 2.2, "ATY": 0.7, "TUR": 2.1, "KAR": 1.1}) * 1e6
    groups = pd.Series({"AST": "city", "ALA": "city", "ATY": "resource", "TUR": "agrarian", "KAR": "industrial"})
    return values, population, groups


def test_compute_disparity_metrics_keys_types_and_consistency() -> None:
    values, population, groups = regions()
    before = (values.copy(), population.copy(), groups.copy())
    m = compute_disparity_metrics(values, population, groups)
    assert tuple(m) == DISPARITY_METRIC_KEYS
    assert (m["max_unit"], m["min_unit"]) == ("ATY", "TUR")
    for key, value in m.items():
        assert type(value) is (str if key in ("max_unit", "min_unit") else float), key
    np.testing.assert_allclose(m["theil_between"] + m["theil_within"], m["theil_t_weighted"], atol=1e-12)
    np.testing.assert_allclose(m["gini_weighted"], gini(values, population), rtol=1e-15)
    np.testing.assert_allclose(m["atkinson_1"], 1 - math.exp(-m["theil_l_weighted"]), rtol=1e-12)
    for original, after in zip(before, (values, population, groups), strict=True):
        pd.testing.assert_series_equal(original, after)


def test_compute_disparity_metrics_aligns_by_unit_id() -> None:
    values, population, groups = regions()
    shuffled = population.iloc[::-1]
    extra = pd.concat([shuffled, pd.Series({"ZZZ": 5.0})])
    assert compute_disparity_metrics(values, extra, groups.iloc[::-1]) == compute_disparity_metrics(
        values, population, groups
    )


def test_compute_disparity_metrics_without_groups() -> None:
    values, population, _ = regions()
    m = compute_disparity_metrics(values, population, None)
    assert m["theil_between"] == 0.0
    assert m["theil_within"] == m["theil_t_weighted"]


def test_compute_disparity_metrics_names_missing_units() -> None:
    values, population, groups = regions()
    with pytest.raises(ValueError, match="population.*TUR"):
        compute_disparity_metrics(values, population.drop("TUR"), groups)
    with pytest.raises(ValueError, match="groups.*ATY"):
        compute_disparity_metrics(values, population, groups.drop("ATY"))


# --- properties ------------------------------------------------------------------------------------


@PROPERTY
@given(n=st.integers(1, 30), v=VALUE, pop=st.lists(WEIGHT, min_size=30, max_size=30))
def test_equal_values_show_no_disparity(n: int, v: float, pop: list[float]) -> None:
    ids = [f"r{i:02d}" for i in range(n)]
    values = pd.Series(v, index=ids)
    groups = pd.Series([i % 3 for i in range(n)], index=ids)
    m = compute_disparity_metrics(values, pd.Series(pop[:n], index=ids), groups)
    assert m.pop("max_min_ratio") == 1.0
    assert (m.pop("max_unit"), m.pop("min_unit")) == ("r00", "r00")
    np.testing.assert_allclose(list(m.values()), 0.0, atol=ATOL)


@PROPERTY
@given(data=weighted_data(), c=st.floats(min_value=1e-3, max_value=1e3))
def test_scale_invariance(data: tuple[np.ndarray, np.ndarray], c: float) -> None:
    y, w = data
    assert_same(all_weighted(c * y, w), all_weighted(y, w))
    assert_same(all_unweighted(c * y), all_unweighted(y))
    np.testing.assert_allclose(max_min_ratio(c * y).ratio, max_min_ratio(y).ratio, rtol=RTOL)
    assume(not near_cut(y, w))
    assert share_population_below(c * y, w) == share_population_below(y, w)


@PROPERTY
@given(data=weighted_data(), k=st.integers(2, 5))
def test_replicating_every_unit_or_scaling_weights(data: tuple[np.ndarray, np.ndarray], k: int) -> None:
    y, w = data
    base = all_weighted(y, w)
    assert_same(all_weighted(np.tile(y, k), np.tile(w, k)), base)
    assert_same(all_weighted(y, k * w), base)
    assert_same(all_unweighted(np.tile(y, k)), all_unweighted(y))
    assume(not near_cut(y, w))
    assert share_population_below(np.tile(y, k), np.tile(w, k)) == pytest.approx(
        share_population_below(y, w), rel=1e-12
    )


@PROPERTY
@given(data=weighted_data(), k=st.integers(2, 6), pick=st.integers(0, 29))
def test_k_copies_of_weight_one_equal_one_unit_of_weight_k(
    data: tuple[np.ndarray, np.ndarray], k: int, pick: int
) -> None:
    y, w = data
    j = pick % y.size
    one_heavy = w.copy()
    one_heavy[j] = k
    light = w.copy()
    light[j] = 1.0
    copies_y = np.concatenate([y, np.full(k - 1, y[j])])
    copies_w = np.concatenate([light, np.ones(k - 1)])
    assert_same(all_weighted(copies_y, copies_w), all_weighted(y, one_heavy))


@PROPERTY
@given(data=weighted_data(min_size=2))
def test_zero_weight_unit_counts_as_absent(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, w = data
    w0 = w.copy()
    w0[0] = 0.0
    assert_same(all_weighted(y, w0), all_weighted(y[1:], w[1:]))


@PROPERTY
@given(data=weighted_data(), labels=st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_theil_decomposition_identity(data: tuple[np.ndarray, np.ndarray], labels: list[int]) -> None:
    y, w = data
    groups = labels[: y.size]
    for kind, total_of in (("T", theil_t), ("L", theil_l)):
        for weights in (None, w):
            d = theil_decomposition(y, groups, weights, kind=kind)
            np.testing.assert_allclose(d.between + d.within, d.total, rtol=0, atol=1e-12)
            np.testing.assert_allclose(sum(d.by_group.values()), d.within, rtol=0, atol=1e-15)
            np.testing.assert_allclose(d.total, total_of(y, weights), rtol=0, atol=0)
            assert d.between >= -1e-15
            assert min(d.by_group.values()) >= 0.0
            assert set(d.by_group) == {str(g) for g in groups}


@PROPERTY
@given(data=weighted_data())
def test_gini_in_unit_interval(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, w = data
    for g in (gini(y), gini(y, w)):
        assert 0.0 <= g < 1.0


@PROPERTY
@given(data=weighted_data())
def test_atkinson_increases_with_aversion(data: tuple[np.ndarray, np.ndarray]) -> None:
    y, w = data
    for weights in (None, w):
        a = [atkinson(y, e, weights) for e in (0.0, 0.5, 1.0, 2.0, 5.0)]
        assert a[0] == pytest.approx(0.0, abs=ATOL)
        assert all(lo <= hi + ATOL for lo, hi in zip(a, a[1:], strict=False))
        assert all(0.0 <= x < 1.0 for x in a)


# --- cross-checks against PySAL's inequality package -----------------------------------------------
# PySAL's measures are unweighted. Theil(y).T = sum_i s_i ln(n s_i) with s_i = y_i / sum(y), which is
# our unweighted T since n s_i = y_i / mean. TheilD(y, g).bg = sum_g s_g ln(n s_g / n_g), our T between
# (n s_g / n_g = mu_g / mu); its .wg is the residual T - bg, whereas ours is sum_g S_g T_g computed
# directly, so agreement also checks the identity. Gini(y).g uses the sorted-rank formula. Weighted
# forms are checked by expanding integer weights into copies for PySAL.

SEEDS = range(12)


def random_case(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    y = rng.lognormal(mean=8.0, sigma=0.8, size=n)
    groups = rng.integers(0, 4, size=n)
    counts = rng.integers(1, 6, size=n)
    return y, groups, counts


@pytest.mark.parametrize("seed", SEEDS)
def test_against_pysal_unweighted(seed: int) -> None:
    y, groups, _ = random_case(seed)
    np.testing.assert_allclose(theil_t(y), float(Theil(y).T), rtol=1e-9)
    np.testing.assert_allclose(gini(y), float(Gini(y).g), rtol=1e-9)
    for eps in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(atkinson(y, eps), Atkinson(y, eps).A, rtol=1e-9)
    # Theil L (not in PySAL) through the identity A(1) = 1 - exp(-L)
    np.testing.assert_allclose(theil_l(y), -math.log(1 - Atkinson(y, 1.0).A), rtol=1e-9)
    ref = TheilD(y, groups)
    ours = theil_decomposition(y, groups)
    np.testing.assert_allclose(ours.total, float(np.squeeze(ref.T)), rtol=1e-9)
    np.testing.assert_allclose(ours.between, float(np.squeeze(ref.bg)), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.within, float(np.squeeze(ref.wg)), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_against_pysal_with_integer_weights_as_copies(seed: int) -> None:
    y, groups, counts = random_case(seed)
    expanded, expanded_groups = np.repeat(y, counts), np.repeat(groups, counts)
    w = counts.astype(float)
    np.testing.assert_allclose(gini(y, w), float(Gini(expanded).g), rtol=1e-9)
    np.testing.assert_allclose(theil_t(y, w), float(Theil(expanded).T), rtol=1e-9)
    for eps in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(atkinson(y, eps, w), Atkinson(expanded, eps).A, rtol=1e-9)
    ref = TheilD(expanded, expanded_groups)
    ours = theil_decomposition(y, groups, w)
    np.testing.assert_allclose(ours.between, float(np.squeeze(ref.bg)), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.within, float(np.squeeze(ref.wg)), rtol=1e-9, atol=1e-12)


# --- input errors ----------------------------------------------------------------------------------

ONE_ARG = [coefficient_of_variation, max_min_ratio, gini, theil_t, theil_l, sd_log, lambda y: atkinson(y, 1.0)]
WITH_POP = [williamson, share_population_below, gini, theil_t, theil_l, sd_log, lambda y, w: atkinson(y, 2.0, w)]
LOG_METRICS = [max_min_ratio, theil_t, theil_l, sd_log, lambda y: atkinson(y, 1.0), lambda y: atkinson(y, 2.0)]


@pytest.mark.parametrize("f", ONE_ARG)
@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([], "empty"),
        (pd.Series([], dtype=float), "empty"),
        ([1.0, float("nan")], "non-finite.*1"),
        (pd.Series({"a": 1.0, "b": None}), "non-finite.*b"),
        ([1.0, float("inf")], "non-finite"),
        ([[1.0, 2.0]], "one-dimensional"),
        (["x", "y"], "numeric"),
        (pd.Series([1.0, 2.0], index=["a", "a"]), "duplicate.*a"),
    ],
)
def test_bad_values_rejected(f, values, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        f(values)


@pytest.mark.parametrize("f", LOG_METRICS)
@pytest.mark.parametrize("values", [[0.0, 1.0], [-1.0, 2.0]])
def test_log_metrics_need_positive_values(f, values: list[float]) -> None:
    with pytest.raises(ValueError, match="strictly positive"):
        f(values)


@pytest.mark.parametrize("f", [coefficient_of_variation, gini, lambda y: atkinson(y, 0.5)])
def test_other_metrics_need_non_negative_values_and_a_positive_mean(f) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        f([-1.0, 3.0])
    with pytest.raises(ValueError, match="all zero"):
        f([0.0, 0.0])


@pytest.mark.parametrize("f", WITH_POP)
@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0], "2 entries|1 entries"),
        ([1.0, 2.0, 3.0], "3 entries"),
        ([1.0, float("nan")], "non-finite"),
        ([1.0, -1.0], "non-negative"),
        ([0.0, 0.0], "all zero"),
        ([], "empty"),
    ],
)
def test_bad_weights_rejected(f, weights: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        f([1.0, 2.0], weights)


def test_series_weights_must_cover_the_same_units() -> None:
    values = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(ValueError, match="same units"):
        gini(values, pd.Series({"a": 1.0, "c": 2.0}))
    # same units in another order are matched by id
    assert gini(values, pd.Series({"b": 3.0, "a": 1.0})) == gini([1.0, 2.0], [1.0, 3.0])


def test_bad_parameters_rejected() -> None:
    for eps in (-0.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="epsilon"):
            atkinson([1.0, 2.0], eps)
    with pytest.raises(ValueError, match="kind"):
        theil_decomposition([1.0, 2.0], ["a", "b"], kind="X")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="groups"):
        theil_decomposition([1.0, 2.0], ["a"])
    with pytest.raises(ValueError, match="groups is missing"):
        theil_decomposition([1.0, 2.0], ["a", None])
    with pytest.raises(ValueError, match="threshold"):
        share_population_below([1.0, 2.0], [1.0, 1.0], threshold=-1.0)
    with pytest.raises(ValueError, match="Series"):
        compute_disparity_metrics([1.0, 2.0], pd.Series([1.0, 1.0]), None)  # type: ignore[arg-type]


def test_inputs_are_not_modified() -> None:
    values = pd.Series({"a": 3.0, "b": 1.0, "c": 2.0})
    weights = pd.Series({"c": 1.0, "a": 2.0, "b": 5.0})
    arr, warr = values.to_numpy().copy(), weights.to_numpy().copy()
    for f in WITH_POP:
        f(values, weights)
        f(arr, warr)
    theil_decomposition(values, pd.Series({"a": 1, "b": 1, "c": 2}), weights)
    pd.testing.assert_series_equal(values, pd.Series({"a": 3.0, "b": 1.0, "c": 2.0}))
    pd.testing.assert_series_equal(weights, pd.Series({"c": 1.0, "a": 2.0, "b": 5.0}))
    np.testing.assert_array_equal(arr, [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(warr, [1.0, 2.0, 5.0])


GROUP = st.sampled_from(["mining", "agrarian", "industrial", "services"])


@st.composite
def grouped_data(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    y, w = draw(weighted_data())
    labels = draw(st.lists(GROUP, min_size=len(y), max_size=len(y)))
    units = [f"u{k:02d}" for k in draw(st.permutations(range(len(y))))]
    return y, w, labels, units


@PROPERTY
@given(grouped_data())
def test_aligned_arrays_give_every_metric_of_the_checked_functions(data):
    # the array entry point skips the per-metric checks; the figures must be those of the public functions
    y, w, labels, units = data
    from engine.core.metrics import disparity_metrics_of_arrays

    got = disparity_metrics_of_arrays(y, w, np.array(labels, dtype=object), units)
    split = theil_decomposition(y, labels, w)
    ratio = max_min_ratio(pd.Series(y, index=units))
    expected = {
        "max_min_ratio": ratio.ratio, "max_unit": ratio.max_unit, "min_unit": ratio.min_unit,
        "cv": coefficient_of_variation(y), "williamson": williamson(y, w), "gini": gini(y),
        "gini_weighted": gini(y, w), "theil_t": theil_t(y), "theil_t_weighted": theil_t(y, w),
        "theil_l": theil_l(y), "theil_l_weighted": theil_l(y, w), "theil_between": split.between,
        "theil_within": split.within, "atkinson_0_5": atkinson(y, 0.5, w), "atkinson_1": atkinson(y, 1.0, w),
        "atkinson_2": atkinson(y, 2.0, w), "share_pop_below_75pct": share_population_below(y, w, 0.75)}
    assert got == expected
    # and the Series entry point agrees, whatever the order of its population's index
    series = compute_disparity_metrics(pd.Series(y, index=units), pd.Series(w, index=units)[::-1],
                                       pd.Series(labels, index=units))
    assert series == expected


def test_aligned_arrays_with_bad_values_name_the_units():
    from engine.core.metrics import disparity_metrics_of_arrays

    with pytest.raises(ValueError, match="b"):
        disparity_metrics_of_arrays(np.array([1.0, -2.0]), np.array([1.0, 1.0]), None, ["a", "b"])
    with pytest.raises(ValueError, match="weights|population"):
        disparity_metrics_of_arrays(np.array([1.0, 2.0]), np.array([0.0, 0.0]), None, ["a", "b"])
    with pytest.raises(ValueError, match="groups"):
        disparity_metrics_of_arrays(np.array([1.0, 2.0]), np.array([1.0, 1.0]), np.array(["x", None]), ["a", "b"])

"""Disparity metrics across territorial units.

The max/min ratio of GRP per capita is the official target indicator of the State Programme of Regional
Development 2020-2025 (government decree No. 990, 27 Dec 2019; Smagulova & Sermagambet 2022, TÜDAD 5(1)).
Beside it: the coefficient of variation and its population-weighted form (Williamson 1965, "Regional
inequality and the process of national development", Economic Development and Cultural Change 13(4)),
Gini, Theil T and L with the between/within split (Theil 1967, Economics and Information Theory), Atkinson
(1970, "On the measurement of inequality", Journal of Economic Theory 2(3)), the SD of logs and the share
of population in units below 75% of the national mean. Full references in docs/sources.md.

Pure functions: each takes ``values`` (a :class:`pandas.Series` indexed by unit id, or a 1-D array-like)
and, where it applies, ``weights`` (usually population, same units). When both are Series they are
matched by unit id; otherwise by position. Inputs are checked and never modified; bad input raises
:class:`ValueError` naming what is wrong.

Value requirements: metrics that take logs or ratios (Theil, Atkinson with ``epsilon >= 1``, SD of logs,
max/min ratio) need strictly positive values; the others need non-negative values with a positive mean.
Weights must be finite, non-negative and not all zero.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

Data: TypeAlias = pd.Series | ArrayLike
"""A Series indexed by unit id, or a 1-D array-like (units by position)."""

DISPARITY_METRIC_KEYS: tuple[str, ...] = (
    "max_min_ratio",
    "max_unit",
    "min_unit",
    "cv",
    "williamson",
    "gini",
    "gini_weighted",
    "theil_t",
    "theil_t_weighted",
    "theil_l",
    "theil_l_weighted",
    "theil_between",
    "theil_within",
    "atkinson_0_5",
    "atkinson_1",
    "atkinson_2",
    "share_pop_below_75pct",
)


@dataclass(frozen=True)
class MaxMinRatio:
    """The max/min ratio and the units holding the extremes."""

    ratio: float
    max_unit: str
    min_unit: str
    max_value: float
    min_value: float


@dataclass(frozen=True)
class TheilDecomposition:
    """A Theil index split into between- and within-group parts.

    ``by_group`` maps each group to its contribution to ``within``, so the values sum to ``within``.
    """

    total: float
    between: float
    within: float
    by_group: dict[str, float]


# --- input checking ---------------------------------------------------------------------------------


def _locate(data: object, mask: np.ndarray, limit: int = 5) -> str:
    """Name the units flagged by ``mask``: unit ids for a Series, positions otherwise."""
    labels = list(data.index[mask]) if isinstance(data, pd.Series) else list(np.flatnonzero(mask))
    shown = ", ".join(str(x) for x in labels[:limit])
    return shown + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def _check_unique(data: pd.Series, name: str) -> None:
    if data.index.has_duplicates:
        dup = data.index[data.index.duplicated()].unique()
        raise ValueError(f"{name} has duplicate unit ids: {', '.join(str(x) for x in dup[:5])}")


def _float_array(data: Data, name: str) -> np.ndarray:
    if isinstance(data, pd.Series):
        _check_unique(data, name)
        try:
            arr = data.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric ({exc})") from exc
    else:
        try:
            arr = np.asarray(data, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric ({exc})") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{name} has missing or non-finite values for units: {_locate(data, bad)}")
    return arr


def _values(values: Data, *, positive: bool) -> np.ndarray:
    y = _float_array(values, "values")
    if positive:
        bad = y <= 0
        if bad.any():
            raise ValueError(
                f"values must be strictly positive for this metric; not positive for units: {_locate(values, bad)}"
            )
    else:
        _check_non_negative(y, values, "values", ", so the mean is zero and the metric is undefined")
    return y


def _check_non_negative(arr: np.ndarray, data: Data, name: str, why_not_zero: str = "") -> None:
    """Raise when an entry of ``arr`` is negative, naming its units, or when every entry is zero."""
    bad = arr < 0
    if bad.any():
        raise ValueError(f"{name} must be non-negative; negative for units: {_locate(data, bad)}")
    if not arr.any():
        raise ValueError(f"{name} are all zero{why_not_zero}")


def _align(values: Data, other: Data, name: str) -> Data:
    """Reorder ``other`` to the unit ids of ``values`` when both are Series with the same ids."""
    if not (isinstance(values, pd.Series) and isinstance(other, pd.Series)):
        return other
    _check_unique(other, name)
    missing = [u for u in values.index if u not in other.index]
    extra = [u for u in other.index if u not in values.index]
    if missing or extra:
        raise ValueError(f"{name} does not cover the same units as values: missing {missing[:5]}, extra {extra[:5]}")
    return other.reindex(values.index)


def _weights(values: Data, weights: Data | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    weights = _align(values, weights, "weights")
    w = _float_array(weights, "weights")
    if w.size != n:
        raise ValueError(f"weights has {w.size} entries but values has {n}")
    _check_non_negative(w, weights, "weights")
    return w


def _prepare(values: Data, weights: Data | None, *, positive: bool) -> tuple[np.ndarray, np.ndarray]:
    y = _values(values, positive=positive)
    w = _weights(values, weights, y.size)
    if not positive and np.dot(w, y) <= 0:
        raise ValueError("the weighted mean of values is zero, so the metric is undefined")
    return y, w


def _mean(y: np.ndarray, w: np.ndarray) -> float:
    return float(np.dot(w, y) / w.sum())


# --- metrics ----------------------------------------------------------------------------------------


def _first_unit(candidates: list[Hashable]) -> str:
    try:
        return str(min(candidates))  # type: ignore[type-var]
    except TypeError:  # unit ids of mixed types: order by their text
        return str(min(candidates, key=str))


def max_min_ratio(values: Data) -> MaxMinRatio:
    """Ratio of the largest to the smallest value, ``max_i y_i / min_i y_i`` (the official indicator).

    Values must be strictly positive. Ties go to the first unit id in sorted order, so the result is
    deterministic. For a plain array the unit ids are the positions.

    Examples
    --------
    >>> r = max_min_ratio(pd.Series({"Almaty": 4.0, "Abai": 1.0, "Atyrau": 8.0}))
    >>> r.ratio, r.max_unit, r.min_unit
    (8.0, 'Atyrau', 'Abai')
    """
    y = _values(values, positive=True)
    ids = list(values.index) if isinstance(values, pd.Series) else list(range(y.size))
    hi, lo = float(y.max()), float(y.min())
    return MaxMinRatio(
        ratio=hi / lo,
        max_unit=_first_unit([ids[i] for i in np.flatnonzero(y == hi)]),
        min_unit=_first_unit([ids[i] for i in np.flatnonzero(y == lo)]),
        max_value=hi,
        min_value=lo,
    )


def coefficient_of_variation(values: Data) -> float:
    """Unweighted coefficient of variation, ``CV = sd(y) / mean(y)`` with the population SD (ddof=0).

    Examples
    --------
    >>> coefficient_of_variation([1.0, 3.0])
    0.5
    """
    return _cv(_values(values, positive=False))


def _cv(y: np.ndarray) -> float:
    return float(y.std() / y.mean())


def williamson(values: Data, population: Data) -> float:
    """Williamson index (population-weighted CV).

    ``V_w = sqrt(sum_i p_i (y_i - ybar_w)^2) / ybar_w`` with ``p_i = P_i / sum_j P_j`` the population
    shares and ``ybar_w = sum_i p_i y_i`` the population-weighted mean.

    Examples
    --------
    >>> round(williamson([1.0, 4.0], [2.0, 1.0]), 6)  # ybar_w = 2, variance 2: sqrt(2) / 2
    0.707107
    """
    return _williamson(*_prepare(values, population, positive=False))


def _williamson(y: np.ndarray, w: np.ndarray) -> float:
    p = w / w.sum()
    mu = float(np.dot(p, y))
    return float(math.sqrt(np.dot(p, (y - mu) ** 2)) / mu)


def gini(values: Data, weights: Data | None = None) -> float:
    """Gini coefficient, optionally population-weighted.

    ``G = sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mu_w)`` with ``W = sum_i w_i`` and ``mu_w`` the
    weighted mean; with no weights (all ``w_i = 1``) this is ``sum_i sum_j |y_i - y_j| / (2 n^2 mean)``.
    A unit with weight ``k`` counts as ``k`` units of weight 1. Computed in O(n log n) from the gaps
    between sorted values: ``G = sum_k (y_(k+1) - y_(k)) C_k (W - C_k) / (W^2 mu_w)``, ``C_k`` being the
    cumulative weight of the ``k`` smallest values.

    Examples
    --------
    >>> gini([1.0, 3.0])
    0.25
    >>> gini([1.0, 3.0], weights=[1.0, 3.0])  # same as gini([1, 3, 3, 3])
    0.15
    """
    return _gini(*_prepare(values, weights, positive=False))


def _gini(y: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(y, kind="stable")
    ys, ws = y[order], w[order]
    below = np.cumsum(ws)[:-1]
    above = np.cumsum(ws[::-1])[::-1][1:]
    return float(np.sum(np.diff(ys) * below * above) / (w.sum() * np.dot(w, y)))


def _theil_t(y: np.ndarray, w: np.ndarray) -> float:
    total = np.dot(w, y)
    mu = total / w.sum()
    return max(float(np.dot(w * y / total, np.log(y / mu))), 0.0)


def _theil_l(y: np.ndarray, w: np.ndarray) -> float:
    q = w / w.sum()
    mu = np.dot(q, y)
    return max(float(np.dot(q, np.log(mu / y))), 0.0)


def theil_t(values: Data, weights: Data | None = None) -> float:
    """Theil T index (GE(1)), optionally population-weighted.

    ``T = sum_i s_i ln(y_i / mu)`` with income shares ``s_i = w_i y_i / sum_j w_j y_j`` and
    ``mu = sum_i w_i y_i / sum_i w_i`` (all ``w_i`` equal when no weights). Values must be positive.

    Examples
    --------
    >>> round(theil_t([1.0, 4.0], weights=[2.0, 1.0]), 6)  # (ln 2) / 3
    0.231049
    """
    y, w = _prepare(values, weights, positive=True)
    return _theil_t(y, w)


def theil_l(values: Data, weights: Data | None = None) -> float:
    """Theil L index (GE(0), mean log deviation), optionally population-weighted.

    ``L = sum_i q_i ln(mu / y_i)`` with population shares ``q_i = w_i / W`` and ``mu = sum_i q_i y_i``.
    Values must be positive.

    Examples
    --------
    >>> round(theil_l([1.0, 4.0]), 6)  # ln(2.5 / 2) = ln 1.25
    0.223144
    """
    y, w = _prepare(values, weights, positive=True)
    return _theil_l(y, w)


def theil_decomposition(
    values: Data,
    groups: Data,
    weights: Data | None = None,
    kind: Literal["T", "L"] = "T",
) -> TheilDecomposition:
    """Split Theil T or L into between-group and within-group inequality.

    For ``kind="T"``: ``between = sum_g S_g ln(mu_g / mu)``, ``within = sum_g S_g T_g``, with ``S_g`` the
    group's share of total (weighted) income, ``mu_g`` its weighted mean and ``T_g`` its own Theil T.
    For ``kind="L"``: ``between = sum_g Q_g ln(mu / mu_g)``, ``within = sum_g Q_g L_g``, with ``Q_g`` the
    group's population share. In both cases ``total = between + within`` (up to rounding), and
    ``by_group[g]`` is ``S_g T_g`` (or ``Q_g L_g``). Groups with zero total weight contribute 0.

    Examples
    --------
    >>> d = theil_decomposition([1.0, 1.0, 4.0], groups=["south", "south", "north"])
    >>> round(d.total, 6), round(d.between, 6), round(d.within, 6)  # all between: (ln 2) / 3
    (0.231049, 0.231049, 0.0)
    """
    if kind not in ("T", "L"):
        raise ValueError(f"kind must be 'T' or 'L', got {kind!r}")
    y, w = _prepare(values, weights, positive=True)
    groups = _align(values, groups, "groups")
    if isinstance(groups, pd.Series):
        labels = groups.to_numpy(dtype=object)
    else:
        labels = np.asarray(groups, dtype=object)
    if labels.ndim != 1 or labels.size != y.size:
        raise ValueError(f"groups has {labels.size} entries but values has {y.size}")
    codes, uniques = pd.factorize(labels)
    if (codes < 0).any():
        raise ValueError(f"groups is missing for units: {_locate(values, codes < 0)}")
    names = [str(u) for u in uniques]
    if len(set(names)) != len(names):
        raise ValueError(f"group labels are not distinct as text: {names}")
    return _theil_split(y, w, codes, names, kind)


def _theil_split(y: np.ndarray, w: np.ndarray, codes: np.ndarray, names: list[str],
                 kind: Literal["T", "L"]) -> TheilDecomposition:
    """:func:`theil_decomposition` of checked values and weights, the groups as codes into distinct ``names``."""
    income, weight = float(np.dot(w, y)), float(w.sum())
    mu = income / weight
    between = 0.0
    by_group: dict[str, float] = {}
    for code in sorted(range(len(names)), key=lambda c: names[c]):
        member = codes == code
        yg, wg = y[member], w[member]
        if not wg.any():
            by_group[names[code]] = 0.0
            continue
        mu_g = _mean(yg, wg)
        if kind == "T":
            share = float(np.dot(wg, yg)) / income
            between += share * math.log(mu_g / mu)
            by_group[names[code]] = share * _theil_t(yg, wg)
        else:
            share = float(wg.sum()) / weight
            between += share * math.log(mu / mu_g)
            by_group[names[code]] = share * _theil_l(yg, wg)
    total = _theil_t(y, w) if kind == "T" else _theil_l(y, w)
    return TheilDecomposition(total=total, between=between, within=sum(by_group.values()), by_group=by_group)


def atkinson(values: Data, epsilon: float, weights: Data | None = None) -> float:
    """Atkinson index with inequality aversion ``epsilon >= 0``, optionally population-weighted.

    ``A = 1 - M_(1-eps) / mu`` where ``M_r = (sum_i q_i y_i^r)^(1/r)`` is the weighted power mean of
    order ``r = 1 - eps`` and ``q_i = w_i / W``; for ``eps = 1``, ``A = 1 - exp(sum_i q_i ln y_i) / mu``
    (geometric mean), which equals ``1 - exp(-L)``. ``eps = 0`` gives 0. Values must be positive when
    ``eps >= 1``.

    Examples
    --------
    >>> [round(atkinson([1.0, 4.0], e), 6) for e in (0.5, 1, 2)]  # means 2.25, 2, 1.6 against 2.5
    [0.1, 0.2, 0.36]
    """
    if not math.isfinite(epsilon) or epsilon < 0:
        raise ValueError(f"epsilon must be a finite number >= 0, got {epsilon}")
    return _atkinson(*_prepare(values, weights, positive=epsilon >= 1), epsilon)


def _atkinson(y: np.ndarray, w: np.ndarray, epsilon: float) -> float:
    q = w / w.sum()
    rel = y / float(np.dot(q, y))  # scale-free: the index depends on y / mu only
    if epsilon == 1:
        ede = math.exp(float(np.dot(q, np.log(rel))))
    else:
        r = 1.0 - epsilon
        ede = float(np.dot(q, rel**r)) ** (1.0 / r)
    return max(1.0 - ede, 0.0)


def sd_log(values: Data, weights: Data | None = None) -> float:
    """Standard deviation of log values, optionally weighted: a scale-free dispersion measure.

    ``SDL = sqrt(sum_i q_i (ln y_i - m)^2)`` with ``q_i = w_i / W`` and ``m = sum_i q_i ln y_i``.
    Multiplying every value by a constant shifts the logs and leaves it unchanged; it weighs
    proportional gaps equally at the top and bottom. Values must be positive.

    Examples
    --------
    >>> round(sd_log([1.0, 4.0]), 6)  # logs 0 and ln 4: SD = ln 2
    0.693147
    """
    y, w = _prepare(values, weights, positive=True)
    q = w / w.sum()
    logs = np.log(y)
    return float(math.sqrt(np.dot(q, (logs - np.dot(q, logs)) ** 2)))


def share_population_below(values: Data, population: Data, threshold: float = 0.75) -> float:
    """Share of total population living in units with ``y_i < threshold * ybar_w`` (strictly below).

    ``share = sum_i P_i [y_i < threshold * ybar_w] / sum_i P_i`` with ``ybar_w`` the population-weighted
    mean.

    Examples
    --------
    >>> share_population_below([1.0, 4.0], [2.0, 1.0])  # ybar_w = 2, cut 1.5: first unit is below
    0.6666666666666666
    """
    if not math.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold must be a finite number >= 0, got {threshold}")
    return _share_below(*_prepare(values, population, positive=False), threshold)


def _share_below(y: np.ndarray, w: np.ndarray, threshold: float) -> float:
    below = y < threshold * _mean(y, w)
    return float(w[below].sum() / w.sum())


def _reindexed(values: pd.Series, other: pd.Series, name: str) -> pd.Series:
    _check_unique(other, name)
    aligned = other.reindex(values.index)
    missing = values.index[aligned.isna().to_numpy()]
    if len(missing):
        raise ValueError(f"{name} has no entry for unit ids: {', '.join(str(u) for u in missing)}")
    return aligned


def compute_disparity_metrics(
    values: pd.Series, population: pd.Series, groups: pd.Series | None = None
) -> dict[str, float | str]:
    """All the disparity metrics of this module for one indicator, keyed by ``DISPARITY_METRIC_KEYS``.

    ``population`` and ``groups`` are aligned to the unit ids of ``values`` (entries for other units are
    ignored); a unit of ``values`` without a population or group raises :class:`ValueError` naming it.
    ``theil_between`` / ``theil_within`` split the population-weighted Theil T by ``groups``; with no
    groups, between is 0 and within is the total. Atkinson indices are population-weighted. Floats are
    Python floats, unit ids strings.

    Examples
    --------
    >>> m = compute_disparity_metrics(pd.Series({"a": 1.0, "b": 4.0}), pd.Series({"a": 2.0, "b": 1.0}))
    >>> m["max_min_ratio"], m["max_unit"], m["share_pop_below_75pct"], m["theil_between"]
    (4.0, 'b', 0.6666666666666666, 0.0)
    """
    if not isinstance(values, pd.Series) or not isinstance(population, pd.Series):
        raise ValueError("values and population must be pandas Series indexed by unit id")
    _float_array(values, "values")  # checks duplicates before alignment
    pop = _reindexed(values, population, "population")
    ratio = max_min_ratio(values)  # checks that every value is positive, naming the units that are not
    y: Data = values
    w: Data = pop
    weights = pop.to_numpy(dtype=float)
    if np.isfinite(weights).all() and (weights >= 0).all() and weights.any():
        # checked once here: the metrics below get plain arrays (the app and the sweep call this thousands
        # of times); otherwise they get the Series, so their errors name the units
        y, w = values.to_numpy(dtype=float), weights
    labels: Data | None = None
    if groups is not None:
        if not isinstance(groups, pd.Series):
            raise ValueError("groups must be a pandas Series indexed by unit id, or None")
        aligned = _reindexed(values, groups, "groups")
        labels = aligned if y is values else aligned.to_numpy(dtype=object)
    return _all_metrics(y, w, labels, ratio)


def disparity_metrics_of_arrays(values: np.ndarray, population: np.ndarray, groups: np.ndarray | None,
                                units: list[str]) -> dict[str, float | str]:
    """:func:`compute_disparity_metrics` for values, populations and group labels already aligned by position
    to ``units`` (plain arrays: no matching by unit id, which is most of the time at the region level).

    Bad input is passed to :func:`compute_disparity_metrics` as Series, so that its message names the units.

    Examples
    --------
    >>> m = disparity_metrics_of_arrays(np.array([1.0, 4.0]), np.array([2.0, 1.0]), None, ["a", "b"])
    >>> m["max_min_ratio"], m["max_unit"], m["share_pop_below_75pct"]
    (4.0, 'b', 0.6666666666666666)
    """
    y = np.asarray(values, dtype=float)
    w = np.asarray(population, dtype=float)
    fine = (y.ndim == 1 and y.size > 0 and y.shape == w.shape and len(units) == y.size
            and len(set(units)) == y.size and bool(np.isfinite(y).all()) and bool((y > 0).all())
            and bool(np.isfinite(w).all()) and bool((w >= 0).all()) and bool(w.any())
            and (groups is None or len(groups) == y.size))
    if not fine:
        index = pd.Index(list(units), dtype=object)
        return compute_disparity_metrics(pd.Series(y, index=index), pd.Series(w, index=index),
                                         None if groups is None else pd.Series(groups, index=index, dtype=object))
    hi, lo = float(y.max()), float(y.min())
    ratio = MaxMinRatio(ratio=hi / lo, max_unit=_first_unit([units[i] for i in np.flatnonzero(y == hi)]),
                        min_unit=_first_unit([units[i] for i in np.flatnonzero(y == lo)]), max_value=hi, min_value=lo)
    return _all_metrics(y, w, None if groups is None else np.asarray(groups, dtype=object), ratio)


def _all_metrics(y: Data, w: Data, labels: Data | None, ratio: MaxMinRatio) -> dict[str, float | str]:
    """The metrics of :func:`compute_disparity_metrics`, the max/min ratio given."""
    if isinstance(y, np.ndarray) and isinstance(w, np.ndarray):
        return _checked_metrics(y, w, labels, ratio)
    weighted_t = theil_t(y, w)
    if labels is None:
        between, within = 0.0, weighted_t
    else:
        split = theil_decomposition(y, labels, w, kind="T")
        between, within = split.between, split.within
    result: dict[str, float | str] = {
        "max_min_ratio": ratio.ratio,
        "max_unit": ratio.max_unit,
        "min_unit": ratio.min_unit,
        "cv": coefficient_of_variation(y),
        "williamson": williamson(y, w),
        "gini": gini(y),
        "gini_weighted": gini(y, w),
        "theil_t": theil_t(y),
        "theil_t_weighted": weighted_t,
        "theil_l": theil_l(y),
        "theil_l_weighted": theil_l(y, w),
        "theil_between": between,
        "theil_within": within,
        "atkinson_0_5": atkinson(y, 0.5, w),
        "atkinson_1": atkinson(y, 1.0, w),
        "atkinson_2": atkinson(y, 2.0, w),
        "share_pop_below_75pct": share_population_below(y, w, 0.75),
    }
    return {k: (v if isinstance(v, str) else float(v)) for k, v in result.items()}


def _checked_metrics(y: np.ndarray, w: np.ndarray, labels: Data | None, ratio: MaxMinRatio,
                     ) -> dict[str, float | str]:
    """:func:`_all_metrics` for values already checked positive and finite, and weights finite, non-negative and
    not all zero: the same formulas, each metric's own checks left out (the app and the optimizer's reports
    compute these thousands of times)."""
    ones = np.ones(y.size)
    weighted_t = _theil_t(y, w)
    if labels is None:
        between, within = 0.0, weighted_t
    else:
        split = theil_decomposition(y, labels, w, kind="T") if not isinstance(labels, np.ndarray) \
            else _labelled_split(y, w, labels)
        between, within = split.between, split.within
    result: dict[str, float | str] = {
        "max_min_ratio": ratio.ratio,
        "max_unit": ratio.max_unit,
        "min_unit": ratio.min_unit,
        "cv": _cv(y),
        "williamson": _williamson(y, w),
        "gini": _gini(y, ones),
        "gini_weighted": _gini(y, w),
        "theil_t": _theil_t(y, ones),
        "theil_t_weighted": weighted_t,
        "theil_l": _theil_l(y, ones),
        "theil_l_weighted": _theil_l(y, w),
        "theil_between": between,
        "theil_within": within,
        "atkinson_0_5": _atkinson(y, w, 0.5),
        "atkinson_1": _atkinson(y, w, 1.0),
        "atkinson_2": _atkinson(y, w, 2.0),
        "share_pop_below_75pct": _share_below(y, w, 0.75),
    }
    return {k: (v if isinstance(v, str) else float(v)) for k, v in result.items()}


def _labelled_split(y: np.ndarray, w: np.ndarray, labels: np.ndarray) -> TheilDecomposition:
    """The Theil T split by group labels (as :func:`theil_decomposition` checks them, without pandas)."""
    if labels.ndim != 1 or labels.size != y.size or any(x is None or x != x for x in labels.tolist()):
        return theil_decomposition(y, labels, w, kind="T")  # its message says what is wrong
    names = sorted({str(x) for x in labels.tolist()})
    if len(names) != len(set(labels.tolist())):
        return theil_decomposition(y, labels, w, kind="T")
    code_of = {name: k for k, name in enumerate(names)}
    codes = np.fromiter((code_of[str(x)] for x in labels.tolist()), dtype=np.int64, count=labels.size)
    return _theil_split(y, w, codes, names, "T")

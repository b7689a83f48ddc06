"""Backtest of the no-policy baseline: fit on the years up to 2019, project 2022 and 2023, compare with the data.

**Model.** :func:`engine.model.response.build_baseline` with ``fit_until``: the same method as every scenario's
baseline (national growth, beta convergence of the log gaps, population trend), with the national growth and
the convergence speed estimated from the data up to ``fit_until`` (:func:`engine.model.response.estimate_trend`) and
the population trend from the years up to it. No migration data exist before 2022, so the backtest's
population is the plain trend (nothing after ``fit_until`` is used).

**Prices.** The data are nominal and have no regional deflators. The main score compares values *relative to
the national level* (GRP per capita / the population-weighted national mean of the same year): scale free,
like the disparity metrics. The score in *levels* uses the nominal national growth fitted up to
``fit_until`` and is reported beside it.

**Persistence.** The naive forecast carries the last observed value forward: the relative value of
``fit_until`` (main score) or its level (levels score).

**Territory.** The actual values are on the 2022 boundaries (``grp_per_capita_2022bnd``). Units whose
territory changed between ``fit_until`` and the evaluated year (per ``successions.csv``: Abai, Zhetisu and
Ulytau, and their parents East Kazakhstan, Almaty oblast and Karaganda) have no comparable figure before the
split; the main score leaves them out and lists them. A second score covers all units by giving each part of
a split parent the projected parent value x its 2021 ratio to the parent (the first published split; this
uses the split's structure from after ``fit_until``, not its level).

**Scores.** MAPE = mean over units of |forecast - actual| / actual x 100. Ratio error = |forecast max/min -
actual max/min| / actual max/min x 100 (ratio over the evaluated units). Both averaged over the evaluated
years, with the detail by year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from engine.core.data import BOUNDARY_SUFFIX, Dataset
from engine.core.parameters import ParameterValues
from engine.model.response import GRP_PER_CAPITA, POPULATION, build_baseline, division_panel

DEFAULT_FIT_UNTIL = 2019
DEFAULT_YEARS = (2022, 2023)


@dataclass(frozen=True)
class Score:
    """MAPE (%) and max/min ratio error (%) averaged over the evaluated years, with the detail by year."""

    mape: float
    ratio_error: float
    by_year: dict[int, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"mape": self.mape, "ratio_error": self.ratio_error,
                "by_year": {str(y): v for y, v in sorted(self.by_year.items())}}


@dataclass(frozen=True, eq=False)
class BacktestResult:
    fit_until: int
    evaluated_years: list[int]
    units: list[str]
    left_out: dict[str, str]
    model: Score
    persistence: Score
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``roadmap backtest --json``."""
        return {"fit_until": self.fit_until, "evaluated_years": self.evaluated_years,
                "basis": "GRP per capita relative to the national level (scale free; nominal data)",
                "units_evaluated": self.units, "units_left_out": self.left_out,
                "model": self.model.to_json(), "persistence": self.persistence.to_json(), **self.extra}


def score(forecast: dict[int, pd.Series], actual: dict[int, pd.Series]) -> Score:
    """MAPE and ratio error of ``forecast`` against ``actual`` (each year -> values by unit, same units)."""
    by_year: dict[int, dict[str, Any]] = {}
    for year, truth in sorted(actual.items()):
        guess = forecast[year].loc[truth.index]
        ape = ((guess - truth).abs() / truth.abs() * 100).sort_values(ascending=False)
        ratio_hat, ratio = float(guess.max() / guess.min()), float(truth.max() / truth.min())
        by_year[year] = {"mape": float(ape.mean()), "ratio_forecast": ratio_hat, "ratio_actual": ratio,
                         "ratio_error": abs(ratio_hat - ratio) / ratio * 100, "units": len(truth),
                         "worst_units": {u: round(float(v), 2) for u, v in ape.head(3).items()}}
    return Score(float(np.mean([v["mape"] for v in by_year.values()])),
                 float(np.mean([v["ratio_error"] for v in by_year.values()])), by_year)


def changed_units(dataset: Dataset, fit_until: int, last_year: int) -> dict[str, str]:
    """Units whose territory changed after ``fit_until`` (up to ``last_year``), with the reason."""
    out: dict[str, str] = {}
    if dataset.successions is None:
        return out
    for row in dataset.successions.itertuples():
        if fit_until < int(row.from_year) <= last_year:
            out[str(row.unit_id)] = f"created in {row.from_year} from {row.predecessor_id}"
            out.setdefault(str(row.predecessor_id), f"lost territory in {row.from_year}")
    return out


def actual_relative(dataset: Dataset, year: int) -> tuple[pd.Series, pd.Series]:
    """GRP per capita on the 2022 boundaries in ``year``, in levels and relative to the national level."""
    y = dataset.panel(GRP_PER_CAPITA + BOUNDARY_SUFFIX)[year].dropna()
    p = dataset.panel(POPULATION + BOUNDARY_SUFFIX)[year].reindex(y.index)
    national = float((y * p).sum() / p.sum())
    return y, y / national


def run_backtest(dataset: Dataset, assumptions: ParameterValues, fit_until: int = DEFAULT_FIT_UNTIL,
                 years: tuple[int, ...] = DEFAULT_YEARS) -> BacktestResult:
    """Fit the baseline on the data up to ``fit_until``, project ``years`` and score it (module text)."""
    years = tuple(sorted(years))
    baseline = build_baseline(dataset, fit_until, years[-1], assumptions, fit_until=fit_until)
    rules_baseline = build_baseline(dataset, fit_until, years[-1], assumptions)
    left_out = changed_units(dataset, fit_until, years[-1])
    last = division_panel(dataset, GRP_PER_CAPITA, baseline.units, [fit_until])[fit_until]
    last_rel = last / baseline.national_mean(fit_until)

    actual_level, actual_rel = {}, {}
    for year in years:
        actual_level[year], actual_rel[year] = actual_relative(dataset, year)
    evaluated = sorted(u for u in baseline.units if u not in left_out and u in actual_rel[years[0]].index)

    def relative(base: Any, year: int) -> pd.Series:
        return base.grp_per_capita[year] / base.national_mean(year)

    model_rel = {y: relative(baseline, y) for y in years}
    rules_rel = {y: relative(rules_baseline, y) for y in years}
    keep = {y: actual_rel[y].loc[evaluated] for y in years}
    model_score = score(model_rel, keep)
    persistence_score = score(dict.fromkeys(years, last_rel), keep)

    levels = {"model": score({y: baseline.grp_per_capita[y] for y in years},
                             {y: actual_level[y].loc[evaluated] for y in years}).to_json(),
              "persistence": score(dict.fromkeys(years, last), {y: actual_level[y].loc[evaluated]
                                                                for y in years}).to_json()}
    split = _with_split_shares(dataset, fit_until, years, model_rel, last_rel, actual_rel, left_out)
    extra = {
        "method": baseline.method,
        "parameters": baseline.parameters,
        "levels": {"basis": "GRP per capita in thousand tenge, nominal; the model extrapolates the nominal "
                            "national growth fitted up to fit_until", **levels},
        "rules_parameters": {"basis": "the same method with the rules' growth and convergence "
                                      f"({rules_baseline.parameters['convergence']:.2%} a year) instead of the "
                                      "fitted ones", **score(rules_rel, keep).to_json()},
        "all_units_by_2021_split_shares": split,
        "notes": [
            f"Nominal data: the fitted national growth {baseline.parameters['growth']:.1%} a year includes "
            "inflation; the main score is relative to the national level and does not depend on it.",
            f"Convergence fitted on {baseline.parameters['observations']} unit-year changes "
            f"{baseline.parameters['years'][0]}-{baseline.parameters['years'][-1]}: "
            f"{baseline.parameters['convergence']:.2%} a year (negative = divergence).",
        ],
    }
    return BacktestResult(fit_until, list(years), evaluated, left_out, model_score, persistence_score, extra)


def _with_split_shares(dataset: Dataset, fit_until: int, years: tuple[int, ...], model_rel: dict[int, pd.Series],
                       last_rel: pd.Series, actual_rel: dict[int, pd.Series], left_out: dict[str, str],
                       ) -> dict[str, Any]:
    """Scores over all units, the parts of a split parent taking the parent's value x their 2021 ratio."""
    share_year = 2021
    panel = dataset.panel(GRP_PER_CAPITA + BOUNDARY_SUFFIX)  # not values(): the parts did not exist in 2021
    parts = panel[share_year].dropna() if share_year in panel.columns else pd.Series(dtype=float)
    whole = dataset.values(GRP_PER_CAPITA, share_year)
    mapping: dict[str, tuple[str, float]] = {}
    if dataset.successions is not None:
        for row in dataset.successions.itertuples():
            child, parent = str(row.unit_id), str(row.predecessor_id)
            if child in left_out and parent in whole.index:
                for unit in (child, parent):
                    if unit in parts.index:
                        mapping[unit] = (parent, float(parts[unit] / whole[parent]))
    if not mapping:
        return {}

    def expand(values: pd.Series) -> pd.Series:
        out = values.copy()
        for unit, (parent, ratio) in mapping.items():
            out[unit] = values[parent] * ratio
        return out

    units = sorted(set(actual_rel[years[0]].index))
    truth = {y: actual_rel[y].loc[units] for y in years}
    return {"basis": f"parts of a split parent = projected parent x their {share_year} ratio to it "
                     f"(grp_per_capita_2022bnd / grp_per_capita {share_year}); uses the split's structure from "
                     f"after {fit_until}",
            "ratios": {u: round(r, 4) for u, (_, r) in sorted(mapping.items())},
            "model": score({y: expand(model_rel[y]) for y in years}, truth).to_json(),
            "persistence": score(dict.fromkeys(years, expand(last_rel)), truth).to_json()}

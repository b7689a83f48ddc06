"""Backtest of the no-policy baseline: forecasts from several origin years against what the data then showed.

**Design.** For every origin year o (only the data up to o are used) and horizon h = 1..``max_horizon`` with
o + h in the data, each method forecasts every unit's GRP per capita *relative to the national level* of
o + h (the data are nominal and have no regional deflators: the ratio is free of the price level, like the
disparity metrics). The units scored are those of o's division whose territory did not change up to o + h
(``successions.csv``: the 2018 and 2022 splits leave out the new units and their parents).

**Methods** (x = ln relative value, b = least-squares slope of x over the last up to five years to o, at
least three):

* ``persistence``: x carried forward;
* ``convergence_2pct``: x (1 - 0.02)^h, the textbook speed (Barro and Sala-i-Martin 1991);
* ``linear_trend``: x + b h;
* ``damped_trend``: x + b (phi + ... + phi^h), phi = :data:`DAMPING` (Gardner and McKenzie 1985);
* ``engine``: the scenarios' baseline (:func:`engine.model.response.build_baseline` from o with the rules'
  values: log gaps shrink ``baseline_convergence`` a year, levels rescaled to the national mean);
* ``engine_fitted``: the same with the convergence speed estimated on the data up to o.

**Scores.** MAPE = mean over units of |forecast - actual| / actual x 100; ratio error = |forecast max/min -
actual max/min| / actual max/min x 100. A method's score is the mean over every (origin, horizon) pair, with
the detail by origin and by horizon.

**The default.** The engine's baseline is the convergence model; its speed is the rules'
``baseline_convergence``. The backtest scans that speed (:data:`RATE_SCAN`) with the engine's own method and
reports the speed with the lowest MAPE; the rules' central value is set to it (the choice is in-sample for
the speed, which is one number; every forecast uses only the data up to its origin). ``default`` names the
method the engine uses; a test fails when it scores worse than persistence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from engine.analysis.convergence import changed_between, estimate_convergence, log_gaps, national_levels
from engine.core.data import Dataset
from engine.core.parameters import ParameterValues
from engine.model.response import GRP_PER_CAPITA, build_baseline, division_panel

DAMPING = 0.8
TREND_YEARS = 5
MAX_HORIZON = 5
RATE_SCAN = (0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04)
METHODS = ("persistence", "convergence_2pct", "linear_trend", "damped_trend", "engine", "engine_fitted")
DEFAULT_METHOD = "engine"


@dataclass(frozen=True)
class Score:
    """MAPE (%) and max/min ratio error (%) of one forecast, or their means over several."""

    mape: float
    ratio_error: float
    units: int = 0


def score(forecast: pd.Series, actual: pd.Series) -> Score:
    """MAPE and ratio error of ``forecast`` against ``actual`` (values by unit; ``actual``'s units count)."""
    guess = forecast.loc[actual.index]
    ape = (guess - actual).abs() / actual.abs() * 100
    ratio_hat, ratio = float(guess.max() / guess.min()), float(actual.max() / actual.min())
    return Score(float(ape.mean()), abs(ratio_hat - ratio) / ratio * 100, len(actual))


@dataclass(frozen=True)
class MethodScores:
    """One method's scores at every (origin, horizon)."""

    name: str
    cells: dict[tuple[int, int], Score] = field(default_factory=dict)

    def mean(self, keys: list[tuple[int, int]] | None = None) -> Score:
        chosen = [self.cells[k] for k in (keys if keys is not None else sorted(self.cells))]
        return Score(float(np.mean([s.mape for s in chosen])), float(np.mean([s.ratio_error for s in chosen])))

    def to_json(self) -> dict[str, Any]:
        total = self.mean()
        origins = sorted({o for o, _ in self.cells})
        horizons = sorted({h for _, h in self.cells})

        def part(keys: list[tuple[int, int]]) -> dict[str, float]:
            s = self.mean(keys)
            return {"mape": s.mape, "ratio_error": s.ratio_error}

        return {"mape": total.mape, "ratio_error": total.ratio_error,
                "by_origin": [{"origin": o, **part([k for k in self.cells if k[0] == o]),
                               "horizons": sorted(h for oo, h in self.cells if oo == o)} for o in origins],
                "by_horizon": [{"horizon": h, **part([k for k in self.cells if k[1] == h])} for h in horizons]}


@dataclass(frozen=True, eq=False)
class BacktestResult:
    origins: list[int]
    max_horizon: int
    methods: dict[str, MethodScores]
    default: str
    rate_scan: dict[float, Score]
    rules_rate: float
    convergence: dict[str, Any]
    units_left_out: dict[int, list[str]]

    @property
    def best_rate(self) -> float:
        return min(self.rate_scan, key=lambda r: (round(self.rate_scan[r].mape, 6), r))

    def ranking(self) -> list[str]:
        return sorted(self.methods, key=lambda m: self.methods[m].mean().mape)

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``roadmap backtest --json``."""
        persistence, default = self.methods["persistence"].mean(), self.methods[self.default].mean()
        return {
            "basis": "GRP per capita relative to the national level of the same year (scale free; nominal data)",
            "origins": self.origins, "horizons": list(range(1, self.max_horizon + 1)),
            "pairs": len(self.methods[self.default].cells),
            "methods": {name: scores.to_json() for name, scores in self.methods.items()},
            "default": self.default,
            "selection": {
                "criterion": "lowest MAPE averaged over every (origin, horizon) pair",
                "ranking": self.ranking(),
                "rate_scan": [{"convergence": r, "mape": s.mape, "ratio_error": s.ratio_error}
                              for r, s in sorted(self.rate_scan.items())],
                "best_rate": self.best_rate, "rules_rate": self.rules_rate,
                "default_beats_persistence": default.mape <= persistence.mape,
            },
            "convergence": self.convergence,
            "units_left_out": {str(o): units for o, units in sorted(self.units_left_out.items())},
            "damping": DAMPING, "trend_years": TREND_YEARS,
            "notes": notes(self),
        }


def notes(result: BacktestResult) -> list[str]:
    default, persistence = result.methods[result.default].mean(), result.methods["persistence"].mean()
    gain = persistence.mape - default.mape
    lines = [f"The engine's baseline ({result.default}, convergence {result.rules_rate:.1%} a year) has a MAPE of "
             f"{default.mape:.2f}% against persistence's {persistence.mape:.2f}% and a ratio error of "
             f"{default.ratio_error:.1f}% against {persistence.ratio_error:.1f}%."]
    if gain < 0.5:
        lines.append(f"The margin over persistence is small ({gain:.2f} points of MAPE): the baseline is about as "
                     "good as carrying today's relative values forward; its convergence speed matters mainly for "
                     "the max/min ratio.")
    if abs(result.best_rate - result.rules_rate) > 1e-9:
        lines.append(f"The scan's best speed is {result.best_rate:.1%}, not the rules' {result.rules_rate:.1%}: "
                     "set baseline_convergence in rules/directions.yaml to it.")
    lines.append(result.convergence["reading"] + " (on the whole panel; each forecast's own fit uses only the data "
                                                 "up to its origin).")
    return lines


def default_origins(dataset: Dataset) -> list[int]:
    """Every year with at least three years of data up to it and one after it."""
    years = sorted(log_gaps(dataset).columns)
    return [y for y in years if y >= years[0] + 2 and y < years[-1]]


def _trend_slopes(history: pd.DataFrame) -> pd.Series:
    window = history.iloc[:, -TREND_YEARS:]
    t = np.array(window.columns, dtype=float)

    def slope(row: pd.Series) -> float:
        ok = row.notna().to_numpy()
        return float(np.polyfit(t[ok], row.to_numpy()[ok], 1)[0]) if ok.sum() >= 3 else 0.0

    return window.apply(slope, axis=1)


def _history(dataset: Dataset, units: list[str], origin: int) -> pd.DataFrame:
    """x of ``units`` up to ``origin`` on their own territory (retrospective values where published)."""
    years = [y for y in log_gaps(dataset).columns if y <= origin]
    levels = division_panel(dataset, GRP_PER_CAPITA, units, years)
    return np.log(levels.div(national_levels(dataset).loc[years], axis=1))


def run_backtest(dataset: Dataset, assumptions: ParameterValues, origins: list[int] | None = None,
                 max_horizon: int = MAX_HORIZON) -> BacktestResult:
    """Forecast from every origin with every method and score them (module text)."""
    gaps = log_gaps(dataset)
    last_year = int(max(gaps.columns))
    origins = sorted(set(origins if origins is not None else default_origins(dataset)))
    outside = [o for o in origins if o not in gaps.columns or o >= last_year]
    if outside:
        raise ValueError(f"origin years must be years of the data before its last year {last_year}: "
                         + ", ".join(map(str, outside)))
    methods = {name: MethodScores(name) for name in METHODS}
    scan = {rate: MethodScores(f"rate {rate}") for rate in RATE_SCAN}
    left_out: dict[int, list[str]] = {}
    rules_rate = assumptions.value("baseline_convergence")
    for origin in origins:
        horizons = [h for h in range(1, max_horizon + 1) if origin + h <= last_year]
        if not horizons:
            continue
        units = dataset.units_in_year(origin)
        end = origin + horizons[-1]
        history = _history(dataset, units, origin)
        x0, slope = history[origin], _trend_slopes(history)
        engine = _relative(build_baseline(dataset, origin, end, assumptions))
        fitted = _relative(build_baseline(dataset, origin, end, assumptions, fit_until=origin))
        scanned = {r: _relative(build_baseline(dataset, origin, end, assumptions.with_overrides(
            {"baseline_convergence": r}))) for r in RATE_SCAN}
        left_out[origin] = sorted(changed_between(dataset, origin, end) & set(units))
        for h in horizons:
            target = origin + h
            changed = changed_between(dataset, origin, target)
            scored = [u for u in units if u not in changed and u in gaps[target].dropna().index]
            actual = np.exp(gaps.loc[scored, target])
            forecasts = {
                "persistence": np.exp(x0),
                "convergence_2pct": np.exp(x0 * 0.98 ** h),
                "linear_trend": np.exp(x0 + slope * h),
                "damped_trend": np.exp(x0 + slope * sum(DAMPING ** i for i in range(1, h + 1))),
                "engine": engine[target],
                "engine_fitted": fitted[target],
            }
            for name, forecast in forecasts.items():
                methods[name].cells[(origin, h)] = score(forecast, actual)
            for rate, frame in scanned.items():
                scan[rate].cells[(origin, h)] = score(frame[target], actual)
    if not methods[DEFAULT_METHOD].cells:
        raise ValueError("no origin year has a later year of data to compare with")
    return BacktestResult(origins=[o for o in origins if any(k[0] == o for k in methods["engine"].cells)],
                          max_horizon=max_horizon, methods=methods, default=DEFAULT_METHOD,
                          rate_scan={r: s.mean() for r, s in scan.items()}, rules_rate=rules_rate,
                          convergence=estimate_convergence(dataset), units_left_out=left_out)


def _relative(baseline: Any) -> dict[int, pd.Series]:
    return {y: baseline.grp_per_capita[y] / baseline.national_mean(y) for y in baseline.years}


__all__ = ["DAMPING", "DEFAULT_METHOD", "MAX_HORIZON", "METHODS", "RATE_SCAN", "BacktestResult", "MethodScores",
           "Score", "default_origins", "run_backtest", "score"]

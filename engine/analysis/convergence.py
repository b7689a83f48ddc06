"""Beta and sigma convergence of GRP per capita, estimated on the longest consistent panel, with standard errors.

**Panel.** x_it = ln(y_it / Y_t): each unit's GRP per capita relative to the population-weighted national level
of the same year, on the territory the unit had that year (the data are nominal and have no regional deflators;
the ratio to the national level of the same year is free of the price level). The administrative division
changed in 2018 (South Kazakhstan split into Turkistan and Shymkent) and in 2022 (Abai, Zhetisu and Ulytau
split off; ``successions.csv``), so the panel has one block of years per division. A yearly change
x_i,t+1 - x_it counts when the unit exists in both years on the same territory: every change within a
division, and across a change of division for the units it left alone.

**Beta convergence** (pooled, the model of :func:`engine.model.response.build_baseline`):
dx_it = -beta x_it + e_it, least squares through the origin (the gaps average about zero each year), over the
changes of one division or all of them. Standard errors: the ordinary one, and one clustered by unit (the
residuals of a unit are correlated over the years; with 14 to 20 clusters it is the honest one). beta > 0 means
the gaps close, beta < 0 that they widen. The **cross-section** form within each division regresses the mean
yearly change of the gap over the division's years on its first-year gap (slope b, beta = -b).

**Sigma convergence**: the standard deviation of x_it across units by year, and its least-squares trend
within each division with the slope's standard error (a negative slope means the dispersion falls). Levels
are not comparable across divisions: a split adds units and dispersion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from engine.core.data import Dataset
from engine.model.response import GRP_PER_CAPITA, POPULATION


def national_levels(dataset: Dataset) -> pd.Series:
    """Population-weighted mean GRP per capita of the whole country by year (every unit of that year)."""
    key = ("convergence.national",)
    if key not in dataset._value_cache:
        y = dataset.panel(GRP_PER_CAPITA)
        p = dataset.panel(POPULATION).reindex(index=y.index, columns=y.columns).where(y.notna())
        dataset._value_cache[key] = (y * p).sum() / p.sum()
    return dataset._value_cache[key]


def national_level(dataset: Dataset, year: int) -> float:
    return float(national_levels(dataset)[year])


def log_gaps(dataset: Dataset) -> pd.DataFrame:
    """x_it (units x years): log GRP per capita relative to the national level, own territory of the year."""
    key = ("convergence.log_gaps",)
    if key not in dataset._value_cache:
        panel = dataset.panel(GRP_PER_CAPITA)
        years = [int(y) for y in panel.columns if panel[y].notna().sum() >= 2]
        national = national_levels(dataset)
        dataset._value_cache[key] = pd.DataFrame({y: np.log(panel[y].dropna() / national[y]) for y in years})
    return dataset._value_cache[key].copy()


def territory_changes(dataset: Dataset) -> list[tuple[int, str, str]]:
    """(year, new unit, predecessor) for every split in ``successions.csv``."""
    if dataset.successions is None:
        return []
    return [(int(r.from_year), str(r.unit_id), str(r.predecessor_id)) for r in dataset.successions.itertuples()]


def changed_between(dataset: Dataset, start: int, end: int) -> set[str]:
    """Units created or cut between ``start`` (exclusive) and ``end`` (inclusive)."""
    return {u for year, child, parent in territory_changes(dataset) if start < year <= end for u in (child, parent)}


def divisions(dataset: Dataset, years: list[int]) -> list[list[int]]:
    """The years grouped by administrative division (a new block at every year a split takes effect)."""
    starts = sorted({year for year, _, _ in territory_changes(dataset)})
    blocks: list[list[int]] = []
    for year in sorted(years):
        if not blocks or year in starts:
            blocks.append([])
        blocks[-1].append(year)
    return blocks


@dataclass(frozen=True)
class Estimate:
    """A coefficient with its ordinary and unit-clustered standard errors."""

    value: float
    se: float
    se_clustered: float | None
    observations: int
    units: int

    def to_json(self) -> dict[str, Any]:
        return {"estimate": self.value, "se": self.se, "se_clustered": self.se_clustered,
                "t_clustered": (self.value / self.se_clustered if self.se_clustered else None),
                "observations": self.observations, "units": self.units}


def yearly_changes(gaps: pd.DataFrame, dataset: Dataset, years: list[int]) -> pd.DataFrame:
    """Rows (unit, year, x, dx) for the consecutive years in ``years`` on unchanged territory."""
    rows = []
    for a in years:
        b = a + 1
        if b not in years or a not in gaps.columns or b not in gaps.columns:
            continue
        changed = changed_between(dataset, a, b)
        both = gaps[[a, b]].dropna()
        for unit, (xa, xb) in both.iterrows():
            if unit not in changed:
                rows.append((unit, a, float(xa), float(xb - xa)))
    return pd.DataFrame(rows, columns=["unit", "year", "x", "dx"])


def pooled_beta(changes: pd.DataFrame) -> Estimate:
    """beta of dx = -beta x + e through the origin, with ordinary and unit-clustered standard errors."""
    x, dx = changes["x"].to_numpy(), changes["dx"].to_numpy()
    sxx = float(x @ x)
    slope = float(x @ dx) / sxx
    resid = dx - slope * x
    n = len(x)
    se = math.sqrt(float(resid @ resid) / max(n - 1, 1) / sxx)
    scores = pd.Series(x * resid).groupby(changes["unit"].to_numpy()).sum().to_numpy()
    clusters = len(scores)
    # small-sample factor G/(G-1) x (N-1)/(N-K), as Stata's cluster option
    factor = clusters / max(clusters - 1, 1) * (n - 1) / max(n - 1, 1)
    se_cl = math.sqrt(factor * float(scores @ scores)) / sxx if clusters > 1 else None
    return Estimate(-slope, se, se_cl, n, clusters)


def cross_section_beta(gaps: pd.DataFrame, years: list[int], dataset: Dataset) -> Estimate | None:
    """beta = -b of the mean yearly gap change over ``years`` on the first-year gap (with intercept)."""
    first, last = years[0], years[-1]
    if last == first:
        return None
    changed = changed_between(dataset, first, last)
    pair = gaps[[first, last]].dropna()
    pair = pair[~pair.index.isin(changed)]
    if len(pair) < 3:
        return None
    x0 = pair[first].to_numpy()
    growth = (pair[last].to_numpy() - x0) / (last - first)
    design = np.column_stack([np.ones_like(x0), x0])
    coef, *_ = np.linalg.lstsq(design, growth, rcond=None)
    resid = growth - design @ coef
    sigma2 = float(resid @ resid) / (len(x0) - 2)
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return Estimate(-float(coef[1]), math.sqrt(float(cov[1, 1])), None, len(x0), len(x0))


def sigma_trend(gaps: pd.DataFrame, years: list[int]) -> dict[str, Any]:
    """Dispersion of x by year within a division and the least-squares slope of it with its standard error."""
    sd = {y: float(gaps[y].dropna().std(ddof=1)) for y in years}
    out: dict[str, Any] = {"sd_by_year": {str(y): v for y, v in sd.items()}, "slope_per_year": None, "se": None}
    if len(years) >= 3:
        t = np.array(years, dtype=float)
        s = np.array([sd[y] for y in years])
        design = np.column_stack([np.ones_like(t), t])
        coef, *_ = np.linalg.lstsq(design, s, rcond=None)
        resid = s - design @ coef
        cov = float(resid @ resid) / (len(t) - 2) * np.linalg.inv(design.T @ design)
        out.update(slope_per_year=float(coef[1]), se=math.sqrt(float(cov[1, 1])))
    return out


def estimate_convergence(dataset: Dataset, until: int | None = None) -> dict[str, Any]:
    """Beta and sigma convergence on the panel up to ``until`` (default: every year), by division and pooled."""
    gaps = log_gaps(dataset)
    years = [y for y in gaps.columns if until is None or y <= until]
    blocks = divisions(dataset, years)
    by_division = []
    for block in blocks:
        changes = yearly_changes(gaps, dataset, block)
        cross = cross_section_beta(gaps, block, dataset)
        by_division.append({
            "years": [block[0], block[-1]],
            "units": int(gaps[block[0]].notna().sum()),
            "beta_pooled": pooled_beta(changes).to_json() if len(changes) > 1 else None,
            "beta_cross_section": cross.to_json() if cross else None,
            "sigma": sigma_trend(gaps, block),
        })
    pooled = pooled_beta(yearly_changes(gaps, dataset, years))
    return {
        "panel": "ln(GRP per capita / population-weighted national level), each year's own territory",
        "years": [years[0], years[-1]],
        "beta": pooled.to_json(),
        "divisions": by_division,
        "reading": _reading(pooled),
    }


def _reading(beta: Estimate) -> str:
    se = beta.se_clustered or beta.se
    low, high = beta.value - 1.96 * se, beta.value + 1.96 * se
    verdict = ("the gaps close" if low > 0 else "the gaps widen" if high < 0
               else "the data cannot tell convergence from none")
    return (f"pooled beta {beta.value:.2%} a year (clustered se {se:.2%}; 95% interval {low:.2%} to {high:.2%}): "
            f"{verdict}")


__all__ = ["Estimate", "changed_between", "cross_section_beta", "divisions", "estimate_convergence", "log_gaps",
           "national_level", "national_levels", "pooled_beta", "sigma_trend", "territory_changes", "yearly_changes"]

"""Unemployment under a plan: an Okun-type link from a unit's GRP to its unemployment rate.

A plan that lifts a unit's GRP per person above its no-policy path by x% in a year lowers its unemployment rate
by ``-okun_coefficient x x`` percentage points that year (rules/directions.yaml, with its source and range).
Per person, not in total: where a plan moves people, total GRP falls with those who leave while the labour
market of those who stay does not weaken; output per person is the stayers' output gap. It is also the
quantity the optimizer's problem-region rows read, so the two count the same regions to first order.
The no-policy path keeps the latest observed rate: the dataset has too few years of regional rates to project
their own trend, so only what a plan changes moves. Rates stay at or above zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.core.context import Context
from engine.core.diagnose import latest_values
from engine.core.parameters import ParameterValues

UNEMPLOYMENT = "unemployment_rate"
OKUN = "okun_coefficient"


def unemployment_under_plan(ctx: Context, parameters: ParameterValues, plan_grp: pd.Series,
                            no_policy_grp: pd.Series, year: int) -> pd.Series | None:
    """Each unit's unemployment rate (%) in ``year`` under a plan whose GRP per capita is ``plan_grp`` against
    ``no_policy_grp``; None when the dataset has no unemployment or the rules no Okun coefficient."""
    if OKUN not in parameters.direction_rules.parameters:
        return None
    held = latest_values(ctx.dataset, UNEMPLOYMENT, year)
    if held.empty:
        return None
    if held.index.equals(plan_grp.index) and held.index.equals(no_policy_grp.index):  # one unit order: arrays
        rates = held.to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = plan_grp.to_numpy(dtype=float) / no_policy_grp.to_numpy(dtype=float)
        projected = held.copy()
        projected[:] = np.maximum(rates + parameters.value(OKUN) * _lift_pct(ratio), 0.0)
        return projected
    units = held.index.intersection(plan_grp.index).intersection(no_policy_grp.index)
    ratio = (plan_grp.reindex(units) / no_policy_grp.reindex(units)).to_numpy(dtype=float)
    change = parameters.value(OKUN) * _lift_pct(ratio)
    projected = held.copy()
    projected.loc[units] = np.maximum(held.reindex(units).to_numpy(dtype=float) + change, 0.0)
    return projected


def _lift_pct(ratio: np.ndarray) -> np.ndarray:
    """100 x ln(plan / no policy), 0 where the ratio is not a positive number."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * np.log(np.where(np.isfinite(ratio) & (ratio > 0), ratio, 1.0))



def projected_indicators(ctx: Context, parameters: ParameterValues, plan: object, no_policy: object,
                         year: int) -> dict[str, pd.Series] | None:
    """The indicators a plan moves besides GRP per capita, for :func:`engine.core.diagnose.metrics_for_values`:
    ``{unemployment_rate: rates}`` (trajectories with a ``grp_per_capita`` frame: a plan's and the no-policy one)."""
    rates = unemployment_under_plan(ctx, parameters, plan.grp_per_capita[year], no_policy.grp_per_capita[year], year)  # type: ignore[attr-defined]
    return None if rates is None else {UNEMPLOYMENT: rates}


__all__ = ["OKUN", "UNEMPLOYMENT", "projected_indicators", "unemployment_under_plan"]

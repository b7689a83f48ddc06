"""A model that starts from what happened: the spent years held, and the no-policy path moved to the observed values.

The scenario's ``progress`` (engine.core.progress) says what was spent up to ``as_of`` and, optionally, what the
indicator was observed to be. :func:`spent_spending` turns the spending into the model's levers (each cell
filling its segments in order), refusing a cell the model cannot hold. :func:`rebase_on_observed` moves the
no-policy path of each observed unit so that the path with the money actually spent passes through the unit's
latest observed value: the surprise (observed less modelled) is added to the no-policy path from that year on,
fading at the baseline's own convergence speed (``baseline_convergence``, rules/directions.yaml), as a gap to the
national level does in the baseline; before that year it is phased in linearly from the base year, so the path
has no jump. The effects of spending are the model's as before; only the starting point of the years left moves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from engine.core.errors import ScenarioError, problem
from engine.core.progress import KEY, Progress
from engine.model.response import Baseline, ResponseModel
from engine.model.simulate import fill_segments, simulate_spending

#: the observed value is met to this relative tolerance (a few rounds: population responds to income)
TOLERANCE = 1e-7
MAX_ROUNDS = 6


def spent_frame(progress: Progress) -> pd.DataFrame:
    return pd.DataFrame(progress.spent_rows(), columns=["unit_id", "direction", "year", "bn_kzt"])


def check_spent(model: ResponseModel, progress: Progress, name: str = "scenario") -> None:
    """Every spent cell is one the model has, and holds no more than the unit can absorb."""
    problems = []
    for (unit, direction, year), amount in sorted(progress.spent.items()):
        where = f"{KEY}.spent_bn_kzt.{year}.{unit}.{direction}"
        capacity = model.capacity(unit, direction, year)
        if capacity <= 0:
            problems.append(problem(name, "pr_progress_no_lever", None, where, amount, unit=unit, year=year))
        elif amount > capacity * (1 + 1e-6) + 1e-9:
            problems.append(problem(name, "pr_progress_over_capacity", None, where, amount,
                                    capacity=round(capacity, 3)))
    if problems:
        raise ScenarioError(problems)


def spent_spending(model: ResponseModel, progress: Progress, name: str = "scenario") -> np.ndarray:
    """Spending per lever of what was spent (zero in every other lever)."""
    check_spent(model, progress, name)
    return np.asarray(fill_segments(model, spent_frame(progress)), dtype=float)


def rebase_on_observed(baseline: Baseline, progress: Progress, convergence: float,
                       build: Callable[[Baseline], ResponseModel], model: ResponseModel,
                       name: str = "scenario") -> tuple[Baseline, ResponseModel, list[dict[str, Any]]]:
    """The baseline (and the model built on it by ``build``) moved to the latest observed value of each unit.

    Returns the new baseline, its model, and one row per observed unit: the year, the observed value, the value
    the model had for it with the money spent, and the shift.
    """
    latest = progress.latest_observed()
    unknown = sorted(set(latest) - set(baseline.units))
    if unknown:
        raise ScenarioError([problem(name, "pr_must_be_unit_id", None, f"{KEY}.observed", u) for u in unknown])
    spending = spent_spending(model, progress, name)
    modelled = simulate_spending(model, spending).grp_per_capita
    first = {u: float(modelled.at[u, year]) for u, (year, _value) in latest.items()}
    shift = pd.DataFrame(0.0, index=baseline.grp_per_capita.index, columns=baseline.grp_per_capita.columns)
    weights = {u: _weights(baseline.base_year, baseline.years, year, convergence) for u, (year, _v) in latest.items()}
    current, current_model = baseline, model
    for _ in range(MAX_ROUNDS):
        gaps = {u: value - float(modelled.at[u, year]) for u, (year, value) in latest.items()}
        if all(abs(g) <= TOLERANCE * latest[u][1] for u, g in gaps.items()):
            break
        for unit, gap in gaps.items():
            shift.loc[unit] += gap * weights[unit]
        moved = (baseline.grp_per_capita + shift).clip(lower=1e-6 * baseline.grp_per_capita)
        current = replace(baseline, grp_per_capita=moved)
        current_model = build(current)
        modelled = simulate_spending(current_model, spending).grp_per_capita
    rows = [{"unit_id": u, "year": year, "observed": value, "modelled": first[u],
             "shift": float(shift.at[u, year])} for u, (year, value) in sorted(latest.items())]
    method = (current.method + f"; moved to the values observed up to {progress.as_of} ({len(rows)} units): the "
              "surprise fades at the baseline's convergence speed")
    current = replace(current, method=method, parameters={**current.parameters, "observed": rows})
    # the same numbers; the baseline the model carries also says what it was moved to
    return current, replace(current_model, baseline=current), rows


def _weights(base_year: int, years: Iterable[int], observed_year: int, convergence: float) -> np.ndarray:
    """How much of a surprise observed in ``observed_year`` each baseline year carries (module text)."""
    out = []
    for year in years:
        if year <= base_year:
            out.append(0.0)
        elif year < observed_year:
            out.append((year - base_year) / (observed_year - base_year))
        else:
            out.append((1.0 - convergence) ** (year - observed_year))
    return np.asarray(out, dtype=float)


__all__ = ["check_spent", "rebase_on_observed", "spent_frame", "spent_spending"]

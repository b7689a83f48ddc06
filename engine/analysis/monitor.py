"""Monitoring a roadmap: what was planned against what was spent and observed, and the plan for the rest.

Each year the akimats report what they spent (``unit_id, direction, year, bn_kzt``) and, optionally, what the
indicators did. :func:`monitor` compares the plan with both, and re-runs the optimizer for the years after
``as_of`` only: the spent years' allocation is fixed as given (each spent-year lever's upper bound is what the
actual spending puts on it, and that year's budget row, an equality, is the year's actual total, so the solver
can only reproduce it), and the remaining years get exactly the scenario's budgets, plus the money left
unspent when ``carry_over`` is set (spread over the remaining years in proportion to their budgets). The
effects of what was spent (lagged capital returns, movers) therefore stay in the model the new plan is chosen
on. The replan is a scenario with a ``progress`` key (engine.core.progress: the spending held and the observed
values), so the revised version a planner adopts keeps the spent years in every later solve (a workshop on it,
its roadmap). Observed values of the plan's indicator are compared with the plan's targets and also move the
replan's model: its no-policy path passes through each unit's latest observed value (engine.model.progress), so
the years left are planned from where the regions are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.core.errors import DataValidationError, ScenarioError, problem
from engine.core.parameters import DIRECTIONS
from engine.core.progress import Progress
from engine.core.tables import is_finite_number, normalise_header, parse_number, read_table, read_table_bytes
from engine.model.study import Study

JSON_SCHEMA = "kz-regional-roadmap/monitor/1"
ACTUALS_COLUMNS = ("unit_id", "direction", "year", "bn_kzt")
FIXED_TOLERANCE_BN = 1e-6  # how far a replan's spent-year cell may sit from the actual (solver rounding)


@dataclass(frozen=True)
class KpiDeviation:
    unit_id: str
    year: int
    indicator: str
    no_policy: float
    target: float
    observed: float

    @property
    def deviation(self) -> float:
        return self.observed - self.target

    @property
    def deviation_pct(self) -> float:
        return 100.0 * self.deviation / self.target if self.target else math.nan


@dataclass(frozen=True, eq=False)
class Monitoring:
    """What :func:`monitor` found: the plan, the actuals, the deviations and the replan."""

    study: Study
    as_of: int
    carry_over: bool
    plan: pd.DataFrame  # unit_id, direction, year, bn_kzt
    actuals: pd.DataFrame
    kpis: tuple[KpiDeviation, ...]
    replan_budget: Mapping[int, float]  # every year: the actual total up to as_of, then the budgets for the rest
    unspent_bn: float
    replan: Any = None  # OptimizationResult, or None when no year is left
    notes: tuple[str, ...] = field(default_factory=tuple)
    held: pd.DataFrame | None = None  # the actuals as the replan holds them (at most each unit's capacity)
    revised: Any = None  # the replan's Scenario: the remaining years' budgets, and the progress it holds

    #: each unit whose observed value the replan's model starts from: year, observed, modelled, shift
    rebased: tuple[dict[str, Any], ...] = ()

    @property
    def scenario(self):  # noqa: ANN201 - the monitored Scenario
        return self.study.scenario

    @property
    def monitored_years(self) -> list[int]:
        return [y for y in self.scenario.years if y <= self.as_of]

    @property
    def remaining_years(self) -> list[int]:
        return [y for y in self.scenario.years if y > self.as_of]

    def by_year(self) -> dict[int, dict[str, float]]:
        planned = _sum_by(self.plan, ["year"])
        spent = _sum_by(self.actuals, ["year"])
        out = {}
        for year in self.monitored_years:
            p, s = planned.get((year,), 0.0), spent.get((year,), 0.0)
            out[year] = {"budget_bn": float(self.scenario.budget_bn_kzt.get(year, 0.0)), "planned_bn": p,
                         "spent_bn": s, "deviation_bn": s - p, "execution_pct": 100.0 * s / p if p else math.nan}
        return out

    def by_cell(self) -> list[dict[str, Any]]:
        """Planned and spent by unit and direction over the monitored years (every cell either names)."""
        years = set(self.monitored_years)
        planned = _sum_by(self.plan[self.plan["year"].isin(years)], ["unit_id", "direction"])
        spent = _sum_by(self.actuals, ["unit_id", "direction"])
        out = []
        for key in sorted(set(planned) | set(spent), key=lambda k: (k[0], DIRECTIONS.index(k[1]))):
            p, s = planned.get(key, 0.0), spent.get(key, 0.0)
            out.append({"unit_id": key[0], "direction": key[1], "planned_bn": p, "spent_bn": s, "deviation_bn": s - p})
        return out

    def replan_frame(self) -> pd.DataFrame | None:
        return None if self.replan is None or not self.replan.status.solved else self.replan.allocation_frame()

    def replan_by_year(self) -> dict[int, dict[str, Any]]:
        frame = self.replan_frame()
        allocated = _sum_by(frame, ["year"]) if frame is not None else {}
        previous = _sum_by(self.plan, ["year"])
        return {y: {"budget_bn": float(self.replan_budget[y]), "previous_plan_bn": previous.get((y,), 0.0),
                    "allocated_bn": allocated.get((y,), 0.0) if frame is not None else None,
                    "fixed": y <= self.as_of} for y in self.scenario.years}

    def changes(self) -> list[dict[str, Any]]:
        """Cells of the remaining years whose money the replan moved, by unit and direction (summed over years)."""
        frame = self.replan_frame()
        if frame is None:
            return []
        later = set(self.remaining_years)
        before = _sum_by(self.plan[self.plan["year"].isin(later)], ["unit_id", "direction"])
        after = _sum_by(frame[frame["year"].isin(later)], ["unit_id", "direction"])
        out = []
        for key in sorted(set(before) | set(after), key=lambda k: (k[0], DIRECTIONS.index(k[1]))):
            b, a = before.get(key, 0.0), after.get(key, 0.0)
            if abs(a - b) > 1e-6:
                out.append({"unit_id": key[0], "direction": key[1], "previous_bn": b, "revised_bn": a,
                            "change_bn": a - b})
        return out

    def fixed_gap_bn(self) -> float | None:
        """The largest distance of a spent-year cell of the replan from the actual (0 when kept as given)."""
        frame = self.replan_frame()
        if frame is None:
            return None
        years = set(self.monitored_years)
        got = _sum_by(frame[frame["year"].isin(years)], ["unit_id", "direction", "year"])
        want = _sum_by(self.actuals if self.held is None else self.held, ["unit_id", "direction", "year"])
        return max((abs(got.get(k, 0.0) - want.get(k, 0.0)) for k in set(got) | set(want)), default=0.0)

    def to_json(self) -> dict[str, Any]:
        s = self.scenario
        replan: dict[str, Any] | None = None
        if self.replan is not None:
            r = self.replan
            frame = self.replan_frame()
            replan = {
                "status": r.status.value, "message": r.message, "objective": s.objective,
                "objective_value": r.objective_value if r.status.solved else None,
                "years": self.remaining_years, "carry_over": self.carry_over, "unspent_bn": self.unspent_bn,
                "budget_bn_kzt": {str(y): self.replan_budget[y] for y in self.remaining_years},
                "by_year": {str(y): v for y, v in self.replan_by_year().items()},
                "fixed_years_max_gap_bn": self.fixed_gap_bn(),
                "metrics_after": r.metrics_after if r.status.solved else None,
                "allocation": [] if frame is None else [
                    {"unit_id": u, "direction": d, "year": int(y), "bn_kzt": float(v)}
                    for u, d, y, v in frame[["unit_id", "direction", "year", "bn_kzt"]].itertuples(index=False)],
                "changes": self.changes(),
                "rebased_on_observed": list(self.rebased),
                "scenario_yaml": self.revised.to_yaml() if self.revised is not None else None,
                "conflicts": [{"rules": list(c.rules), "message": c.message} for c in getattr(r, "conflicts", ())],
            }
        return _clean({
            "schema": JSON_SCHEMA, "scenario": s.name, "as_of": self.as_of, "years": s.years,
            "monitored_years": self.monitored_years, "indicator": s.indicator,
            "deviation": {"by_year": {str(y): v for y, v in self.by_year().items()}, "by_cell": self.by_cell(),
                          "planned_bn": float(sum(v["planned_bn"] for v in self.by_year().values())),
                          "spent_bn": float(self.actuals["bn_kzt"].sum()) if len(self.actuals) else 0.0},
            "kpi": [{"unit_id": k.unit_id, "year": k.year, "indicator": k.indicator, "no_policy": k.no_policy,
                     "target": k.target, "observed": k.observed, "deviation": k.deviation,
                     "deviation_pct": k.deviation_pct} for k in self.kpis],
            "replan": replan, "notes": list(self.notes),
        })


def _sum_by(frame: pd.DataFrame | None, keys: list[str]) -> dict[tuple, float]:
    if frame is None or not len(frame):
        return {}
    grouped = frame.groupby(keys, sort=True)["bn_kzt"].sum()
    return {(k if isinstance(k, tuple) else (k,)): float(v) for k, v in grouped.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------------
# Reading the actuals
# ---------------------------------------------------------------------------------------------------

def read_actuals(study: Study, as_of: int, path: Path | str | None = None, *, data: bytes | None = None,
                 name: str = "actuals") -> pd.DataFrame:
    """The spending reported up to ``as_of`` (CSV or XLSX with ``unit_id, direction, year, bn_kzt``), checked
    against the study: known units and directions, the direction available in the unit, years of the horizon
    up to ``as_of``, non-negative amounts, no repeated row. Spending beyond what the model lets a unit absorb is
    a fact, not an error: :func:`capped_actuals` says how much the replan can hold.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of every problem.
    """
    scenario = study.scenario
    if data is not None:
        raw, problems = read_table_bytes(data, name)
    else:
        if path is None:
            raise ValueError("give a path or the data")
        name = str(path)
        raw, problems = read_table(Path(path), name)
    if raw is None:
        raise DataValidationError(problems)
    header = [normalise_header(h) for h in raw.header]
    missing = [c for c in ACTUALS_COLUMNS if c not in header]
    if missing:
        raise DataValidationError([problem(name, "pr_missing_column", 1, c) for c in missing])
    if not raw.rows:
        raise DataValidationError([problem(name, "pr_no_rows")])
    model = study.model
    units = set(model.units)
    problems = []
    seen: dict[tuple[str, str, int], int] = {}
    rows = []
    for line, values in raw.rows:
        rec = dict(zip(header, values, strict=False))
        unit, direction = rec.get("unit_id", "").strip(), rec.get("direction", "").strip()
        bad = False
        if unit not in units:
            problems.append(problem(name, "pr_missing_unit", line, "unit_id") if not unit else
                            problem(name, "pr_unit_not_planned", line, "unit_id", unit, year=scenario.base_year))
            bad = True
        if direction not in DIRECTIONS:
            problems.append(problem(name, "pr_unknown_direction", line, "direction", direction or None,
                                    allowed=', '.join(DIRECTIONS)))
            bad = True
        year_value = parse_number(rec.get("year", ""))
        year = int(year_value) if is_finite_number(year_value) and year_value == int(year_value) else None
        if year is None:
            problems.append(problem(name, "pr_must_be_year", line, "year", rec.get("year") or None))
            bad = True
        elif not scenario.first_year <= year <= as_of:
            problems.append(problem(name, "pr_year_outside_monitored", line, "year", year, first=scenario.first_year,
                                    as_of=as_of))
            bad = True
        amount = parse_number(rec.get("bn_kzt", ""))
        if not is_finite_number(amount) or amount < 0:
            problems.append(problem(name, "pr_bn_non_negative", line, "bn_kzt", rec.get("bn_kzt") or None))
            bad = True
        if bad:
            continue
        if unit not in model.eligible[direction]:
            problems.append(problem(name, "pr_direction_not_available", line, "unit_id", unit, direction=direction))
            continue
        key = (unit, direction, year)
        if key in seen:
            problems.append(problem(name, "pr_repeats_row", line, "unit_id", unit, unit=unit, direction=direction,
                                    year=year, first_row=seen[key]))
            continue
        seen[key] = line
        rows.append({"unit_id": unit, "direction": direction, "year": year, "bn_kzt": float(amount)})
    frame = pd.DataFrame(rows, columns=list(ACTUALS_COLUMNS))
    if problems:
        raise DataValidationError(problems)
    return frame.sort_values(["year", "unit_id", "direction"], ignore_index=True)


def check_as_of(study: Study, as_of: Any) -> int:
    scenario = study.scenario
    if isinstance(as_of, bool) or not isinstance(as_of, int | np.integer) \
            or not scenario.first_year <= int(as_of) <= scenario.last_year:
        raise ScenarioError([problem("--as-of", "pr_year_of_horizon", None, None, as_of, first=scenario.first_year,
                                     last=scenario.last_year)])
    return int(as_of)


# ---------------------------------------------------------------------------------------------------
# KPI deviations
# ---------------------------------------------------------------------------------------------------

def kpi_deviations(study: Study, plan: pd.DataFrame, records: list[Mapping[str, Any]], as_of: int,
                   ) -> tuple[tuple[KpiDeviation, ...], list[str]]:
    """The observed values of the plan's indicator (checked indicator rows) against the plan's targets: the
    plan's simulated trajectory in each observed unit and monitored year."""
    from engine.model.simulate import simulate_plan

    scenario = study.scenario
    indicator = scenario.indicator
    wanted = [r for r in records if r["indicator"] == indicator and scenario.first_year <= int(r["year"]) <= as_of
              and r["unit_id"] in set(study.units)]
    notes = []
    others = sorted({r["indicator"] for r in records} - {indicator})
    if others:
        notes.append(f"indicators other than the plan's ({indicator}) are not KPIs of the plan and were left "
                     f"out: {', '.join(others)}")
    skipped = len([r for r in records if r["indicator"] == indicator]) - len(wanted)
    if skipped:
        notes.append(f"{skipped} observed rows of {indicator} are outside the monitored years "
                     f"{scenario.first_year}-{as_of} or the planned units and were left out")
    if not wanted:
        return (), notes
    trajectories = simulate_plan(study.model, plan)
    target, base = trajectories.grp_per_capita, study.no_policy.grp_per_capita
    out = tuple(KpiDeviation(r["unit_id"], int(r["year"]), indicator, float(base.at[r["unit_id"], int(r["year"])]),
                             float(target.at[r["unit_id"], int(r["year"])]), float(r["value"]))
                for r in sorted(wanted, key=lambda r: (r["unit_id"], int(r["year"]))))
    return out, notes


# ---------------------------------------------------------------------------------------------------
# The replan
# ---------------------------------------------------------------------------------------------------

def replan_budget(study: Study, actuals: pd.DataFrame, as_of: int, carry_over: bool,
                  held: pd.DataFrame | None = None) -> tuple[dict[int, float], float]:
    """Each year's budget of the replan (the totals the replan holds up to ``as_of``, ``held`` or the actuals,
    then the scenario's budgets, with the unspent money spread in proportion to them when ``carry_over``) and the
    money left unspent (the budgets up to ``as_of`` less what was actually spent, never below zero)."""
    scenario = study.scenario
    spent = _sum_by(actuals, ["year"])
    kept = _sum_by(actuals if held is None else held, ["year"])
    past = [y for y in scenario.years if y <= as_of]
    later = [y for y in scenario.years if y > as_of]
    unspent = max(0.0, sum(float(scenario.budget_bn_kzt[y]) - spent.get((y,), 0.0) for y in past))
    budget = {y: kept.get((y,), 0.0) for y in past}
    later_total = sum(float(scenario.budget_bn_kzt[y]) for y in later)
    for y in later:
        extra = unspent * float(scenario.budget_bn_kzt[y]) / later_total if carry_over and later_total > 0 else 0.0
        budget[y] = float(scenario.budget_bn_kzt[y]) + extra
    return budget, unspent


def capped_actuals(study: Study, actuals: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The actuals at most what the model lets each unit absorb (rules/directions.yaml segments), and a note for
    each cell above it: the simulator and the optimizer cannot hold more."""
    capacity: dict[tuple[str, str, int], float] = {}
    for lever in study.model.levers:
        key = (lever.unit, lever.direction, lever.year)
        capacity[key] = capacity.get(key, 0.0) + lever.capacity
    notes, rows = [], []
    for unit, direction, year, amount in actuals[list(ACTUALS_COLUMNS)].itertuples(index=False):
        cap = capacity.get((unit, direction, int(year)), 0.0)
        if amount > cap:
            if amount - cap > 1e-3 * max(1.0, cap):  # below this it is the rounding of a reported figure
                notes.append(f"{unit} {direction} {year}: {amount:.3f} bn spent, above the {cap:.3f} bn the model lets "
                             "the unit absorb; the replan holds the cap")
            amount = cap
        rows.append((unit, direction, int(year), float(amount)))
    return pd.DataFrame(rows, columns=list(ACTUALS_COLUMNS)), notes


def observed_values(study: Study, records: list[Mapping[str, Any]] | None, as_of: int) -> dict[tuple[str, int], float]:
    """The observed values the replan starts from: the plan's indicator, in planned units, after the base year and
    up to ``as_of`` (the rows :func:`kpi_deviations` compares)."""
    scenario, units = study.scenario, set(study.units)
    return {(str(r["unit_id"]), int(r["year"])): float(r["value"]) for r in records or ()
            if r["indicator"] == scenario.indicator and scenario.base_year < int(r["year"]) <= as_of
            and r["unit_id"] in units and is_finite_number(r["value"]) and float(r["value"]) > 0}


def replan_scenario(study: Study, actuals: pd.DataFrame, as_of: int, budget: Mapping[int, float],
                    observed: Mapping[tuple[str, int], float] | None = None):  # noqa: ANN201 - a Scenario
    """The scenario of the years after ``as_of``: ``progress`` holds what was spent (and observed) up to it
    (engine.core.progress), and the remaining years get ``budget``. Saved as a new version, every later solve
    of it (a workshop, the roadmap) keeps the spent years as they were."""
    spent = {(str(u), str(d), int(y)): float(v) for u, d, y, v in actuals[list(ACTUALS_COLUMNS)].itertuples(index=False)
             if int(y) <= as_of and float(v) > 0}
    progress = Progress(as_of, spent, dict(observed or {}))
    return study.scenario.replace(budget_bn_kzt={int(y): float(v) for y, v in budget.items()}, progress=progress)


def replan_study(study: Study, scenario: Any) -> Study:
    """``study`` for the replan's scenario: the same model, or one moved to the observed values."""
    from engine.model.study import build_study, model_key

    if model_key(study.data_key, scenario.indicator, scenario) == study.model_key:
        return study.with_scenario(scenario)
    return build_study(study.ctx, scenario, direction_rules=study.direction_rules, indicator=study.indicator,
                       data_key=study.data_key)


def monitor(study: Study, plan: pd.DataFrame, actuals: pd.DataFrame, as_of: int, *,
            indicators: list[Mapping[str, Any]] | None = None, carry_over: bool = False, solver: str = "highs",
            time_limit: float | None = None, replan: bool = True) -> Monitoring:
    """Compare ``plan`` with the ``actuals`` up to ``as_of`` (and the observed ``indicators``), and replan."""
    from engine.roadmap.build import check_allocation

    as_of = check_as_of(study, as_of)
    cells = check_allocation(plan, study.model, study.scenario, name="plan")
    plan = pd.DataFrame([(u, d, y, v) for (u, d, y), v in sorted(cells.items())], columns=list(ACTUALS_COLUMNS))
    notes: list[str] = []
    kpis: tuple[KpiDeviation, ...] = ()
    observed: dict[tuple[str, int], float] = {}
    if indicators:
        kpis, kpi_notes = kpi_deviations(study, plan, indicators, as_of)
        notes += kpi_notes
        observed = observed_values(study, indicators, as_of)
    held, cap_notes = capped_actuals(study, actuals)
    notes += cap_notes
    budget, unspent = replan_budget(study, actuals, as_of, carry_over, held)
    if study.scenario.allow_unspent:
        notes.append("the scenario allows unspent budget, so the replan may leave part of a remaining year's budget "
                     "unspent")
    result, revised, rebased = None, None, ()
    if as_of < study.scenario.last_year and replan:
        from engine.allocation import optimize, prepare

        revised = replan_scenario(study, held, as_of, budget, observed)
        replanned = replan_study(study, revised)
        rebased = tuple(replanned.model.baseline.parameters.get("observed", ()))
        result = optimize(prepare(replanned), solver=solver, time_limit=time_limit)
    elif as_of >= study.scenario.last_year:
        notes.append(f"{as_of} is the horizon's last year: no year is left to replan")
    return Monitoring(study, as_of, carry_over, plan, actuals, kpis, budget, unspent, result, tuple(notes), held,
                      revised, rebased)

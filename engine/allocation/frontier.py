"""The equity-efficiency frontier: the most national growth for each level of an equity metric.

The equity metric is the scenario's own when it is one (max/min ratio, lowest GRP per capita, shortfall,
problem regions), else the shortfall. The frontier is traced by the epsilon-constraint method, which also
finds the points a weighted sum would miss:

1. the equity end: the best equity level, then the most growth holding it;
2. the growth end: the most growth, then the best equity level holding that growth;
3. in between, ``points`` levels evenly spaced from one end's equity level to the other's, each giving the
   most growth that holds it (whole numbers of problem regions, so fewer distinct points there).

Every point reports its equity metric and national growth as the linear model sees them, and its
allocation by direction and by part. All points share the scenario's constraints and budget.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.allocation.explain import presolve_conflicts
from engine.allocation.objectives import (
    EQUITY_OBJECTIVES,
    METRICS,
    growth_stage,
    primary_stage,
    relaxed_level,
    solve_stage,
)
from engine.allocation.outcomes import anchors_for, linear_growth, linear_metric
from engine.allocation.prepared import Prepared, as_prepared
from engine.allocation.report import allocation_rows
from engine.allocation.result import Status
from engine.allocation.run import stage1_optimum
from engine.allocation.solve import check_solver
from engine.core.i18n import Text, has_text
from engine.core.jsonio import json_safe
from engine.model.study import Study

MAX_POINTS = 201


@dataclass(frozen=True)
class FrontierPoint:
    equity_level: float
    equity_value: float
    national_growth: float
    status: str
    by_direction: dict[str, float]
    by_part: dict[str, float]


@dataclass(frozen=True, eq=False)
class Frontier:
    scenario: dict[str, Any]
    status: Status
    metric: str
    sense: str
    unit: str
    label: str
    points: tuple[FrontierPoint, ...]
    solver: str
    seconds: float
    #: English with str(), any language with Text.render; the JSON has both
    notes: tuple[Text, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The public JSON of ``roadmap frontier --json``."""
        return json_safe({
            "status": self.status.value, "scenario": self.scenario, "equity_metric": self.metric,
            "equity_sense": self.sense, "equity_unit": self.unit, "equity_label": self.label,
            "growth_metric": "national_growth", "growth_unit": "bn tenge (summed over the horizon)",
            "points": [asdict(p) for p in self.points], "solver": self.solver, "seconds": round(self.seconds, 6),
            "notes": [str(n) for n in self.notes], "note_messages": [n.to_json() for n in self.notes]})


def _summary(prep: Prepared, values: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    by_direction: dict[str, float] = {}
    by_part: dict[str, float] = {}
    for row in allocation_rows(prep.forms, values):
        by_direction[row.direction] = by_direction.get(row.direction, 0.0) + row.bn_kzt
        by_part[row.part] = by_part.get(row.part, 0.0) + row.bn_kzt
    return ({k: round(v, 6) for k, v in sorted(by_direction.items())},
            {k: round(v, 6) for k, v in sorted(by_part.items())})


def compute_frontier(study: Study | Prepared, points: int = 21, *, solver: str = "highs",
                     time_limit: float | None = None) -> Frontier:
    """Trace the frontier of ``scenario`` with ``points`` points (see the module text).

    Raises
    ------
    ValueError
        When ``points`` is not between 2 and :data:`MAX_POINTS`.
    """
    if not 2 <= points <= MAX_POINTS:
        raise ValueError(f"points must be between 2 and {MAX_POINTS}")
    started = time.perf_counter()
    check_solver(solver)
    prep = as_prepared(study)
    ctx = prep.ctx
    scenario = prep.scenario.replace(objective=EQUITY_OBJECTIVES.get(prep.scenario.objective, "shortfall"))
    metric, sense, unit, label = METRICS[scenario.objective]
    forms = prep.forms
    if presolve_conflicts(forms, scenario):
        return Frontier(scenario.to_dict(), Status.INFEASIBLE, metric, sense, unit, label, (), solver,
                        time.perf_counter() - started, ("The scenario is infeasible; run 'roadmap solve' for why.",))
    anchors = anchors_for(ctx, forms, scenario)

    def fail(status: Status, note: str) -> Frontier:
        return Frontier(scenario.to_dict(), status, metric, sense, unit, label, (), solver,
                        time.perf_counter() - started, (note,))

    first = primary_stage(forms, scenario, anchors)
    best = solve_stage(first, solver, time_limit)
    if not best.solved:
        return fail(best.status, "the best equity level could not be found: " + (best.message or best.status.value))
    best_level = stage1_optimum(metric, float(best.objective or 0.0), scenario, anchors)
    top = solve_stage(growth_stage(forms, scenario, None, 0.0, anchors), solver, time_limit)
    if not top.solved:
        return fail(top.status, "the most growth could not be found: " + (top.message or top.status.value))
    growth_level = relaxed_level("national_growth", linear_growth(forms, top.values))
    held = primary_stage(forms, scenario, anchors, ("national_growth", growth_level))
    other = solve_stage(held, solver, time_limit)
    other_level = (stage1_optimum(metric, float(other.objective or 0.0), scenario, anchors) if other.solved
                   else linear_metric(metric, forms, scenario, top.values, anchors))
    levels = [best_level + (other_level - best_level) * j / (points - 1) for j in range(points)]
    if metric == "problem_regions":
        levels = sorted({float(round(v)) for v in levels})
    out = []
    status = Status.OPTIMAL
    for level in levels:
        stage = growth_stage(forms, scenario, metric, relaxed_level(metric, level), anchors, key="frontier")
        solution = solve_stage(stage, solver, time_limit)
        if not solution.solved:
            status = Status.TIME_LIMIT_FEASIBLE if solution.status == Status.TIME_LIMIT_FEASIBLE else status
            out.append(FrontierPoint(level, float("nan"), float("nan"), solution.status.value, {}, {}))
            continue
        if solution.status == Status.TIME_LIMIT_FEASIBLE:
            status = Status.TIME_LIMIT_FEASIBLE
        by_direction, by_part = _summary(prep, solution.values)
        out.append(FrontierPoint(level, linear_metric(metric, forms, scenario, solution.values, anchors),
                                 linear_growth(forms, solution.values), solution.status.value, by_direction, by_part))
    notes: tuple[Text, ...] = (Text("fr_note_linear"), Text("fr_note_growth"))
    if len(levels) == 1:
        name = Text(f"metric_{metric}") if has_text(f"metric_{metric}") else Text(metric) if has_text(metric) else label
        notes += (Text("fr_note_no_trade_off", {"metric": name}),)
    return Frontier(scenario.to_dict(), status, metric, sense, unit, label, tuple(out), solver,
                    time.perf_counter() - started, notes)

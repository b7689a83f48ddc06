"""The optimizer's result: our own status, frozen dataclasses, and the public JSON of ``roadmap solve``.

The keys of :meth:`OptimizationResult.to_json` are a public interface: ``status``, ``objective``,
``objective_value``, ``allocation`` (``unit_id``, ``direction``, ``year``, ``bn_kzt``, ``part``),
``metrics_before`` / ``metrics_baseline`` / ``metrics_after`` (the keys of ``roadmap diagnose``),
``problem_regions_before`` / ``_baseline`` / ``_after``, ``budget_shadow_price``, ``binding_constraints``,
``explanations`` and ``baselines``, and more besides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from functools import cache
from typing import Any

import pandas as pd

from engine.core.i18n import json_value, message_text, t
from engine.core.jsonio import json_safe


class Status(StrEnum):
    """Outcome of a solve, derived from both of PuLP's codes (see :func:`engine.allocation.solve.derive_status`)."""

    OPTIMAL = "optimal"
    TIME_LIMIT_FEASIBLE = "time_limit_feasible"  # a feasible plan; optimality not proven
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"

    @property
    def solved(self) -> bool:
        return self in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE)


@dataclass(frozen=True)
class AllocationRow:
    unit_id: str
    direction: str
    year: int
    bn_kzt: float
    part: str


@dataclass(frozen=True)
class StageReport:
    """One model the solver solved."""

    key: str
    description: str
    sense: str
    status: str
    objective_value: float | None
    solver: str
    pulp_status: int
    pulp_solution_status: int
    solve_seconds: float
    build_seconds: float
    variables: int
    constraints: int
    integer_variables: int
    coefficient_range: dict[str, Any]
    message: str = ""
    hold_tolerance: float | None = None  # relative slack on the primary optimum a second stage held


@dataclass(frozen=True)
class ShadowPrice:
    year: int
    per_bn: float | None
    text: str
    #: national GRP gain (bn, over the horizon) of one more bn that year, as a re-solve finds it: the growth
    #: stage's budget dual plus the growth the primary metric's better optimum costs (its bound's dual)
    growth_per_bn: float | None = None
    #: the growth stage's budget dual alone: one more bn with the primary metric held at today's optimum
    growth_per_bn_held: float | None = None


@dataclass(frozen=True)
class BudgetShadowPrice:
    available: bool
    metric: str
    unit: str
    method: str
    by_year: tuple[ShadowPrice, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class BindingConstraint:
    name: str
    rule: str
    text: str
    unit: str | None = None
    year: int | None = None
    direction: str | None = None
    dual: float | None = None


@dataclass(frozen=True)
class Conflict:
    """Rules that cannot all hold, found before solving."""

    rules: tuple[str, ...]
    message: str
    amount_bn: float | None = None


@dataclass(frozen=True)
class Relaxation:
    """How much one constraint would have to give for the scenario to become feasible."""

    constraint: str
    rule: str
    by_bn: float
    text: str
    unit: str | None = None
    year: int | None = None
    direction: str | None = None


@dataclass(frozen=True)
class Explanation:
    """One explanation of a result: its English ``text`` (command line, JSON) and, when it has one, the message
    id and values that write it in any language (:meth:`render`)."""

    topic: str
    text: str
    key: str | None = None
    values: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def render(self, lang: str) -> str:
        return message_text(self.key, self.values, lang) if self.key else self.text

    def to_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "text": self.text, "message_id": self.key,
                "values": {k: json_value(v) for k, v in (self.values or {}).items()}}


def explain(topic: str, key: str, **values: Any) -> Explanation:
    """An :class:`Explanation` written from the catalog entry ``key`` (its English text kept)."""
    return Explanation(topic, t(key, "en", **values), key, values)


@dataclass(frozen=True)
class Gap:
    """The optimizer's linear view of a metric against the exact simulation of the same plan."""

    metric: str
    linear: float | None
    simulated: float | None
    difference: float | None
    reason: str


@dataclass(frozen=True)
class BaselineComparison:
    """A formula allocation of the same budget, simulated, against the optimized plan."""

    name: str
    description: str
    spent_bn: float
    metrics_after: dict[str, Any]
    objective_metric: float | None
    reduction_per_bn: dict[str, float | None]
    by_unit_bn: dict[str, float] = field(default_factory=dict)
    # the criteria at the horizon as the optimizer scores them: after the last year's demand impulse has faded
    metrics_lasting: dict[str, Any] | None = None


@dataclass(frozen=True, eq=False)
class OptimizationResult:
    """Everything ``roadmap solve`` reports (see the module text for the public keys)."""

    scenario: dict[str, Any]
    status: Status
    objective: str
    objective_value: float | None
    objective_label: str
    primary_metric: dict[str, Any]
    solver: str
    allocation: tuple[AllocationRow, ...]
    parts: dict[str, Any]
    metrics_before: dict[str, Any]
    metrics_baseline: dict[str, Any]
    metrics_after: dict[str, Any] | None
    metrics_by_year: dict[str, dict[int, dict[str, Any]]]
    problem_regions_before: list[str]
    problem_regions_baseline: list[str]
    problem_regions_after: list[str] | None
    problem_regions_by_year: dict[str, dict[int, int]]
    trajectories: dict[str, Any]
    budget_shadow_price: BudgetShadowPrice
    binding_constraints: tuple[BindingConstraint, ...]
    explanations: tuple[Explanation, ...]
    baselines: tuple[BaselineComparison, ...]
    plan_reduction_per_bn: dict[str, float | None]
    gaps: tuple[Gap, ...]
    stages: tuple[StageReport, ...]
    conflicts: tuple[Conflict, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""
    #: the plan's effect in the last year without that year's demand impulse (:func:`report.lasting_effects`)
    lasting_effects: dict[str, Any] | None = None
    #: criterion 1 unit by unit (:func:`engine.allocation.outcomes.problem_region_margins`)
    problem_region_margins: tuple[dict[str, Any], ...] = ()
    #: national GRP of the plan less that of no new policy, summed over the horizon years (bn, simulated)
    national_grp_gain_bn: float | None = None
    #: set for a frontier point's plan: ``{"metric", "level"}`` the equity metric was held at
    hold: dict[str, Any] | None = None
    #: the simulated trajectories the metrics were read from (the roadmap reads them; not in the JSON)
    plan_trajectories: Any = field(default=None, repr=False, compare=False)
    no_policy_trajectories: Any = field(default=None, repr=False, compare=False)

    def allocation_frame(self) -> pd.DataFrame:
        """The allocation as a DataFrame (columns ``unit_id, direction, year, bn_kzt, part``)."""
        columns = ["unit_id", "direction", "year", "bn_kzt", "part"]
        return pd.DataFrame([_flat(r) for r in self.allocation], columns=columns)

    def spending_by(self, key: str) -> dict[Any, float]:
        """Total bn by ``direction``, ``part``, ``year`` or ``unit_id``."""
        out: dict[Any, float] = {}
        for row in self.allocation:
            value = getattr(row, key)
            out[value] = out.get(value, 0.0) + row.bn_kzt
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, Any]:
        """The public JSON object of ``roadmap solve --json``."""
        def count(units: list[str] | None) -> dict[str, Any] | None:
            return None if units is None else {"count": len(units), "units": units}

        out = {
            "status": self.status.value,
            "objective": self.objective,
            "objective_value": self.objective_value,
            "objective_label": self.objective_label,
            "primary_metric": self.primary_metric,
            "solver": self.solver,
            "scenario": self.scenario,
            "allocation": [_flat(r) for r in self.allocation],
            "spending_by_direction": self.spending_by("direction"),
            "spending_by_part": self.spending_by("part"),
            "spending_by_year": {str(k): v for k, v in self.spending_by("year").items()},
            "parts": self.parts,
            "metrics_before": self.metrics_before,
            "metrics_baseline": self.metrics_baseline,
            "metrics_after": self.metrics_after,
            "metrics_by_year": {k: {str(y): m for y, m in v.items()} for k, v in self.metrics_by_year.items()},
            "problem_regions_before": count(self.problem_regions_before),
            "problem_regions_baseline": count(self.problem_regions_baseline),
            "problem_regions_after": count(self.problem_regions_after),
            "problem_regions_by_year": {k: {str(y): n for y, n in v.items()}
                                        for k, v in self.problem_regions_by_year.items()},
            "trajectories": self.trajectories,
            "budget_shadow_price": asdict(self.budget_shadow_price),
            "binding_constraints": [_flat(b) for b in self.binding_constraints],
            "explanations": [e.to_json() for e in self.explanations],
            "baselines": [asdict(b) for b in self.baselines],
            "plan_reduction_per_bn": self.plan_reduction_per_bn,
            "lp_vs_simulator": [asdict(g) for g in self.gaps],
            "stages": [asdict(s) for s in self.stages],
            "conflicts": [asdict(c) for c in self.conflicts],
            "relaxations": [asdict(r) for r in self.relaxations],
            "timings": self.timings,
            "message": self.message,
            "hold": self.hold,
            "national_grp_gain_bn": self.national_grp_gain_bn,
            "problem_region_margins": list(self.problem_region_margins),
            "lasting_effects": self.lasting_effects,
        }
        return json_safe(out)


def _flat(row: Any) -> dict[str, Any]:
    """A dataclass of plain fields as a dictionary: :func:`dataclasses.asdict` without its deep copy, which
    takes most of the time of a settlement-level result's JSON (10^5 rows)."""
    return {name: getattr(row, name) for name in _field_names(type(row))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))

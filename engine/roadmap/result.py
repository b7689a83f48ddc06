"""The roadmap as frozen dataclasses: two parts of measures, both criteria by year, priorities, assumptions.

Everything a document shows is here already resolved in the roadmap's language (names of regions,
directions, instruments, actors), so every export writes the same content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from engine.core.i18n import indicator_name

#: The criteria shown by year: the first criterion (problem regions) and three inequality measures.
CRITERIA = ("problem_regions", "max_min_ratio", "williamson", "theil_t_weighted")


@dataclass(frozen=True)
class ParameterUse:
    """A model parameter a roadmap rests on, with the value in force."""

    id: str
    value: float | tuple[float, ...]
    low: float | None
    high: float | None
    unit: str
    basis: str
    source: str
    overridden: bool

    @property
    def is_assumption(self) -> bool:
        return self.basis in ("assumption", "proxy")


@dataclass(frozen=True)
class MeasureEffect:
    """What the plan does in the measure's region at the horizon, and what this measure does alone.

    Region values compare the plan's trajectories with the baseline's (they include every measure in the
    region and what reaches it from elsewhere: spillovers, movers, induced migration). ``alone_*`` are the
    model's direct (linear) effect of this measure in its own region, without the interaction bonus and
    induced migration, which depend on the other measures too.
    """

    year: int
    grp_per_capita_baseline: float
    grp_per_capita_plan: float
    grp_per_capita_change_pct: float
    population_baseline: float
    population_plan: float
    population_change: float
    alone_grp_per_capita_change_pct: float
    alone_population_change: float


@dataclass(frozen=True)
class Measure:
    id: str
    unit_id: str
    region: str
    unit_class: str
    direction: str
    direction_name: str
    part: str
    instruments: tuple[str, ...]
    instrument_names: tuple[str, ...]
    actors: tuple[str, ...]
    actor_names: tuple[str, ...]
    budget_by_year: Mapping[int, float]
    start_year: int
    end_year: int
    effect: MeasureEffect
    kpi_targets: Mapping[int, float]
    kpi_baseline: Mapping[int, float]
    rule_id: str
    parameters: tuple[str, ...]
    assumption_parameters: tuple[str, ...]
    priorities: tuple[str, ...]

    @property
    def total_bn(self) -> float:
        return float(sum(self.budget_by_year.values()))


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    rationale: str
    measures: tuple[Measure, ...]
    budget_by_year: Mapping[int, float]

    @property
    def total_bn(self) -> float:
        return float(sum(self.budget_by_year.values()))


@dataclass(frozen=True)
class CriteriaRow:
    """Both criteria in one year, without new policy and under the plan (keys of :data:`CRITERIA`)."""

    year: int
    baseline: Mapping[str, float]
    plan: Mapping[str, float]


@dataclass(frozen=True)
class PriorityEntry:
    id: str
    name: str
    rationale: str
    source: str
    measure_ids: tuple[str, ...]


@dataclass(frozen=True)
class RuleEntry:
    """A roadmap rule used by at least one measure, as written in ``rules/roadmap.yaml``."""

    id: str
    unit_class: str
    direction: str
    part: str
    rationale: str
    source: str


@dataclass(frozen=True)
class SourceEntry:
    title: str
    text: str


@dataclass(frozen=True)
class UnitRow:
    unit_id: str
    region: str
    unit_class: str
    grp_per_capita: float
    population: float
    problem: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DiagnosisSummary:
    """The base year: the criteria, the region with the highest and lowest value, and every unit's class."""

    year: int
    metrics: Mapping[str, float]
    max_region: str
    min_region: str
    units: tuple[UnitRow, ...]


@dataclass(frozen=True, eq=False)
class Roadmap:
    lang: str
    scenario_name: str
    objective: str
    base_year: int
    years: tuple[int, ...]
    budget_by_year: Mapping[int, float]
    equity_share_required: float
    allocation_note: str
    diagnosis: DiagnosisSummary
    parts: tuple[Part, Part]
    criteria: tuple[CriteriaRow, ...]
    warnings: tuple[str, ...]
    priorities: tuple[PriorityEntry, ...]
    rules: tuple[RuleEntry, ...]
    assumptions: tuple[ParameterUse, ...]
    sources: tuple[SourceEntry, ...]
    allocation: pd.DataFrame
    unit_classes: Mapping[str, str] = field(default_factory=dict)
    reach: tuple[Mapping[str, Any], ...] = ()  # engine.analysis.target.reach, one per criterion
    indicator: str = "grp_per_capita"  # the scenario's: every GRP-per-capita figure of the roadmap is this one

    @property
    def indicator_name(self) -> str:
        return indicator_name(self.indicator, self.lang)

    @property
    def measures(self) -> tuple[Measure, ...]:
        return self.parts[0].measures + self.parts[1].measures

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def measure(self, measure_id: str) -> Measure:
        return next(m for m in self.measures if m.id == measure_id)

    @property
    def total_bn(self) -> float:
        return float(sum(p.total_bn for p in self.parts))

    @property
    def equity_share(self) -> float:
        total = self.total_bn
        return self.parts[0].total_bn / total if total > 0 else 0.0

    @property
    def horizon_year(self) -> int:
        return self.years[-1]

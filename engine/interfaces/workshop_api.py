"""Workshop compositions for the app: each participant's plan, the aggregate's, the candidates'.

The app runs these in worker processes (``ui.jobs.run_job``), so every argument and every result is
picklable: YAML text, plain numbers and frozen dataclasses of built-in values. Each worker keeps the data
and the prepared model of the templates it has seen (:mod:`engine.interfaces.studies`), so the solve of a moved
slider costs one optimizer run, not a model build.

**A participant's plan** is the workshop template with the direction shares and equity share of their
priorities (:func:`engine.analysis.workshop.scenario_for_priorities`), the shares fitted to what each direction can
absorb over the horizon (:func:`engine.analysis.workshop.compute_direction_capacity`): without the fit, weights far
above a direction's capacity (mobility absorbs about a tenth of a 500 bn budget) would make the plan
infeasible. The optimizer allocates it and the two criteria of the source article are reported: the number
of problem regions and interregional inequality (max/min ratio, Williamson, Theil).

**Changes to the allocation** (``{unit_id, direction, change_bn_kzt, year?}``, checked in form by
:func:`engine.analysis.workshop.check_allocation_changes`) are applied to the optimizer's allocation: the amount is
added to the cell of that year, or of every horizon year when no year is given. A cell must stay between
0 and what the unit can absorb there (``rules/directions.yaml``), and the direction must be eligible in the
unit; every problem is reported, not only the first. The changed allocation is evaluated exactly with
:func:`engine.model.simulate.simulate_plan`, so the participant sees what their change does to both criteria.
Money a change adds is on top of the budget, and is reported as such.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from engine.allocation import OptimizationResult, Prepared, optimize
from engine.allocation.report import metrics_by_year
from engine.analysis.workshop import (
    Priorities,
    apply_budget,
    check_allocation_changes,
    compute_direction_capacity,
    fit_to_capacity,
    scenario_for_priorities,
)
from engine.core.errors import Problem, ScenarioError, problem
from engine.core.parameters import DIRECTIONS
from engine.core.paths import SCENARIO_DIR
from engine.core.scenario import Scenario
from engine.core.yamlio import YamlProblem, parse_yaml
from engine.interfaces import studies
from engine.model.simulate import simulate_plan
from engine.model.study import read_scenario

MAX_TEMPLATE_BYTES = 1_000_000  # an uploaded template: a scenario file is a few hundred bytes
CRITERIA = ("problem_regions", "max_min_ratio", "williamson", "theil_t_weighted")
MAX_EXPLANATIONS = 8


@dataclass(frozen=True)
class TemplateFile:
    """A scenario file shipped in ``data/scenarios`` that a workshop can start from."""

    stem: str
    name: str
    text: str


@dataclass(frozen=True)
class PlanUnit:
    unit_id: str
    name_kk: str
    name_ru: str
    name_en: str

    def name(self, lang: str) -> str:
        return str(getattr(self, f"name_{lang}", "") or self.name_en or self.unit_id)


@dataclass(frozen=True)
class ChangesOutcome:
    """The participant's changes applied to the plan and evaluated exactly (or the problems they have)."""

    changes: tuple[dict[str, Any], ...]
    problems: tuple[str, ...]
    added_bn_kzt: float
    spent_bn_kzt: float | None
    metrics_after: dict[str, Any] | None
    problem_regions_after: tuple[str, ...] | None
    by_year: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class WorkshopPlan:
    """What a workshop screen shows of one scenario's optimized plan (picklable, no frames)."""

    scenario_name: str
    scenario_yaml: str
    status: str
    solved: bool
    years: tuple[int, ...]
    budget_bn_kzt: float
    spending: tuple[tuple[str, str, float], ...]  # (direction, part, bn over the horizon)
    shares_asked: dict[str, float]  # each direction's target share of the budget after the capacity fit
    metrics_before: dict[str, Any]
    metrics_baseline: dict[str, Any]
    metrics_after: dict[str, Any] | None
    problem_regions_baseline: tuple[str, ...]
    problem_regions_after: tuple[str, ...] | None
    by_year: dict[str, dict[int, dict[str, Any]]]  # "baseline" / "plan" -> year -> the criteria
    explanations: tuple[str, ...]
    message: str
    units: tuple[PlanUnit, ...]
    eligible: dict[str, tuple[str, ...]]
    changes: ChangesOutcome | None = None
    #: the explanations with their message ids and values (Explanation.to_json), to show in any language
    explanation_messages: tuple[dict[str, Any], ...] = ()

    @property
    def spent_bn_kzt(self) -> float:
        return sum(bn for _, _, bn in self.spending)

    def by_direction(self) -> dict[str, float]:
        out = dict.fromkeys(DIRECTIONS, 0.0)
        for direction, _, bn in self.spending:
            out[direction] = out.get(direction, 0.0) + bn
        return out

    def by_part(self) -> dict[str, float]:
        out = {"equity": 0.0, "efficiency": 0.0}
        for _, part, bn in self.spending:
            out[part] = out.get(part, 0.0) + bn
        return out


# --- templates -----------------------------------------------------------------------------------------

def list_template_files(folder: Path | None = None) -> list[TemplateFile]:
    """The scenario files a workshop can start from, with the name each file gives itself."""
    out = []
    for path in sorted((folder or SCENARIO_DIR).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            name = read_scenario(text, name=path.name).name
        except ScenarioError:
            continue  # a broken file is reported by `roadmap solve`, not offered to a workshop
        out.append(TemplateFile(path.stem, name, text))
    return out


def stored_templates(store: Any) -> dict[str, tuple[str, str]]:
    """Every version of every stored scenario as a workshop template: ``store:<id>:<version>`` -> (title, YAML).

    A revised plan adopted as a new version (:func:`engine.store.versions.adopt_revised_plan`) is one of them;
    the workshop starts from that version's scenario text.
    """
    from engine.store.versions import all_versions

    return {f"store:{v.scenario_id}:{v.version}": (v.title, v.yaml) for v in all_versions(store)}


def check_uploaded_template(data: bytes, filename: str) -> str:
    """An uploaded template's text, checked: at most 1 MB of UTF-8 YAML, a valid scenario, no ``data`` key.

    An uploaded file may not point the server at a dataset folder of its own (``data:``): a workshop on
    the app runs on the default dataset.
    """
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ScenarioError([problem(filename, "pr_larger_than_mb", None, None, len(data),
                                     mb=MAX_TEMPLATE_BYTES // 1_000_000)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([problem(filename, "pr_not_utf8_byte", byte=exc.start)]) from None
    try:
        doc = parse_yaml(text, filename)
    except YamlProblem as exc:
        raise ScenarioError([exc.problem(filename)]) from None
    if isinstance(doc, dict) and "data" in doc:
        raise ScenarioError([problem(filename, "pr_template_data_key", None, "data", doc["data"])])
    studies.scenario_of(text, name=filename)
    return text


def template_with_budget(template_yaml: str, budget_bn_kzt: float | None, name: str | None = None) -> str:
    """A scenario file's text with the workshop's yearly budget in every horizon year (and a new name)."""
    scenario = apply_budget(read_scenario(template_yaml, name=name or "template"), budget_bn_kzt)
    if name:
        scenario = scenario.replace(name=name[:200])
    return scenario.to_yaml()


# --- studies (kept per worker process in engine.interfaces.studies) ------------------------------------

def prepared_for(scenario: Scenario) -> Prepared:
    """The prepared study of ``scenario`` on its own dataset (the model built once per data, base year, last
    year and assumptions; budgets, objectives and shares may differ)."""
    ctx, data_key = studies.dataset(scenario.data)
    return studies.prepared(studies.scenario_of(scenario, ctx), ctx, data_key)


def compute_template_capacity(template_yaml: str, budget_bn_kzt: float | None = None) -> dict[str, float]:
    """Each direction's absorption capacity (bn over the horizon) for a workshop's template.

    See :func:`engine.analysis.workshop.compute_direction_capacity`; the budget does not change it.
    """
    template = apply_budget(read_scenario(template_yaml, name="workshop template"), budget_bn_kzt)
    return compute_direction_capacity(prepared_for(template).forms, template.open_years)


# --- plans ---------------------------------------------------------------------------------------------

def plan_for_priorities(template_yaml: str, budget_bn_kzt: float | None, weights: Mapping[str, float],
                        equity_share: float, allocation_changes: Sequence[Mapping[str, Any]] | None = None,
                        name: str | None = None) -> WorkshopPlan:
    """The optimized plan of one participant's priorities (see the module text), with their changes."""
    template = apply_budget(read_scenario(template_yaml, name="workshop template"), budget_bn_kzt)
    capacity = compute_direction_capacity(prepared_for(template).forms, template.open_years)
    scenario = scenario_for_priorities(template, weights, equity_share, name=name, capacity_bn_kzt=capacity)
    asked = Priorities.of(weights, equity_share).weights
    shares = fit_to_capacity(asked, {d: c / template.open_budget for d, c in capacity.items()}) \
        if template.open_budget > 0 else dict(asked)
    return _plan(scenario, allocation_changes, shares)


def plan_for_scenario(scenario_yaml: str, allocation_changes: Sequence[Mapping[str, Any]] | None = None
                      ) -> WorkshopPlan:
    """The optimized plan of a scenario (the aggregate's, a candidate's), with optional changes."""
    return _plan(read_scenario(scenario_yaml, studies.rules_for(None), "workshop scenario"), allocation_changes, {})


def result_for_scenario(scenario_yaml: str) -> dict[str, Any]:
    """The optimizer's full JSON result of a scenario (saved with an adopted roadmap)."""
    return optimize(prepared_for(read_scenario(scenario_yaml, studies.rules_for(None), "workshop scenario"))).to_json()


def _plan(scenario: Scenario, allocation_changes: Sequence[Mapping[str, Any]] | None,
          shares: Mapping[str, float]) -> WorkshopPlan:
    prep = prepared_for(scenario)
    result = optimize(prep, with_baselines=False)
    units = prep.ctx.dataset.units
    plan_units = tuple(PlanUnit(u, *(str(units.at[u, f"name_{lang}"]) if u in units.index else u
                                     for lang in ("kk", "ru", "en"))) for u in prep.model.units)
    eligible = {d: tuple(u for u in prep.model.units if u in set(prep.model.eligible.get(d, ())))
                for d in DIRECTIONS}
    spending: dict[tuple[str, str], float] = {}
    for row in result.allocation:
        spending[(row.direction, row.part)] = spending.get((row.direction, row.part), 0.0) + row.bn_kzt
    changes = None
    if allocation_changes:
        changes = apply_changes(prep, result, allocation_changes) if result.status.solved else ChangesOutcome(
            tuple(check_allocation_changes(allocation_changes)), ("the plan has no allocation to change",), 0.0,
            None, None, None)
    return WorkshopPlan(
        scenario_name=scenario.name, scenario_yaml=scenario.to_yaml(), status=result.status.value,
        solved=result.status.solved, years=tuple(scenario.years), budget_bn_kzt=scenario.total_budget,
        spending=tuple((d, p, round(bn, 6)) for (d, p), bn in sorted(spending.items())), shares_asked=dict(shares),
        metrics_before=_criteria(result.metrics_before), metrics_baseline=_criteria(result.metrics_baseline),
        metrics_after=None if result.metrics_after is None else _criteria(result.metrics_after),
        problem_regions_baseline=tuple(result.problem_regions_baseline),
        problem_regions_after=None if result.problem_regions_after is None else tuple(result.problem_regions_after),
        by_year={kind: {int(y): _criteria(m) for y, m in years.items() if int(y) in scenario.years}
                 for kind, years in result.metrics_by_year.items()},
        explanations=tuple(e.text for e in result.explanations[:MAX_EXPLANATIONS]),
        explanation_messages=tuple(e.to_json() for e in result.explanations[:MAX_EXPLANATIONS]),
        message=result.message or "; ".join(c.message for c in result.conflicts),
        units=plan_units, eligible=eligible, changes=changes)


def _criteria(metrics: Mapping[str, Any]) -> dict[str, Any]:
    return {k: metrics.get(k) for k in CRITERIA}


def apply_changes(prep: Prepared, result: OptimizationResult, allocation_changes: Sequence[Mapping[str, Any]]
                  ) -> ChangesOutcome:
    """The optimizer's allocation with the participant's changes, checked against the model and simulated."""
    changes = check_allocation_changes(allocation_changes)
    model, years = prep.model, prep.scenario.years
    cells: dict[tuple[str, str, int], float] = {}
    for row in result.allocation:
        key = (row.unit_id, row.direction, row.year)
        cells[key] = cells.get(key, 0.0) + row.bn_kzt
    delta: dict[tuple[str, str, int], float] = {}
    problems: list[Problem] = []
    added = 0.0
    for number, change in enumerate(changes, start=1):
        unit, direction, year, amount = change["unit_id"], change["direction"], change["year"], change["change_bn_kzt"]
        where = "allocation_changes"
        if unit not in model.units:
            problems.append(problem(where, "pr_not_base_year_unit", number, "unit_id", unit,
                                    base_year=prep.scenario.base_year))
            continue
        if unit not in model.eligible.get(direction, ()):
            problems.append(problem(where, "pr_direction_not_eligible", number, "direction", f"{unit} / {direction}",
                                    direction=direction))
            continue
        if year is not None and year not in years:
            problems.append(problem(where, "pr_outside_horizon", number, "year", year, first=years[0], last=years[-1]))
            continue
        for y in [year] if year is not None else years:
            cells[(unit, direction, y)] = cells.get((unit, direction, y), 0.0) + amount
            delta[(unit, direction, y)] = delta.get((unit, direction, y), 0.0) + amount
            added += amount
    for (unit, direction, year), amount in sorted(cells.items()):
        if amount < -1e-9:
            planned = amount - delta[(unit, direction, year)]
            problems.append(problem("allocation_changes", "pr_changes_take_more", None, "change_bn_kzt",
                                    round(delta[(unit, direction, year)], 6),
                                    taken=planned - amount, direction=direction, unit=unit,
                                    year=year, planned=planned))
        elif amount > (capacity := model.capacity(unit, direction, year)) * (1 + 1e-9) + 1e-9:
            problems.append(problem("allocation_changes", "pr_over_capacity", None, "change_bn_kzt",
                                    round(delta[(unit, direction, year)], 6), amount=amount,
                                    direction=direction, unit=unit, year=year,
                                    capacity=capacity))
    if problems:
        return ChangesOutcome(tuple(changes), tuple(str(p) for p in problems), round(added, 6), None, None, None)
    frame = pd.DataFrame([(u, d, y, max(0.0, v)) for (u, d, y), v in sorted(cells.items())],
                         columns=["unit_id", "direction", "year", "bn_kzt"])
    plan = simulate_plan(model, frame)
    metrics, problem_units = metrics_by_year(prep.ctx, plan, years, prep.no_policy, prep.assumptions)
    last = years[-1]
    return ChangesOutcome(tuple(changes), (), round(added, 6), round(float(frame["bn_kzt"].sum()), 6),
                          _criteria(metrics[last]), tuple(problem_units[last]),
                          {y: _criteria(m) for y, m in metrics.items()})

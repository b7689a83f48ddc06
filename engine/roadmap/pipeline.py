"""From a scenario to a roadmap in one call: model, allocation, trajectories, roadmap.

The app and the CLI call :func:`roadmap_for_scenario`. An allocation given by the caller (the optimizer's,
or a planner's file) is used as it is; without one, the formula of :mod:`engine.roadmap.formula` makes one
and the roadmap says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.core.diagnose import Context
from engine.core.i18n import t
from engine.core.parameters import DirectionRules, ParameterValues, load_direction_rules
from engine.core.scenario import Scenario
from engine.model.response import ResponseModel, build_baseline, build_response_model
from engine.model.simulate import PlanTrajectories, empty_allocation, simulate_plan
from engine.roadmap.build import build_roadmap, check_allocation
from engine.roadmap.formula import formula_allocation
from engine.roadmap.result import Roadmap
from engine.roadmap.rules import RoadmapRules, classify_units, load_roadmap_rules


@dataclass(frozen=True, eq=False)
class RoadmapInputs:
    """What a roadmap is built from, kept so a caller can rebuild it in another language cheaply."""

    model: ResponseModel
    allocation: pd.DataFrame
    baseline: PlanTrajectories
    plan: PlanTrajectories
    rules: RoadmapRules
    allocation_kind: str  # "given", "file", "optimizer" or "formula"
    allocation_label: str


def build_model(ctx: Context, scenario: Scenario, direction_rules: DirectionRules | None = None) -> ResponseModel:
    """The response model of a scenario: baseline from its base year to its last year, its assumptions."""
    direction_rules = direction_rules or load_direction_rules(known_units=set(ctx.dataset.units.index))
    assumptions = ParameterValues(direction_rules, scenario.assumptions)
    baseline = build_baseline(ctx.dataset, scenario.base_year, scenario.last_year, assumptions)
    return build_response_model(ctx.dataset, baseline, assumptions, ctx.typology.hub_ids)


def prepare_inputs(ctx: Context, scenario: Scenario, allocation: pd.DataFrame | None = None, *,
                   direction_rules: DirectionRules | None = None, allocation_kind: str = "given",
                   allocation_label: str = "",
                   ) -> RoadmapInputs:
    """Build the model, choose the allocation (the formula when ``allocation`` is None) and simulate it."""
    model = build_model(ctx, scenario, direction_rules)
    rules = load_roadmap_rules(direction_rules=model.assumptions.direction_rules)
    if allocation is None:
        classes = classify_units(ctx, scenario.base_year, rules, units=list(model.units))
        allocation = formula_allocation(scenario, model, classes, rules)
        allocation_kind = "formula"
    baseline = simulate_plan(model, empty_allocation())
    check_allocation(allocation, model, scenario)  # a clear message before the simulator's
    plan = simulate_plan(model, allocation)
    return RoadmapInputs(model, allocation, baseline, plan, rules, allocation_kind, allocation_label)


def allocation_note(inputs: RoadmapInputs, scenario: Scenario, lang: str) -> str:
    if inputs.allocation_kind == "formula":
        return t("note_allocation_formula", lang)
    if inputs.allocation_kind == "file":
        return t("note_allocation_file", lang, name=inputs.allocation_label)
    if inputs.allocation_kind == "optimizer":
        return t("note_allocation_optimizer", lang, objective=t(f"obj_{scenario.objective}", lang))
    return inputs.allocation_label


def roadmap_from_inputs(ctx: Context, scenario: Scenario, inputs: RoadmapInputs, lang: str = "en") -> Roadmap:
    """The roadmap of prepared inputs in ``lang`` (no new simulation of the plan)."""
    return build_roadmap(ctx, scenario, inputs.model, inputs.allocation, inputs.baseline, inputs.plan, lang,
                         rules=inputs.rules, allocation_note=allocation_note(inputs, scenario, lang))


def roadmap_for_scenario(ctx: Context, scenario: Scenario, lang: str = "en", allocation: pd.DataFrame | None = None,
                         *, direction_rules: DirectionRules | None = None, allocation_kind: str = "given",
                         allocation_label: str = "") -> Roadmap:
    """The two-part roadmap of ``scenario`` in ``lang``.

    ``allocation`` has the columns ``unit_id, direction, year, bn_kzt`` (and optionally ``part``); without
    it the formula allocation is used and the roadmap's ``allocation_note`` says so.
    ``allocation_kind`` (``given``, ``file``, ``optimizer``) chooses how the note describes a given one.
    """
    inputs = prepare_inputs(ctx, scenario, allocation, direction_rules=direction_rules, allocation_kind=allocation_kind,
                            allocation_label=allocation_label)
    return roadmap_from_inputs(ctx, scenario, inputs, lang)

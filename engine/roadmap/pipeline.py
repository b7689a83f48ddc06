"""From a study to a roadmap: the plan (the optimizer's result, a planner's file or the formula), its
trajectories, and the roadmap in any language.

An optimizer's result already holds the plan's simulated trajectories: the roadmap reads them and simulates
nothing again (:func:`inputs_from_result`). A planner's allocation is checked and simulated once
(:func:`inputs_from_allocation`); without any, the roadmap's formula
(:func:`engine.allocation.baselines.part_formula_allocation`) makes one and the roadmap says so
(:func:`formula_inputs`). The inputs are kept so that another language costs no solve
and no simulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from engine.allocation.baselines import part_formula_allocation
from engine.allocation.forms import PartRule, classify_parts
from engine.allocation.result import OptimizationResult
from engine.core.errors import ScenarioError, problem
from engine.core.i18n import format_number, has_text, t
from engine.core.roadmap_rules import RoadmapRules, load_roadmap_rules
from engine.model.simulate import PlanTrajectories, simulate_plan
from engine.model.study import Study
from engine.roadmap.build import build_roadmap, check_allocation
from engine.roadmap.result import Roadmap


@dataclass(frozen=True, eq=False)
class RoadmapInputs:
    """What a roadmap is built from, kept so a caller can rebuild it in another language cheaply."""

    study: Study
    allocation: pd.DataFrame
    plan: PlanTrajectories
    rules: RoadmapRules
    parts: PartRule
    allocation_kind: str  # "given", "file", "optimizer" or "formula"
    allocation_label: str
    hold: dict | None = None  # a frontier point's plan: the equity metric and the level it was held at
    # what the budget does to each criterion against what any budget could (engine.analysis.target.reach)
    reach: tuple[dict, ...] = ()

    # the study's model, and the no-policy trajectories the plan is compared with
    model = property(lambda self: self.study.model)
    baseline = property(lambda self: self.study.no_policy)


def _rules(study: Study) -> RoadmapRules:
    return load_roadmap_rules(direction_rules=study.direction_rules)


def inputs_from_result(study: Study, result: OptimizationResult) -> RoadmapInputs:
    """The optimizer's plan as it was reported: its allocation and trajectories, nothing simulated again.

    Raises
    ------
    ScenarioError
        When the result has no plan (an infeasible scenario) or was not simulated on this study's model.
    """
    if not result.status.solved or result.plan_trajectories is None:
        raise ScenarioError([problem("scenario", "pr_scenario_no_plan", None, None, result.message or None,
                                     status=result.status.value)])
    if list(result.plan_trajectories.grp_per_capita.index) != study.units:
        raise ScenarioError([problem("allocation", "pr_plan_other_units")])
    return RoadmapInputs(study, result.allocation_frame(), result.plan_trajectories, _rules(study),
                         classify_parts(study.ctx, study.model), "optimizer", "", result.hold)


def inputs_from_allocation(study: Study, allocation: pd.DataFrame, kind: str = "given", label: str = "",
                           ) -> RoadmapInputs:
    """A planner's allocation (``unit_id, direction, year, bn_kzt``), checked and simulated once."""
    check_allocation(allocation, study.model, study.scenario)  # a clear message before the simulator's
    return RoadmapInputs(study, allocation, simulate_plan(study.model, allocation), _rules(study),
                         classify_parts(study.ctx, study.model), kind, label)


def formula_inputs(study: Study) -> RoadmapInputs:
    """The roadmap's formula allocation (no optimizer), simulated once."""
    rules = _rules(study)
    parts = classify_parts(study.ctx, study.model)
    allocation = part_formula_allocation(study.scenario, study.model, parts.classes, rules)
    return RoadmapInputs(study, allocation, simulate_plan(study.model, allocation), rules, parts, "formula", "")


def allocation_note(inputs: RoadmapInputs, lang: str) -> str:
    scenario = inputs.study.scenario
    if inputs.allocation_kind == "formula":
        return t("note_allocation_formula", lang)
    if inputs.allocation_kind == "file":
        return t("note_allocation_file", lang, name=inputs.allocation_label)
    if inputs.allocation_kind == "optimizer" and inputs.hold is not None:
        return t("hold_note", lang, metric=metric_name(inputs.hold["metric"], lang),
                 level=format_number(float(inputs.hold["level"]), lang, 4))
    if inputs.allocation_kind == "optimizer":
        return t("note_allocation_optimizer", lang, objective=t(f"obj_{scenario.objective}", lang))
    return inputs.allocation_label


def metric_name(metric: str, lang: str) -> str:
    """The name of an optimizer metric (``max_min_ratio``, ``min_grp_per_capita``, ``shortfall``...) in ``lang``."""
    return t(f"metric_{metric}", lang) if has_text(f"metric_{metric}") else t(metric, lang)


def roadmap_from_inputs(inputs: RoadmapInputs, lang: str = "en") -> Roadmap:
    """The roadmap of prepared inputs in ``lang`` (no new simulation of the plan)."""
    study = inputs.study
    return build_roadmap(study.ctx, study.scenario, study.model, inputs.allocation, study.no_policy, inputs.plan,
                         lang, rules=inputs.rules, allocation_note=allocation_note(inputs, lang),
                         classes=inputs.parts.classes, reach=inputs.reach)

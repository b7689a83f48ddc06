"""A study: one scenario on one dataset at one planning level, opened once and shared by every use.

:func:`open_study` is the only place a scenario source (a file, YAML text or a mapping of its keys) is read,
checked against the dataset it plans on, and turned into the response model and the no-policy baseline. The
command line, the app, workshops, sweeps and the roadmap all start from a :class:`Study`; the optimizer
adds its linear forms on top (:func:`engine.allocation.prepared.prepare`).

A study's model depends on the dataset, the indicator, the base year, the last year and the assumption
overrides (:attr:`Study.model_key`); budgets, objectives, shares and caps do not, so another scenario with
the same key reuses the model (:meth:`Study.with_scenario`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from engine.core.context import Context, load_context
from engine.core.data import BOUNDARY_SUFFIX, Dataset
from engine.core.errors import DataValidationError, ScenarioError, problem
from engine.core.parameters import DirectionRules, ParameterValues, load_direction_rules
from engine.core.scenario import INDICATORS, Scenario, load_scenario, parse_scenario, scenario_from_text
from engine.model.response import (
    GRP_PER_CAPITA,
    ResponseModel,
    build_baseline,
    build_response_model,
    planning_level,
)
from engine.model.simulate import PlanTrajectories, simulate_spending

#: What the response model can plan for: the indicators whose levels its effects are written in.
MODEL_INDICATORS = INDICATORS


def model_dataset(dataset: Dataset, indicator: str) -> Dataset:
    """The dataset the response model reads for a study on ``indicator``.

    The model holds one income level per unit and year, the one it reads as ``grp_per_capita``: for another
    indicator that series (and its 2022-boundary twin) is the indicator's. So on non-mining GRP per capita
    the baseline projects non-mining output per person, the effects add to it (a plan builds no mines), the
    segments and absorption caps are shares of non-mining GRP (the economy the spending enters), movers earn
    the destination's non-mining level, migration reads it as the income that draws people, the Okun link
    reads its change, and the problem-region rule on GRP per capita judges it. Kept on the dataset, which
    never changes.

    Raises
    ------
    DataValidationError
        When the dataset has no values of ``indicator``.
    """
    if indicator == GRP_PER_CAPITA:
        return dataset
    key = ("model.dataset", indicator)
    if key not in dataset._value_cache:
        table = dataset.indicators
        if not (table["indicator"] == indicator).any():
            raise DataValidationError([problem("dataset", "pr_no_indicator_values", None, "indicator", indicator)])
        names = {indicator: GRP_PER_CAPITA, indicator + BOUNDARY_SUFFIX: GRP_PER_CAPITA + BOUNDARY_SUFFIX}
        kept = table[~table["indicator"].isin([GRP_PER_CAPITA, GRP_PER_CAPITA + BOUNDARY_SUFFIX])]
        swapped = table[table["indicator"].isin(list(names))].assign(indicator=lambda f: f["indicator"].map(names))
        merged = pd.concat([kept, swapped], ignore_index=True)
        merged = merged.sort_values(["indicator", "unit_id", "year"]).reset_index(drop=True)
        dataset._value_cache[key] = replace(dataset, indicators=merged, _value_cache={})
    return dataset._value_cache[key]

ScenarioSource = Path | str | Mapping[str, Any] | Scenario


@dataclass(frozen=True, eq=False)
class Study:
    """A scenario checked against its dataset, with the model every plan of it is judged by.

    ``data_key`` names the dataset (its folder, or a digest of an uploaded table) for caches; ``level`` is
    the planning level (region, district or settlement) whose units the scenario's caps and the plans use;
    ``indicator`` is the scenario's (:data:`MODEL_INDICATORS`): the model's and every trajectory's
    ``grp_per_capita`` is that indicator (:func:`model_dataset`), while ``ctx`` keeps the dataset as loaded.
    """

    ctx: Context
    scenario: Scenario
    direction_rules: DirectionRules
    parameters: ParameterValues
    model: ResponseModel
    no_policy: PlanTrajectories
    level: str
    indicator: str
    data_key: str
    seconds: float

    @property
    def units(self) -> list[str]:
        return list(self.model.units)

    @property
    def years(self) -> list[int]:
        return self.scenario.years

    @property
    def last_year(self) -> int:
        return self.scenario.last_year

    @property
    def model_key(self) -> tuple[Any, ...]:
        """What the model depends on: another scenario with the same key shares it."""
        return model_key(self.data_key, self.indicator, self.scenario)

    def with_scenario(self, scenario: Scenario) -> Study:
        """This study for another scenario on the same model (budgets, objective, shares and caps may differ).

        Raises
        ------
        ValueError
            When the scenario needs another model: another indicator, base year, last year or assumption
            overrides.
        ScenarioError
            When a unit cap names a unit the study does not plan.
        """
        if scenario is self.scenario:
            return self
        if model_key(self.data_key, scenario.indicator, scenario) != self.model_key:
            raise ValueError("the study's model is for another indicator, base year, last year or assumptions; "
                             "open another study")
        check_unit_caps(scenario, self.units, self.level)
        return replace(self, scenario=scenario)

    def with_assumptions(self, overrides: Mapping[str, float | str]) -> Study:
        """The study with the scenario's assumption overrides replaced by ``overrides`` (a new model)."""
        return build_study(self.ctx, self.scenario.replace(assumptions=dict(overrides)),
                           direction_rules=self.direction_rules, indicator=self.indicator, data_key=self.data_key)


def model_key(data_key: str, indicator: str, scenario: Scenario) -> tuple[Any, ...]:
    # observed values move the model's baseline (engine.model.progress): they are part of what it depends on
    progress = scenario.progress.key() if scenario.progress is not None else ()
    return (data_key, indicator, scenario.base_year, scenario.last_year,
            tuple(sorted((str(k), v) for k, v in scenario.assumptions.items())), progress)


def check_unit_caps(scenario: Scenario, units: list[str], level: str) -> None:
    """Every unit a scenario caps must be a unit planned at ``level`` in the base year."""
    unknown = sorted(set(scenario.unit_caps_bn_kzt) - set(units))
    if unknown:
        raise ScenarioError([problem("scenario", "pr_cap_unit_unknown", None, f"unit_caps_bn_kzt.{u}", u, level=level,
                                     base_year=scenario.base_year)
                             for u in unknown])


def read_scenario(source: ScenarioSource, direction_rules: DirectionRules | None = None,
                  name: str = "scenario", known_units: set[str] | None = None) -> Scenario:
    """A scenario source checked for its shape, keys and assumption overrides, and its unit caps against
    ``known_units`` when given (:func:`check_unit_caps` checks them against the base year's units).

    ``source`` is a :class:`~pathlib.Path` (a YAML file), a text (YAML), a mapping of the keys of a scenario
    file, or a :class:`Scenario` already read.
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Path):
        return load_scenario(source, direction_rules, known_units)
    if isinstance(source, str):
        return scenario_from_text(source, name, direction_rules, known_units)
    if isinstance(source, Mapping):
        return parse_scenario(dict(source), name, direction_rules, known_units)
    raise ScenarioError([problem(name, "pr_scenario_source", None, None, type(source).__name__)])


def open_study(source: ScenarioSource, data: Context | Path | str | None = None,
               indicator: str | None = None, *, name: str = "scenario", data_key: str | None = None,
               ) -> Study:
    """Read a scenario, load its dataset, check it at the dataset's planning level and build its model.

    ``data`` is a loaded :class:`Context` (give ``data_key`` to name it), a dataset folder, or None for the
    scenario's own ``data`` key (else the default Kazakhstan dataset). ``indicator`` (default: the
    scenario's) replaces the scenario's ``indicator``.

    Raises
    ------
    ScenarioError
        For any bad key or value of the scenario, a unit cap on a unit the dataset does not plan, or an
        indicator the model cannot plan for.
    DataValidationError
        When the dataset is not usable, or its base year has no GRP per capita or population for a unit.
    """
    scenario = read_scenario(source, load_direction_rules(), name)
    if isinstance(data, Context):
        ctx, key = data, data_key or "context"
    else:
        folder = data if data is not None else scenario.data
        ctx = load_context(folder)
        key = data_key or str(Path(folder).resolve() if folder is not None else "default")
    return build_study(ctx, scenario, indicator=indicator, data_key=key)


def build_study(ctx: Context, scenario: Scenario, *, direction_rules: DirectionRules | None = None,
                indicator: str | None = None, data_key: str = "context") -> Study:
    """A study of a scenario already read, on a loaded dataset (see :func:`open_study`)."""
    started = time.perf_counter()
    indicator = indicator or scenario.indicator
    if indicator not in MODEL_INDICATORS:
        raise ScenarioError([problem("scenario", "pr_model_indicators", None, "indicator", indicator,
                                     indicators=", ".join(MODEL_INDICATORS))])
    if scenario.indicator != indicator:
        scenario = scenario.replace(indicator=indicator)
    dataset = model_dataset(ctx.dataset, indicator)
    known = set(ctx.dataset.units.index)
    direction_rules = direction_rules or load_direction_rules(known_units=known)
    level = planning_level(ctx.dataset)
    units = ctx.dataset.units_in_year(scenario.base_year, level)
    check_unit_caps(scenario, units, level)
    parameters = ParameterValues(direction_rules).with_overrides(dict(scenario.assumptions))
    baseline = build_baseline(dataset, scenario.base_year, scenario.last_year, parameters, units)
    model = build_response_model(dataset, baseline, parameters, ctx.typology.hub_ids)
    progress = scenario.progress
    if progress is not None and progress.observed:
        from engine.model.progress import rebase_on_observed

        baseline, model, _rows = rebase_on_observed(
            baseline, progress, parameters.value("baseline_convergence"),
            lambda moved: build_response_model(dataset, moved, parameters, ctx.typology.hub_ids), model)
    no_policy = simulate_spending(model, [0.0] * model.n_levers)
    return Study(ctx, scenario, direction_rules, parameters, model, no_policy, level, indicator, data_key,
                 time.perf_counter() - started)


__all__ = ["MODEL_INDICATORS", "ScenarioSource", "Study", "build_study", "check_unit_caps", "model_dataset",
           "model_key", "open_study", "read_scenario"]

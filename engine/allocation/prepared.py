"""A study with the optimizer's linear forms: built once, shared by solves, the frontier and sweeps.

The formula baselines of a study (:mod:`engine.allocation.baselines`) do not depend on the plan: they are
simulated once per prepared study and kept on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from engine.allocation.forms import LinearForms, PartRule, build_forms, classify_parts
from engine.core.scenario import Scenario
from engine.model.study import Study


@dataclass(frozen=True, eq=False)
class Prepared:
    """A :class:`Study` and the linear forms of its model."""

    study: Study
    forms: LinearForms
    seconds: float
    # results that depend on the study alone (formula baselines), filled on first use; shared by the copies
    # :func:`with_scenario` makes only while the scenario is the same
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # results that depend on the model alone (the no-policy metrics by year), kept by every copy
    # :func:`with_scenario` makes: a budget edit does not change them
    model_memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    model_memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # the study's context, scenario, parameter values, response model and no-policy trajectories
    ctx = property(lambda self: self.study.ctx)
    scenario = property(lambda self: self.study.scenario)
    assumptions = property(lambda self: self.study.parameters)
    model = property(lambda self: self.study.model)
    no_policy = property(lambda self: self.study.no_policy)

    def of_model(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per model: kept for every scenario :func:`with_scenario` gives on this model."""
        with self.model_memo_lock:
            if key in self.model_memo:
                return self.model_memo[key]
        value = compute()
        with self.model_memo_lock:
            return self.model_memo.setdefault(key, value)


def prepare(study: Study, parts: PartRule | None = None) -> Prepared:
    """The linear forms of ``study``'s model.

    ``parts`` (the roadmap part of each unit and direction) depends only on the data: a sweep computes it
    once and passes it for every draw.
    """
    started = time.perf_counter()
    forms = build_forms(study.model, parts if parts is not None else classify_parts(study.ctx, study.model),
                        lasting=study.scenario.score == "lasting")
    return Prepared(study, hold_progress(forms, study), study.seconds + time.perf_counter() - started)


def hold_progress(forms: LinearForms, study: Study) -> LinearForms:
    """The forms with the years already spent held (engine.core.progress): each lever of a year up to ``as_of``
    can hold only what was spent on it, and the year's budget is what was spent, so the solver can only repeat
    it and chooses the years after."""
    progress = study.scenario.progress
    if progress is None:
        return forms
    from engine.model.progress import spent_spending

    spent = spent_spending(study.model, progress)
    past = np.asarray(forms.lever_year) <= progress.as_of
    return replace(forms, capacity=np.where(past, spent, np.asarray(forms.capacity, dtype=float)))


def with_scenario(prep: Prepared, scenario: Scenario) -> Prepared:
    """``prep`` for another scenario on the same model (budgets, objective, shares and caps may differ).

    Raises
    ------
    ValueError
        When the scenario needs another model: another base year, last year or assumption overrides.
    """
    if scenario is prep.scenario:
        return prep
    study = prep.study.with_scenario(scenario)
    if scenario.progress != prep.scenario.progress:
        return prepare(study, prep.forms.parts)
    if (scenario.score == "lasting") != prep.forms.lasting:
        forms = hold_progress(build_forms(study.model, prep.forms.parts, lasting=scenario.score == "lasting"), study)
        return replace(prep, study=study, forms=forms, memo={}, memo_lock=threading.Lock())
    return replace(prep, study=study, memo={}, memo_lock=threading.Lock())


def as_prepared(study: Study | Prepared) -> Prepared:
    return study if isinstance(study, Prepared) else prepare(study)


__all__ = ["Prepared", "as_prepared", "hold_progress", "prepare", "with_scenario"]

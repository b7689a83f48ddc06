"""The per-process cache of datasets, studies and prepared models that the app's workers and workshops share.

Each cache entry is keyed by what it depends on: a dataset by its folder or the digest of an uploaded
indicator table; a prepared model by :func:`engine.model.study.model_key` (dataset, indicator, base year,
last year, assumption overrides); a scenario's prepared study (whose formula baselines are computed once) by
that key and the scenario's canonical YAML; results by their inputs. A worker solves one job at a time; the
lock guards a caller's own threads.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd

from engine.allocation.prepared import Prepared, prepare, with_scenario
from engine.core.context import Context, load_context
from engine.core.parameters import DirectionRules, load_direction_rules
from engine.core.scenario import Scenario
from engine.model.response import planning_level
from engine.model.study import ScenarioSource, build_study, check_unit_caps, model_key, read_scenario

T = TypeVar("T")
SIZES = {"context": 4, "model": 6, "study": 12, "result": 16, "roadmap": 8, "sweep": 2, "robust": 2}

_lock = threading.Lock()
_caches: dict[str, OrderedDict[Hashable, Any]] = {kind: OrderedDict() for kind in SIZES}


def remember(kind: str, key: Hashable, build: Callable[[], T]) -> T:
    """The cached value of ``kind`` under ``key``, built (outside the lock) when missing; least recent goes."""
    cache = _caches[kind]
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = build()
    with _lock:
        cache[key] = value
        while len(cache) > SIZES[kind]:
            cache.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached value (tests that change the rules on disk call this)."""
    with _lock:
        for cache in _caches.values():
            cache.clear()
    default_context.cache_clear()
    rules_for.cache_clear()


@lru_cache(maxsize=1)
def default_context() -> Context:
    return load_context()


@lru_cache(maxsize=4)
def rules_for(data: str | None = None) -> DirectionRules:
    """rules/directions.yaml checked against the units of a dataset folder (default: the Kazakhstan dataset)."""
    ctx = default_context() if data is None else dataset(data)[0]
    return load_direction_rules(known_units=set(ctx.dataset.units.index))


def digest_indicators(indicators: pd.DataFrame | None) -> str:
    """A short fingerprint of an indicator table (``"default"`` for none)."""
    if indicators is None:
        return "default"
    hashed = pd.util.hash_pandas_object(indicators.reset_index(drop=True), index=True).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]


def uploaded(indicators: pd.DataFrame | None) -> tuple[Context, str]:
    """The default dataset, or the default with its indicators replaced by an upload: (context, data key)."""
    base = default_context()
    if indicators is None:
        return base, "default"
    key = digest_indicators(indicators)
    ctx = remember("context", ("upload", key), lambda: Context(base.dataset.with_indicators(indicators),
                                                                base.typology, base.problem_rules))
    return ctx, key


def dataset(data: str | None) -> tuple[Context, str]:
    """The dataset of a folder (None: the default), loaded once: (context, data key)."""
    if data is None:
        return default_context(), "default"
    return remember("context", ("folder", data), lambda: load_context(data)), data


def scenario_of(source: ScenarioSource, ctx: Context | None = None, name: str = "scenario") -> Scenario:
    """A scenario source read and checked, its unit caps against the units ``ctx`` plans with (default: the
    Kazakhstan dataset)."""
    ctx = ctx or default_context()
    level = planning_level(ctx.dataset)
    # every problem at once: caps naming no unit of the level are reported with the other keys' problems
    known = set(ctx.dataset.units.index[ctx.dataset.units["level"] == level])
    scenario = read_scenario(source, rules_for(None), name, known)
    check_unit_caps(scenario, ctx.dataset.units_in_year(scenario.base_year, level), level)
    return scenario


def prepared(scenario: Scenario, ctx: Context, data_key: str, indicator: str | None = None) -> Prepared:
    """The prepared study of ``scenario``: its model built once per :func:`model_key`, the scenario's own
    study (and its formula baselines) once per canonical YAML. ``indicator`` (default: the scenario's) replaces
    the scenario's."""
    if indicator is not None and indicator != scenario.indicator:
        scenario = scenario.replace(indicator=indicator)
    key = model_key(data_key, scenario.indicator, scenario)
    rules = rules_for(None) if data_key == "default" or ctx is default_context() else None

    def build_model() -> Prepared:
        return prepare(build_study(ctx, scenario, direction_rules=rules, data_key=data_key))

    base = remember("model", key, build_model)
    return remember("study", (key, scenario.to_yaml()), lambda: with_scenario(base, scenario))


__all__ = ["clear", "dataset", "default_context", "digest_indicators", "prepared", "remember", "rules_for",
           "scenario_of", "uploaded"]

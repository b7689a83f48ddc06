"""What has already happened in a roadmap: the money spent and the indicators observed up to a year.

A revised plan is a scenario with a ``progress`` key::

    progress:
      as_of: 2026                # the last year whose spending is known
      spent_bn_kzt:              # year -> unit -> direction -> bn spent (years from the horizon's first to as_of)
        2025: {abai: {agglomeration: 1.2, mobility: 0.4}}
      observed:                  # optional: year -> unit -> observed value of the scenario's indicator
        2026: {abai: 1290.5}

Every solve of such a scenario (What-if, frontier, workshop, roadmap, monitoring) holds the spent years as they
were: a year up to ``as_of`` spends exactly what was spent, cell by cell, so its budget is the year's spent total
(:class:`engine.core.scenario.Scenario` keeps that invariant), and only the years after ``as_of`` are chosen.
Observed values move the model's no-policy path so that the path with the money actually spent passes through
the latest observed value of each unit (:func:`engine.model.study.build_study`): the rest of the plan is chosen
from where the regions are, not from where the model expected them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.core.errors import Problem, problem
from engine.core.parameters import DIRECTIONS

KEY = "progress"


@dataclass(frozen=True)
class Progress:
    """Spending up to ``as_of`` by (unit, direction, year) and observed indicator values by (unit, year)."""

    as_of: int
    spent: Mapping[tuple[str, str, int], float] = field(default_factory=dict)
    observed: Mapping[tuple[str, int], float] = field(default_factory=dict)

    def spent_by_year(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for (_unit, _direction, year), amount in self.spent.items():
            out[year] = out.get(year, 0.0) + float(amount)
        return out

    def latest_observed(self) -> dict[str, tuple[int, float]]:
        """Each observed unit's latest observed year and value (the one the model is moved to)."""
        out: dict[str, tuple[int, float]] = {}
        for (unit, year), value in sorted(self.observed.items(), key=lambda item: item[0][1]):
            out[unit] = (year, float(value))
        return out

    def spent_rows(self) -> list[tuple[str, str, int, float]]:
        """``(unit_id, direction, year, bn_kzt)`` rows, sorted: an allocation table of what was spent."""
        return [(u, d, y, float(v)) for (u, d, y), v in sorted(self.spent.items())]

    def key(self) -> tuple[Any, ...]:
        """What the model depends on (the observed values and the spending they are compared with)."""
        if not self.observed:
            return ()
        return (self.as_of, tuple(sorted(self.spent.items())), tuple(sorted(self.observed.items())))

    def to_dict(self) -> dict[str, Any]:
        spent: dict[int, dict[str, dict[str, float]]] = {}
        for (unit, direction, year), amount in sorted(self.spent.items(), key=lambda i: (i[0][2], i[0][0])):
            spent.setdefault(int(year), {}).setdefault(unit, {})[direction] = round(float(amount), 6)
        out: dict[str, Any] = {"as_of": int(self.as_of), "spent_bn_kzt": spent}
        if self.observed:
            observed: dict[int, dict[str, float]] = {}
            for (unit, year), value in sorted(self.observed.items(), key=lambda i: (i[0][1], i[0][0])):
                observed.setdefault(int(year), {})[unit] = float(value)
            out["observed"] = observed
        return out


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        return None
    return float(value)


def _by_year_and_unit(doc: Mapping[str, Any], key: str, first: int, last: int, name: str, problems: list[Problem],
                      known_units: set[str] | None) -> Iterator[tuple[int, str, Any, str]]:
    """``(year, unit, entry, place)`` of a ``year -> unit -> entry`` table of the progress key, each year between
    ``first`` and ``last`` and each unit a known one; every other entry is a problem named by its place."""
    table = doc.get(key) or {}
    if not isinstance(table, Mapping):
        problems.append(problem(name, "pr_must_be_mapping", None, f"{KEY}.{key}", type(table).__name__))
        return
    for raw_year, by_unit in table.items():
        where = f"{KEY}.{key}.{raw_year}"
        year = _year(raw_year)
        if year is None or not first <= year <= last:
            problems.append(problem(name, "pr_progress_year", None, where, raw_year, first=first, last=last))
            continue
        if not isinstance(by_unit, Mapping):
            problems.append(problem(name, "pr_must_be_mapping", None, where, type(by_unit).__name__))
            continue
        for unit, entry in by_unit.items():
            if not isinstance(unit, str) or (known_units is not None and unit not in known_units):
                problems.append(problem(name, "pr_must_be_unit_id", None, f"{where}.{unit}", unit))
                continue
            yield year, unit, entry, f"{where}.{unit}"


def parse_progress(doc: Any, name: str, problems: list[Problem], horizon: tuple[int, int] | None,
                   base_year: int | None, known_units: set[str] | None = None) -> Progress | None:
    """The scenario's ``progress`` key checked for its shape; each problem names its place in the key."""
    if doc is None:
        return None
    if not isinstance(doc, Mapping):
        problems.append(problem(name, "pr_must_be_mapping", None, KEY, type(doc).__name__))
        return None
    for key in doc:
        if key not in ("as_of", "spent_bn_kzt", "observed"):
            problems.append(problem(name, "pr_unknown_key_plain", None, f"{KEY}.{key}"))
    as_of = _year(doc.get("as_of"))
    if horizon is None or base_year is None:
        return None  # the horizon's own problem is already listed
    first, last = horizon
    if as_of is None or not first <= as_of <= last:
        problems.append(problem(name, "pr_year_of_horizon", None, f"{KEY}.as_of", doc.get("as_of"), first=first,
                                last=last))
        return None
    spent: dict[tuple[str, str, int], float] = {}
    for year, unit, by_direction, where in _by_year_and_unit(doc, "spent_bn_kzt", first, as_of, name, problems,
                                                             known_units):
        if not isinstance(by_direction, Mapping):
            problems.append(problem(name, "pr_must_be_mapping", None, where, type(by_direction).__name__))
            continue
        for direction, amount in by_direction.items():
            place = f"{where}.{direction}"
            if direction not in DIRECTIONS:
                problems.append(problem(name, "pr_unknown_direction", None, place, direction,
                                        allowed=", ".join(DIRECTIONS)))
                continue
            value = _number(amount)
            if value is None or value < 0 or value > 1e5:
                problems.append(problem(name, "pr_bn_non_negative", None, place, amount))
                continue
            if value > 0:
                spent[(unit, str(direction), year)] = value
    observed: dict[tuple[str, int], float] = {}
    for year, unit, raw, where in _by_year_and_unit(doc, "observed", base_year + 1, as_of, name, problems,
                                                    known_units):
        value = _number(raw)
        if value is None or value <= 0:
            problems.append(problem(name, "pr_positive_number", None, where, raw))
            continue
        observed[(unit, year)] = value
    return Progress(as_of, spent, observed)


__all__ = ["KEY", "Progress", "parse_progress"]

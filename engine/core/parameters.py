"""The four directions as levers, and the model parameters, from ``rules/directions.yaml``.

Every parameter carries a central value, a low-high range, a basis (sourced, derived, proxy or
assumption) and a source. A scenario may override any parameter by a number inside a sane range or by
the words ``low``, ``central`` or ``high``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.core.errors import Problem, RuleValidationError, problem
from engine.core.i18n import LANGUAGES, Text
from engine.core.rules import check_keys, load_rules_file, text_field

DIRECTIONS = ("agglomeration", "peripheral_compression", "mobility", "interaction")
PARAMETER_BASES = ("sourced", "derived", "proxy", "assumption")
RESPONSE_KINDS: dict[str, tuple[str, ...]] = {
    # kind -> the parameter references it needs (besides max_hops for spillover)
    "demand_impulse": ("multiplier",),
    "capital_return": ("return", "lag", "hub_premium"),
    "spillover": ("share", "decay"),
    "relocation_within": ("cost", "gain", "capacity"),
    "relocation_between": ("cost", "employment", "return_rate", "productivity", "origin_loss", "capacity"),
    "co_financing": ("ratio", "return", "lag"),
    "efficiency_bonus": ("cap", "leverage", "lag"),
}


@dataclass(frozen=True)
class Parameter:
    id: str
    central: float | tuple[float, ...]
    low: float | None
    high: float | None
    unit: str
    basis: str
    source: str
    note: str = ""

    @property
    def is_assumption(self) -> bool:
        return self.basis in ("assumption", "proxy")


@dataclass(frozen=True)
class Instrument:
    id: str
    names: Mapping[str, str]


@dataclass(frozen=True)
class Response:
    kind: str
    params: Mapping[str, str]  # role -> parameter id
    max_hops: int = 0


@dataclass(frozen=True)
class Direction:
    id: str
    names: Mapping[str, str]
    description: str
    instruments: tuple[Instrument, ...]
    eligible_kinds: tuple[str, ...]
    eligible_units: tuple[str, ...]
    destinations: tuple[str, ...]
    actors: tuple[str, ...]
    responses: tuple[Response, ...]
    eligibility_note: str = ""

    def response(self, kind: str) -> Response | None:
        return next((r for r in self.responses if r.kind == kind), None)

    def parameter_ids(self) -> list[str]:
        return sorted({p for r in self.responses for p in r.params.values()})


@dataclass(frozen=True)
class DirectionRules:
    parameters: Mapping[str, Parameter]
    directions: Mapping[str, Direction]
    file: str


@dataclass(frozen=True)
class ParameterValues:
    """Parameter values in force: the central values unless a scenario overrides them."""

    direction_rules: DirectionRules
    overrides: Mapping[str, float | str] = field(default_factory=dict)

    def value(self, parameter_id: str) -> float:
        return parameter_value(self.direction_rules.parameters[parameter_id], self.overrides.get(parameter_id))

    def vector(self, parameter_id: str) -> tuple[float, ...]:
        central = self.direction_rules.parameters[parameter_id].central
        return tuple(float(v) for v in central) if isinstance(central, tuple) else (float(central),)

    def with_overrides(self, overrides: Mapping[str, float | str]) -> ParameterValues:
        return ParameterValues(self.direction_rules, {**self.overrides, **overrides})

    def overridden(self) -> dict[str, float]:
        return {k: self.value(k) for k in self.overrides}


def parameter_value(param: Parameter, override: float | str | None = None) -> float:
    """The value of ``param`` in force: its central value, its low or high end, or the number given."""
    if override is None or override == "central":
        chosen: Any = param.central
    elif override == "low":
        chosen = param.low
    elif override == "high":
        chosen = param.high
    else:
        chosen = override
    return float(chosen)


def check_override(direction_rules: DirectionRules, key: str, value: Any) -> Text | None:
    """Why ``value`` cannot override parameter ``key`` (a message, English as ``str()``), or None when it can."""
    param = direction_rules.parameters.get(key)
    if param is None:
        return Text("pr_override_unknown")
    if isinstance(param.central, tuple):
        return Text("pr_override_list")
    return check_parameter_override(param, value)


def check_parameter_override(param: Parameter, value: Any) -> Text | None:
    """Why ``value`` cannot stand for the scalar parameter ``param``, or None when it can: low, central,
    high, or a number within its range widened twice each way (not below 0 for a non-negative range)."""
    if value in ("low", "central", "high"):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Text("pr_override_form")
    assert param.low is not None and param.high is not None
    span = param.high - param.low
    lowest, highest = param.low - 2 * span, param.high + 2 * span
    if param.low >= 0:
        lowest = max(lowest, 0.0)
    if not lowest <= value <= highest:
        return Text("pr_override_range", {"lowest": f"{lowest:g}", "highest": f"{highest:g}",
                                          "low": f"{param.low:g}", "high": f"{param.high:g}"})
    return None


def load_direction_rules(rules_dir: Path | None = None, known_units: set[str] | None = None) -> DirectionRules:
    """Load and check ``rules/directions.yaml``."""
    doc, file = load_rules_file("directions.yaml", rules_dir)
    problems: list[Problem] = []
    parameters: dict[str, Parameter] = {}
    directions: dict[str, Direction] = {}
    if check_keys(doc, "", file, problems, required=("version", "parameters", "directions")):
        for pid, spec in (doc["parameters"] or {}).items():
            param = _parameter(pid, spec, file, problems)
            if param:
                parameters[pid] = param
        for did, spec in (doc["directions"] or {}).items():
            if did not in DIRECTIONS:
                problems.append(problem(file, "pr_unknown_direction", None, f"directions.{did}",
                                        allowed=', '.join(DIRECTIONS)))
                continue
            direction = _direction(did, spec, parameters, file, problems, known_units)
            if direction:
                directions[did] = direction
        for did in DIRECTIONS:
            if did not in directions and not any(p.column == f"directions.{did}" for p in problems):
                problems.append(problem(file, "pr_direction_missing", None, f"directions.{did}"))
    if problems:
        raise RuleValidationError(problems)
    return DirectionRules(parameters, directions, file)


def _parameter(pid: str, spec: Any, file: str, problems: list[Problem]) -> Parameter | None:
    where = f"parameters.{pid}"
    if not check_keys(spec, where, file, problems, required=("central", "unit", "basis", "source"),
                      optional=("low", "high", "note")):
        return None
    central = spec["central"]
    if spec["basis"] not in PARAMETER_BASES:
        problems.append(problem(file, "pr_basis_one_of", None, f"{where}.basis", spec["basis"],
                                allowed=', '.join(PARAMETER_BASES)))
    unit = text_field(spec["unit"], f"{where}.unit", file, problems)
    source = text_field(spec["source"], f"{where}.source", file, problems)  # a text, or one per language
    if isinstance(central, list):
        if not central or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in central):
            problems.append(problem(file, "pr_list_of_numbers", None, f"{where}.central"))
            return None
        return Parameter(pid, tuple(float(v) for v in central), None, None, unit, spec["basis"],
                         source, str(spec.get("note", "")))
    values = {}
    for key in ("central", "low", "high"):
        value = spec.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(problem(file, "pr_number_range", None, f"{where}.{key}", value))
            return None
        values[key] = float(value)
    if not values["low"] <= values["central"] <= values["high"]:
        problems.append(problem(file, "pr_low_central_high", None, where,
                                f"{values['low']:g} / {values['central']:g} / {values['high']:g}"))
    return Parameter(pid, values["central"], values["low"], values["high"], unit, spec["basis"],
                     source, str(spec.get("note", "")))


def _names(value: Any, where: str, file: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(value, Mapping) or any(not isinstance(value.get(lang), str) for lang in LANGUAGES):
        problems.append(problem(file, "pr_names_en_ru_kk", None, where))
        return {lang: "" for lang in LANGUAGES}
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _direction(did: str, spec: Any, parameters: Mapping[str, Parameter], file: str, problems: list[Problem],
               known_units: set[str] | None) -> Direction | None:
    where = f"directions.{did}"
    if not check_keys(spec, where, file, problems,
                      required=("names", "description", "instruments", "eligible", "actors", "responses"),
                      optional=("destinations",)):
        return None
    instruments = []
    for index, ins in enumerate(spec["instruments"] or []):
        iwhere = f"{where}.instruments[{index}]"
        if check_keys(ins, iwhere, file, problems, required=("id", *LANGUAGES)):
            instruments.append(Instrument(str(ins["id"]), {lang: str(ins[lang]) for lang in LANGUAGES}))
    eligible = spec["eligible"]
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    note = ""
    if check_keys(eligible, f"{where}.eligible", file, problems, optional=("kinds", "units", "basis", "note")):
        kinds = tuple(eligible.get("kinds") or ())
        units = tuple(eligible.get("units") or ())
        note = str(eligible.get("note", ""))
        if not kinds and not units:
            problems.append(problem(file, "pr_kinds_or_units", None, f"{where}.eligible"))
    destinations: tuple[str, ...] = ()
    if "destinations" in spec and check_keys(spec["destinations"], f"{where}.destinations", file, problems,
                                             required=("units", "basis"), optional=("source", "note")):
        destinations = tuple(spec["destinations"]["units"] or ())
    if known_units is not None:
        for column, ids in (("eligible.units", units), ("destinations.units", destinations)):
            for unit_id in ids:
                if unit_id not in known_units:
                    problems.append(problem(file, "pr_unknown_unit_id", None, f"{where}.{column}", unit_id))
    responses = []
    for index, r in enumerate(spec["responses"] or []):
        rwhere = f"{where}.responses[{index}]"
        if not isinstance(r, Mapping) or r.get("kind") not in RESPONSE_KINDS:
            problems.append(problem(file, "pr_unknown_response_kind", None, f"{rwhere}.kind",
                                    r.get("kind") if isinstance(r, Mapping) else r,
                                    allowed=', '.join(RESPONSE_KINDS)))
            continue
        roles = RESPONSE_KINDS[r["kind"]]
        optional = ("max_hops",) if r["kind"] == "spillover" else ()
        if not check_keys(r, rwhere, file, problems, required=("kind", *roles), optional=optional):
            continue
        for role in roles:
            if r[role] not in parameters:
                problems.append(problem(file, "pr_unknown_parameter_ref", None, f"{rwhere}.{role}", r[role]))
        responses.append(Response(r["kind"], {role: str(r[role]) for role in roles}, int(r.get("max_hops", 0))))
    description = text_field(spec["description"], f"{where}.description", file, problems)
    return Direction(did, _names(spec["names"], f"{where}.names", file, problems), description,
                     tuple(instruments), kinds, units, destinations, tuple(spec["actors"] or ()), tuple(responses),
                     note)

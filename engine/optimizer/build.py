"""Building the optimizer's linear programs from the response model and a scenario.

A model is first a :class:`LinearProgram`: plain dictionaries of coefficients keyed by variable name, with
a registry saying which rule (and unit, year, direction) each constraint comes from. PuLP sees it only in
:func:`to_pulp`, so the same program can be checked, homogenised (Charnes-Cooper), made elastic, or
evaluated at a solution without asking the solver. Constraint names are rule id first, then unit and year,
lower-case letters, digits and underscores only (PuLP rewrites ``-+[] ->/``).

Shared constraints (one builder per rule kind, each returning early when it has nothing to constrain):

* ``budget_<year>``: spending in the year equals the year's budget (``<=`` with ``allow_unspent``);
* ``direction_min_<d>`` / ``direction_max_<d>``: a direction's spending over the horizon between its
  minimum and maximum share of the total budget;
* ``equity_share``: spending in the equity part over the horizon at least ``equity_share`` x the total
  budget;
* ``unit_cap_<unit>_<year>``: a unit's spending in a year at most its cap;
* ``bonus_base_<unit>_<year>`` / ``bonus_cover_<unit>_<year>``: the interaction bonus at most the smaller
  of its two ceilings (:mod:`engine.model`).

Eligibility and absorption capacity are the levers themselves: a lever exists only where its direction is
eligible, and its upper bound is its segment's capacity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pulp

from engine.optimizer.forms import EQUITY, LinearForms
from engine.scenario import Scenario

LE, GE, EQ = "<=", ">=", "=="
MIN, MAX = "min", "max"
_NAME = re.compile(r"^[a-z0-9_]+$")
_PULP_SENSE = {LE: pulp.LpConstraintLE, GE: pulp.LpConstraintGE, EQ: pulp.LpConstraintEQ}


def safe_name(text: str) -> str:
    """Lower-case ``text`` with every character but letters, digits and ``_`` made ``_``."""
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


@dataclass(frozen=True)
class RowInfo:
    """Where a constraint comes from: its rule id and, where it applies, unit, year and direction."""

    rule: str
    unit: str | None = None
    year: int | None = None
    direction: str | None = None


@dataclass
class Row:
    name: str
    coeffs: dict[str, float]
    sense: str
    rhs: float
    info: RowInfo
    homogeneous: bool = True  # False only for the Charnes-Cooper normalisation row

    def activity(self, values: Mapping[str, float]) -> float:
        return sum(c * values.get(v, 0.0) for v, c in self.coeffs.items())

    def violation(self, values: Mapping[str, float]) -> float:
        """How far ``values`` break the row (0 when they satisfy it)."""
        lhs = self.activity(values)
        if self.sense == LE:
            return max(0.0, lhs - self.rhs)
        if self.sense == GE:
            return max(0.0, self.rhs - lhs)
        return abs(lhs - self.rhs)


@dataclass
class Variable:
    name: str
    low: float = 0.0
    high: float | None = None
    integer: bool = False


@dataclass
class LinearProgram:
    """A linear (or mixed-integer) program as plain data, with a registry of its constraints."""

    name: str
    sense: str
    variables: dict[str, Variable] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)
    objective: dict[str, float] = field(default_factory=dict)

    @property
    def is_mip(self) -> bool:
        return any(v.integer for v in self.variables.values())

    def add_variable(self, name: str, low: float = 0.0, high: float | None = None, integer: bool = False) -> str:
        if not _NAME.match(name) or name in self.variables:
            raise ValueError(f"bad or duplicate variable name {name!r}")
        self.variables[name] = Variable(name, low, high, integer)
        return name

    def add_row(self, name: str, coeffs: Mapping[str, float], sense: str, rhs: float, info: RowInfo,
                homogeneous: bool = True) -> Row:
        if not _NAME.match(name) or name in self.rows:
            raise ValueError(f"bad or duplicate constraint name {name!r}")
        unknown = [v for v in coeffs if v not in self.variables]
        if unknown:
            raise ValueError(f"constraint {name} uses unknown variables {unknown[:3]}")
        row = Row(name, {v: float(c) for v, c in coeffs.items() if c}, sense, float(rhs), info, homogeneous)
        self.rows[name] = row
        return row

    def copy(self, name: str | None = None) -> LinearProgram:
        return LinearProgram(name or self.name, self.sense, dict(self.variables),
                             {k: Row(r.name, dict(r.coeffs), r.sense, r.rhs, r.info, r.homogeneous)
                              for k, r in self.rows.items()}, dict(self.objective))

    def objective_value(self, values: Mapping[str, float]) -> float:
        return sum(c * values.get(v, 0.0) for v, c in self.objective.items())

    def max_violation(self, values: Mapping[str, float]) -> float:
        """Largest violation of a row or a bound by ``values`` (solver-independent feasibility check)."""
        worst = 0.0
        for var in self.variables.values():
            value = values.get(var.name, 0.0)
            worst = max(worst, var.low - value)
            if var.high is not None:
                worst = max(worst, value - var.high)
        for row in self.rows.values():
            # relative to the row's own magnitude: a solver's values carry relative, not absolute, errors
            scale = max(1.0, abs(row.rhs), sum(abs(c * values.get(v, 0.0)) for v, c in row.coeffs.items()))
            worst = max(worst, row.violation(values) / scale)
        return worst


# ---------------------------------------------------------------------------------------------------
# Shared constraints, one builder per rule kind
# ---------------------------------------------------------------------------------------------------

def _sum(forms: LinearForms, levers: Iterable[int]) -> dict[str, float]:
    return {forms.names[k]: 1.0 for k in levers}


def add_budget_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    sense = LE if scenario.allow_unspent else EQ
    for year in scenario.years:
        levers = forms.levers_by_year.get(year, [])
        lp.add_row(f"budget_{year}", _sum(forms, levers), sense, scenario.budget_bn_kzt[year],
                   RowInfo("budget", year=year))


def add_direction_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    total = scenario.total_budget
    for direction, bounds in sorted(scenario.directions.items()):
        levers = forms.levers_by_direction.get(direction, [])
        if bounds.min > 0:
            lp.add_row(f"direction_min_{direction}", _sum(forms, levers), GE, bounds.min * total,
                       RowInfo("direction_min", direction=direction))
        if bounds.max < 1:
            lp.add_row(f"direction_max_{direction}", _sum(forms, levers), LE, bounds.max * total,
                       RowInfo("direction_max", direction=direction))


def add_equity_share_row(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    if scenario.equity_share <= 0:
        return
    levers = [k for k in range(len(forms.names)) if forms.part_of_lever(k) == EQUITY]
    lp.add_row("equity_share", _sum(forms, levers), GE, scenario.equity_share * scenario.total_budget,
               RowInfo("equity_share"))


def add_unit_cap_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    for unit, cap in sorted(scenario.unit_caps_bn_kzt.items()):
        for year in scenario.years:
            levers = forms.levers_by_unit_year.get((unit, year), [])
            if levers:
                lp.add_row(f"unit_cap_{safe_name(unit)}_{year}", _sum(forms, levers), LE, cap,
                           RowInfo("unit_cap", unit=unit, year=year))


def add_bonus_rows(lp: LinearProgram, forms: LinearForms, scenario: Scenario) -> None:
    for (unit, year), name in zip(forms.bonus_keys, forms.bonus_names, strict=True):
        for rule, ceiling in (("bonus_base", forms.bonus_base), ("bonus_cover", forms.bonus_cover)):
            coeffs = {name: 1.0}
            for k, c in ceiling[(unit, year)].items():
                coeffs[forms.names[k]] = coeffs.get(forms.names[k], 0.0) - c
            lp.add_row(f"{rule}_{safe_name(unit)}_{year}", coeffs, LE, 0.0, RowInfo(rule, unit=unit, year=year))


SHARED_BUILDERS: dict[str, Callable[[LinearProgram, LinearForms, Scenario], None]] = {
    "budget": add_budget_rows,
    "direction": add_direction_rows,
    "equity_share": add_equity_share_row,
    "unit_cap": add_unit_cap_rows,
    "bonus": add_bonus_rows,
}


def build_base_program(forms: LinearForms, scenario: Scenario, name: str, sense: str) -> LinearProgram:
    """The levers, the bonus variables and every shared constraint; objectives add the rest."""
    lp = LinearProgram(name, sense)
    for name_k, cap, year in zip(forms.names, forms.capacity, forms.years_of, strict=True):
        # a lever in a model year outside the scenario's horizon has no budget: it stays at zero
        lp.add_variable(name_k, 0.0, float(cap) if year in scenario.budget_bn_kzt else 0.0)
    for bonus in forms.bonus_names:
        lp.add_variable(bonus, 0.0, None)
    for builder in SHARED_BUILDERS.values():
        builder(lp, forms, scenario)
    return lp


# ---------------------------------------------------------------------------------------------------
# Linear expressions of the outcomes
# ---------------------------------------------------------------------------------------------------

def per_capita_expression(forms: LinearForms, unit: str) -> tuple[float, dict[str, float]]:
    """GRP per capita of ``unit`` at T (thousand tenge): constant and coefficients, to first order."""
    coeffs = {forms.names[k]: c for k, c in forms.per_capita[unit].items()}
    bonus = forms.unit_bonus_at_last(unit)
    if bonus is not None:
        coeffs[bonus] = coeffs.get(bonus, 0.0) + 1e6 / forms.population_last[unit]
    return forms.y_last[unit], coeffs


def national_expression(forms: LinearForms) -> tuple[float, dict[str, float]]:
    """National GRP per capita at T (thousand tenge): exact, since migration conserves people."""
    scale = 1e6 / forms.population_total_last
    coeffs = {forms.names[k]: float(g) * scale for k, g in enumerate(forms.grp_last) if g}
    for (_, year), name in zip(forms.bonus_keys, forms.bonus_names, strict=True):
        if year == forms.last_year:
            coeffs[name] = scale
    return forms.national_last, coeffs


def growth_expression(forms: LinearForms) -> dict[str, float]:
    """National GRP gain over the horizon years (bn, summed over years): exact."""
    coeffs = {forms.names[k]: float(g) for k, g in enumerate(forms.growth) if g}
    for name in forms.bonus_names:
        coeffs[name] = 1.0
    return coeffs


def combine(*parts: tuple[float, Mapping[str, float]]) -> dict[str, float]:
    """``sum weight x coefficients`` over ``(weight, coefficients)`` pairs."""
    out: dict[str, float] = {}
    for weight, coeffs in parts:
        for v, c in coeffs.items():
            out[v] = out.get(v, 0.0) + weight * c
    return out


# ---------------------------------------------------------------------------------------------------
# Charnes-Cooper homogenisation and PuLP
# ---------------------------------------------------------------------------------------------------

T_VAR = "cc_t"


def homogenize(lp: LinearProgram, t_scale: float, name: str) -> LinearProgram:
    """The Charnes-Cooper form of ``lp``: every variable v becomes v' = t v, with t = 1/L.

    Each constant c (a right-hand side or an upper bound) becomes ``c / t_scale`` times the variable
    ``cc_t = t_scale x t``; rows marked non-homogeneous (the normalisation ``L' = 1``) are kept as they are.
    ``t_scale`` only keeps coefficients near 1 (PITFALLS: scaling).
    """
    if lp.is_mip:
        raise ValueError("the Charnes-Cooper transformation needs a pure LP")
    out = LinearProgram(name, lp.sense)
    for var in lp.variables.values():
        if var.low != 0:
            raise ValueError(f"variable {var.name} must have a zero lower bound")
        out.add_variable(var.name, 0.0, None)
    out.add_variable(T_VAR, 0.0, None)
    for var in lp.variables.values():
        if var.high is not None:
            out.add_row(f"capacity_{var.name}", {var.name: 1.0, T_VAR: -var.high / t_scale}, LE, 0.0,
                        RowInfo("capacity"))
    for row in lp.rows.values():
        if row.homogeneous:
            coeffs = dict(row.coeffs)
            if row.rhs:
                coeffs[T_VAR] = coeffs.get(T_VAR, 0.0) - row.rhs / t_scale
            out.add_row(row.name, coeffs, row.sense, 0.0, row.info)
        else:
            out.add_row(row.name, row.coeffs, row.sense, row.rhs, row.info, homogeneous=False)
    out.objective = dict(lp.objective)
    return out


@dataclass(eq=False)
class PulpModel:
    problem: pulp.LpProblem
    variables: dict[str, pulp.LpVariable]
    constraints: dict[str, pulp.LpConstraint]


def to_pulp(lp: LinearProgram) -> PulpModel:
    """The PuLP problem of ``lp`` (no objective constant, so the MPS file and the solver agree)."""
    problem = pulp.LpProblem(lp.name, pulp.LpMinimize if lp.sense == MIN else pulp.LpMaximize)
    variables = {}
    for var in lp.variables.values():
        cat = pulp.LpInteger if var.integer else pulp.LpContinuous
        variables[var.name] = problem.add_variable(var.name, var.low, var.high, cat)
    constraints = {}
    for row in lp.rows.values():
        expr = pulp.LpAffineExpression([(variables[v], c) for v, c in row.coeffs.items()])
        constraint = pulp.LpConstraint(expr, _PULP_SENSE[row.sense], row.name, row.rhs)
        problem.addConstraint(constraint)
        constraints[row.name] = constraint
    problem.setObjective(pulp.LpAffineExpression([(variables[v], c) for v, c in lp.objective.items() if c]))
    return PulpModel(problem, variables, constraints)


def coefficient_range(lp: LinearProgram) -> dict[str, Any]:
    """Smallest and largest absolute non-zero coefficient of the matrix, objective, bounds and right-hand sides."""
    def span(values: Iterable[float]) -> list[float] | None:
        nonzero = [abs(v) for v in values if v]
        return [min(nonzero), max(nonzero)] if nonzero else None

    return {
        "matrix": span(c for row in lp.rows.values() for c in row.coeffs.values()),
        "objective": span(lp.objective.values()),
        "rhs": span(row.rhs for row in lp.rows.values()),
        "bounds": span(v.high for v in lp.variables.values() if v.high is not None),
    }

"""Why a plan is what it is: binding constraints, the budget's shadow price, infeasibility, explanations.

Binding constraints are found from the solution itself (a row's activity against its right-hand side), so
they do not depend on the solver; duals are added for pure LPs and read as marginal values within the
current basis (CBC and HiGHS may pick different, equally valid duals on degenerate LPs).

An infeasible scenario gets cheap pre-solve checks that name the conflicting scenario keys and rules, then
an elastic re-solve: each planner's constraint gets a non-negative slack, the slacks' sum is minimised
(spending above a year's budget costs ``OVERSPEND_PENALTY`` times more than the other slacks, since
budgets are law and shares are preferences), and every slack left positive says by how much that
constraint would have to give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.allocation.build import EQ, GE, LE, MIN, LinearProgram, build_base_program
from engine.allocation.forms import EQUITY, LinearForms
from engine.allocation.result import BindingConstraint, BudgetShadowPrice, Conflict, Relaxation, ShadowPrice
from engine.allocation.solve import Solution, solve_program
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import Scenario

OVERSPEND_PENALTY = 10.0
BINDING_TOLERANCE = 1e-6
CAPACITY_SOURCE = "rules/directions.yaml: segment_breakpoints_share_of_grp (absorption cap) and eligibility"

RULE_TEXT = {
    "budget": "The year's budget is spent in full (scenario key budget_bn_kzt).",
    "direction_min": "The direction's least share of the total budget (scenario key directions.<d>.min).",
    "direction_max": "The direction's largest share of the total budget (scenario key directions.<d>.max).",
    "equity_share": ("The equity part's least share of the total budget over the horizon (scenario key "
                     "equity_share)."),
    "unit_cap": "The unit's yearly spending cap (scenario key unit_caps_bn_kzt).",
    "bonus_base": ("The interaction bonus is at most the cap times the agglomeration and compression effect in the "
                   "unit (rules/directions.yaml: interaction_efficiency_cap)."),
    "bonus_cover": ("The interaction bonus is at most what the unit's interaction spending can cover "
                    "(rules/directions.yaml: interaction_leverage)."),
    "floor": "The unit has the lowest GRP per capita at the horizon's last year.",
    "ceiling": "The unit has the highest GRP per capita at the horizon's last year.",
    "shortfall_def": "The unit stays below the threshold share of the national mean.",
    "problem_def": "The unit sits just at the problem-region threshold (rules/problem_regions.yaml).",
    "capacity": "The direction is at its absorption cap in the unit (" + CAPACITY_SOURCE + ").",
}


# ---------------------------------------------------------------------------------------------------
# Binding constraints
# ---------------------------------------------------------------------------------------------------

def find_binding(lp: LinearProgram, values: Mapping[str, float], duals: Mapping[str, float],
                 forms: LinearForms) -> tuple[BindingConstraint, ...]:
    """Rows of ``lp`` that hold with equality at ``values``, and the absorption caps in use."""
    a = lp.matrix()
    x = lp.vector(values)
    activity = a.activity(x)
    slack = np.abs(activity - a.rhs)
    allowed = BINDING_TOLERANCE * np.maximum(1.0, np.abs(a.rhs))
    tight = slack <= allowed
    rules = np.array([info.rule for info in a.infos], dtype=object)
    for rule in ("floor", "ceiling"):
        # the unit(s) at the lowest (highest) GRP per capita: when the stage leaves the bound variable room below
        # (above) every unit, as a growth stage may, no floor row is tight, yet these units still set the ratio
        rows = np.flatnonzero(rules == rule)
        if len(rows):
            tight[rows] |= slack[rows] - slack[rows].min() <= allowed[rows]
    out = []
    texts: dict[tuple[str, str | None], str] = {}  # one wording per rule and direction
    for i in np.flatnonzero(tight).tolist():
        info, name = a.infos[i], a.names[i]
        if info.rule in ("capacity", "normalise", "movers_def"):
            continue
        if info.rule == "shortfall_def" and values.get(f"shortfall_{name[len('shortfall_def_'):]}", 0) <= 0:
            continue  # at zero shortfall the row is only the definition
        text = texts.get((info.rule, info.direction))
        if text is None:
            text = RULE_TEXT.get(info.rule, "")
            if info.rule.endswith("_bound"):
                text = f"The first stage's optimum of {info.rule[:-6]} is held while growth is maximised."
            if info.direction:
                text = text.replace("<d>", info.direction)
            texts[(info.rule, info.direction)] = text
        out.append(BindingConstraint(name, info.rule, text, info.unit, info.year, info.direction, duals.get(name)))
    used = forms.cell_sums(forms.lever_values(values))
    cap = forms.cell_capacity
    full: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c in np.flatnonzero((cap > 0) & (used >= cap * (1 - 1e-7))):
        unit, direction, year = forms.cell_keys[c]
        full[(unit, direction)].append(year)
    for (unit, direction), years in sorted(full.items()):
        years = sorted(years)
        span = f"{min(years)}-{max(years)}" if len(years) > 1 else str(years[0])
        out.append(BindingConstraint(f"capacity_{unit}_{direction}", "capacity",
                                     f"{direction} in {unit} is at its absorption cap in {span} ({CAPACITY_SOURCE}).",
                                     unit, None, direction, None))
    return tuple(out)


# ---------------------------------------------------------------------------------------------------
# The budget's shadow price
# ---------------------------------------------------------------------------------------------------

PHRASES = {
    # metric -> (what falls when per_bn < 0, what rises when per_bn > 0, unit)
    "max_min_ratio": ("lowers the max/min ratio by {v:.4g}", "raises the max/min ratio by {v:.4g}", ""),
    "min_grp_per_capita": ("lowers the lowest GRP per capita by {v:.4g} thousand tenge",
                           "raises the lowest GRP per capita by {v:.4g} thousand tenge", ""),
    "shortfall": ("lowers the population-weighted shortfall by {v:.4g} thousand tenge per person",
                  "raises the population-weighted shortfall by {v:.4g} thousand tenge per person", ""),
    "national_growth": ("takes {v:.4g} bn off national GRP summed over the horizon",
                        "adds {v:.4g} bn to national GRP summed over the horizon", ""),
    "blend_score": ("lowers the blend score by {v:.4g}", "raises the blend score by {v:.4g}", ""),
    "problem_regions": ("lowers the number of problem regions by {v:.4g}",
                        "raises the number of problem regions by {v:.4g}", ""),
    "share_pop_below_75pct": ("lowers the share of people below 75% of the national level by {v:.4g}",
                              "raises the share of people below 75% of the national level by {v:.4g}", ""),
}


NAMES = {"max_min_ratio": "the max/min ratio", "min_grp_per_capita": "the lowest GRP per capita",
         "shortfall": "the shortfall", "national_growth": "national GRP", "blend_score": "the blend score",
         "problem_regions": "the number of problem regions",
         "share_pop_below_75pct": "the share of people below 75% of the national level"}


def budget_dual(duals: Mapping[str, float], scenario: Scenario, year: int) -> float:
    """The change of a stage's objective per bn more in ``year``'s budget: the budget row's dual, plus the rows
    whose bound is a share of the total budget (the equity share, the direction floors and ceilings), which
    a bigger budget moves too."""
    value = duals.get(f"budget_{year}", 0.0) + scenario.equity_share * duals.get("equity_share", 0.0)
    for direction, bounds in scenario.directions.items():
        value += bounds.min * duals.get(f"direction_min_{direction}", 0.0)
        value += bounds.max * duals.get(f"direction_max_{direction}", 0.0)
    return value


def budget_shadow_prices(metric: str, unit: str, scenario: Scenario, stage1: Solution, stage1_lp: LinearProgram,
                         t_scale: float | None, final: Solution | None, is_mip: bool,
                         denominator: str | None = None, hold_price: float | None = None) -> BudgetShadowPrice:
    """Marginal value of one more bn in each year's budget, from the duals of the budget rows.

    The primary metric's value comes from stage 1: for the Charnes-Cooper program a budget B_y enters as
    the coefficient -B_y / s of ``cc_t`` (s the scale), so by the envelope theorem
    ``dR/dB_y = dual_y x cc_t / s``; for the other LPs it is the dual itself. The growth value is what a
    re-solve with one more bn gives: the final stage's budget dual (the primary metric held at today's
    optimum) plus ``hold_price`` (the growth per unit of the held level, from the dual of its bound) times
    the primary metric's own change ``dR/dB_y``: the lexicographic re-solve holds the new, better optimum.
    A MIP has no meaningful duals.
    """
    if is_mip:
        return BudgetShadowPrice(False, metric, unit, "none", (), "The objective is a MILP: its count moves in "
                                 "whole regions and a MILP has no meaningful duals, so no shadow price is reported. "
                                 "Re-solve with a larger budget to see when the count falls.")
    if not stage1.duals:
        return BudgetShadowPrice(False, metric, unit, "none", (), "The solver returned no duals for this solve.")
    prices = []
    for year in scenario.years:
        name = f"budget_{year}"
        if name not in stage1.duals:
            continue
        dual = budget_dual(stage1.duals, scenario, year)
        if t_scale:
            per_bn = dual * stage1.values.get("cc_t", 0.0) / t_scale
        elif denominator is not None:  # parametric method: F(r) = N - r D is 0 at the optimum, dR/dB = dF/dB / D
            per_bn = dual / stage1.values[denominator] if stage1.values.get(denominator) else 0.0
        else:
            per_bn = dual
        held = (budget_dual(final.duals, scenario, year) if final is not None and final is not stage1 and final.duals
                and name in final.duals else None)
        growth = held + hold_price * per_bn if held is not None and hold_price is not None else held
        low, high, _ = PHRASES[metric]
        if abs(per_bn) < 1e-12:
            text = f"One more billion tenge in {year} does not change {NAMES.get(metric, metric)} (within the basis)"
        else:
            text = f"One more billion tenge in {year} " + (low if per_bn < 0 else high).format(v=abs(per_bn))
        if growth is not None and abs(growth) > 1e-12:
            text += (f"; a re-solve with it adds {growth:.4g} bn to national GRP summed over the horizon")
            if held is not None and abs(held - growth) > 0.05 * max(abs(growth), 1e-9):
                text += (f" ({held:.4g} bn if {NAMES.get(metric, metric)} were held at today's optimum: the "
                         "better optimum takes the rest)")
        prices.append(ShadowPrice(year, per_bn, text + ".", growth, held))
    method = ("dual of each year's budget row in the first stage" + (" times cc_t / scale (envelope theorem on the "
              "Charnes-Cooper program)" if t_scale else "") + (" divided by the lowest GRP per capita (envelope "
              "theorem on the parametric program min highest - r x lowest)" if denominator else "")
              + "; growth: the final stage's budget dual plus its bound's dual times that change (what a "
              "re-solve finds)")
    note = ("A marginal value within the current basis: it holds for small changes and may differ between solvers "
            "on degenerate problems.")
    if scenario.allow_unspent:
        note += " Budgets may be left unspent (allow_unspent), so a year with money left has a zero price."
    if metric == "blend_score":
        note += (" The blend's price holds its normalisation (the best shortfall and the most growth of this budget) "
                 "fixed; a re-solve with a bigger budget moves those too, so it can differ by an order of magnitude.")
    return BudgetShadowPrice(True, metric, unit, method, tuple(prices), note)


# ---------------------------------------------------------------------------------------------------
# Infeasibility
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _HorizonCells:
    """The model's (unit, direction, year) cells in the scenario's years as arrays: unit and direction indices
    (into ``forms.units`` and DIRECTIONS), year, absorption capacity (bn) and that capacity within the unit's
    cap; ``unit_limit`` is each unit's yearly cap (inf without one)."""

    unit: np.ndarray
    direction: np.ndarray
    year: np.ndarray
    capacity: np.ndarray
    capped: np.ndarray
    unit_limit: np.ndarray


def _horizon_cells(forms: LinearForms, scenario: Scenario) -> _HorizonCells:
    model = forms.model
    year = np.asarray(model.cell_year, dtype=np.int64)
    keep = np.isin(year, list(scenario.budget_bn_kzt))
    unit = np.asarray(model.cell_unit, dtype=np.int64)[keep]
    capacity = np.asarray(forms.cell_capacity, dtype=float)[keep]
    limit = np.array([scenario.unit_caps_bn_kzt.get(u, np.inf) for u in forms.units], dtype=float)
    return _HorizonCells(unit, np.asarray(model.cell_direction, dtype=np.int64)[keep], year[keep], capacity,
                         np.minimum(capacity, limit[unit]), limit)


def presolve_conflicts(forms: LinearForms, scenario: Scenario) -> tuple[Conflict, ...]:
    """Cheap checks of the scenario against itself and the absorption capacity, naming the rules in conflict."""
    cells = _horizon_cells(forms, scenario)
    caps = scenario.unit_caps_bn_kzt
    open_cells = np.isin(cells.year, list(scenario.open_years))  # shares are of the years still open (build.py)
    by_direction = {DIRECTIONS[d]: float(cells.capped[open_cells & (cells.direction == d)].sum())
                    for d in np.unique(cells.direction[open_cells]).tolist()}
    total = scenario.open_budget
    out: list[Conflict] = []
    mins = {d: b.min for d, b in scenario.directions.items() if b.min > 0}
    if sum(mins.values()) > 1 + 1e-9:
        out.append(Conflict(tuple(f"directions.{d}.min" for d in sorted(mins)),
                            f"the direction minimums add up to {sum(mins.values()):.0%} of the budget, more than all "
                            "of it", (sum(mins.values()) - 1) * total))
    for d, share in sorted(mins.items()):
        if share * total > by_direction.get(d, 0.0) + 1e-6:
            out.append(Conflict((f"directions.{d}.min", "absorption capacity (rules/directions.yaml)"),
                                f"{d} must get at least {share * total:,.1f} bn but its eligible units can absorb "
                                f"{by_direction.get(d, 0.0):,.1f} bn over the horizon",
                                share * total - by_direction.get(d, 0.0)))
    if not scenario.allow_unspent:
        room = sum(min(scenario.bounds(d).max * total, by_direction.get(d, 0.0)) for d in forms.model.directions)
        capped = any(b.max < 1 for b in scenario.directions.values())
        if capped and room < min(total, sum(by_direction.values())) - 1e-6:
            out.append(Conflict(("directions.*.max", "absorption capacity (rules/directions.yaml)", "budget_bn_kzt"),
                                f"the direction maximums and capacities allow {room:,.1f} bn of the {total:,.1f} bn "
                                "budget to be spent, and the whole budget must be spent", total - room))
        for year in scenario.years:
            in_year = cells.year == year
            summed = np.bincount(cells.unit[in_year], weights=cells.capacity[in_year], minlength=len(cells.unit_limit))
            capacity = float(np.minimum(summed, cells.unit_limit).sum())  # a unit's cap bounds its year
            budget = scenario.budget_bn_kzt[year]
            if budget > capacity + 1e-6:
                rules = ["budget_bn_kzt", "absorption capacity (rules/directions.yaml)"] + (
                    ["unit_caps_bn_kzt"] if caps else [])
                out.append(Conflict(tuple(rules), f"the {year} budget of {budget:,.1f} bn is more than eligible units "
                                    f"can absorb ({capacity:,.1f} bn); set allow_unspent: true or lower it",
                                    budget - capacity))
    if scenario.equity_share > 0:
        part_of = forms.parts.part_of
        equity_cell = np.array([[d in forms.model.directions and part_of(u, d) == EQUITY for d in DIRECTIONS]
                                for u in forms.units], dtype=bool).reshape(len(forms.units), len(DIRECTIONS))
        equity = float(cells.capped[open_cells & equity_cell[cells.unit, cells.direction]].sum())
        need = scenario.equity_share * total
        if need > equity + 1e-6:
            rules = ["equity_share", "absorption capacity of the equity part (rules/directions.yaml)"] + (
                ["unit_caps_bn_kzt"] if caps else [])
            out.append(Conflict(tuple(rules), f"the equity part must get {need:,.1f} bn but its units can absorb "
                                f"{equity:,.1f} bn over the horizon", need - equity))
    return tuple(out)


def elastic_program(forms: LinearForms, scenario: Scenario) -> LinearProgram:
    """The shared constraints with a penalised slack on each planner's constraint (see the module text)."""
    lp = build_base_program(forms, scenario, "elastic", MIN)
    objective: dict[str, float] = {}
    a = lp.matrix()
    for name, info, sense in zip(a.names, a.infos, a.senses, strict=True):
        rule = info.rule
        if rule not in ("budget", "direction_min", "direction_max", "equity_share", "unit_cap"):
            continue
        if sense in (GE, EQ):
            slack = lp.add_variable(f"give_{name}_down", 0.0, None)
            lp.add_to_row(name, slack, 1.0)
            objective[slack] = 1.0
        if sense in (LE, EQ):
            slack = lp.add_variable(f"give_{name}_up", 0.0, None)
            lp.add_to_row(name, slack, -1.0)
            objective[slack] = OVERSPEND_PENALTY if rule == "budget" else 1.0
    lp.objective = objective
    return lp


def relax(forms: LinearForms, scenario: Scenario, solver: str, time_limit: float | None,
          ) -> tuple[tuple[Relaxation, ...], Solution]:
    """Solve the elastic program and say by how much each constraint would have to give."""
    lp = elastic_program(forms, scenario)
    solution = solve_program(lp, solver, time_limit)
    out = []
    if solution.solved:
        total = scenario.open_budget
        for name in lp.variables:
            if not name.startswith("give_"):
                continue
            amount = solution.values.get(name, 0.0)
            if amount <= 1e-6:
                continue
            row_name = name[len("give_"):].rsplit("_", 1)[0]
            row = lp.rows[row_name]
            out.append(_relaxation(row_name, row.info, amount, name.endswith("_up"), scenario, total))
    return tuple(out), solution


def _relaxation(name: str, info, amount: float, up: bool, scenario: Scenario, total: float) -> Relaxation:
    rule = info.rule
    if rule == "budget":
        budget = scenario.budget_bn_kzt[info.year]
        if up:
            text = (f"spending in {info.year} would have to exceed its budget of {budget:,.1f} bn by {amount:,.1f} bn "
                    "(budget_bn_kzt)")
        else:
            text = (f"{amount:,.1f} bn of the {info.year} budget ({budget:,.1f} bn) cannot be spent under the other "
                    f"rules; lower budget_bn_kzt.{info.year} to {budget - amount:,.1f} or set allow_unspent: true")
    elif rule in ("direction_min", "direction_max"):
        bounds = scenario.bounds(info.direction)
        key = "min" if rule == "direction_min" else "max"
        share = bounds.min if key == "min" else bounds.max
        new = share + (amount / total if up else -amount / total)
        text = (f"directions.{info.direction}.{key} would have to {'rise' if up else 'fall'} from {share:.3f} to "
                f"{new:.3f} ({amount:,.1f} bn over the horizon)")
    elif rule == "equity_share":
        new = scenario.equity_share - amount / total
        text = (f"equity_share would have to fall from {scenario.equity_share:.3f} to {max(new, 0.0):.3f} "
                f"({amount:,.1f} bn over the horizon)")
    else:
        cap = scenario.unit_caps_bn_kzt.get(info.unit or "", 0.0)
        text = (f"unit_caps_bn_kzt.{info.unit} would have to rise from {cap:,.1f} to {cap + amount:,.1f} bn in "
                f"{info.year}")
    return Relaxation(name, rule, amount, text, info.unit, info.year, info.direction)

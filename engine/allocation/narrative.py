"""Explanations of a result in plain words, written from the rules' rationales and the numbers of the solve."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from engine.allocation.forms import EQUITY
from engine.allocation.objectives import TIEBREAK_PER_BN, Anchors
from engine.allocation.result import Explanation, OptimizationResult

if TYPE_CHECKING:
    from engine.allocation.prepared import Prepared

OBJECTIVE_TEXT = {
    "max_min_ratio": ("The plan minimises the official indicator, the max/min ratio of GRP per capita at {T}, "
                      "exactly: the linear-fractional program is solved as one LP by the Charnes-Cooper "
                      "transformation (all variables scaled by 1/min), so the LP optimum is the ratio itself."),
    "maximin": "The plan lifts the worst-off unit: it maximises the lowest GRP per capita at {T}.",
    "shortfall": ("The plan minimises the population-weighted shortfall of GRP per capita below {theta:g} x the "
                  "national mean at {T}."),
    "problem_regions": ("The plan minimises the number of problem regions at {T} (the first criterion) with a "
                        "mixed-integer program: one binary per unit whose status GRP per capita decides; units "
                        "that other rules make problem regions (indicators held at the data) count as constants."),
    "share_below": ("The plan minimises the share of the population living in units below 75% of the national "
                    "mean of GRP per capita at {T} with a mixed-integer program: one binary per unit the plan can "
                    "move across the line, the national mean taken as the plan makes it (not its no-policy value); "
                    "populations weigh the units as on the no-policy path."),
    "national_growth": "The plan maximises national GRP summed over the horizon years {Y}.",
    "blend": ("The plan maximises {w:g} x the share of the achievable shortfall reduction plus {w1:g} x the share "
              "of the achievable growth (each term is 0 for no gain and 1 for the best the budget can do alone)."),
}

DRIVERS = ("implementation_efficiency", "segment_breakpoints_share_of_grp", "segment_slopes", "absorption_cap_scale",
           "segment_decline_scale", "okun_coefficient", "baseline_real_growth",
           "baseline_convergence", "baseline_population_years")


def _years(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def explain_result(prep: Prepared, result: OptimizationResult, anchors: Anchors) -> tuple[Explanation, ...]:
    scenario, forms = prep.scenario, prep.forms
    last = scenario.last_year
    out = [Explanation("objective", OBJECTIVE_TEXT[scenario.objective].format(
        T=last, theta=scenario.shortfall_threshold, Y=_years(scenario.years), w=scenario.equity_weight,
        w1=1 - scenario.equity_weight))]
    if scenario.objective != "national_growth":
        out.append(Explanation("objective", "A second stage holds that optimum and spends what the first stage "
                               "leaves open on national growth, so no money stays idle."))
    out.append(Explanation("objective", "Ties are broken explicitly: among plans whose national growth differs by "
                           f"less than {TIEBREAK_PER_BN:g} bn per bn spent, the one spending more in units with lower "
                           "base-year GRP per capita is chosen, so the same scenario gives the same allocation."))
    for rule in prep.ctx.problem_rules.rules:
        out.append(Explanation("problem_regions", f"Problem regions (the first criterion) by rule {rule.id}: "
                               f"{rule.describe()}. {rule.rationale}"))
    if anchors.problems is not None:
        p = anchors.problems
        out.append(Explanation("objective", f"Problem regions by rule {p.rule_id}: {len(p.decided)} unit(s) can change "
                               f"status; {len(p.always)} stay problem regions whatever the plan, because other rules "
                               "keep them or no spending within the budget and absorption caps lifts them "
                               f"({', '.join(p.always) or 'none'}); {len(p.never)} cannot become one. A unit counts "
                               f"as lifted when it clears the threshold by {p.margin:,.1f} thousand tenge in the "
                               "linear model, so that the exact simulation agrees."))
    by_part = result.spending_by("part")
    total = sum(by_part.values())
    equity_units = sorted(u for u, part in forms.parts.parts.items() if part == EQUITY)
    out.append(Explanation("parts", forms.parts.text + f" Units whose spending is equity (mobility is equity "
                           f"everywhere): {', '.join(equity_units) or 'none'}."))
    if total > 0:
        share = by_part.get(EQUITY, 0.0) / total
        out.append(Explanation("parts", f"{by_part.get(EQUITY, 0.0):,.1f} bn ({share:.1%}) goes to the equity part "
                               f"against a required least share of {scenario.equity_share:.0%} of the "
                               f"{scenario.total_budget:,.1f} bn budget over {_years(scenario.years)}."))
    budget = ("Each year's budget is spent in full." if not scenario.allow_unspent else
              f"Budgets may be left unspent (allow_unspent); {total:,.1f} of {scenario.total_budget:,.1f} bn is spent.")
    out.append(Explanation("budget", budget + " Direction minimums and maximums are shares of the whole budget "
                           "over the horizon; unit caps apply to each year."))
    out += _allocation_story(prep, result)
    out += _outcome_story(result, last)
    price = result.primary_metric.get("price_of_exactness")
    if price:
        growth = price["growth"] - price["growth_gain"]
        share = price["growth_gain"] / growth if growth else 0.0
        out.append(Explanation("trade_off", f"Holding {result.primary_metric['label']} {price['relax_share']:.1%} "
                               f"short of its optimum (at {price['level']:,.6g} instead of "
                               f"{result.primary_metric['stage1_objective_value']:,.6g}) would raise national growth "
                               f"by {price['growth_gain']:,.1f} bn ({share:+.1%}); 'roadmap frontier' shows the "
                               "whole trade-off."))
    out += [Explanation("shadow_price", p.text) for p in result.budget_shadow_price.by_year]
    prices = [abs(p.per_bn) for p in result.budget_shadow_price.by_year if p.per_bn is not None]
    value = result.primary_metric.get("stage1_objective_value")
    if prices and value and max(prices) * scenario.total_budget < 1e-3 * abs(value):
        out.append(Explanation("shadow_price", f"More money barely moves {result.primary_metric['label']}: even "
                               "doubling the budget would change it by less than 0.1%. What holds it is listed "
                               "under the binding constraints (typically the absorption caps of the units at the "
                               "extremes)."))
    if result.budget_shadow_price.note:
        out.append(Explanation("shadow_price", result.budget_shadow_price.note))
    out += _binding_story(result)
    for gap in result.gaps:
        if gap.linear is not None and gap.simulated is not None:
            out.append(Explanation("lp_vs_simulator", f"{gap.metric}: optimizer {gap.linear:,.6g}, simulator "
                                   f"{gap.simulated:,.6g} (difference {gap.difference:+.3g}). {gap.reason}"))
    out += _baseline_story(result)
    out.append(Explanation("assumptions", f"Metrics at {last} include the one-year demand effect of that year's "
                           "spending (demand_multiplier_capital, demand_multiplier_current); it fades after the "
                           "horizon, while capital returns persist."))
    out += assumption_notes(prep, result)
    return tuple(out)


def _allocation_story(prep: Prepared, result: OptimizationResult) -> list[Explanation]:
    by_unit = result.spending_by("unit_id")
    total = sum(by_unit.values())
    if total <= 0:
        return [Explanation("allocation", "Nothing is spent.")]
    by_direction = result.spending_by("direction")
    mix = ", ".join(f"{d} {v / total:.0%}" for d, v in sorted(by_direction.items(), key=lambda kv: -kv[1]))
    top = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    where = ", ".join(f"{u} {v:,.1f} bn" for u, v in top)
    out = [Explanation("allocation", f"By direction: {mix}. Largest recipients: {where}.")]
    directions = prep.assumptions.direction_rules.directions
    for direction, amount in sorted(by_direction.items(), key=lambda kv: -kv[1]):
        spec = directions[direction]
        instruments = ", ".join(i.names.get("en", i.id) for i in spec.instruments)
        out.append(Explanation("directions", f"{spec.names.get('en', direction)} ({amount:,.1f} bn): "
                               f"{spec.description} Instruments: {instruments}."))
    return out


def _outcome_story(result: OptimizationResult, last: int) -> list[Explanation]:
    base, after = result.metrics_baseline, result.metrics_after
    if after is None:
        return []
    out = [Explanation("outcome", f"At {last}, without new policy the max/min ratio would be "
                       f"{base['max_min_ratio']:.3f} ({base['max_unit']} / {base['min_unit']}); with the plan "
                       f"{after['max_min_ratio']:.3f} ({after['max_unit']} / {after['min_unit']}). Williamson "
                       f"{base['williamson']:.4f} -> {after['williamson']:.4f}, Theil T (weighted) "
                       f"{base['theil_t_weighted']:.4f} -> {after['theil_t_weighted']:.4f}; problem regions "
                       f"{base['problem_regions']} -> {after['problem_regions']}.")]
    if after["max_min_ratio"] < base["max_min_ratio"] and (after["williamson"] > base["williamson"]
                                                           or after["theil_t_weighted"] > base["theil_t_weighted"]):
        out.append(Explanation("warning", "The plan improves the max/min ratio but not Williamson or Theil: it wins "
                               "on the extremes alone, and disparity across the whole distribution does not fall."))
    counts = result.problem_regions_by_year
    if "plan" in counts:
        rows = ", ".join(f"{y}: {counts['baseline'][y]} -> {counts['plan'][y]}" for y in sorted(counts["plan"]))
        out.append(Explanation("outcome", f"Problem regions by year (no policy -> plan): {rows}."))
    return out


def _binding_story(result: OptimizationResult) -> list[Explanation]:
    seen: dict[str, dict[str, None]] = defaultdict(dict)  # rule -> labels in order, without repeats
    for b in result.binding_constraints:
        label = " ".join(str(x) for x in (b.unit, b.direction if b.rule == "capacity" or not b.unit else None,
                                           b.year) if x)
        seen[b.rule][label] = None
    groups = {rule: list(labels) for rule, labels in seen.items()}
    if not groups:
        return []
    words = {"budget": "the yearly budgets", "equity_share": "the equity share", "direction_min": "direction minimums",
             "direction_max": "direction maximums", "unit_cap": "unit caps", "capacity": "absorption caps",
             "floor": "units tied at the lowest GRP per capita", "ceiling": "units at the highest GRP per capita",
             "bonus_base": "interaction-bonus ceilings (effect)", "bonus_cover": "interaction-bonus ceilings (cover)",
             "problem_def": "units just at the problem-region threshold",
             "shortfall_def": "units below the shortfall threshold"}
    parts = []
    for rule, labels in groups.items():
        shown = [x for x in labels if x][:6]
        extra = f" and {len(labels) - len(shown)} more" if len(labels) > len(shown) and shown else ""
        detail = f" ({', '.join(shown)}{extra})" if shown else ""
        parts.append(f"{words.get(rule, rule)}{detail}")
    return [Explanation("binding", "What holds the plan where it is: " + "; ".join(parts) + ".")]


def _baseline_story(result: OptimizationResult) -> list[Explanation]:
    plan = result.plan_reduction_per_bn.get("max_min_ratio")
    if plan is None:
        return []
    out = []
    for b in result.baselines:
        other = b.reduction_per_bn.get("max_min_ratio")
        if other is None:
            continue
        out.append(Explanation("baselines", f"Per 1,000 bn, the plan lowers the max/min ratio by {plan * 1000:.4f}; "
                               f"{b.name} ({b.description}) by {other * 1000:.4f}. Williamson: "
                               f"{(result.plan_reduction_per_bn.get('williamson') or 0) * 1000:.5f} against "
                               f"{(b.reduction_per_bn.get('williamson') or 0) * 1000:.5f}."))
    return out


def assumption_notes(prep: Prepared, result: OptimizationResult) -> list[Explanation]:
    """Parameters resting on an assumption or a proxy that drive the effects of the directions used."""
    direction_rules = prep.assumptions.direction_rules
    used = {r.direction for r in result.allocation} or set(direction_rules.directions)
    ids = set(DRIVERS)
    for direction in used:
        ids |= set(direction_rules.directions[direction].parameter_ids())
    out = []
    for pid in sorted(ids):
        param = direction_rules.parameters.get(pid)
        if param is None or not param.is_assumption:
            continue
        if isinstance(param.central, tuple):
            value = ", ".join(f"{v:g}" for v in param.central)
            span = ""
        else:
            value = f"{prep.assumptions.value(pid):g}"
            span = f", range {param.low:g}-{param.high:g}"
        out.append(Explanation("assumptions", f"Rests on {param.basis} {pid} = {value} ({param.unit}{span}): "
                               f"{param.source.strip()}"))
    return out


def explain_unsolved(prep: Prepared, result: OptimizationResult) -> tuple[Explanation, ...]:
    out = []
    if result.status.value == "infeasible":
        out.append(Explanation("infeasible", "No allocation meets every constraint of the scenario."))
    elif result.message:
        out.append(Explanation("error", result.message))
    for c in result.conflicts:
        amount = f" (short by {c.amount_bn:,.1f} bn)" if c.amount_bn is not None else ""
        out.append(Explanation("conflict", f"{' vs '.join(c.rules)}: {c.message}{amount}."))
    for r in result.relaxations:
        out.append(Explanation("relaxation", f"To become feasible: {r.text}."))
    if result.status.value == "infeasible" and not result.conflicts and not result.relaxations:
        out.append(Explanation("infeasible", "The elastic re-solve found nothing to relax; the conflict lies in the "
                               "model itself (please report it)."))
    return tuple(out)

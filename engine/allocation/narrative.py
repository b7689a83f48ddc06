"""Explanations of a result in plain words, written from the rules' rationales and the numbers of the solve."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from engine.allocation.forms import EQUITY, PART_RULE
from engine.allocation.objectives import TIEBREAK_PER_BN, Anchors
from engine.allocation.result import Explanation, OptimizationResult, explain
from engine.core.i18n import LANGUAGES, LocalText, Text, has_text

if TYPE_CHECKING:
    from engine.allocation.prepared import Prepared

#: the message id of each objective's explanation (engine/locale); its values are T, theta, Y, w and w1
OBJECTIVE_TEXT = {
    "max_min_ratio": "ex_objective_max_min_ratio",
    "maximin": "ex_objective_maximin",
    "shortfall": "ex_objective_shortfall",
    "problem_regions": "ex_objective_problem_regions",
    "share_below": "ex_objective_share_below",
    "national_growth": "ex_objective_national_growth",
    "blend": "ex_objective_blend",
}

DRIVERS = ("implementation_efficiency", "segment_breakpoints_share_of_grp", "segment_slopes", "absorption_cap_scale",
           "segment_decline_scale", "okun_coefficient", "baseline_real_growth",
           "baseline_convergence", "baseline_population_years")


def _metric(primary: dict) -> object:
    """The primary metric's name in any language (its English label when the catalogs lack it)."""
    for key in (f"metric_{primary.get('metric')}", str(primary.get("metric"))):
        if has_text(key):
            return Text(key)
    return primary["label"]


def _names(names: dict[str, str], fallback: str) -> object:
    """A direction's or an instrument's names as one text in every language."""
    return LocalText({lang: names[lang] for lang in LANGUAGES}) if all(names.get(x) for x in LANGUAGES) \
        else names.get("en", fallback)


def _years(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def explain_result(prep: Prepared, result: OptimizationResult, anchors: Anchors) -> tuple[Explanation, ...]:
    scenario, forms = prep.scenario, prep.forms
    last = scenario.last_year
    out = [explain("objective", OBJECTIVE_TEXT[scenario.objective], T=last, theta=scenario.shortfall_threshold,
                   Y=_years(scenario.years), w=scenario.equity_weight, w1=1 - scenario.equity_weight)]
    if scenario.objective != "national_growth":
        out.append(explain("objective", "ex_second_stage"))
    out.append(explain("objective", "ex_tiebreak", per_bn=TIEBREAK_PER_BN))
    for rule in prep.ctx.problem_rules.rules:
        reason = Text(f"reason_{rule.kind}", {"indicator": Text(rule.indicator) if has_text(rule.indicator)
                                              else rule.indicator, "threshold": rule.threshold})
        out.append(explain("problem_regions", "ex_problem_rule", reason=reason,
                           rationale=rule.rationale) if has_text(f"reason_{rule.kind}") else
                   Explanation("problem_regions", f"Problem regions (the first criterion) by rule {rule.id}: "
                               f"{rule.describe()}. {rule.rationale}"))
    if anchors.problems is not None:
        p = anchors.problems
        out.append(explain("objective", "ex_problem_setup", rule=p.rule_id, decided=len(p.decided),
                           always=len(p.always), always_units=", ".join(p.always) or Text("ex_none"),
                           never=len(p.never), margin=p.margin))
    by_part = result.spending_by("part")
    total = sum(by_part.values())
    equity_units = sorted(u for u, part in forms.parts.parts.items() if part == EQUITY)
    units = ", ".join(equity_units) or Text("ex_none")
    out.append(explain("parts", "ex_parts", units=units) if forms.parts.text == PART_RULE else
               Explanation("parts", forms.parts.text + f" Units whose spending is equity (mobility is equity "
                           f"everywhere): {', '.join(equity_units) or 'none'}."))
    if total > 0:
        share = by_part.get(EQUITY, 0.0) / total
        out.append(explain("parts", "ex_equity_part", amount=by_part.get(EQUITY, 0.0), share=share,
                           least=scenario.equity_share, budget=scenario.total_budget,
                           years=_years(scenario.years)))
    out.append(explain("budget", "ex_budget_full") if not scenario.allow_unspent else
               explain("budget", "ex_budget_unspent", spent=total, budget=scenario.total_budget))
    out += _allocation_story(prep, result)
    out += _outcome_story(result, last)
    price = result.primary_metric.get("price_of_exactness")
    if price:
        growth = price["growth"] - price["growth_gain"]
        share = price["growth_gain"] / growth if growth else 0.0
        out.append(explain("trade_off", "ex_trade_off", metric=_metric(result.primary_metric),
                           relax=price["relax_share"], level=price["level"],
                           optimum=result.primary_metric["stage1_objective_value"],
                           gain=price["growth_gain"], share=share))
    out += [_shadow_price(p, result.primary_metric) for p in result.budget_shadow_price.by_year]
    prices = [abs(p.per_bn) for p in result.budget_shadow_price.by_year if p.per_bn is not None]
    value = result.primary_metric.get("stage1_objective_value")
    if prices and value and max(prices) * scenario.total_budget < 1e-3 * abs(value):
        out.append(explain("shadow_price", "ex_money_barely_moves", metric=_metric(result.primary_metric)))
    note = result.budget_shadow_price.note
    if note:
        base = str(Text("ex_shadow_note"))
        out.append(explain("shadow_price", "ex_shadow_note") if note == base else Explanation("shadow_price", note))
        if note != base and note.startswith(base):  # the rarer remarks after it (unspent budgets, the blend)
            out[-1] = Explanation("shadow_price", note, "ex_shadow_note_more",
                                  {"more": note.removeprefix(base).strip()})
    out += _binding_story(result)
    notes = _gap_notes(prep, anchors)
    for gap in result.gaps:
        if gap.linear is not None and gap.simulated is not None:
            # the reason in words when it is the usual one with this scenario's notes, else as the report wrote it
            known = gap.reason == " ".join([str(Text("ex_gap_reason")), *(str(n) for n in notes)])
            more = [Text("ex_then", {"text": n}) for n in notes] + ["", ""] if known else ["", ""]
            out.append(explain("lp_vs_simulator", "ex_gap", metric=Text(gap.metric) if has_text(gap.metric)
                               else gap.metric, linear=gap.linear, simulated=gap.simulated,
                               difference=gap.difference,
                               reason=Text("ex_gap_reason") if known else gap.reason, note0=more[0], note1=more[1]))
    out += _baseline_story(result)
    out.append(explain("assumptions", "ex_demand_effect", year=last))
    out += assumption_notes(prep, result)
    return tuple(out)


def _shadow_price(price, primary: dict) -> Explanation:  # noqa: ANN001 - a ShadowPrice
    """One year's shadow price of the budget in words (its English text as engine.allocation.explain wrote it)."""
    metric = _metric(primary)
    if price.per_bn is None or abs(price.per_bn) < 1e-12:
        head = Text("shadow_none", {"year": price.year, "metric": metric})
    else:
        values = {"year": price.year, "metric": metric, "value": abs(price.per_bn)}
        head = Text("shadow_lowers", values) if price.per_bn < 0 else Text("shadow_raises", values)
    if price.growth_per_bn is None or abs(price.growth_per_bn) < 1e-12:
        return Explanation("shadow_price", price.text, "ex_shadow_price", {"head": head, "growth": ""})
    growth = Text("ex_shadow_growth", {"growth": price.growth_per_bn})
    return Explanation("shadow_price", price.text, "ex_shadow_price", {"head": head, "growth": growth})


def _gap_notes(prep: Prepared, anchors: Anchors) -> list[Text]:
    """engine.allocation.run.gap_notes in words of every language (the same sentences, in the same order)."""
    notes = []
    if getattr(prep.model.baseline, "migration", None) is not None:
        notes.append(Text("ex_gap_migration"))
    if prep.scenario.objective == "blend":
        notes.append(Text("ex_gap_blend", {"span": anchors.shortfall_none - anchors.shortfall_best}))
    return notes


def _allocation_story(prep: Prepared, result: OptimizationResult) -> list[Explanation]:
    by_unit = result.spending_by("unit_id")
    total = sum(by_unit.values())
    if total <= 0:
        return [explain("allocation", "ex_nothing_spent")]
    by_direction = result.spending_by("direction")
    mix = [Text("ex_direction_share", {"direction": Text(d), "share": v / total})
           for d, v in sorted(by_direction.items(), key=lambda kv: -kv[1])]
    top = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    where = [Text("ex_unit_amount", {"unit": u, "amount": v}) for u, v in top]
    out = [explain("allocation", "ex_by_direction", mix=mix, where=where)]
    directions = prep.assumptions.direction_rules.directions
    for direction, amount in sorted(by_direction.items(), key=lambda kv: -kv[1]):
        spec = directions[direction]
        out.append(explain("directions", "ex_direction", name=_names(spec.names, direction), amount=amount,
                           description=spec.description,
                           instruments=[_names(i.names, i.id) for i in spec.instruments]))
    return out


def _outcome_story(result: OptimizationResult, last: int) -> list[Explanation]:
    base, after = result.metrics_baseline, result.metrics_after
    if after is None:
        return []
    out = [explain("outcome", "ex_outcome", year=last, ratio0=base["max_min_ratio"], top0=base["max_unit"],
                   low0=base["min_unit"], ratio1=after["max_min_ratio"], top1=after["max_unit"],
                   low1=after["min_unit"], w0=base["williamson"], w1=after["williamson"],
                   theil0=base["theil_t_weighted"], theil1=after["theil_t_weighted"], p0=base["problem_regions"],
                   p1=after["problem_regions"])]
    if after["max_min_ratio"] < base["max_min_ratio"] and (after["williamson"] > base["williamson"]
                                                           or after["theil_t_weighted"] > base["theil_t_weighted"]):
        out.append(explain("warning", "ex_extremes_only"))
    counts = result.problem_regions_by_year
    if "plan" in counts:
        rows = ", ".join(f"{y}: {counts['baseline'][y]} -> {counts['plan'][y]}" for y in sorted(counts["plan"]))
        out.append(explain("outcome", "ex_problem_regions_by_year", rows=rows))
    return out


def _binding_story(result: OptimizationResult) -> list[Explanation]:
    seen: dict[str, dict[tuple, None]] = defaultdict(dict)  # rule -> labels in order, without repeats
    for b in result.binding_constraints:
        direction = b.direction if b.rule == "capacity" or not b.unit else None
        seen[b.rule][(b.unit or None, direction or None, b.year or None)] = None
    groups = {rule: list(labels) for rule, labels in seen.items()}
    if not groups:
        return []
    parts: list[object] = []
    for rule, labels in groups.items():
        shown = [_label(*x) for x in [x for x in labels if any(x)][:6]]
        extra = Text("ex_and_more", {"count": len(labels) - len(shown)}) if len(labels) > len(shown) and shown \
            else ""
        name: object = Text(f"ex_bind_{rule}") if has_text(f"ex_bind_{rule}") else rule
        parts.append(Text("ex_bind_detail", {"what": name, "units": shown, "extra": extra})
                     if shown else name)
    return [explain("binding", "ex_binding", groups=parts)]  # a list: its items joined by '; ' in any language


def _label(unit: str | None, direction: str | None, year: int | None) -> object:
    """A binding constraint's unit, direction (named in every language) and year, those it has."""
    if direction is None:
        return " ".join(str(x) for x in (unit, year) if x)
    name = Text(direction) if has_text(direction) else direction
    key = "ex_label_" + "".join(c for c, x in (("u", unit), ("d", direction), ("y", year)) if x)
    return Text(key, {"unit": unit, "direction": name, "year": year})


def _baseline_story(result: OptimizationResult) -> list[Explanation]:
    plan = result.plan_reduction_per_bn.get("max_min_ratio")
    if plan is None:
        return []
    out = []
    for b in result.baselines:
        other = b.reduction_per_bn.get("max_min_ratio")
        if other is None:
            continue
        out.append(explain("baselines", "ex_baseline", plan=plan * 1000,
                           formula=Text(f"formula_{b.name}") if has_text(f"formula_{b.name}") else b.name,
                           other=other * 1000, w_plan=(result.plan_reduction_per_bn.get("williamson") or 0) * 1000,
                           w_other=(b.reduction_per_bn.get("williamson") or 0) * 1000))
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
            value: object = [float(v) for v in param.central]
            span: object = ""
        else:
            value = prep.assumptions.value(pid)
            span = Text("ex_range", {"low": param.low, "high": param.high})
        out.append(explain("assumptions", "ex_rests_on", basis=Text(f"basis_{param.basis}"), pid=pid, value=value,
                           unit=param.unit, span=span, source=param.source))
    return out


def explain_unsolved(prep: Prepared, result: OptimizationResult) -> tuple[Explanation, ...]:
    out = []
    if result.status.value == "infeasible":
        out.append(explain("infeasible", "ex_infeasible"))
    elif result.message:
        out.append(Explanation("error", result.message))
    for c in result.conflicts:
        amount = Text("ex_short_by", {"amount": c.amount_bn}) if c.amount_bn is not None else ""
        out.append(explain("conflict", "ex_conflict", rules=" vs ".join(c.rules), message=c.message, amount=amount))
    for r in result.relaxations:
        out.append(explain("relaxation", "ex_relaxation", text=r.text))
    if result.status.value == "infeasible" and not result.conflicts and not result.relaxations:
        out.append(explain("infeasible", "ex_nothing_to_relax"))
    return tuple(out)

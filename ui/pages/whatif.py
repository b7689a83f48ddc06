"""What-if: the planner's scenario (budget, horizon, objective, shares, bounds, caps, assumptions) and its plan.

Every change re-solves through a worker process (cached by the scenario); the plan is shown as a heatmap
and a map, trajectories, the metrics before / without policy / with the plan, both criteria by year, the
formula allocations beside it, the shadow price of the budget and the engine's explanations.
"""

import pandas as pd
import streamlit as st

from engine.analysis.target import TARGET_METRICS as CURVE_METRICS
from engine.core.i18n import format_number, format_value, indicator_name, t
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import INDICATORS, MAX_HORIZON_YEARS, MAX_YEARLY_BUDGET_BN, OBJECTIVES
from engine.interfaces import app_api
from ui.components import (
    bar_groups,
    choropleth,
    current_hold,
    current_scenario,
    explanation_text,
    guarded,
    heatmap,
    line_chart,
    localised,
    metric_label,
    metrics_frame,
    names,
    plain,
    session_indicators,
    shadow_price_lines,
    show_infeasible,
    solve_plan,
    status_message,
    use_scenario,
)
from ui.jobs import run_each, run_job
from ui.keys import Key
from ui.state import context, lang

SHORT = {"problem_regions": "problem_regions", "max_min_ratio": "max_min_short", "williamson": "williamson_short",
         "theil_t_weighted": "theil_short"}

current = lang()
ctx = context()
st.title(t("page_whatif", current))
fields = app_api.scenario_fields(current_scenario())
base_year = int(fields["base_year"])
units = list(ctx.dataset.units_in_year(base_year))


def seed(key: str, value: object) -> None:
    """Fill a widget from the session's scenario unless the planner has already set it."""
    if key not in st.session_state:
        st.session_state[key] = value


def leave_frontier_point() -> None:
    # any change of the scenario asks for the objective's plan again
    st.session_state[Key.HOLD] = None


budget = {int(y): float(v) for y, v in fields["budget_bn_kzt"].items()}
# a revised plan holds the years already spent (its progress key): their budgets are what was spent
held_until = int((fields.get("progress") or {}).get("as_of", 0))
open_budget = {y: v for y, v in budget.items() if y > held_until}
seed(Key.BUDGET, max(open_budget.values()) if open_budget else 0.0)
seed(Key.BUDGET_BY_YEAR, len(set(open_budget.values())) > 1)
seed(Key.HORIZON, (int(fields["horizon"][0]), int(fields["horizon"][1])))
seed(Key.OBJECTIVE, fields["objective"])
seed(Key.INDICATOR, fields["indicator"])
seed(Key.EQUITY_SHARE, float(fields["equity_share"]))
seed(Key.EQUITY_WEIGHT, float(fields["equity_weight"]))
for direction in DIRECTIONS:
    bounds = fields["directions"][direction]
    seed(f"{Key.DIRECTION_BOUNDS}_{direction}", (float(bounds["min"]), float(bounds["max"])))
seed(Key.CAP_UNITS, [u for u in fields["unit_caps_bn_kzt"] if u in units])
assumptions = dict(fields["assumptions"])
parameters = app_api.assumption_table(lang=current)
for param in parameters:
    seed(f"{Key.ASSUMPTION}_{param['id']}", assumptions.get(param["id"], "central"))

inputs, output = st.columns([1, 2.4], gap="large")
with inputs:
    st.caption(t("base_year_note", current, year=base_year))
    if held_until:
        st.caption(t("progress_held_note", current, year=held_until))
    st.number_input(t("budget_per_year", current), min_value=0.0, max_value=MAX_YEARLY_BUDGET_BN, step=50.0,
                    format="%.1f", key=Key.BUDGET, on_change=leave_frontier_point)
    st.slider(t("horizon", current), min_value=base_year + 1, max_value=base_year + MAX_HORIZON_YEARS,
              key=Key.HORIZON, on_change=leave_frontier_point)
    st.selectbox(t("objective", current), OBJECTIVES, key=Key.OBJECTIVE, on_change=leave_frontier_point,
                 format_func=lambda o: t(f"obj_{o}", current))
    st.selectbox(t("indicator", current), INDICATORS, key=Key.INDICATOR, on_change=leave_frontier_point,
                 format_func=lambda i: indicator_name(i, current))
    st.slider(t("equity_share", current), min_value=0.0, max_value=1.0, step=0.05, key=Key.EQUITY_SHARE,
              on_change=leave_frontier_point)
    if st.session_state[Key.OBJECTIVE] == "blend":
        st.slider(t("equity_weight", current), min_value=0.0, max_value=1.0, step=0.05, key=Key.EQUITY_WEIGHT,
                  on_change=leave_frontier_point)
    first, last = st.session_state[Key.HORIZON]
    years = list(range(int(first), int(last) + 1))
    with st.expander(t("advanced", current)):
        st.toggle(t("budget_by_year_toggle", current), key=Key.BUDGET_BY_YEAR, on_change=leave_frontier_point)
        if st.session_state[Key.BUDGET_BY_YEAR]:
            for year in years:
                seed(f"{Key.BUDGET_YEAR}_{year}", budget.get(year, float(st.session_state[Key.BUDGET])))
                st.number_input(t("budget_year", current, year=year), min_value=0.0, max_value=MAX_YEARLY_BUDGET_BN,
                                step=50.0, format="%.1f", key=f"{Key.BUDGET_YEAR}_{year}",
                                on_change=leave_frontier_point, disabled=year <= held_until)
    with st.expander(t("direction_bounds", current)):
        for direction in DIRECTIONS:
            st.slider(t("direction_share", current, direction=t(direction, current)), min_value=0.0, max_value=1.0,
                      step=0.05, key=f"{Key.DIRECTION_BOUNDS}_{direction}", on_change=leave_frontier_point)
    with st.expander(t("unit_caps", current)):
        capped = st.multiselect(t("cap_regions", current), units, key=Key.CAP_UNITS, on_change=leave_frontier_point,
                                format_func=lambda u: names(ctx, [u], current)[0])
        for unit in capped:
            seed(f"{Key.CAP_VALUE}_{unit}", float(fields["unit_caps_bn_kzt"].get(unit, 0.0)))
            st.number_input(t("cap_value", current, region=names(ctx, [unit], current)[0]), min_value=0.0,
                            max_value=MAX_YEARLY_BUDGET_BN, step=5.0, format="%.1f", key=f"{Key.CAP_VALUE}_{unit}",
                            on_change=leave_frontier_point)
    with st.expander(t("assumptions", current)):
        st.caption(t("assumptions_intro_short", current))
        for param in parameters:
            key = f"{Key.ASSUMPTION}_{param['id']}"
            options = ["low", "central", "high"]
            if st.session_state[key] not in options:  # a number written in the scenario file
                options.append(st.session_state[key])
            values = {"low": param["low"], "central": param["central"], "high": param["high"]}
            st.radio(t(f"parameter_{param['id']}", current), options, key=key, horizontal=True,
                     on_change=leave_frontier_point,
                     format_func=lambda o, v=values: (
                         f"{t(f'level_{o}', current)} ({format_value(v[o], current, sig=6)})" if o in v
                         else format_value(float(o), current, sig=3)))
            marker = f" · ⚠ {t('assumption_marker', current)}" if param["is_assumption"] else ""
            st.caption(f"{plain(param['unit'])} · {t('basis', current)}: {t('basis_' + param['basis'], current)}"
                       f"{marker}")
            st.caption(f"{t('source', current)}: {plain(param['source'])}")

if st.session_state[Key.BUDGET_BY_YEAR]:
    budget_field: object = {y: float(st.session_state[f"{Key.BUDGET_YEAR}_{y}"]) for y in years}
else:
    budget_field = float(st.session_state[Key.BUDGET])
for param in parameters:
    chosen = st.session_state[f"{Key.ASSUMPTION}_{param['id']}"]
    if chosen == "central":
        assumptions.pop(param["id"], None)
    else:
        assumptions[param["id"]] = chosen
asked = {
    **{k: v for k, v in fields.items() if k not in ("directions", "unit_caps_bn_kzt", "assumptions")},
    "horizon": [int(first), int(last)], "budget_bn_kzt": budget_field, "objective": st.session_state[Key.OBJECTIVE],
    "indicator": st.session_state[Key.INDICATOR],
    "equity_share": float(st.session_state[Key.EQUITY_SHARE]),
    "equity_weight": float(st.session_state.get(Key.EQUITY_WEIGHT, fields["equity_weight"])),
    "directions": {d: dict(zip(("min", "max"), st.session_state[f"{Key.DIRECTION_BOUNDS}_{d}"], strict=True))
                   for d in DIRECTIONS},
    "unit_caps_bn_kzt": {u: float(st.session_state[f"{Key.CAP_VALUE}_{u}"]) for u in st.session_state[Key.CAP_UNITS]},
    "assumptions": assumptions,
}
if not asked["description"]:
    asked.pop("description")
scenario_yaml = guarded(lambda: app_api.scenario_yaml(asked), current)
if scenario_yaml is None:
    st.stop()
st.session_state[Key.SCENARIO] = scenario_yaml
hold = current_hold()
result = solve_plan(scenario_yaml, hold, current)
if result is None:
    st.stop()
st.session_state[Key.RESULT] = result  # the plan on screen (the tests read it by key)

with output:
    st.caption(t("indicator_on", current, indicator=indicator_name(st.session_state[Key.INDICATOR], current)))
    status_message(result, current)
    if hold is not None:
        st.info(t("hold_note", current, metric=metric_label(hold[0], current),
                   level=format_value(hold[1], current, sig=4)))
        if st.button(t("back_to_objective", current), key=Key.BACK_TO_OBJECTIVE):
            use_scenario(scenario_yaml)
            st.rerun()
    if not result.get("metrics_after"):
        show_infeasible(result, current)
        st.stop()
    after, baseline, before = result["metrics_after"], result["metrics_baseline"], result["metrics_before"]
    views = app_api.allocation_views(result)
    spent = float(views["by_unit"].sum())
    head = st.columns([1.3, 1, 1, 1, 1])
    head[0].metric(t("spent_bn", current), format_number(spent, current, 0),
                   f"{format_number(100 * app_api.equity_part_share(result), current, 0)}% · {t('equity', current)}",
                   delta_color="off", help=t("plan_summary", current, spent=format_number(spent, current, 1),
                                             equity=format_number(100 * app_api.equity_part_share(result), current, 1)))
    for column, key, decimals in ((head[1], "max_min_ratio", 2), (head[2], "williamson", 3),
                                  (head[3], "theil_t_weighted", 3)):
        column.metric(t(SHORT[key], current), format_number(float(after[key]), current, decimals),
                      format_number(float(after[key]) - float(baseline[key]), current, decimals + 1),
                      delta_color="inverse", help=t(key, current))
    head[4].metric(t("problem_regions", current), str(int(after["problem_regions"])),
                   str(int(after["problem_regions"]) - int(baseline["problem_regions"])), delta_color="inverse")
    if app_api.ratio_only_years(result):
        st.warning(t("ratio_only_warning", current) + " (" + ", ".join(map(str, app_api.ratio_only_years(result)))
                   + ")")
    note = app_api.small_move_note(result, current)
    if note:
        st.info(note)  # a budget that barely moves the criteria is said plainly, with where to see what would
    seconds = (result.get("timings") or {}).get("total_seconds")
    if seconds is not None:
        st.caption(t("solved_in", current, seconds=format_number(float(seconds), current, 2)))

    # only the open tab is drawn: a change of the scenario redraws one tab, not every chart and the map
    tab_plan, tab_map, tab_paths, tab_criteria, tab_formula, tab_why, tab_takes = st.tabs(
        [t("allocation", current), t("map", current), t("trajectories", current), t("criteria_by_year", current),
         t("formula_baselines", current), t("explanations", current), t("what_it_takes", current)],
        key=Key.WHATIF_TAB, on_change="rerun")
    if tab_plan.open:
        with tab_plan:
            st.plotly_chart(localised(heatmap(ctx, views["by_cell"], current, t("heatmap_title", current)), current),
                            width="stretch",
                            config={"displayModeBar": False})
            split = views["by_direction_part"].rename(index=lambda d: t(d, current), columns=lambda p: t(p, current))
            st.plotly_chart(localised(bar_groups(split, t("by_direction_and_part", current)), current),
                            width="stretch",
                            config={"displayModeBar": False})
    if tab_map.open:
        with tab_map:
            measure = st.radio(t("map_measure", current), ["per_capita", "by_unit"], key=Key.MAP_MEASURE,
                               horizontal=True,
                               format_func=lambda m: t("map_per_capita", current) if m == "per_capita"
                               else t("map_total", current))
            label = t("map_per_capita", current) if measure == "per_capita" else t("map_total", current)
            figure = choropleth(ctx, views[measure].dropna(), base_year, current, label, colorscale="Blues")
            if figure is not None:
                st.plotly_chart(localised(figure, current), width="stretch", config={"displayModeBar": False})
    if tab_paths.open:
        with tab_paths:
            if Key.TRAJECTORY_UNITS not in st.session_state:
                start = result["trajectories"]["baseline"]
                most = list(views["by_unit"].sort_values(ascending=False).index[:2])
                poorest = sorted(start, key=lambda u: start[u]["grp_per_capita"][0])[:2]
                st.session_state[Key.TRAJECTORY_UNITS] = list(dict.fromkeys(most + poorest))
            chosen = st.multiselect(t("trajectory_regions", current), units, key=Key.TRAJECTORY_UNITS,
                                    format_func=lambda u: names(ctx, [u], current)[0])
            paths = app_api.trajectory_frame(result, chosen)
            paths.columns = [f"{names(ctx, [u], current)[0]} · {t(k, current)}" for u, k in paths.columns]
            st.plotly_chart(localised(line_chart(paths, t("trajectory_title", current)), current), width="stretch")
    if tab_criteria.open:
        with tab_criteria:
            criteria = app_api.criteria_by_year(result)

            def series(keys: tuple[str, ...]) -> pd.DataFrame:
                frame = criteria[[c for c in criteria.columns if c[0] in keys]].copy()
                frame.columns = [f"{t(SHORT[k], current)} · {t(kind, current)}" for k, kind in frame.columns]
                return frame

            left, right = st.columns(2)
            left.plotly_chart(localised(line_chart(series(("problem_regions",)), t("problem_regions", current)),
                                        current),
                              width="stretch")
            right.plotly_chart(localised(line_chart(series(("max_min_ratio",)), t("max_min_ratio", current)), current),
                               width="stretch")
            st.plotly_chart(localised(line_chart(series(("williamson", "theil_t_weighted")),
                                                 t("inequality_by_year", current)), current),
                            width="stretch")
            st.markdown(f"**{t('metrics', current)}**")
            st.table(metrics_frame({t("before", current) + f" {base_year}": before,
                                    t("baseline", current) + f" {last}": baseline,
                                    t("plan", current) + f" {last}": after}, current))
    if tab_formula.open:
        with tab_formula:
            st.caption(t("formula_baselines_note", current))
            table = app_api.baseline_comparison(result)
            shown = pd.DataFrame(index=[t("optimized_plan", current) if n == "plan" else t(f"formula_{n}", current)
                                        for n in table.index])
            shown[t("spent_bn", current)] = [format_number(float(v), current, 1) for v in table["spent_bn"]]
            for key in ("problem_regions", "max_min_ratio", "williamson", "theil_t_weighted"):
                shown[t(key, current)] = [format_number(float(v), current, 0 if key == "problem_regions" else 4)
                                          for v in table[key]]
            for key in ("max_min_ratio", "williamson", "theil_t_weighted"):
                shown[t("reduction_per_bn", current, metric=t(SHORT[key], current))] = [
                    format_value(v, current, sig=3) for v in table[f"reduction_{key}"]]
            shown[t("growth_per_bn", current)] = [format_value(v, current, sig=3)
                                                   for v in table["reduction_national_growth"]]
            st.dataframe(shown, width="stretch")
    if tab_takes.open:
        with tab_takes:
            st.caption(t("curve_intro", current))
            criterion = st.selectbox(t("curve_metric", current), list(CURVE_METRICS), key=Key.CURVE_METRIC,
                                     format_func=lambda m: t(m, current))
            if st.button(t("curve_run", current), key=Key.CURVE_RUN):
                # seven solves, one job each: the bar moves, and Cancel (any rerun) drops the ones not started
                st.session_state[Key.CURVE_RUNNING] = True
                st.button(t("cancel", current), key=Key.CURVE_CANCEL)
                bar = st.progress(0.0, text=t("curve_progress", current, done=0, total=7))
                indicators = session_indicators()
                budgets = guarded(lambda: run_job(app_api.budget_curve_budgets, yaml_text=scenario_yaml,
                                                  metric=criterion, points=7, indicators=indicators), current)
                curve = guarded(lambda: run_each(
                    app_api.budget_curve_point,
                    [{"yaml_text": scenario_yaml, "metric": criterion, "budget": b, "indicators": indicators}
                     for b in budgets or ()],
                    lambda done, total: bar.progress(done / max(1, total),
                                                     text=t("curve_progress", current, done=done, total=total))),
                    current) if budgets else None
                bar.empty()
                st.session_state[Key.CURVE_RUNNING] = False
                if curve:
                    st.session_state[Key.CURVE_RESULT] = (scenario_yaml, criterion, curve)
            elif st.session_state.get(Key.CURVE_RUNNING):
                st.session_state[Key.CURVE_RUNNING] = False
                st.info(t("curve_cancelled", current))
            kept = st.session_state.get(Key.CURVE_RESULT)
            if kept and kept[0] == scenario_yaml and kept[1] == criterion:
                curve = kept[2]
                if curve:
                    frame = pd.DataFrame({t(criterion, current): [p["value"] for p in curve]},
                                         index=[round(p["budget_bn_kzt_per_year"], 1) for p in curve])
                    figure = line_chart(frame, t("curve_title", current), t(criterion, current))
                    st.plotly_chart(localised(figure, current),
                                    width="stretch")
                    st.caption(t("curve_budget", current))
    if tab_why.open:
        with tab_why:
            st.subheader(t("shadow_price", current))
            for line in shadow_price_lines(result.get("budget_shadow_price") or {}, current):
                st.markdown(f"- {plain(line)}")
            if (result.get("budget_shadow_price") or {}).get("available"):
                st.caption(t("shadow_note", current))
            st.subheader(t("rests_on_assumptions", current))
            st.caption(t("assumptions_intro", current))
            st.markdown(", ".join(f"`{p}`" for p in app_api.assumption_parameters()))
            if result.get("explanations"):
                st.subheader(t("explanations", current))
                st.markdown("\n".join(f"- {plain(explanation_text(e, current))}" for e in result["explanations"]))

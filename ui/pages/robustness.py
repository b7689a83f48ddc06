"""Robustness: a robust plan chosen against many draws of the uncertain assumptions at once, judged with every
candidate plan on fresh draws (distribution, regret, the probability of beating each plan, the verdict), and
adopted for the roadmap and the workshop; and the sweep of the candidate plans with its sensitivity.

Engine work runs in the worker processes: the robust solve reports each draw it has built through a queue, the
sweep runs in chunks of draws, so the progress bar moves as they come back; one worker is always left to other
sessions, whose solves queue between the chunks rather than behind the sweep."""

import math
import time
from concurrent.futures import FIRST_COMPLETED, wait

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine.core.i18n import format_number, format_percent, format_value, message_text, t
from engine.interfaces import robustness_api
from ui.components import (
    current_scenario,
    guarded,
    localised,
    metric_label,
    plain,
    scenario_name,
    session_indicators,
)
from ui.jobs import JOB_TIMEOUT_SECONDS, WORKERS, run_with_progress, submit_job
from ui.keys import Key
from ui.state import adopt_plan, adopted_plan, start_page

CHUNK_DRAWS = 10
IN_FLIGHT = max(1, WORKERS - 1)
ROBUST = "robust"

current = start_page("page_robustness")
scenario_yaml = current_scenario()
st.text(t("sweep_for", current, name=scenario_name(scenario_yaml, current)))  # a user's name: plain text only
st.caption(t("robustness_intro", current))


def sweep_in_chunks(draws: int, seed: int, on_progress, plans: dict | None = None) -> tuple[list, float]:  # noqa: ANN001
    """Every draw's outcomes, a few chunks in flight at a time (so other sessions' solves queue between them)."""
    indicators = session_indicators()
    started = time.perf_counter()
    chunk = max(1, min(CHUNK_DRAWS, draws // 5))  # small sweeps in small chunks, so the bar still moves
    starts = list(range(0, draws, chunk))
    outcomes: list = []
    running: set = set()
    try:
        while starts or running:
            while starts and len(running) < IN_FLIGHT:
                start = starts.pop(0)
                running.add(submit_job(robustness_api.sweep_chunk, yaml_text=scenario_yaml, draws=draws, seed=seed,
                                       start=start, stop=start + chunk, indicators=indicators, plans=plans))
            done, running = wait(running, timeout=JOB_TIMEOUT_SECONDS, return_when=FIRST_COMPLETED)
            if not done:
                raise TimeoutError("a chunk of the sweep took too long")
            for future in done:
                outcomes.extend(future.result())
            on_progress(len(outcomes), draws)
    finally:
        for future in running:  # a failed chunk stops the rest instead of leaving them queued
            future.cancel()
    return outcomes, time.perf_counter() - started


def plan_label(name: str) -> str:
    if name == ROBUST:
        return t("plan_robust", current)
    if name.startswith("optimizer_"):
        return t(f"plan_{name}", current)
    if name.startswith("formula_"):
        return t("plan_formula", current, name=t(name, current))
    return name


def share(value: float | None) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else format_percent(
        value, current, 0)


def notes_in(payload: dict) -> list[str]:
    """A solve's or a sweep's notes in the planner's language from their message ids (the English notes of an
    older payload without them as they are)."""
    messages = payload.get("note_messages") or []
    if len(messages) == len(payload.get("notes") or []):
        return [message_text(m["message_id"], m.get("values"), current) for m in messages]
    return list(payload.get("notes") or [])


def engine_details(method: str, notes: list[str]) -> None:
    """How the engine works (a paragraph of the catalogs, not the module's English docstring the JSON carries for
    developers) and what it noted."""
    with st.expander(t("engine_details", current)):
        st.markdown(plain(method))
        if notes:
            st.markdown("\n".join(f"- {plain(n)}" for n in notes))


def risk_label(risk: str) -> str:
    return robustness_api.risk_name(risk, current)


# ---------------------------------------------------------------------------------------------------
# The robust plan against the candidates
# ---------------------------------------------------------------------------------------------------

def run_comparison(draws: int, seed: int, risk: str, fresh: int, fresh_seed: int) -> dict:
    indicators = session_indicators()
    steps = draws + 1 + fresh  # each draw built, the linear program, each fresh draw judged
    bar = st.progress(0.0, text=t("robust_progress", current, done=0, total=draws))
    started = time.perf_counter()

    def built(done: int, total: int) -> None:
        text = (t("robust_progress", current, done=done, total=total) if done < total
                else t("robust_lp", current, total=total))
        bar.progress(min(1.0, done / steps), text=text)

    plan = run_with_progress(robustness_api.robust_plan, built, yaml_text=scenario_yaml, draws=draws, seed=seed,
                             risk=risk, indicators=indicators)
    if plan["status"] != "optimal" or not plan["allocation"]:
        bar.empty()
        return {"plan": plan, "report": None}
    bar.progress((draws + 1) / steps, text=t("sweep_preparing", current))
    plans = {ROBUST: plan["allocation"]}

    def judged(done: int, total: int) -> None:
        bar.progress(min(1.0, (draws + 1 + done) / steps), text=t("fresh_progress", current, done=done, total=total))

    outcomes, seconds = sweep_in_chunks(fresh, fresh_seed, judged, plans)
    report = submit_job(robustness_api.sweep_report, yaml_text=scenario_yaml, seed=fresh_seed, outcomes=outcomes,
                        seconds=seconds, indicators=indicators, plans=plans).result(JOB_TIMEOUT_SECONDS)
    report["verdict_rows"] = robustness_api.comparison_verdicts(report, ROBUST)
    bar.empty()
    return {"plan": plan, "report": report, "seconds": time.perf_counter() - started}


def relative_share(value: float) -> str:
    """A loss as a share of the rival's mean: small ones keep their digits instead of showing 0%."""
    if not math.isfinite(value):
        return "—"
    if value < 5e-6:
        return "< " + format_percent(1e-5, current, 3)
    return format_percent(value, current, 1 if value >= 0.01 else 3)


def why(row: dict, plan: dict, settings: dict) -> str:
    """Why the robust plan loses to a rival: too small to matter, chosen for the mean not the tail, too few
    draws, or the first-order model the solve optimizes."""
    if row["small"]:
        return t("why_small", current)
    if not row["tail_no_worse"] and row["mean_no_worse"] and settings["risk"] == "expected":
        return t("why_tail_expected", current)
    if settings["draws"] < 30:
        return t("why_few_draws", current, draws=settings["draws"])
    gap = (plan.get("in_sample") or {}).get("largest_linear_gap")
    return t("why_model", current, gap=format_value(gap, current, sig=3))


def verdict_lines(report: dict, plan: dict, settings: dict) -> tuple[list[str], list[str], list[str]]:
    """One line per rival (central plan, every formula); the rivals the robust plan loses to; and those it loses
    to only by less than the first-order model's error."""
    lines, losses, small = [], [], []
    for row in report["verdict_rows"]:
        rival = plan_label(row["against"])
        values = {"rival": rival, "p": share(row["p_beats"])}
        if row["mean_no_worse"] and row["tail_no_worse"]:
            lines.append("✅ " + t("verdict_ok", current, **values))
            continue
        (small if row["small"] else losses).append(rival)
        values["by"] = format_value(max(row["mean_worse_by"], row["tail_worse_by"]), current, sig=3)
        values["share"] = relative_share(row["relative"])
        if not row["mean_no_worse"] and not row["tail_no_worse"]:
            text = t("verdict_loses_both", current, **values)
        elif not row["mean_no_worse"]:
            text = t("verdict_loses_mean", current, **values)
        else:
            text = t("verdict_loses_tail", current, **values)
        lines.append(f"⚠️ {text} {why(row, plan, settings)}")
    return lines, losses, small


def show_comparison(stored: dict) -> None:
    plan, report, settings = stored["plan"], stored["report"], stored["settings"]
    if report is None:
        st.error(t("robust_no_plan", current))
        return
    st.success(t("robust_done", current, draws=settings["draws"], risk=risk_label(settings["risk"]),
                 seed=settings["seed"], fresh=report["draws"], fresh_seed=settings["fresh_seed"],
                 seconds=format_number(stored["seconds"], current, 1)))
    metric = metric_label(report["metric"], current)
    summary = report["summary"]
    shown = [ROBUST, "optimizer_central", *[n for n in summary if n.startswith("formula_")]]
    shown = [n for n in shown if n in summary]
    inside = (plan.get("in_sample") or {}).get("metric_mean_simulated")
    outside = summary[ROBUST]["metric_mean"]
    if inside is not None:
        st.caption(t("in_out_sample", current, metric=metric, draws=settings["draws"],
                     inside=format_value(inside, current, sig=5), outside=format_value(outside, current, sig=5),
                     gap=format_value(outside - inside, current, sig=3)))
    tail = "metric_p95" if report["sense"] == "min" else "metric_p05"  # the bad end of the metric
    tail_name = t("metric_tail_p95", current) if tail == "metric_p95" else t("metric_tail_p05", current)
    pairwise = report["pairwise_p_better"]
    rivals = [n for n in shown if n != ROBUST]
    rows = []
    for name in shown:
        row = summary[name]
        rows.append({
            t("candidate_plan", current): plan_label(name),
            t("metric_mean", current): format_value(row["metric_mean"], current, sig=5),
            tail_name: format_value(row[tail], current, sig=5),
            t("effect_mean", current): format_value(row["effect_mean"], current, sig=3),
            t("regret_mean", current): format_value(row["regret_mean"], current, sig=3),
            t("regret_max", current): format_value(row["regret_max"], current, sig=3),
            **{t("p_beats", current, plan=plan_label(rival)): share(pairwise[name].get(rival)) if rival != name
               else "—" for rival in [ROBUST, *rivals]},
        })
    st.caption(f"{t('metric_mean', current)}: {metric}. {t('p_beats_note', current)}")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    views = {"metric": t("view_metric", current), "effect": t("view_effect", current)}
    view = st.radio(t("chart_view", current), list(views), horizontal=True, key=Key.ROBUST_VIEW,
                    format_func=views.get)
    figure = go.Figure()
    for name in shown:
        values = [v for v in report["distribution"][name][view] if v is not None]
        figure.add_trace(go.Box(y=values, name=plan_label(name), boxmean=True, boxpoints="all", jitter=0.3,
                                pointpos=0, marker={"size": 4}))
    if view == "metric":
        title = t("chart_title_metric", current, metric=metric)
    else:
        title = t("chart_title_effect", current, metric=metric)
    figure.update_layout(title=title, showlegend=False, height=440, margin={"l": 0, "r": 10, "t": 50, "b": 0},
                         yaxis_title=metric)
    st.plotly_chart(localised(figure, current), width="stretch", config={"displayModeBar": False})

    st.subheader(t("verdict_title", current))
    lines, losses, small = verdict_lines(report, plan, settings)
    if losses:
        st.warning(t("verdict_summary_loses", current, rivals=", ".join(losses)))
    elif small:
        st.info(t("verdict_summary_small", current, rivals=", ".join(small)))
    else:
        st.success(t("verdict_summary_ok", current))
    st.markdown("\n".join(f"- {plain(line)}" for line in lines))

    adopted = adopted_plan(scenario_yaml)
    if st.button(t("adopt_robust", current), key=Key.ROBUST_ADOPT, type="primary"):
        adopt_plan(scenario_yaml, plan["allocation"], risk=settings["risk"], draws=settings["draws"],
                   seed=settings["seed"])
        adopted = adopted_plan(scenario_yaml)
    if adopted is not None:
        st.info(t("robust_adopted", current, risk=risk_label(adopted["risk"]), draws=adopted["draws"],
                  seed=adopted["seed"]))
        links = st.columns(2)
        links[0].page_link("ui/pages/roadmap.py", label=t("page_roadmap", current), icon="🗺️")
        links[1].page_link("ui/pages/workshop_facilitator.py", label=t("page_ws_facilitator", current), icon="👥")
    engine_details(t("robust_method", current), [*notes_in(plan), *notes_in(report)])


tab_compare, tab_sweep = st.tabs([t("robust_tab_compare", current), t("robust_tab_sweep", current)])
with tab_compare:
    st.caption(t("robust_compare_intro", current))
    cols = st.columns(3)
    k = int(cols[0].number_input(t("robust_draws", current), min_value=2, max_value=200, value=30, step=1,
                                 key=Key.ROBUST_DRAWS))
    k_seed = int(cols[1].number_input(t("robust_seed", current), min_value=0, max_value=2**31 - 1, value=0, step=1,
                                      key=Key.ROBUST_SEED))
    risk = cols[2].selectbox(t("robust_risk", current), robustness_api.RISKS, key=Key.ROBUST_RISK,
                             format_func=risk_label)
    cols = st.columns(3)
    fresh = int(cols[0].number_input(t("fresh_draws", current), min_value=2, max_value=500, value=30, step=1,
                                     key=Key.FRESH_DRAWS))
    fresh_seed = int(cols[1].number_input(t("fresh_seed", current), min_value=0, max_value=2**31 - 1, value=1,
                                          step=1, key=Key.FRESH_SEED))
    if fresh_seed == k_seed:
        st.warning(t("same_seed_warning", current))
    if st.button(t("run_robust", current), key=Key.ROBUST_RUN, type="primary"):
        settings = {"draws": k, "seed": k_seed, "risk": risk, "fresh": fresh, "fresh_seed": fresh_seed}
        outcome = guarded(lambda: run_comparison(k, k_seed, risk, fresh, fresh_seed), current)
        if outcome is not None:
            st.session_state[Key.ROBUST_RESULT] = {"scenario": scenario_yaml, "settings": settings, **outcome}
    compared = st.session_state.get(Key.ROBUST_RESULT)
    if compared is not None and compared["scenario"] == scenario_yaml:
        show_comparison(compared)

with tab_sweep:
    left, right = st.columns(2)
    draws = int(left.slider(t("draws", current), min_value=10, max_value=500, value=50, step=10, key=Key.SWEEP_DRAWS))
    seed = int(right.number_input(t("seed", current), min_value=0, max_value=2**31 - 1, value=0, step=1,
                                  key=Key.SWEEP_SEED))


    def run_sweep() -> dict:
        bar = st.progress(0.0, text=t("sweep_preparing", current))

        def moved(done: int, total: int) -> None:
            bar.progress(done / total, text=t("sweep_progress", current, done=done, total=total))

        outcomes, seconds = sweep_in_chunks(draws, seed, moved)
        report = submit_job(robustness_api.sweep_report, yaml_text=scenario_yaml, seed=seed, outcomes=outcomes,
                            seconds=seconds, indicators=session_indicators()).result(JOB_TIMEOUT_SECONDS)
        bar.empty()
        return report


    if st.button(t("run_sweep", current), key=Key.SWEEP_RUN, type="primary"):
        report = guarded(run_sweep, current)
        if report is not None:
            st.session_state[Key.SWEEP_RESULT] = {"scenario": scenario_yaml, "draws": draws, "seed": seed,
                                                  "report": report}

    stored = st.session_state.get(Key.SWEEP_RESULT)
    if stored is None or stored["scenario"] != scenario_yaml:
        st.stop()  # the sweep's tab is the page's last
    report = stored["report"]
    st.success(t("sweep_done", current, draws=report["draws"], seconds=format_number(report["seconds"], current, 1)))


    metric = metric_label(report["metric"], current)
    rows = []
    for name, row in report["summary"].items():
        rows.append({
            t("candidate_plan", current): plan_label(name),
            t("metric_mean", current): format_value(row["metric_mean"], current, sig=4),
            t("p_ratio_falls_vs_base", current): share(row["p_ratio_falls_vs_base"]),
            t("p_ratio_falls_vs_baseline", current): share(row["p_ratio_falls_vs_baseline"]),
            t("problem_regions_range", current): f"{row['problem_regions_min']}–{row['problem_regions_max']}",
            t("regret_mean", current): format_value(row["regret_mean"], current, sig=3),
            t("regret_max", current): format_value(row["regret_max"], current, sig=3),
        })
    st.caption(f"{t('metric_mean', current)}: {metric}")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

    choice = report["robust_choice"]
    st.markdown("\n".join(f"- {t(label, current)}: **{plain(plan_label(choice[key]) if choice.get(key) else '—')}**"
                          for label, key in [("robust_minimax", "minimax_regret"), ("robust_expected", "best_expected"),
                                             ("robust_worst", "best_worst_case")]))

    st.subheader(t("sensitivity", current))
    st.dataframe(pd.DataFrame([{
        t("parameter", current): row["parameter"],
        t("basis", current): t(f"basis_{row['basis']}", current),
        t("rho_metric", current): format_value(row["rho_metric"], current, sig=2),
        t("rho_regret", current): format_value(row["rho_regret"], current, sig=2),
        t("rho_plan_shift", current): format_value(row["rho_plan_shift"], current, sig=2),
    } for row in report["sensitivity"]]), hide_index=True, width="stretch")
    engine_details(t("sweep_method", current), notes_in(report))

"""Robustness: sample the uncertain assumptions, evaluate the candidate plans under every draw, and show how
often each plan lowers the max/min ratio, the spread of problem regions, the regret and the robust choice.

The sweep runs in the worker processes in chunks of draws so the progress bar moves as chunks come back; one
worker is always left to other sessions, whose solves queue between the chunks rather than behind the sweep."""

import time
from concurrent.futures import FIRST_COMPLETED, wait

import pandas as pd
import streamlit as st

from engine.core.i18n import format_number, format_value, t
from engine.interfaces import robustness_api
from ui.components import current_scenario, guarded, metric_label, plain, scenario_name, session_indicators
from ui.jobs import JOB_TIMEOUT_SECONDS, WORKERS, submit_job
from ui.keys import Key
from ui.state import start_page

CHUNK_DRAWS = 10
IN_FLIGHT = max(1, WORKERS - 1)

current = start_page("page_robustness")
scenario_yaml = current_scenario()
st.text(t("sweep_for", current, name=scenario_name(scenario_yaml, current)))  # a user's name: plain text only
st.caption(t("robustness_intro", current))

left, right = st.columns(2)
draws = int(left.slider(t("draws", current), min_value=10, max_value=500, value=50, step=10, key=Key.SWEEP_DRAWS))
seed = int(right.number_input(t("seed", current), min_value=0, max_value=2**31 - 1, value=0, step=1,
                              key=Key.SWEEP_SEED))


def run_sweep() -> dict:
    indicators = session_indicators()
    bar = st.progress(0.0, text=t("sweep_preparing", current))
    started = time.perf_counter()
    starts = list(range(0, draws, CHUNK_DRAWS))
    outcomes: list = []
    running: set = set()
    try:
        while starts or running:
            # a few chunks in flight at a time, so other sessions' solves queue between them, not behind the sweep
            while starts and len(running) < IN_FLIGHT:
                start = starts.pop(0)
                running.add(submit_job(robustness_api.sweep_chunk, yaml_text=scenario_yaml, draws=draws,
                                       seed=seed, start=start, stop=start + CHUNK_DRAWS, indicators=indicators))
            done, running = wait(running, timeout=JOB_TIMEOUT_SECONDS, return_when=FIRST_COMPLETED)
            if not done:
                raise TimeoutError("a chunk of the sweep took too long")
            for future in done:
                outcomes.extend(future.result())
            bar.progress(len(outcomes) / draws, text=t("sweep_progress", current, done=len(outcomes), total=draws))
    finally:
        for future in running:  # a failed chunk stops the rest instead of leaving them queued
            future.cancel()
    report = submit_job(robustness_api.sweep_report, yaml_text=scenario_yaml, seed=seed, outcomes=outcomes,
                        seconds=time.perf_counter() - started, indicators=indicators).result(JOB_TIMEOUT_SECONDS)
    bar.empty()
    return report


if st.button(t("run_sweep", current), key=Key.SWEEP_RUN, type="primary"):
    report = guarded(run_sweep, current)
    if report is not None:
        st.session_state[Key.SWEEP_RESULT] = {"scenario": scenario_yaml, "draws": draws, "seed": seed,
                                              "report": report}

stored = st.session_state.get(Key.SWEEP_RESULT)
if stored is None or stored["scenario"] != scenario_yaml:
    st.stop()
report = stored["report"]
st.success(t("sweep_done", current, draws=report["draws"], seconds=format_number(report["seconds"], current, 1)))


def plan_label(name: str) -> str:
    if name.startswith("optimizer_"):
        return t(f"plan_{name}", current)
    if name.startswith("formula_"):
        return t("plan_formula", current, name=t(name, current))
    return name


def share(value: float | None) -> str:
    return "—" if value is None else f"{format_number(100.0 * value, current, 0)} %"


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
if report.get("notes") or report.get("method"):
    with st.expander(t("engine_details", current)):
        st.markdown("\n".join(f"- {plain(n)}" for n in [*report.get("method", []), *report.get("notes", [])]))

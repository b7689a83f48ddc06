"""Monitoring: upload what was spent (and observed), see plan against actual, and adopt the revised plan as a
new version of the scenario in the store (the previous version is kept).

The plan monitored is a stored version's (its result's plan) or the optimizer's plan of the current scenario.
Names and uploaded text are shown as plain text, never as markup.
"""

import pandas as pd
import streamlit as st

from engine.core.i18n import format_number, indicator_name, t
from engine.interfaces import app_api, monitoring_api
from engine.store import default_db_url, save_scenario
from engine.store.versions import adopt_revised_plan, all_versions
from ui.components import (
    bar_groups,
    current_scenario,
    guarded,
    line_chart,
    localised,
    names,
    scenario_name,
    scenario_store,
    uploader_texts,
)
from ui.jobs import run_job
from ui.keys import Key
from ui.state import context, start_page

current = start_page("page_monitoring")
st.caption(t("mon_page_intro", current))
store = scenario_store(default_db_url())
if store is None:
    st.info(t("store_unavailable", current))

CURRENT = "__current__"
versions = (guarded(lambda: all_versions(store), current) or []) if store is not None else []
by_key = {f"{v.scenario_id}:{v.version}": v for v in versions}
source = st.selectbox(t("mon_source", current), [CURRENT, *by_key], key=Key.MON_SOURCE,
                      format_func=lambda k: t("mon_source_current", current, name=scenario_name(current_scenario()))
                      if k == CURRENT else by_key[k].title)
chosen = by_key.get(source)
scenario_yaml = current_scenario() if chosen is None else chosen.yaml
plan = None if chosen is None else monitoring_api.plan_rows(chosen.result)
if chosen is not None and plan is None:
    st.caption(t("mon_no_stored_plan", current))

fields = guarded(lambda: app_api.scenario_fields(scenario_yaml), current) or {}
years = list(range(fields["horizon"][0], fields["horizon"][1] + 1)) if fields else []
as_of = st.selectbox(t("mon_as_of", current), years, key=Key.MON_AS_OF) if years else None
carry = st.checkbox(t("mon_carry_over_label", current), key=Key.MON_CARRY)
actuals = st.file_uploader(t("mon_actuals_label", current), type=["csv", "xlsx"], key=Key.MON_ACTUALS,
                           max_upload_size=5)
uploader_texts(current, 5, ["csv", "xlsx"])
indicators = st.file_uploader(t("mon_indicators_label", current), type=["csv", "xlsx"], key=Key.MON_INDICATORS,
                              max_upload_size=5)

if st.button(t("mon_run", current), key=Key.MON_RUN, type="primary", disabled=actuals is None or as_of is None):
    found = guarded(lambda: run_job(
        monitoring_api.monitor_upload, scenario_yaml=scenario_yaml, actuals=actuals.getvalue(),
        actuals_name=actuals.name, as_of=int(as_of), carry_over=bool(carry), plan=plan,
        indicators=indicators.getvalue() if indicators is not None else None,
        indicators_name=indicators.name if indicators is not None else "indicators", lang=current), current)
    st.session_state[Key.MON_RESULT] = (source, scenario_yaml, found) if found is not None else None



def shown(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows of the monitoring JSON as a table in the planner's language: unit and direction names, numbers
    written the language's way, the columns named from the catalogs."""
    ctx = context()
    frame = pd.DataFrame(rows, columns=list(columns))
    for key in frame.columns:
        if key == "unit_id":
            frame[key] = names(ctx, [str(u) for u in frame[key]], current)
        elif key == "direction":
            frame[key] = [t(str(d), current) for d in frame[key]]
        elif key != "year":
            frame[key] = [format_number(float(v), current, 1) if v is not None else "—" for v in frame[key]]
    return frame.rename(columns=columns)


kept = st.session_state.get(Key.MON_RESULT)
if kept is not None and kept[0] == source:
    _, monitored_yaml, result = kept
    by_year = result["deviation"]["by_year"]
    st.subheader(t("mon_planned_done", current))
    frame = pd.DataFrame({t("mon_col_planned", current): [by_year[y]["planned_bn"] for y in by_year],
                          t("mon_col_spent", current): [by_year[y]["spent_bn"] for y in by_year]},
                         index=list(by_year))
    st.plotly_chart(localised(bar_groups(frame, t("mon_planned_done", current), t("bn_kzt", current)), current),
                    key="mon_chart_spending")
    st.dataframe(shown(result["deviation"]["by_cell"], {
        "unit_id": t("region", current), "direction": t("direction", current),
        "planned_bn": t("mon_col_planned", current), "spent_bn": t("mon_col_spent", current),
        "deviation_bn": t("mon_col_deviation", current)}), hide_index=True)
    st.subheader(t("mon_kpi", current))
    if not result["kpi"]:
        st.info(t("mon_kpi_none", current))
    for unit, series in result["kpi_series"].items():
        observed = {k["year"]: k["observed"] for k in result["kpi"] if k["unit_id"] == unit}
        chart = pd.DataFrame({t("mon_col_target", current): series["target"],
                              t("mon_col_no_policy", current): series["no_policy"],
                              t("mon_col_observed", current): [observed.get(y) for y in series["years"]]},
                             index=series["years"])
        title = names(context(), [unit], current)[0]
        st.plotly_chart(localised(line_chart(chart, title, t("thousand_kzt_pc", current)), current),
                        key=f"mon_kpi_{unit}")
    if result["kpi"]:
        st.dataframe(shown(result["kpi"], {
            "unit_id": t("region", current), "year": t("mon_col_year", current),
            "no_policy": t("mon_col_no_policy", current), "target": t("mon_col_target", current),
            "observed": t("mon_col_observed", current), "deviation": t("mon_col_deviation", current).split(",")[0]}),
            hide_index=True)
    st.subheader(t("mon_changed", current))
    replan = result.get("replan")
    if replan is None:
        st.info(t("mon_no_replan", current))
    else:
        st.text(t("mon_replan_status", current, status=t(f"status_{replan['status']}", current)))
        if replan.get("rebased_on_observed"):
            st.caption(t("mon_rebased_intro", current, indicator=indicator_name(result["indicator"], current)))
            st.dataframe(shown(replan["rebased_on_observed"], {
                "unit_id": t("region", current), "year": t("mon_col_year", current),
                "observed": t("mon_col_observed", current), "modelled": t("mon_col_modelled", current),
                "shift": t("mon_col_shift", current)}), hide_index=True, key="mon_rebased")
        st.dataframe(shown([{"year": int(y), **v} for y, v in replan["by_year"].items()], {
            "year": t("mon_col_year", current), "budget_bn": t("mon_col_budget", current),
            "previous_plan_bn": t("mon_col_previous", current), "allocated_bn": t("mon_col_revised", current)}),
            hide_index=True, key="mon_replan_years")
        if replan["changes"]:
            st.dataframe(shown(replan["changes"], {
                "unit_id": t("region", current), "direction": t("direction", current),
                "previous_bn": t("mon_col_previous", current), "revised_bn": t("mon_col_revised", current),
                "change_bn": t("mon_col_change", current)}), hide_index=True)
    st.download_button(t("mon_download_md", current), data=result["report_md"].encode("utf-8"),
                       file_name=result["report_docx_name"].removesuffix(".docx") + ".md", mime="text/markdown",
                       key=Key.MON_DOWNLOAD_MD, on_click="ignore")
    st.download_button(t("mon_download_docx", current), data=result["report_docx"],
                       file_name=result["report_docx_name"], key=Key.MON_DOWNLOAD_DOCX, on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    solved = replan is not None and replan["status"] in ("optimal", "time_limit_feasible")
    if store is not None and solved and st.button(t("mon_adopt", current), key=Key.MON_ADOPT):
        payload = {k: v for k, v in result.items() if k not in ("report_docx", "report_md", "kpi_series")}

        def adopt():  # noqa: ANN202 - a StoredScenario
            base = chosen
            if base is None:  # the current scenario: saved first, with the plan monitored, as version 1
                saved = save_scenario(store, monitored_yaml, saved_by="app",
                                      result={"allocation": result["plan_allocation"]})
                return adopt_revised_plan(store, saved.id, saved.version, payload, saved_by="app")
            # the next version after the newest this page read (an older one may have been monitored)
            read = max(v.version for v in versions if v.scenario_id == base.scenario_id)
            return adopt_revised_plan(store, base.scenario_id, read, payload, saved_by="app")

        stored = guarded(adopt, current)  # a conflict or an unreachable store is said plainly
        if stored is not None:
            st.success(t("mon_adopted", current, version=stored.version))
            st.text(stored.name)

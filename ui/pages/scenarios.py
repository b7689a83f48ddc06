"""Scenarios: save and load scenarios as YAML (download, upload, the store), and compare two or more side by side.

Saved scenarios live in the session and, when the store can be opened, in the store too (engine.store), so
a reconnect does not lose them. Names are the planner's text: shown as plain text, never as markup.
"""

import html

import pandas as pd
import streamlit as st

from engine.core.i18n import format_number, t
from engine.interfaces import app_api
from engine.roadmap.safe import safe_filename
from engine.store import ConflictError, NotFoundError, StoreError, default_db_url, get_scenario, list_scenarios
from engine.store import save_scenario as store_save
from ui.components import (
    bar_groups,
    current_hold,
    current_scenario,
    guarded,
    line_chart,
    localised,
    metrics_frame,
    scenario_name,
    scenario_store,
    solve_plan,
    uploader_texts,
    use_scenario,
)
from ui.keys import Key
from ui.state import start_page

current = start_page("page_scenarios")
saved: dict[str, str] = st.session_state.setdefault(Key.SAVED, {})
store = scenario_store(default_db_url())
if store is None:
    st.info(t("store_unavailable", current))


def keep(yaml_text: str) -> str:
    """Add a checked scenario to the session's saved ones, under its own name."""
    name = scenario_name(yaml_text)
    saved[name] = yaml_text
    return name


# --- the current scenario: download and save -----------------------------------------------------------
scenario_yaml = current_scenario()
st.subheader(t("current_scenario", current))
st.code(scenario_yaml, language="yaml")
if current_hold() is not None:
    st.caption(t("hold_not_saved", current))
st.download_button(t("download_yaml", current), data=scenario_yaml.encode("utf-8"), mime="application/x-yaml",
                   file_name=safe_filename(scenario_name(scenario_yaml), "scenario") + ".yaml",
                   key=Key.SCENARIO_DOWNLOAD, on_click="ignore")
if Key.SCENARIO_NAME not in st.session_state:
    st.session_state[Key.SCENARIO_NAME] = scenario_name(scenario_yaml)
name = st.text_input(t("scenario_name", current), key=Key.SCENARIO_NAME, max_chars=200)
overwrite = store is not None and st.checkbox(t("overwrite_store", current), key=Key.SCENARIO_OVERWRITE)
if st.button(t("save_scenario", current), key=Key.SCENARIO_SAVE, type="primary"):
    fields = {**app_api.scenario_fields(scenario_yaml), "name": name}
    if name != scenario_name(scenario_yaml):  # a new name replaces the old one's translations too
        fields = {k: v for k, v in fields.items() if k not in ("name_kk", "name_ru")}
    renamed = guarded(lambda: app_api.scenario_yaml(fields), current)
    if renamed is not None:
        kept = keep(renamed)
        st.success(t("saved_in_session", current, name=""))
        st.text(kept)
        if store is not None:
            try:
                version = get_scenario(store, name=kept).version if overwrite else None
            except NotFoundError:
                version = None
            try:
                stored = store_save(store, renamed, name=kept, expected_version=version, saved_by="app")
                st.success(t("saved_in_store", current, name="", version=stored.version))
            except ConflictError as exc:
                st.warning(t("store_conflict", current))
                st.text(str(exc))
            except StoreError as exc:
                st.error(t("store_unavailable", current))
                st.text(str(exc))

# --- load: upload a YAML file, or take one from the store ------------------------------------------------
st.subheader(t("load_scenario", current))
upload = st.file_uploader(t("scenario_upload_limit", current), type=["yaml", "yml", "txt"], key=Key.SCENARIO_UPLOAD,
                          max_upload_size=app_api.MAX_SCENARIO_BYTES // (1024 * 1024))
uploader_texts(current, max(1, app_api.MAX_SCENARIO_BYTES // (1024 * 1024)), ["yaml", "yml", "txt"])
if upload is not None:
    data = upload.getvalue()  # the size and the text are checked again here, on the server

    def load() -> str:
        from engine.core.errors import Problem, ScenarioError

        if len(data) > app_api.MAX_SCENARIO_BYTES:
            raise ScenarioError([Problem(upload.name, "the file is larger than 1 MB", value=len(data))])
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError([Problem(upload.name, "the file is not UTF-8 text")]) from None
        return keep(app_api.check_scenario_yaml(text, upload.name))

    loaded = guarded(load, current)
    if loaded is not None:
        st.success(t("loaded_scenario", current, name=""))
        st.text(loaded)
if store is not None:
    listed = guarded(lambda: list_scenarios(store), current) or []
    if listed:
        st.markdown(f"**{t('stored_scenarios', current)}**")
        pick = st.selectbox(t("stored_scenarios", current), [s.name for s in listed], key=Key.STORE_PICK,
                            label_visibility="collapsed")
        if st.button(t("add_from_store", current), key=Key.STORE_ADD):
            entry = next(s for s in listed if s.name == pick)
            loaded = guarded(lambda: keep(app_api.check_scenario_yaml(entry.yaml, f"store: {entry.name}")), current)
            if loaded is not None:
                st.success(t("loaded_scenario", current, name=""))
                st.text(loaded)

# --- the session's saved scenarios -----------------------------------------------------------------------
st.subheader(t("saved_scenarios", current))
if not saved:
    st.info(t("no_saved_scenarios", current))
for index, (title, text) in enumerate(list(saved.items())):
    fields = app_api.scenario_fields(text)
    row = st.columns([3, 2, 2, 2])
    row[0].text(title)
    row[1].text(t(f"obj_{fields['objective']}", current))
    row[2].text(f"{fields['horizon'][0]}–{fields['horizon'][1]} · "
                f"{format_number(sum(fields['budget_bn_kzt'].values()), current, 0)} {t('bn_kzt', current)}")
    if row[3].button(t("use_in_whatif", current), key=f"{Key.SCENARIO_USE}_{index}"):
        use_scenario(text)
        st.success(t("loaded_scenario", current, name=""))
        st.text(title)
        st.page_link("ui/pages/whatif.py", label=t("page_whatif", current), icon="🎛️")

# --- compare ---------------------------------------------------------------------------------------------
st.subheader(t("compare", current))
options = {t("current_scenario", current): scenario_yaml, **saved}
chosen = st.multiselect(t("compare_pick", current), list(options), key=Key.COMPARE)
if len(chosen) < 2:
    st.info(t("compare_need_two", current))
    st.stop()
results = {}
for title in chosen:
    result = solve_plan(options[title], current_hold() if options[title] == scenario_yaml else None, current)
    if result is not None:
        results[title] = result
solved = {title: r for title, r in results.items() if r.get("metrics_after")}
for title in results.keys() - solved.keys():
    st.warning(f"{t('no_plan', current)}: {t('status_' + results[title]['status'], current)}")
    st.text(title)
if len(solved) < 2:
    st.stop()

st.markdown(f"**{t('compare_metrics', current)}**")
st.dataframe(metrics_frame({title: r["metrics_after"] for title, r in solved.items()}, current), width="stretch")
views = {title: app_api.allocation_views(r) for title, r in solved.items()}
summary = pd.DataFrame({title: {
    t("objective", current): t(f"obj_{r['objective']}", current),
    t("horizon", current): f"{r['scenario']['horizon'][0]}–{r['scenario']['horizon'][1]}",
    t("spent_bn", current): format_number(float(views[title]["by_unit"].sum()), current, 1),
    t("equity", current): f"{format_number(100 * app_api.equity_part_share(r), current, 1)}%",
} for title, r in solved.items()})
st.dataframe(summary, width="stretch")

st.markdown(f"**{t('criteria_by_year', current)}**")
labels = {title: html.escape(title) for title in solved}  # chart text is read as HTML by plotly
criteria = {title: app_api.criteria_by_year(r) for title, r in solved.items()}
charts = st.columns(2)
for index, key in enumerate(("problem_regions", "max_min_ratio", "williamson", "theil_t_weighted")):
    frame = pd.DataFrame({labels[title]: c[(key, "plan")] for title, c in criteria.items() if (key, "plan") in c})
    charts[index % 2].plotly_chart(localised(line_chart(frame, t(key, current)), current), width="stretch")

st.markdown(f"**{t('by_direction_and_part', current)}**")
table = pd.DataFrame({title: pd.concat([v["by_direction_part"].sum(axis=1).rename(lambda d: t(d, current)),
                                        v["by_direction_part"].sum(axis=0).rename(lambda p: t(p, current))])
                      for title, v in views.items()}).fillna(0.0)
st.dataframe(table.apply(lambda col: col.map(lambda v: format_number(float(v), current, 1))), width="stretch")
st.plotly_chart(localised(bar_groups(table.rename(columns=labels), t("by_direction_and_part", current)), current),
                width="stretch")

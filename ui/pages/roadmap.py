"""Roadmap: the session's plan as the two-part roadmap (measures, KPIs, the five priorities) and every export,
in the session's language. The plan is the optimizer's (a frontier point's when one was taken), or the robust
plan adopted on the Robustness page for this scenario. The document shown is the one the exports write
(engine.roadmap.document)."""

import pandas as pd
import streamlit as st

from engine.core.i18n import t
from engine.interfaces import app_api, robustness_api
from engine.roadmap import EXPORT_FORMATS, MIME_TYPES
from engine.roadmap.document import BulletList, Heading, Paragraph, Table, compose_document
from ui.components import current_hold, current_scenario, guarded, plain, session_indicators, solve_plan
from ui.jobs import run_job
from ui.keys import Key
from ui.state import adopted_plan, drop_adopted_plan, start_page

current = start_page("page_roadmap")
scenario_yaml = current_scenario()
indicators = session_indicators()
adopted = adopted_plan(scenario_yaml)
if adopted is not None:
    risk = robustness_api.risk_name(adopted["risk"], current)
    note = t("note_allocation_robust", current, risk=risk, draws=adopted["draws"], seed=adopted["seed"])
    st.info(t("roadmap_of_robust", current, risk=risk, draws=adopted["draws"], seed=adopted["seed"]))
    if st.button(t("roadmap_drop_robust", current), key=Key.ROADMAP_DROP_PLAN):
        drop_adopted_plan()
        st.rerun()
    with st.spinner(t("roadmap_building", current)):
        roadmap = guarded(lambda: run_job(robustness_api.build_plan_roadmap, yaml_text=scenario_yaml,
                                          allocation=adopted["allocation"], lang=current, note=note,
                                          indicators=indicators), current)

    def export_data(fmt: str) -> bytes:
        """The file, made in a worker process when the planner clicks (cached by its inputs)."""
        return run_job(robustness_api.export_plan_roadmap, yaml_text=scenario_yaml, allocation=adopted["allocation"],
                       lang=current, fmt=fmt, note=note, indicators=indicators)[2]
else:
    hold = tuple(current_hold()) if current_hold() else None
    result = solve_plan(scenario_yaml, hold, current)
    if result is None:
        st.stop()
    if not result.get("allocation"):
        st.error(t("roadmap_no_plan", current))
        st.page_link("ui/pages/whatif.py", label=t("page_whatif", current), icon="🎛️")
        st.stop()
    with st.spinner(t("roadmap_building", current)):
        roadmap = guarded(lambda: run_job(app_api.build_roadmap, yaml_text=scenario_yaml, lang=current,
                                          indicators=indicators, hold=hold), current)

    def export_data(fmt: str) -> bytes:
        """The file, made in a worker process when the planner clicks (cached by its inputs)."""
        return run_job(app_api.export_plan, yaml_text=scenario_yaml, lang=current, fmt=fmt, indicators=indicators,
                       hold=hold)[2]
if roadmap is None:
    st.stop()
st.session_state[Key.ROADMAP_SHOWN] = roadmap.allocation.to_dict(orient="records")
st.caption(t("indicator_on", current, indicator=roadmap.indicator_name))


st.subheader(t("downloads", current))
buttons = st.columns(3)
for index, fmt in enumerate(EXPORT_FORMATS):
    buttons[index % 3].download_button(t("download_format", current, fmt=fmt.upper()),
                                       data=lambda f=fmt: export_data(f), file_name=app_api.export_name(roadmap, fmt),
                                       mime=MIME_TYPES[fmt], key=f"{Key.ROADMAP_DOWNLOAD}_{fmt}", on_click="ignore")

COLLAPSED = {t("assumptions", current), t("roadmap_rules", current), t("sources", current)}


def unique(header: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else name + " " * (seen[name] - 1))
    return out


# Text comes from the engine and may quote names from an upload: markdown is escaped, tables are plain cells.
section = st.container()
for block in compose_document(roadmap):
    if isinstance(block, Heading):
        if block.level == 1:
            st.header(plain(block.text))
        elif block.level == 2:
            folded = block.text in COLLAPSED or block.text.startswith(t("diagnosis", current))
            section = st.expander(plain(block.text), expanded=not folded)
        else:
            section.markdown(f"**{plain(block.text)}**")
    elif isinstance(block, Paragraph):
        if block.kind == "warning":
            section.warning(plain(block.text))
        elif block.kind == "note":
            section.caption(plain(block.text))
        else:
            section.markdown(plain(block.text))
    elif isinstance(block, BulletList):
        section.markdown("\n".join(f"- {plain(item)}" for item in block.items))
    elif isinstance(block, Table):
        section.dataframe(pd.DataFrame(list(block.rows), columns=unique(block.header)), hide_index=True,
                          width="stretch")

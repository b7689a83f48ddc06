"""Roadmap: the session's plan as the two-part roadmap (measures, KPIs, the five priorities) and every export,
in the session's language. The document shown is the one the exports write (engine.roadmap.document)."""

import pandas as pd
import streamlit as st

from engine.core.i18n import t
from engine.interfaces import app_api
from engine.roadmap import EXPORT_FORMATS, MIME_TYPES
from engine.roadmap.document import BulletList, Heading, Paragraph, Table, compose_document
from ui.components import current_hold, current_scenario, guarded, plain, session_indicators, solve_plan
from ui.jobs import run_job
from ui.keys import Key
from ui.state import start_page

current = start_page("page_roadmap")
scenario_yaml = current_scenario()
hold = tuple(current_hold()) if current_hold() else None
result = solve_plan(scenario_yaml, hold, current)
if result is None:
    st.stop()
if not result.get("allocation"):
    st.error(t("roadmap_no_plan", current))
    st.page_link("ui/pages/whatif.py", label=t("page_whatif", current), icon="🎛️")
    st.stop()

indicators = session_indicators()
with st.spinner(t("roadmap_building", current)):
    roadmap = guarded(lambda: run_job(app_api.build_roadmap, yaml_text=scenario_yaml, lang=current,
                                      indicators=indicators, hold=hold), current)
if roadmap is None:
    st.stop()
st.caption(t("indicator_on", current, indicator=roadmap.indicator_name))


def export_data(fmt: str) -> bytes:
    """The file, made in a worker process when the planner clicks (cached by its inputs)."""
    return run_job(app_api.export_plan, yaml_text=scenario_yaml, lang=current, fmt=fmt, indicators=indicators,
                   hold=hold)[2]


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

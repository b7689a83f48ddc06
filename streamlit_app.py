"""The app: page configuration, the language switch, and the pages. Each page is a file in ui/pages/."""

import streamlit as st

from engine.core.i18n import LANGUAGE_NAMES, LANGUAGES, t
from ui.components import skip_link_text
from ui.keys import Key
from ui.state import lang

st.set_page_config(page_title="Regional roadmap · Kazakhstan", page_icon=":material/map:", layout="wide")

current = lang()
st.sidebar.selectbox(t("language", current), LANGUAGES, key=Key.LANG, format_func=LANGUAGE_NAMES.get)
current = lang()
skip_link_text(current)

PAGES = [
    ("ui/pages/data.py", "page_data", ":material/folder_open:", False),
    ("ui/pages/diagnosis.py", "page_diagnosis", ":material/bar_chart:", True),
    ("ui/pages/whatif.py", "page_whatif", ":material/tune:", False),
    ("ui/pages/frontier.py", "page_frontier", ":material/show_chart:", False),
    ("ui/pages/robustness.py", "page_robustness", ":material/shield:", False),
    ("ui/pages/roadmap.py", "page_roadmap", ":material/map:", False),
    ("ui/pages/scenarios.py", "page_scenarios", ":material/compare:", False),
    ("ui/pages/monitoring.py", "page_monitoring", ":material/fact_check:", False),
    ("ui/pages/workshop_participant.py", "page_ws_participant", ":material/how_to_vote:", False),
    ("ui/pages/workshop_facilitator.py", "page_ws_facilitator", ":material/groups:", False),
]
page = st.navigation([st.Page(path, title=t(title, current), icon=icon, default=default)
                      for path, title, icon, default in PAGES])
page.run()

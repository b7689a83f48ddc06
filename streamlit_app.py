"""The app: page configuration, the language switch, and the pages. Each page is a file in ui/pages/."""

import streamlit as st

from engine.i18n import LANGUAGE_NAMES, LANGUAGES, t
from ui.keys import Key
from ui.state import lang

st.set_page_config(page_title="Regional roadmap · Kazakhstan", page_icon="🗺️", layout="wide")

current = lang()
st.sidebar.selectbox(t("language", current), LANGUAGES, key=Key.LANG, format_func=LANGUAGE_NAMES.get)
current = lang()
st.sidebar.caption(t("builtin_english_note", current))

PAGES = [
    ("ui/pages/data.py", "page_data", "📂", False),
    ("ui/pages/diagnosis.py", "page_diagnosis", "📊", True),
    ("ui/pages/whatif.py", "page_whatif", "🎛️", False),
    ("ui/pages/frontier.py", "page_frontier", "📈", False),
    ("ui/pages/roadmap.py", "page_roadmap", "🗺️", False),
    ("ui/pages/scenarios.py", "page_scenarios", "🗂️", False),
    ("ui/pages/workshop_participant.py", "page_ws_participant", "🗳️", False),
    ("ui/pages/workshop_facilitator.py", "page_ws_facilitator", "🧭", False),
]
page = st.navigation([st.Page(path, title=t(title, current), icon=icon, default=default)
                      for path, title, icon, default in PAGES])
page.run()

"""Cached engine loaders and the session's language: the only place the UI keeps state."""

from __future__ import annotations

import streamlit as st

from engine.core.context import Context
from engine.core.i18n import LANGUAGES, t
from engine.interfaces import studies
from ui.keys import Key


def default_context() -> Context:
    """The default dataset and rules, loaded once per server process (read-only, shared by sessions) by the
    engine's one cache of datasets and studies."""
    return studies.default_context()


def context() -> Context:
    """The session's context: the default one, or the default overlaid by the session's upload."""
    override = st.session_state.get(Key.DATASET)
    return override if override is not None else default_context()


def lang() -> str:
    """The session's language; the first visit may set it with ``?lang=kk|ru|en``."""
    if Key.LANG not in st.session_state:
        asked = st.query_params.get("lang", "ru")
        st.session_state[Key.LANG] = asked if asked in LANGUAGES else "ru"
    return st.session_state[Key.LANG]


def start_page(title_key: str) -> str:
    """The session's language (see :func:`lang`), after showing the page's title in it."""
    current = lang()
    st.title(t(title_key, current))
    return current

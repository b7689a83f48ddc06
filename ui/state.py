"""Cached engine loaders and the session's language: the only place the UI keeps state."""

from __future__ import annotations

from typing import Any

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


def adopt_plan(scenario_yaml: str, allocation: list[dict[str, Any]], **about: Any) -> None:
    """Make ``allocation`` (a robust plan of ``scenario_yaml``) the plan the Roadmap page shows and a new
    workshop can start from; ``about`` says how it was chosen (risk, draws, seed)."""
    st.session_state[Key.ADOPTED_PLAN] = {"scenario": scenario_yaml, "allocation": allocation, **about}


def adopted_plan(scenario_yaml: str | None = None) -> dict[str, Any] | None:
    """The adopted plan (of ``scenario_yaml`` when given: a plan of another scenario does not apply), or None."""
    plan = st.session_state.get(Key.ADOPTED_PLAN)
    if plan is None or (scenario_yaml is not None and plan["scenario"] != scenario_yaml):
        return None
    return plan


def drop_adopted_plan() -> None:
    """Go back to the optimizer's plan of the session's scenario."""
    st.session_state.pop(Key.ADOPTED_PLAN, None)

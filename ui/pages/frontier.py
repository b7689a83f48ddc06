"""Frontier: the most national growth for each level of the equity metric; a chosen point's plan becomes the
session's plan (the What-if and Roadmap pages show it)."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine.allocation.frontier import MAX_POINTS
from engine.core.i18n import format_number, format_value, message_text, t
from engine.interfaces import app_api
from ui.components import (
    current_hold,
    current_scenario,
    guarded,
    localised,
    metric_label,
    plain,
    scenario_name,
    session_indicators,
    use_scenario,
)
from ui.jobs import run_job
from ui.keys import Key
from ui.state import start_page

current = start_page("page_frontier")
scenario_yaml = current_scenario()
st.text(t("frontier_for", current, name=scenario_name(scenario_yaml, current)))  # a user's name: plain text only
st.caption(t("frontier_intro", current))

points = st.slider(t("frontier_points", current), min_value=3, max_value=min(41, MAX_POINTS), value=11, step=1,
                   key=Key.FRONTIER_POINTS)
if st.button(t("compute_frontier", current), key=Key.FRONTIER_RUN, type="primary"):
    indicators = session_indicators()
    with st.spinner(t("frontier_computing", current, points=int(points))):
        frontier = guarded(lambda: run_job(app_api.frontier, yaml_text=scenario_yaml, points=int(points),
                                           indicators=indicators), current)
    if frontier is not None:
        st.session_state[Key.FRONTIER] = {"scenario": scenario_yaml, "frontier": frontier}



def frontier_notes(frontier: dict, lang: str) -> list[str]:
    """The frontier's notes in ``lang`` (from their message ids; the English text when a note has none)."""
    messages = frontier.get("note_messages") or []
    if len(messages) == len(frontier.get("notes") or []):
        return [message_text(m["message_id"], m.get("values"), lang) for m in messages]
    return list(frontier.get("notes") or [])


stored = st.session_state.get(Key.FRONTIER)
if stored is None or stored["scenario"] != scenario_yaml:
    st.stop()
frontier = stored["frontier"]
solved = [p for p in frontier["points"] if p["status"] in ("optimal", "time_limit_feasible")
          and p["equity_value"] is not None and p["national_growth"] is not None]
if not solved:
    st.error(t("no_frontier", current))
    st.text("\n".join(frontier_notes(frontier, current)))
    st.stop()

metric = frontier["equity_metric"]
label = metric_label(metric, current)
pick = st.selectbox(t("chosen_point", current), list(range(len(solved))), key=Key.FRONTIER_PICK,
                    format_func=lambda i: t("point_label", current, n=i + 1, metric=label,
                                            value=format_value(solved[i]["equity_value"], current, sig=5),
                                            growth=format_number(solved[i]["national_growth"], current, 1)))
figure = go.Figure()
figure.add_trace(go.Scatter(x=[p["equity_value"] for p in solved], y=[p["national_growth"] for p in solved],
                            mode="lines+markers", name=t("frontier_point", current),
                            text=[str(i + 1) for i in range(len(solved))],
                            hovertemplate="%{text}: %{x:.5g} · %{y:,.1f}<extra></extra>"))
figure.add_trace(go.Scatter(x=[solved[pick]["equity_value"]], y=[solved[pick]["national_growth"]], mode="markers",
                            marker={"size": 16, "color": "#c0392b", "symbol": "star"},
                            name=t("chosen_point", current)))
figure.update_layout(xaxis_title=f"{t('equity_metric', current)}: {label}", yaxis_title=t("national_growth", current),
                     height=420, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                     legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
st.plotly_chart(localised(figure, current), width="stretch", config={"displayModeBar": False})

point = solved[pick]
amount = f"{t('budget', current)}, {t('bn_kzt', current)}"
left, right = st.columns(2)
left.dataframe(pd.DataFrame({t("direction", current): [t(d, current) for d in point["by_direction"]],
                             amount: [format_number(v, current, 1) for v in point["by_direction"].values()]}),
               hide_index=True, width="stretch")
right.dataframe(pd.DataFrame({t("part", current): [t(p, current) for p in point["by_part"]],
                              amount: [format_number(v, current, 1) for v in point["by_part"].values()]}),
                hide_index=True, width="stretch")
if st.button(t("take_point", current), key=Key.FRONTIER_TAKE, type="primary"):
    use_scenario(scenario_yaml, (metric, float(point["equity_level"])))
    st.success(t("point_taken", current))
    st.page_link("ui/pages/whatif.py", label=t("page_whatif", current), icon="🎛️")
elif current_hold() is not None:
    st.info(t("hold_note", current, metric=metric_label(current_hold()[0], current),
              level=format_value(current_hold()[1], current, sig=4)))
if frontier.get("notes"):
    with st.expander(t("engine_details", current)):
        st.markdown("\n".join(f"- {plain(n)}" for n in frontier_notes(frontier, current)))

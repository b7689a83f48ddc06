"""Shared renderers: maps, charts, tables and error messages. Formatting only, no computation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from engine.diagnose import Context
from engine.errors import EngineError, ProblemsError
from engine.geo import load_boundaries, polygon_units
from engine.i18n import format_number, t, unit_name
from engine.metrics import DISPARITY_METRIC_KEYS

log = logging.getLogger("roadmap.app")
T = TypeVar("T")

METRIC_ROWS = [k for k in DISPARITY_METRIC_KEYS if k not in ("max_unit", "min_unit")] + ["problem_regions"]


def guarded(action: Callable[[], T], lang: str) -> T | None:
    """Run ``action``; show engine errors as messages and anything else as a short notice, never a traceback."""
    try:
        return action()
    except ProblemsError as exc:
        show_problems(exc, lang)
    except EngineError as exc:
        st.error(str(exc))
    except Exception:  # a bug: log it for the operator, tell the user plainly
        log.exception("unexpected error in the app")
        st.error(t("unexpected_error", lang))
    return None


def show_problems(exc: ProblemsError, lang: str) -> None:
    lines = [t("validation_failed", lang, count=len(exc.problems))]
    lines += [f"- {p}" for p in exc.problems[:200]]
    if len(exc.problems) > 200:
        lines.append(f"- … (+{len(exc.problems) - 200})")
    # st.text shows the text as it is: region names from uploads are never read as markup
    st.error(lines[0])
    st.text("\n".join(lines[1:]))


def names(ctx: Context, ids: list[str], lang: str) -> list[str]:
    return [unit_name(ctx.dataset.units, u, lang) for u in ids]


def choropleth(ctx: Context, values: pd.Series, year: int, lang: str, title: str,
               colorscale: str = "RdYlGn") -> go.Figure | None:
    """Map of ``values`` (indexed by unit id) on the shipped boundaries; no tiles, works offline."""
    boundaries = load_boundaries(ctx.dataset)
    if boundaries is None:
        return None
    holders = polygon_units(ctx.dataset, year)
    polygons = [p for p, holder in holders.items() if holder in values.index]
    z = [float(values[holders[p]]) for p in polygons]
    labels = [unit_name(ctx.dataset.units, holders[p], lang) for p in polygons]
    figure = go.Figure(go.Choropleth(
        geojson=boundaries, featureidkey="properties.unit_id", locations=polygons, z=z,
        colorscale=colorscale, marker_line_color="white", marker_line_width=0.6,
        text=labels, hovertemplate="%{text}<br>%{z:,.1f}<extra></extra>",
        colorbar={"title": {"text": ""}, "thickness": 12},
    ))
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    figure.update_layout(title={"text": title, "font": {"size": 14}}, height=430,
                         margin={"l": 0, "r": 0, "t": 40, "b": 0})
    return figure


def ranking_chart(ctx: Context, values: pd.Series, lang: str, title: str, highlight: set[str] | None = None
                  ) -> go.Figure:
    ordered = values.sort_values()
    colours = ["#c0392b" if highlight and u in highlight else "#2c7fb8" for u in ordered.index]
    figure = go.Figure(go.Bar(x=ordered.values, y=names(ctx, list(ordered.index), lang), orientation="h",
                              marker_color=colours, hovertemplate="%{y}: %{x:,.1f}<extra></extra>"))
    figure.update_layout(title={"text": title, "font": {"size": 14}}, height=max(300, 24 * len(ordered)),
                         margin={"l": 0, "r": 10, "t": 40, "b": 0})
    return figure


def metrics_frame(columns: dict[str, dict[str, Any]], lang: str) -> pd.DataFrame:
    """A table of metrics (rows) by column label (e.g. before / baseline / plan)."""
    rows = {}
    for key in METRIC_ROWS:
        label = t(key, lang)
        rows[label] = {name: _shown(key, m.get(key), lang) for name, m in columns.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _shown(key: str, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if key == "problem_regions":
        return str(int(value))
    return format_number(float(value), lang, 2 if key == "max_min_ratio" else 4)


def line_chart(frame: pd.DataFrame, title: str, y_title: str = "") -> go.Figure:
    """Lines for each column of ``frame`` (index = years)."""
    figure = go.Figure()
    for column in frame.columns:
        figure.add_trace(go.Scatter(x=list(frame.index), y=list(frame[column]), mode="lines+markers",
                                    name=str(column)))
    figure.update_layout(title={"text": title, "font": {"size": 14}}, height=320, yaxis_title=y_title,
                         margin={"l": 0, "r": 10, "t": 40, "b": 0}, legend={"orientation": "h"})
    return figure

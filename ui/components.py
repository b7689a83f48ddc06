"""Shared renderers: maps, charts, tables and error messages. Formatting only, no computation."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale

from engine.core.context import Context
from engine.core.errors import EngineError, ProblemsError
from engine.core.geo import outer_rings, polygon_units
from engine.core.i18n import PLOTLY_SEPARATORS, format_number, format_value, message_text, t, tn, unit_name
from engine.core.metrics import DISPARITY_METRIC_KEYS
from engine.core.parameters import DIRECTIONS
from engine.interfaces import app_api
from engine.interfaces.workshop_api import CRITERIA as WORKSHOP_CRITERIA
from engine.interfaces.workshop_api import WorkshopPlan
from engine.store import (
    AuthorisationError,
    ConflictError,
    NotFoundError,
    Store,
    WorkshopStateError,
    default_db_url,
    open_store,
)
from ui.jobs import run_job_waiting
from ui.keys import Key

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
    lines = [tn("problems_found", "problems_found", len(exc.problems), lang) + ". " + t("nothing_changed", lang)]
    lines += [f"- {p.text(lang)}" for p in exc.problems[:200]]
    if len(exc.problems) > 200:
        lines.append(f"- … (+{len(exc.problems) - 200})")
    # st.text shows the text as it is: region names from uploads are never read as markup
    st.error(lines[0])
    st.text("\n".join(lines[1:]))


def names(ctx: Context, ids: list[str], lang: str) -> list[str]:
    return [unit_name(ctx.dataset.units, u, lang) for u in ids]


def choropleth(ctx: Context, values: pd.Series, year: int, lang: str, title: str,
               colorscale: str = "RdYlGn") -> go.Figure | None:
    """Map of ``values`` (indexed by unit id) on the shipped boundaries.

    The polygons are drawn as filled shapes on plain longitude/latitude axes: no tile server, no map
    library fetching base layers, so the map works offline.
    """
    rings = outer_rings(ctx.dataset)
    if not rings:
        return None
    holders = polygon_units(ctx.dataset, year)
    shown = values.dropna()
    if shown.empty:
        return None
    low, high = float(shown.min()), float(shown.max())
    span = high - low or 1.0
    figure = go.Figure()
    for uid, lons, lats in rings:
        holder = holders.get(uid)
        has_value = holder in shown.index
        colour = (sample_colorscale(colorscale, [(float(shown[holder]) - low) / span])[0] if has_value
                  else "#dddddd")
        label = unit_name(ctx.dataset.units, holder or uid, lang)
        text = f"{label}: {format_number(float(shown[holder]), lang)}" if has_value else label
        figure.add_trace(go.Scatter(x=lons, y=lats, mode="lines", fill="toself", fillcolor=colour,
                                    line={"color": "white", "width": 0.7}, hoveron="fills", hoverinfo="text",
                                    text=text, showlegend=False))
    figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
                                marker={"colorscale": colorscale, "cmin": low, "cmax": high, "color": [low],
                                        "showscale": True, "colorbar": {"thickness": 12}}))
    figure.update_xaxes(visible=False)
    # one degree of latitude is longer than one of longitude at 48 N: keep the country's shape
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(48)))
    figure.update_layout(title={"text": title, "font": {"size": 14}}, height=430, plot_bgcolor="white",
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
    """A metric or criterion as the tables show it: a count whole, max/min to 2 decimals, others to 4."""
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


# --- workshop pages -----------------------------------------------------------------------------------

_MARKDOWN_SPECIALS = set("\\`*_[]()#|<>~$")  # links, emphasis, code, headings, tables, html, maths


def escape_markdown(text: str) -> str:
    """User text (a workshop or participant name) shown in a markdown element as plain characters."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))


@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> Store:
    return open_store(url)


def workshop_store(lang: str) -> Store:
    """The store at ``ROADMAP_DB`` (or the default file), opened once per server process for each URL.

    When it cannot be opened the reason is shown and the page stops: the workshop pages need it throughout.
    """
    store = guarded(lambda: _store_at(default_db_url()), lang)
    if store is None:
        st.stop()
    return store


#: the store's refusals store_guarded explains: error class, its message, whether it is only a warning
_STORE_REFUSALS: tuple[tuple[type[Exception], str, bool], ...] = (
    (ConflictError, "ws_conflict", False),
    (AuthorisationError, "ws_denied", False),
    (WorkshopStateError, "ws_state_error", True),
    (NotFoundError, "ws_not_found", False),
)


def store_guarded(action: Callable[[], T], lang: str) -> T | None:
    """:func:`guarded` that also explains the store's refusals (conflicts, bad keys, closed workshops)."""
    def run() -> T | None:
        try:
            return action()
        except tuple(kind for kind, _, _ in _STORE_REFUSALS) as exc:
            message, warning = next((m, w) for kind, m, w in _STORE_REFUSALS if isinstance(exc, kind))
            (st.warning if warning else st.error)(t(message, lang))
            st.text(f"{t('ws_details', lang)}: {exc}")
        return None
    return guarded(run, lang)


def resume_with_secret(lang: str, *, title: str, label: str, input_key: str, button: str, button_key: str,
                       open_view: Callable[[str], T], remember: Callable[[str, T], None]) -> None:
    """The workshop pages' "come back with your secret" column: the pasted key or token opens the workshop.

    ``remember`` keeps the secret (and what it opened) in the session; the field is cleared, so the secret
    does not stay on the screen.
    """
    st.subheader(t(title, lang))
    pasted = st.text_input(t(label, lang), key=input_key, type="password")
    if st.button(t(button, lang), key=button_key):
        secret = pasted.strip()
        found = store_guarded(lambda: open_view(secret), lang)
        if found is not None:
            remember(secret, found)
            st.session_state.pop(input_key, None)
            st.rerun()


def open_or_leave(open_view: Callable[[], T], forget: Callable[[], None], leave_key: str, lang: str) -> T:
    """What the session's secret opens; when it opens nothing, only a button to forget it, and the page stops."""
    view = store_guarded(open_view, lang)
    if view is None:
        if st.button(t("ws_leave", lang), key=leave_key):
            forget()
            st.rerun()
        st.stop()
    return view


def show_secret_once(lang: str, *, flag_key: str, secret: str, warning: str, saved: str, saved_key: str) -> None:
    """The secret just made, with a warning that it is shown only this once, until it is marked as saved."""
    if not st.session_state.get(flag_key):
        return
    st.warning(t(warning, lang))
    st.code(secret, language=None)
    if st.button(t(saved, lang), key=saved_key):
        st.session_state.pop(flag_key, None)
        st.rerun()


def criteria_frame(columns: dict[str, dict[str, Any] | None], lang: str) -> pd.DataFrame:
    """The two criteria (problem regions; max/min, Williamson, Theil) by column label."""
    rows = {t(key, lang): {name: _shown(key, (m or {}).get(key), lang) for name, m in columns.items()}
            for key in WORKSHOP_CRITERIA}
    return pd.DataFrame.from_dict(rows, orient="index")


def spending_frame(plan: WorkshopPlan, lang: str) -> pd.DataFrame:
    """Billions of tenge by direction (rows) and part, with each direction's share of the plan."""
    cells: dict[str, dict[str, float]] = {d: {"equity": 0.0, "efficiency": 0.0} for d in DIRECTIONS}
    for direction, part, bn in plan.spending:
        cells.setdefault(direction, {"equity": 0.0, "efficiency": 0.0})[part] = bn
    spent = plan.spent_bn_kzt
    rows = []
    for direction, parts in cells.items():
        total = parts["equity"] + parts["efficiency"]
        row = {t("direction", lang): t(direction, lang), t("equity", lang): format_number(parts["equity"], lang),
               t("efficiency", lang): format_number(parts["efficiency"], lang),
               t("total", lang): format_number(total, lang),
               t("share_of_budget", lang): format_number(100 * total / spent if spent else 0.0, lang)}
        if plan.shares_asked:
            row[t("ws_share_fitted", lang)] = format_number(100 * plan.shares_asked.get(direction, 0.0), lang)
        rows.append(row)
    return pd.DataFrame(rows)


def spending_chart(plan: WorkshopPlan, lang: str) -> go.Figure:
    """Stacked bars: each direction's money in the equity and the efficiency part."""
    figure = go.Figure()
    for part, colour in (("equity", "#2c7fb8"), ("efficiency", "#f39c12")):
        amounts = {d: 0.0 for d in DIRECTIONS}
        for direction, p, bn in plan.spending:
            if p == part:
                amounts[direction] = bn
        figure.add_trace(go.Bar(y=[t(d, lang) for d in amounts], x=list(amounts.values()), name=t(part, lang),
                                orientation="h", marker_color=colour, hovertemplate="%{y}: %{x:,.1f}<extra></extra>"))
    figure.update_layout(barmode="stack", title={"text": t("ws_spending_title", lang), "font": {"size": 14}},
                         height=280, margin={"l": 0, "r": 10, "t": 40, "b": 0}, legend={"orientation": "h"},
                         yaxis={"autorange": "reversed"})
    return figure


def show_workshop_plan(plan: WorkshopPlan, lang: str) -> None:
    """A workshop plan: both criteria against no new policy, the money by direction and part, the trend."""
    if not plan.solved:
        st.warning(t("ws_not_solved", lang, status=plan.status))
        if plan.message:
            st.text(plan.message)
        if plan.explanations:
            with st.expander(t("explanations", lang)):
                st.text("\n\n".join(plan_explanations(plan, lang)))
        return
    last = plan.years[-1]
    after, base = plan.metrics_after or {}, plan.metrics_baseline
    st.markdown(f"**{escape_markdown(t('ws_criteria', lang, year=last))}**")
    labels = {"problem_regions": "problem_regions", "max_min_ratio": "max_min_short",
              "williamson": "williamson_short", "theil_t_weighted": "theil_short"}
    for column, key in zip(st.columns(len(WORKSHOP_CRITERIA)), WORKSHOP_CRITERIA, strict=True):
        value, reference = after.get(key), base.get(key)
        delta = None
        if value is not None and reference is not None:
            delta = (str(int(value) - int(reference)) if key == "problem_regions"
                     else format_number(float(value) - float(reference), lang, 2 if key == "max_min_ratio" else 4))
        column.metric(t(labels[key], lang), _shown(key, value, lang), delta, delta_color="inverse",
                      help=t("ws_vs_baseline", lang))
    columns: dict[str, dict[str, Any] | None] = {
        f"{t('before', lang)} {plan.years[0] - 1}": plan.metrics_before,
        f"{t('baseline', lang)} {last}": base, f"{t('plan', lang)} {last}": after}
    if plan.changes is not None and plan.changes.ok:
        columns[f"{t('ws_with_changes', lang)} {last}"] = plan.changes.metrics_after
    st.dataframe(criteria_frame(columns, lang), width="stretch")
    st.caption(t("ws_spent", lang, spent=format_number(plan.spent_bn_kzt, lang),
                 budget=format_number(plan.budget_bn_kzt, lang)))
    st.dataframe(spending_frame(plan, lang), width="stretch", hide_index=True)
    st.plotly_chart(localised(spending_chart(plan, lang), lang), width="stretch", config={"displayModeBar": False})
    years = sorted(plan.by_year.get("plan", {}))
    if years:
        trend = pd.DataFrame({
            t("baseline", lang): [plan.by_year["baseline"][y]["problem_regions"] for y in years],
            t("plan", lang): [plan.by_year["plan"][y]["problem_regions"] for y in years]}, index=years)
        ratio = pd.DataFrame({
            t("baseline", lang): [plan.by_year["baseline"][y]["max_min_ratio"] for y in years],
            t("plan", lang): [plan.by_year["plan"][y]["max_min_ratio"] for y in years]}, index=years)
        left, right = st.columns(2)
        left.plotly_chart(localised(line_chart(trend, t("problem_regions", lang)), lang), width="stretch")
        right.plotly_chart(localised(line_chart(ratio, t("max_min_short", lang)), lang), width="stretch")
    if plan.explanations:
        with st.expander(t("explanations", lang)):
            st.text("\n\n".join(plan_explanations(plan, lang)))


# ---------------------------------------------------------------------------------------------------
# The session's scenario and plan (what-if, frontier, roadmap and scenario pages)
# ---------------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: object) -> str:
    """``text`` with every markdown character escaped, for messages that quote user text (names)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def skip_link_text(lang: str) -> None:
    """The keyboard user's "Skip to main content" link in ``lang``: Streamlit writes it in English only, so its
    text is hidden and the planner's words are drawn in its place (screen readers read the drawn words)."""
    words = _css_string(t("skip_to_content", lang))
    css = ('[data-testid="stSkipToContent"] {visibility: hidden;}'
           f'[data-testid="stSkipToContent"]::after {{visibility: visible; content: {words};}}')
    st.html(f"<style>{css}</style>")


def uploader_texts(lang: str, max_mb: int, types: list[str]) -> None:
    """The file uploader's own words (its button, its size limit, the text shown while a file is dragged over it)
    in ``lang``.

    Streamlit writes them in English and offers no translation, so the built-in text is hidden with CSS and
    the planner's words are drawn in its place; the uploader's label and help are ours already.
    """
    limit = t("uploader_limit", lang, size=max_mb, types=", ".join(x.upper() for x in types))
    button = t("uploader_button", lang)
    drop = t("uploader_drop", lang)  # outside the f-string below, where extraction would not see the id
    # while a file is dragged over it, the dropzone lays a box (a div without a test id) over its content with
    # "Drag and drop a file here" in a span: that text too is hidden and drawn in the planner's language
    dragging = '[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span'
    css = (
        '[data-testid="stFileUploaderDropzoneInstructions"] > * {display: none;}'
        f'[data-testid="stFileUploaderDropzoneInstructions"]::after {{content: {_css_string(limit)};'
        ' font-size: 0.8rem; opacity: 0.7;}'
        '[data-testid="stFileUploaderDropzone"] button {font-size: 0;}'
        '[data-testid="stFileUploaderDropzone"] button > * {display: none;}'
        f'[data-testid="stFileUploaderDropzone"] button::after {{content: {_css_string(button)}; font-size: 0.875rem;}}'
        f'{dragging} {{font-size: 0;}}'
        f'{dragging}::after {{content: {_css_string(drop)}; font-size: 0.875rem;}}'
    )
    st.html(f"<style>{css}</style>")


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;-+%()•–" else f"\\{ord(ch):x} " for ch in text) + '"'


def localised(figure: go.Figure, lang: str) -> go.Figure:
    """``figure`` with the language's decimal sign and thousands separator on its axes and hovers."""
    figure.update_layout(separators=PLOTLY_SEPARATORS.get(lang, PLOTLY_SEPARATORS["en"]))
    return figure


@st.cache_data(show_spinner=False, max_entries=64)
def _canonical(text: str) -> str:
    return app_api.scenario_yaml(app_api.scenario_fields(text))


def current_scenario() -> str:
    """The session's scenario as canonical YAML (the shipped default until the planner changes it)."""
    if Key.SCENARIO not in st.session_state:
        st.session_state[Key.SCENARIO] = _canonical(app_api.default_scenario_yaml())
    return st.session_state[Key.SCENARIO]


def current_hold() -> tuple[str, float] | None:
    """The frontier point whose plan the session shows, as (metric, level), or None for the objective's plan."""
    return st.session_state.get(Key.HOLD)


def clear_whatif_widgets() -> None:
    """Forget the what-if widgets' values, so they are filled again from the session's scenario."""
    prefixes = (Key.BUDGET, Key.BUDGET_BY_YEAR, Key.BUDGET_YEAR, Key.HORIZON, Key.OBJECTIVE, Key.EQUITY_SHARE,
                Key.EQUITY_WEIGHT, Key.DIRECTION_BOUNDS, Key.CAP_UNITS, Key.CAP_VALUE, Key.ASSUMPTION)
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(tuple(str(p) for p in prefixes)):
            del st.session_state[key]


def use_scenario(yaml_text: str, hold: tuple[str, float] | None = None) -> None:
    """Make ``yaml_text`` (checked) the session's scenario; the What-if and Roadmap pages follow it."""
    st.session_state[Key.SCENARIO] = _canonical(yaml_text)
    st.session_state[Key.HOLD] = hold
    st.session_state.pop(Key.ADOPTED_PLAN, None)  # a plan taken here replaces an adopted robust plan
    clear_whatif_widgets()


def session_indicators() -> pd.DataFrame | None:
    """The indicator table of the session's upload (None for the default data): part of every job's inputs."""
    override = st.session_state.get(Key.DATASET)
    return None if override is None else override.dataset.indicators


def solve_plan(yaml_text: str, hold: tuple[str, float] | None, lang: str) -> dict[str, Any] | None:
    """The plan of a scenario, solved in a worker process (cached by its inputs), or None after a message."""
    indicators = session_indicators()
    note = st.empty()

    def waiting(seconds: float) -> None:
        if seconds >= 2.0:  # a long solve says how long so far, and that any change stops the wait
            note.caption(t("solving_for", lang, seconds=format_number(seconds, lang, 0)))

    with st.spinner(t("solving", lang)):
        result = guarded(lambda: run_job_waiting(app_api.solve, waiting, yaml_text=yaml_text,
                                                 hold=tuple(hold) if hold else None, indicators=indicators), lang)
    note.empty()
    return result


def scenario_name(yaml_text: str, lang: str | None = None) -> str:
    """The scenario's name (in ``lang`` when the scenario names itself in that language)."""
    fields = app_api.scenario_fields(yaml_text)
    return str(fields.get(f"name_{lang}") or fields["name"]) if lang else str(fields["name"])


def metric_label(metric: str, lang: str) -> str:
    """The name of an optimizer metric (``max_min_ratio``, ``min_grp_per_capita``, ``shortfall``...)."""
    return app_api.metric_name(metric, lang)


def status_message(result: dict[str, Any], lang: str) -> None:
    status = str(result.get("status", "error"))
    text = t(f"status_{status}", lang)
    if status == "optimal":
        st.success(text)
    elif status == "time_limit_feasible":
        st.warning(text)
    else:
        st.error(text)


def show_infeasible(result: dict[str, Any], lang: str) -> None:
    """Conflicts found before solving and what would have to give, in words (never a traceback)."""
    conflicts, relaxations = result.get("conflicts") or [], result.get("relaxations") or []
    if conflicts:
        st.subheader(t("conflicts", lang))
        lines = [t("conflict_line", lang, rules=" × ".join(_rule_name(r, lang) for r in c["rules"]),
                   amount=format_number(float(c["amount_bn"] or 0.0), lang)) for c in conflicts]
        st.markdown("\n".join(f"- {plain(line)}" for line in lines))
    if relaxations:
        st.subheader(t("relaxations", lang))
        lines = [t("relax_line", lang, rule=_rule_name(r.get("constraint", r["rule"]), lang, r.get("direction")),
                   amount=format_number(float(r["by_bn"]), lang)) for r in relaxations]
        st.markdown("\n".join(f"- {plain(line)}" for line in lines))
    texts = [explanation_text(e, lang) for e in result.get("explanations") or []] or [str(result.get("message") or "")]
    with st.expander(t("engine_details", lang)):
        st.text("\n".join(texts))


def plan_explanations(plan: Any, lang: str) -> list[str]:
    """A workshop plan's explanations in ``lang`` (its English texts when it carries no message ids)."""
    messages = getattr(plan, "explanation_messages", ())
    return [explanation_text(m, lang) for m in messages] if messages else list(plan.explanations)


def explanation_text(explanation: dict[str, Any], lang: str) -> str:
    """An explanation of the JSON result in ``lang``: from its message id and values, else its English text."""
    if explanation.get("message_id"):
        return message_text(explanation["message_id"], explanation.get("values"), lang)
    return str(explanation.get("text", ""))


def _rule_name(rule: str, lang: str, direction: str | None = None) -> str:
    """A constraint or rule id (``directions.mobility.min``, ``direction_min_mobility``...) in words."""
    for name in ("agglomeration", "peripheral_compression", "mobility", "interaction"):
        if name in rule:
            direction = direction or name
    if "capacity" in rule:
        return t("rule_capacity", lang)
    if direction and ("min" in rule.rsplit(".", 1)[-1] or "direction_min" in rule):
        return t("rule_direction_min", lang, direction=t(direction, lang))
    if direction and ("max" in rule.rsplit(".", 1)[-1] or "direction_max" in rule):
        return t("rule_direction_max", lang, direction=t(direction, lang))
    if rule.startswith("equity_share"):
        return t("equity_share", lang)
    if rule.startswith("budget"):
        return t("rule_budget", lang)
    if "cap" in rule:
        return t("rule_unit_cap", lang)
    return rule


def shadow_price_lines(shadow: dict[str, Any], lang: str) -> list[str]:
    """The budget's shadow price in words, year by year."""
    if not shadow.get("available"):
        return [t("shadow_unavailable", lang)]
    metric = metric_label(str(shadow.get("metric", "")), lang)
    lines = []
    for row in shadow.get("by_year") or []:
        value = row.get("per_bn")
        if value is None or abs(float(value)) < 1e-12:
            line = t("shadow_none", lang, year=row["year"], metric=metric)
        elif float(value) < 0:
            line = t("shadow_lowers", lang, year=row["year"], metric=metric,
                     value=format_value(-float(value), lang, sig=3))
        else:
            line = t("shadow_raises", lang, year=row["year"], metric=metric,
                     value=format_value(float(value), lang, sig=3))
        if row.get("growth_per_bn") is not None:
            line += " " + t("shadow_growth", lang, growth=format_value(float(row["growth_per_bn"]), lang, sig=3))
        lines.append(line)
    return lines


def heatmap(ctx: Context, matrix: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """A region x direction heatmap of ``matrix`` (index unit ids, columns directions)."""
    figure = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=[t(d, lang) for d in matrix.columns], y=names(ctx, list(matrix.index), lang),
        colorscale="Blues", hovertemplate="%{y} · %{x}: %{z:,.1f}<extra></extra>", colorbar={"thickness": 12}))
    figure.update_layout(title={"text": title, "font": {"size": 14}}, height=max(320, 24 * len(matrix) + 80),
                         margin={"l": 0, "r": 10, "t": 40, "b": 0})
    return figure


def bar_groups(frame: pd.DataFrame, title: str, y_title: str = "") -> go.Figure:
    """Grouped bars: one group per row of ``frame``, one bar per column."""
    figure = go.Figure([go.Bar(name=str(c), x=[str(i) for i in frame.index], y=list(frame[c])) for c in frame.columns])
    figure.update_layout(barmode="group", title={"text": title, "font": {"size": 14}}, height=340,
                         yaxis_title=y_title, margin={"l": 0, "r": 10, "t": 40, "b": 0}, legend={"orientation": "h"})
    return figure


@st.cache_resource(show_spinner=False)
def scenario_store(url: str) -> Any:
    """The durable store, opened once per process and URL (None when it cannot be opened)."""
    from engine.store import open_store

    try:
        return open_store(url)
    except Exception:  # any failure leaves the app on session-only scenarios, with a message
        log.exception("the scenario store could not be opened")
        return None

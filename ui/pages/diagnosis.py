"""Diagnosis: where the regions stand, a map, a ranking, the metrics and their trend, the problem regions."""

import pandas as pd
import streamlit as st

from engine.core.diagnose import DEFAULT_INDICATOR, complete_years, diagnose
from engine.core.i18n import data_unit, format_number, format_percent, indicator_name, t
from engine.interfaces import app_api
from ui.components import choropleth, guarded, line_chart, localised, metrics_frame, ranking_chart, session_indicators
from ui.keys import Key
from ui.state import context, lang

current = lang()
ctx = context()
st.title(t("page_diagnosis", current))
st.caption(t("app_subtitle", current))

indicators = [i for i in ctx.dataset.indicator_names() if complete_years(ctx, i)]
left, right = st.columns([2, 1])
indicator = left.selectbox(t("indicator", current), indicators, key=Key.DIAG_INDICATOR,
                           index=indicators.index(DEFAULT_INDICATOR) if DEFAULT_INDICATOR in indicators else 0,
                           format_func=lambda i: indicator_name(i, current))
years = complete_years(ctx, indicator)
year = right.selectbox(t("year", current), years[::-1], key=Key.DIAG_YEAR)

result = guarded(lambda: diagnose(ctx, year=year, indicator=indicator), current)
if result is not None:
    values = pd.Series({u.unit_id: u.value for u in result.units})
    problems = {u.unit_id for u in result.units if u.problem}
    m = result.metrics
    head = st.columns(4)
    head[0].metric(t("max_min_ratio", current), format_number(m["max_min_ratio"], current, 2))
    head[1].metric(t("williamson", current), format_number(m["williamson"], current, 3))
    head[2].metric(t("theil_t_weighted", current), format_number(m["theil_t_weighted"], current, 3))
    head[3].metric(t("problem_regions", current), str(m["problem_regions"]))

    unit_label = data_unit(result.indicator_unit, current)
    map_col, rank_col = st.columns([3, 2])
    figure = choropleth(ctx, values, year, current, f"{indicator_name(indicator, current)} · {year} ({unit_label})")
    if figure is not None:
        map_col.plotly_chart(localised(figure, current), width="stretch", config={"displayModeBar": False})
    rank_col.plotly_chart(localised(ranking_chart(ctx, values, current, t("ranking", current), problems), current),
                          width="stretch", config={"displayModeBar": False})

    metrics_col, trend_col = st.columns([2, 3])
    metrics_col.subheader(t("metrics", current))
    metrics_col.dataframe(metrics_frame({str(year): m}, current), width="stretch")
    trend = pd.DataFrame({y: {k: v[k] for k in ("max_min_ratio", "williamson", "theil_t_weighted")}
                          for y, v in result.trend.items() if y >= 2015}).T.sort_index()
    trend_col.subheader(t("trend", current))
    ratio_label = t("max_min_ratio", current)
    trend_col.plotly_chart(localised(line_chart(trend[["max_min_ratio"]].rename(columns={"max_min_ratio": ratio_label}),
                                      ratio_label), current), width="stretch")
    trend_col.plotly_chart(localised(line_chart(trend[["williamson", "theil_t_weighted"]].rename(
        columns={"williamson": t("williamson", current), "theil_t_weighted": t("theil_t_weighted", current)}),
        t("trend", current)), current), width="stretch")

    st.subheader(t("theil_split", current))
    split = st.columns(2)
    total = m["theil_between"] + m["theil_within"]
    split[0].metric(t("between", current), format_number(m["theil_between"], current, 4),
                    format_percent(m['theil_between'] / total, current, 0) if total else None, delta_color="off")
    split[1].metric(t("within", current), format_number(m["theil_within"], current, 4),
                    format_percent(m['theil_within'] / total, current, 0) if total else None, delta_color="off")

    st.subheader(t("problem_regions", current))
    rows = [{t("region", current): getattr(u, f"name_{current}") or u.unit_id,
             t("value", current): format_number(u.value, current),
             t("why", current): "; ".join(app_api.reason_words(ctx, r, current) for r in u.problem_reasons)}
            for u in result.units if u.problem]
    if rows:
        st.dataframe(pd.DataFrame(rows), width="stretch", hide_index=True)
    else:
        st.info(t("no_problem_regions", current))
    for note in result.notes:
        st.caption(f"{t('flagged_note', current)}: {note.render(current)}")

# Whether the baseline every scenario starts from forecasts better than carrying today's values forward; a toggle,
# since the check re-runs the baseline from every origin year (a few seconds, once per dataset)
st.subheader(t("backtest_title", current))
if st.toggle(t("backtest_show", current), key=Key.DIAG_BACKTEST):
    check = guarded(lambda: app_api.backtest(session_indicators()), current)
    if check is not None:
        rate = check["selection"]["rules_rate"]
        st.caption(t("backtest_caption", current, origins=len(check["origins"]), horizon=check["horizons"][-1],
                     rate=format_percent(rate, current, 1)))
        table = app_api.backtest_frame(check)
        labels = {name: t(f"method_{name}", current) + (" " + t("backtest_default", current)
                                                         if name == check["default"] else "")
                  for name in table["method"]}
        shown = pd.DataFrame({t("backtest_method", current): table["method"].map(labels),
                              t("backtest_mape", current): table["mape"].map(lambda v: format_number(v, current, 2)),
                              t("backtest_ratio_error", current): table["ratio_error"].map(
                                  lambda v: format_number(v, current, 1))})
        for origin in check["origins"]:
            shown[t("backtest_origin", current, year=origin)] = table[str(origin)].map(
                lambda v: format_number(v, current, 1))
        st.dataframe(shown, width="stretch", hide_index=True)
        beta = check["convergence"]["beta"]
        se = beta["se_clustered"] or beta["se"]
        first, last = check["convergence"]["years"]
        st.write(t("backtest_beta", current, first=first, last=last, beta=format_percent(beta["estimate"], current, 2),
                   se=format_percent(se, current, 2), low=format_percent(beta["estimate"] - 1.96 * se, current, 2),
                   high=format_percent(beta["estimate"] + 1.96 * se, current, 2)))
        for block in check["convergence"]["divisions"]:
            sigma = block["sigma"]
            if sigma["slope_per_year"] is not None:
                st.caption(t("backtest_sigma", current, first=block["years"][0], last=block["years"][1],
                             slope=format_number(sigma["slope_per_year"], current, 4),
                             se=format_number(sigma["se"], current, 4)))
        gain = check["methods"]["persistence"]["mape"] - check["methods"][check["default"]]["mape"]
        if gain < 0.5:
            st.info(t("backtest_weak", current, gain=format_number(gain, current, 2)))

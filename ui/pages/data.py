"""Data: the default dataset or a planner's upload (CSV or XLSX, long or wide), with the validation report."""

import pandas as pd
import streamlit as st

from engine.core.context import Context
from engine.core.data import load_indicator_table, summarise_table
from engine.core.i18n import data_unit, has_text, indicator_name, t
from engine.core.tables import MAX_TABLE_BYTES
from engine.core.validation import FIRST_YEAR, LAST_YEAR, NEW_FLAG, load_vocabulary
from ui.components import guarded, uploader_texts
from ui.keys import Key
from ui.state import context, default_context, lang

current = lang()
base = default_context()
st.title(t("page_data", current))

if st.session_state.get(Key.DATASET) is not None:
    st.success(t("upload_in_use", current))

upload = st.file_uploader(t("upload_table", current), type=["csv", "xlsx", "txt"], key=Key.UPLOAD,
                          max_upload_size=MAX_TABLE_BYTES // (1024 * 1024))
uploader_texts(current, max(1, MAX_TABLE_BYTES // (1024 * 1024)), ["csv", "xlsx", "txt"])
st.caption(t("upload_rules", current, first=FIRST_YEAR, last=LAST_YEAR, flag=NEW_FLAG))
year = st.number_input(t("year_for_wide", current), min_value=FIRST_YEAR, max_value=LAST_YEAR, value=None, step=1,
                       key=Key.UPLOAD_YEAR)
if upload is not None:
    data = upload.getvalue()  # the type and size are checked again on the server by the engine
    # the same checks and messages as `roadmap validate`: the vocabulary of the dataset the upload is laid over
    table = guarded(lambda: load_indicator_table(data=data, name=upload.name, units=base.dataset.units,
                                                 year=int(year) if year else None,
                                                 vocabulary=load_vocabulary(base.dataset.root)), current)
    if table is not None:
        report = summarise_table(table)
        st.success(t("validation_ok", current, rows=report.rows, units=len(report.units),
                     indicators=", ".join(indicator_name(i, current) for i in report.indicators)))
        st.dataframe(table.head(200), width="stretch", hide_index=True)
        if st.button(t("use_upload", current), key=Key.UPLOAD_USE):
            merged = base.dataset.with_indicators(table)
            st.session_state[Key.DATASET] = Context(merged, base.typology, base.problem_rules)
            st.rerun()

ctx = context()
st.subheader(t("units_table", current))
units = ctx.dataset.units.reset_index()
shown_units = units[["unit_id", f"name_{current}", "kind", "economic_type", "valid_from", "valid_to"]].copy()
shown_units["kind"] = shown_units["kind"].map(
    lambda k: t(f"unit_kind_{k}", current) if has_text(f"unit_kind_{k}") else k)
shown_units["economic_type"] = shown_units["economic_type"].map(
    lambda e: t(f"economic_type_{e}", current) if e and has_text(f"economic_type_{e}") else e)
st.dataframe(shown_units.rename(columns={c: t(f"units_{c.removesuffix('_' + current)}", current)
                                         for c in shown_units.columns}), width="stretch", hide_index=True)
st.subheader(t("indicators_table", current))
catalogue = (ctx.dataset.indicators.groupby("indicator")
             .agg(unit=("unit", "first"), rows=("value", "size"), first=("year", "min"), last=("year", "max"))
             .reset_index())
catalogue["indicator"] = catalogue["indicator"].map(lambda i: indicator_name(i, current))
catalogue["unit"] = catalogue["unit"].map(lambda u: data_unit(u, current))
catalogue = catalogue.rename(columns={c: t(f"catalogue_{c}", current) for c in catalogue.columns})
st.dataframe(pd.DataFrame(catalogue), width="stretch", hide_index=True)
if ctx.dataset.root is not None and (ctx.dataset.root / "SOURCES.md").exists():
    with st.expander(t("sources", current)):
        st.markdown((ctx.dataset.root / "SOURCES.md").read_text(encoding="utf-8"))

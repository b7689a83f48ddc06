"""Workshop, facilitator: create a workshop or open one with the key; see every submission, the median
aggregate and its plan, the candidates and their Borda ranking; adopt the roadmap; export.

The facilitator key is shown once, when the workshop is created, and kept in this session only (never in
the URL); the store checks it on every call. Changes to the workshop name the version read, so two
facilitator windows cannot overwrite each other silently.
"""

import json

import pandas as pd
import streamlit as st

from engine.core.i18n import format_number, t
from engine.core.parameters import DIRECTIONS
from engine.interfaces import robustness_api, workshop_api
from engine.interfaces.workshop_api import check_uploaded_template, list_template_files, template_with_budget
from engine.store import (
    FacilitatorView,
    add_aggregate_candidate,
    add_candidate,
    add_participant_candidates,
    adopt_roadmap,
    aggregate_submissions,
    create_workshop,
    export_workshop,
    list_submissions,
    open_as_facilitator,
    rank_candidates,
    set_workshop_status,
    workshop_export_csv,
    workshop_export_json,
)
from ui.components import (
    criteria_frame,
    escape_markdown,
    guarded,
    open_or_leave,
    resume_with_secret,
    scenario_name,
    show_secret_once,
    show_workshop_plan,
    store_guarded,
    uploader_texts,
    workshop_store,
)
from ui.jobs import run_job
from ui.keys import Key
from ui.state import adopted_plan, start_page

UPLOAD = "__upload__"
OWN_TEMPLATE = "__workshop__"
ROBUST_PLAN = "__robust__"  # the robust plan adopted on the Robustness page

current = start_page("page_ws_facilitator")
store = workshop_store(current)


@st.cache_data(show_spinner=False)
def template_files() -> dict[str, tuple[str, str]]:
    return {f.stem: (f.name, f.text) for f in list_template_files()}


def role_label(role: str) -> str:
    return t(f"ws_role_{role}", current)


def notice(text: str) -> None:
    st.session_state[Key.WS_FAC_NOTICE] = text


def forget_facilitator() -> None:
    for key in (Key.WS_FAC_KEY, Key.WS_FAC_VERSION, Key.WS_SHOW_ONCE, Key.WS_FAC_NOTICE, Key.WS_ADOPT_PICK):
        st.session_state.pop(key, None)


def when(stamp) -> str:  # noqa: ANN001 - a datetime from the store
    return stamp.strftime("%Y-%m-%d %H:%M")


# every version of a stored scenario can start a workshop too, a revised plan adopted on the Monitoring page
# among them: the facilitator picks the version
templates = {**template_files(), **(store_guarded(lambda: workshop_api.stored_templates(store), current) or {})}

# --- no workshop open: create one, or open one with its key -----------------------------------------------
key = st.session_state.get(Key.WS_FAC_KEY)
if not key:
    create_col, open_col = st.columns(2)
    with create_col:
        st.subheader(t("ws_create_title", current))
        name = st.text_input(t("ws_name", current), key=Key.WS_NEW_NAME, max_chars=200)
        robust = adopted_plan()
        choices = [*([ROBUST_PLAN] if robust is not None else []), *templates, UPLOAD]
        choice = st.selectbox(t("ws_template", current), choices, key=Key.WS_NEW_TEMPLATE,
                              format_func=lambda s: t("ws_template_upload_option", current) if s == UPLOAD
                              else t("ws_template_robust_option", current) if s == ROBUST_PLAN
                              else templates[s][0])
        if choice == ROBUST_PLAN:
            st.caption(t("ws_robust_template_note", current))
        upload = None
        if choice == UPLOAD:
            upload = st.file_uploader(t("ws_template_upload", current), type=["yaml", "yml"], key=Key.WS_NEW_UPLOAD,
                                      max_upload_size=1)
            uploader_texts(current, 1, ["yaml", "yml"])
        budget = st.number_input(t("ws_budget", current), min_value=0.0, value=None, step=50.0,
                                 key=Key.WS_NEW_BUDGET)
        if st.button(t("ws_create", current), key=Key.WS_CREATE, type="primary"):
            if not name.strip():
                st.warning(t("ws_need_name", current))
            elif choice == UPLOAD and upload is None:
                st.warning(t("ws_need_upload", current))
            else:
                # the upload's size and content are checked again here, on the server
                if choice == UPLOAD:
                    text = guarded(lambda: check_uploaded_template(upload.getvalue(), upload.name), current)
                elif choice == ROBUST_PLAN:
                    title = t("ws_robust_template_name", current, name=scenario_name(robust["scenario"], current))
                    text = guarded(lambda: run_job(robustness_api.workshop_template, yaml_text=robust["scenario"],
                                                   allocation=robust["allocation"], name=title), current)
                else:
                    text = templates[choice][1]
                created = None if text is None else store_guarded(
                    lambda: create_workshop(store, name, text, None if budget is None else float(budget)), current)
                if created is not None:
                    forget_facilitator()
                    st.session_state[Key.WS_FAC_KEY] = created.facilitator_key
                    st.session_state[Key.WS_FAC_VERSION] = created.workshop.version
                    st.session_state[Key.WS_SHOW_ONCE] = True
                    st.rerun()
    def remember_key(pasted: str, found: FacilitatorView) -> None:
        forget_facilitator()
        st.session_state[Key.WS_FAC_KEY] = pasted
        st.session_state[Key.WS_FAC_VERSION] = found.workshop.version

    with open_col:
        resume_with_secret(current, title="ws_open_title", label="ws_fac_key", input_key=Key.WS_FAC_KEY_INPUT,
                           button="ws_open", button_key=Key.WS_FAC_OPEN,
                           open_view=lambda pasted: open_as_facilitator(store, pasted), remember=remember_key)
    st.stop()

view = open_or_leave(lambda: open_as_facilitator(store, key), forget_facilitator, Key.WS_FAC_LEAVE, current)
workshop = view.workshop
read_version = st.session_state.setdefault(Key.WS_FAC_VERSION, workshop.version)

if st.session_state.get(Key.WS_SHOW_ONCE):
    st.success(escape_markdown(t("ws_created", current, name=workshop.name)))
show_secret_once(current, flag_key=Key.WS_SHOW_ONCE, secret=key, warning="ws_key_once",
                 saved="ws_key_saved", saved_key=Key.WS_KEY_ACK)

st.subheader(escape_markdown(workshop.name))
budget_text = (format_number(workshop.budget_bn_kzt, current, 0) if workshop.budget_bn_kzt is not None
               else "—")
template = guarded(lambda: workshop.template(), current)
if template is None:
    st.stop()
st.caption(escape_markdown(t("ws_budget_line", current, template=template.name, budget=budget_text)))
st.caption(t("ws_status", current, status=t(f"ws_status_{workshop.status}", current), version=read_version))
st.markdown(f"**{t('ws_join_code', current)}**")
st.code(view.join_code, language=None)
top = st.columns([1, 1, 3])
if top[0].button(t("ws_reload", current), key=Key.WS_FAC_RELOAD):
    st.session_state[Key.WS_FAC_VERSION] = workshop.version
    st.rerun()
if top[1].button(t("ws_leave", current), key=Key.WS_FAC_LEAVE):
    forget_facilitator()
    st.rerun()
if workshop.status != "adopted":
    closing = workshop.status == "open"
    if top[2].button(t("ws_close", current) if closing else t("ws_reopen", current), key=Key.WS_STATUS_TOGGLE):
        changed = store_guarded(lambda: set_workshop_status(store, key, "closed" if closing else "open",
                                                            read_version), current)
        if changed is not None:
            st.session_state[Key.WS_FAC_VERSION] = changed.version
            st.rerun()
if Key.WS_FAC_NOTICE in st.session_state:
    st.success(st.session_state.pop(Key.WS_FAC_NOTICE))


def capacity() -> dict[str, float] | None:
    """What each direction can absorb over the horizon (built in a worker process, cached)."""
    with st.spinner(t("solving", current)):
        return guarded(lambda: run_job(workshop_api.compute_template_capacity,
                                       template_yaml=workshop.template_yaml, budget_bn_kzt=workshop.budget_bn_kzt),
                       current)


# --- who is here and what they asked for -------------------------------------------------------------------
submissions = store_guarded(lambda: list_submissions(store, key), current) or []
submitted = {s.participant_id for s in submissions}
st.subheader(t("ws_participants", current))
if view.participants:
    st.dataframe(pd.DataFrame([{t("ws_display_name", current): p.display_name,
                                t("ws_role", current): role_label(p.role),
                                t("ws_joined_at", current): when(p.created_at),
                                t("ws_submitted", current): t("yes", current) if p.id in submitted else ""}
                               for p in view.participants]), width="stretch", hide_index=True)
else:
    st.caption(t("ws_no_participants", current))

st.subheader(t("ws_submissions", current))
if submissions:
    st.dataframe(pd.DataFrame([{
        t("ws_display_name", current): s.display_name, t("ws_role", current): role_label(s.role),
        **{t(d, current): format_number(100 * s.priorities.weights[d], current) for d in DIRECTIONS},
        t("ws_equity_share_short", current): format_number(100 * s.priorities.equity_share, current),
        t("ws_changes_count", current): len(s.allocation_changes), t("ws_version", current): s.version,
        t("ws_updated_at", current): when(s.updated_at)} for s in submissions]), width="stretch", hide_index=True)
else:
    st.caption(t("ws_no_submissions", current))

# --- the aggregate by the published rule, and its plan --------------------------------------------------------
cap = None
if submissions:
    st.subheader(t("ws_aggregate", current))
    with st.expander(t("ws_rule_title", current), expanded=True):
        st.write(t("ws_rule_median", current))
    cap = capacity()
    aggregate = None if cap is None else store_guarded(
        lambda: aggregate_submissions(store, key, capacity_bn_kzt=cap), current)
    if aggregate is not None:
        agg = aggregate.aggregate
        rows = [{t("direction", current): t(d, current),
                 t("share_of_budget", current): format_number(100 * agg.priorities.weights[d], current),
                 t("ws_raw_median", current): format_number(100 * agg.raw_medians[d], current)} for d in DIRECTIONS]
        rows.append({t("direction", current): t("ws_equity_share_short", current),
                     t("share_of_budget", current): format_number(100 * agg.priorities.equity_share, current),
                     t("ws_raw_median", current): ""})
        st.dataframe(pd.DataFrame(rows), width="stretch", hide_index=True)
        if agg.by_role:
            st.caption(t("ws_by_role", current))
            st.dataframe(pd.DataFrame([{
                t("ws_role", current): role_label(role),
                **{t(d, current): format_number(100 * p.weights[d], current) for d in DIRECTIONS},
                t("ws_equity_share_short", current): format_number(100 * p.equity_share, current)}
                for role, p in agg.by_role.items()]), width="stretch", hide_index=True)
        st.markdown(f"**{t('ws_aggregate_plan', current)}**")
        with st.spinner(t("solving", current)):
            agg_plan = guarded(lambda: run_job(workshop_api.plan_for_scenario,
                                               scenario_yaml=aggregate.scenario.to_yaml()), current)
        if agg_plan is not None:
            show_workshop_plan(agg_plan, current)

# --- candidates, the participants' votes, adoption --------------------------------------------------------------
st.subheader(t("ws_candidates", current))
adopted = workshop.status == "adopted"
if not adopted:
    buttons = st.columns(2)
    if buttons[0].button(t("ws_add_aggregate", current), key=Key.WS_ADD_AGGREGATE, disabled=not submissions):
        cap = cap if cap is not None else capacity()
        added = None if cap is None else store_guarded(lambda: add_aggregate_candidate(
            store, key, t("ws_aggregate_candidate", current, count=len(submissions)), cap), current)
        if added is not None:
            notice(t("ws_added", current, titles=added.title))
            st.rerun()
    if buttons[1].button(t("ws_add_participants", current), key=Key.WS_ADD_PARTICIPANTS, disabled=not submissions):
        cap = cap if cap is not None else capacity()
        added_many = None if cap is None else store_guarded(lambda: add_participant_candidates(store, key, cap),
                                                            current)
        if added_many is not None:
            notice(t("ws_added", current, titles=", ".join(c.title for c in added_many)) if added_many
                   else t("ws_nothing_added", current))
            st.rerun()
    pick_col, title_col = st.columns(2)
    pick = pick_col.selectbox(t("ws_template", current), [OWN_TEMPLATE, *templates], key=Key.WS_ADD_TEMPLATE_PICK,
                              format_func=lambda s: t("ws_workshop_template", current) if s == OWN_TEMPLATE
                              else templates[s][0])
    default_title = template.name if pick == OWN_TEMPLATE else templates[pick][0]
    title = title_col.text_input(t("ws_candidate_title", current), placeholder=default_title, max_chars=200,
                                 key=Key.WS_ADD_TEMPLATE_TITLE)
    st.caption(t("ws_template_budget_note", current))
    if st.button(t("ws_add_template", current), key=Key.WS_ADD_TEMPLATE):
        source = workshop.template_yaml if pick == OWN_TEMPLATE else templates[pick][1]
        text = guarded(lambda: template_with_budget(source, workshop.budget_bn_kzt, title.strip() or default_title),
                       current)
        added = None if text is None else store_guarded(
            lambda: add_candidate(store, key, title.strip() or default_title, text), current)
        if added is not None:
            notice(t("ws_added", current, titles=added.title))
            st.rerun()

ranked = store_guarded(lambda: rank_candidates(store, key), current)
rows, ballots = ranked if ranked is not None else ([], 0)
if not rows:
    st.caption(t("ws_no_candidates", current))
else:
    st.markdown(f"**{t('ws_ranking', current)}**")
    st.caption(t("ws_ballots", current, count=ballots))
    st.dataframe(pd.DataFrame([{
        t("ws_rank", current): f"{r.rank}{'=' if r.tied else ''}", t("ws_candidate_title", current): r.candidate.title,
        t("ws_source", current): t(f"ws_source_{r.candidate.source}", current), t("ws_points", current): r.points,
        t("ws_first_places", current): r.first_places} for r in rows]), width="stretch", hide_index=True)
    with st.expander(t("ws_rule_title", current)):
        st.write(t("ws_rule_borda", current))
    if st.button(t("ws_compare_candidates", current), key=Key.WS_COMPARE):
        columns = {}
        with st.spinner(t("solving", current)):
            for r in rows:
                plan = guarded(lambda yaml=r.candidate.scenario_yaml: run_job(workshop_api.plan_for_scenario,
                                                                              scenario_yaml=yaml), current)
                if plan is not None:
                    columns[r.candidate.title] = plan.metrics_after
        if columns:
            st.markdown(f"**{t('ws_candidate_criteria', current)}**")
            st.dataframe(criteria_frame(columns, current), width="stretch")

    by_id = {r.candidate.id: r.candidate for r in rows}
    if adopted:
        title = by_id[workshop.adopted_candidate_id].title if workshop.adopted_candidate_id in by_id else ""
        st.success(escape_markdown(t("ws_adopted_note", current, title=title)))
        st.caption(t("ws_adopted", current, id=workshop.adopted_scenario_id))
    else:
        st.markdown(f"**{t('ws_adopt_title', current)}**")
        chosen = st.selectbox(t("ws_adopt_pick", current), list(by_id), key=Key.WS_ADOPT_PICK,
                              format_func=lambda c: by_id[c].title)
        if st.button(t("ws_adopt", current), key=Key.WS_ADOPT, type="primary"):
            with st.spinner(t("solving", current)):
                result = guarded(lambda: run_job(workshop_api.result_for_scenario,
                                                 scenario_yaml=by_id[chosen].scenario_yaml), current)
            if result is not None:
                done = store_guarded(lambda: adopt_roadmap(store, key, expected_version=read_version,
                                                           candidate_id=chosen, result=result), current)
                if done is not None:
                    st.session_state[Key.WS_FAC_VERSION] = done.version
                    notice(t("ws_adopted", current, id=done.adopted_scenario_id))
                    st.rerun()

# --- export ---------------------------------------------------------------------------------------------------
st.subheader(t("ws_export", current))
export = store_guarded(lambda: export_workshop(store, key), current)
if export is not None:
    stem = f"workshop_{workshop.id}"
    left, right = st.columns(2)
    left.download_button(t("ws_export_json", current), key=Key.WS_EXPORT_JSON, file_name=f"{stem}.json",
                         mime="application/json",
                         data=json.dumps(workshop_export_json(export), ensure_ascii=False, indent=2).encode("utf-8"))
    # a byte-order mark lets spreadsheet programs read Kazakh and Russian names correctly
    right.download_button(t("ws_export_csv", current), key=Key.WS_EXPORT_CSV, file_name=f"{stem}.csv", mime="text/csv",
                          data=workshop_export_csv(export).encode("utf-8-sig"))

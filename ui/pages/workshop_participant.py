"""Workshop, participant: join with the code (or resume with the token), state priorities, see the plan, vote.

The participant token lives in this session only (never in the URL); whoever has it can change this
participant's own submission and ballot, nothing else: the store checks it on every call. Nothing of the
facilitator's is read on this page.
"""

import pandas as pd
import streamlit as st

from engine.analysis.workshop import ROLES
from engine.core.i18n import format_number, t
from engine.core.parameters import DIRECTIONS
from engine.interfaces import workshop_api
from engine.store import (
    ConflictError,
    JoinedParticipant,
    ParticipantView,
    cast_vote,
    join_workshop,
    list_candidates,
    my_ballot,
    open_as_participant,
    submit_priorities,
)
from ui.components import (
    escape_markdown,
    guarded,
    open_or_leave,
    resume_with_secret,
    show_secret_once,
    show_workshop_plan,
    store_guarded,
    workshop_store,
)
from ui.jobs import run_job
from ui.keys import Key
from ui.state import start_page

DEFAULT_POINTS = 25
EVERY_YEAR = 0  # the year selector's "every year of the horizon"

current = start_page("page_ws_participant")
store = workshop_store(current)


def weight_key(direction: str) -> str:
    return Key(f"ws_weight_{direction}")


def role_label(role: str) -> str:
    return t(f"ws_role_{role}", current)


def notice(text: str) -> None:
    st.session_state[Key.WS_NOTICE] = text


def forget_participant() -> None:
    for key in (Key.WS_TOKEN, Key.WS_TOKEN_ONCE, Key.WS_LOADED, Key.WS_SUB_VERSION, Key.WS_CHANGES,
                Key.WS_BALLOT, Key.WS_BALLOT_VERSION, Key.WS_NOTICE):
        st.session_state.pop(key, None)


def join_or_explain(code: str, name: str, role: str) -> JoinedParticipant | None:
    try:
        return join_workshop(store, code, name, role)
    except ConflictError as exc:  # here a conflict means the name is taken, not a stale read
        st.error(t("ws_name_taken", current))
        st.text(f"{t('ws_details', current)}: {exc}")
        return None


# --- not in a workshop yet: join, or resume with the token ------------------------------------------------
token = st.session_state.get(Key.WS_TOKEN)
if not token:
    join_col, resume_col = st.columns(2)
    with join_col:
        st.subheader(t("ws_join_title", current))
        code = st.text_input(t("ws_code", current), key=Key.WS_JOIN_CODE)
        name = st.text_input(t("ws_display_name", current), key=Key.WS_JOIN_NAME, max_chars=100)
        role = st.selectbox(t("ws_role", current), ROLES, key=Key.WS_JOIN_ROLE, format_func=role_label)
        if st.button(t("ws_join", current), key=Key.WS_JOIN, type="primary"):
            joined = store_guarded(lambda: join_or_explain(code, name, role), current)
            if joined is not None:
                forget_participant()
                st.session_state[Key.WS_TOKEN] = joined.participant_token
                st.session_state[Key.WS_TOKEN_ONCE] = True
                st.rerun()
    def remember_token(pasted: str, _view: ParticipantView) -> None:
        forget_participant()
        st.session_state[Key.WS_TOKEN] = pasted

    with resume_col:
        resume_with_secret(current, title="ws_resume_title", label="ws_token", input_key=Key.WS_TOKEN_INPUT,
                           button="ws_resume", button_key=Key.WS_RESUME,
                           open_view=lambda pasted: open_as_participant(store, pasted), remember=remember_token)
    st.stop()

view = open_or_leave(lambda: open_as_participant(store, token), forget_participant, Key.WS_LEAVE, current)
workshop, me = view.workshop, view.participant
is_open = workshop.status == "open"

show_secret_once(current, flag_key=Key.WS_TOKEN_ONCE, secret=token, warning="ws_token_once",
                 saved="ws_token_saved", saved_key=Key.WS_TOKEN_ACK)

st.subheader(escape_markdown(workshop.name))
st.caption(escape_markdown(t("ws_you_are", current, name=me.display_name, role=role_label(me.role),
                             workshop=workshop.name, status=t(f"ws_status_{workshop.status}", current))))
top = st.columns([1, 1, 4])
if top[0].button(t("ws_reload", current), key=Key.WS_RELOAD):
    st.session_state.pop(Key.WS_LOADED, None)
    st.rerun()
if top[1].button(t("ws_leave", current), key=Key.WS_LEAVE):
    forget_participant()
    st.rerun()
if Key.WS_NOTICE in st.session_state:
    st.success(st.session_state.pop(Key.WS_NOTICE))

# --- the saved submission and ballot go into the widgets once, and again on Reload --------------------------
template = guarded(lambda: workshop.template(), current)
if template is None:
    st.stop()
if st.session_state.get(Key.WS_LOADED) != me.id:
    saved = view.submission
    for d in DIRECTIONS:
        st.session_state[weight_key(d)] = (round(100 * saved.priorities.weights[d]) if saved is not None
                                           else DEFAULT_POINTS)
    share = saved.priorities.equity_share if saved is not None else template.equity_share
    st.session_state[Key.WS_EQUITY] = int(round(100 * share))
    st.session_state[Key.WS_CHANGES] = list(saved.allocation_changes) if saved is not None else []
    st.session_state[Key.WS_SUB_VERSION] = saved.version if saved is not None else None
    ballot = store_guarded(lambda: my_ballot(store, token), current)
    st.session_state[Key.WS_BALLOT] = list(ballot.ranking) if ballot is not None else []
    st.session_state[Key.WS_BALLOT_VERSION] = ballot.version if ballot is not None else None
    st.session_state[Key.WS_LOADED] = me.id

candidates = store_guarded(lambda: list_candidates(store, participant_token=token), current) or []
if workshop.status == "adopted":
    adopted = next((c.title for c in candidates if c.id == workshop.adopted_candidate_id), "")
    st.success(escape_markdown(t("ws_adopted_note", current, title=adopted)))
elif workshop.status == "closed":
    st.info(t("ws_closed_note", current))

version = st.session_state.get(Key.WS_SUB_VERSION)
if version is None:
    st.caption(t("ws_not_submitted", current))
elif view.submission is not None:
    st.caption(t("ws_saved_version", current, version=version,
                 when=view.submission.updated_at.strftime("%Y-%m-%d %H:%M UTC")))
st.caption(t("ws_who_can_see", current))

# --- priorities -------------------------------------------------------------------------------------------
st.subheader(t("ws_your_priorities", current))
st.caption(t("ws_weights_help", current))
weights: dict[str, float] = {}
slider_cols = st.columns(len(DIRECTIONS))
for column, d in zip(slider_cols, DIRECTIONS, strict=True):
    weights[d] = float(column.slider(t(d, current), 0, 100, step=1, key=weight_key(d), disabled=not is_open))
equity_pct = st.slider(t("ws_equity_pct", current), 0, 100, step=1, key=Key.WS_EQUITY, disabled=not is_open)
if sum(weights.values()) <= 0:
    st.warning(t("ws_weights_zero", current))

# --- optional changes to the allocation -------------------------------------------------------------------
changes: list[dict] = list(st.session_state.get(Key.WS_CHANGES, []))


def change_label(number: int, change: dict) -> str:
    year = change.get("year") or t("ws_every_year", current)
    return (f"{number}. {change['unit_id']} · {t(change['direction'], current)} · {year} · "
            f"{format_number(float(change['change_bn_kzt']), current, 3)}")


plan = None
if sum(weights.values()) > 0:
    with st.spinner(t("solving", current)):
        plan = guarded(lambda: run_job(workshop_api.plan_for_priorities,
                                       template_yaml=workshop.template_yaml, budget_bn_kzt=workshop.budget_bn_kzt,
                                       weights=weights, equity_share=equity_pct / 100,
                                       allocation_changes=changes or None,
                                       name=f"{workshop.name}: {me.display_name}"), current)

with st.expander(t("ws_changes_title", current), expanded=bool(changes)):
    st.caption(t("ws_changes_help", current))
    if changes:
        st.dataframe(pd.DataFrame([{
            t("unit_id", current): c["unit_id"], t("direction", current): t(c["direction"], current),
            t("ws_change_year", current): c.get("year") or t("ws_every_year", current),
            t("ws_change_amount", current): c["change_bn_kzt"], t("ws_change_note", current): c.get("note", "")}
            for c in changes]), width="stretch", hide_index=True)
        drop = st.multiselect(t("ws_change_remove", current), list(range(len(changes))), key=Key.WS_CH_REMOVE_PICK,
                              format_func=lambda i: change_label(i + 1, changes[i]), disabled=not is_open)
        if st.button(t("ws_change_remove", current), key=Key.WS_CH_REMOVE, disabled=not is_open or not drop):
            st.session_state[Key.WS_CHANGES] = [c for i, c in enumerate(changes) if i not in set(drop)]
            st.session_state.pop(Key.WS_CH_REMOVE_PICK, None)
            st.rerun()
    else:
        st.caption(t("ws_changes_none", current))
    if plan is not None:
        names = {u.unit_id: u.name(current) for u in plan.units}
        pick = st.columns([3, 3, 2, 2])
        direction = pick[1].selectbox(t("direction", current), DIRECTIONS, key=Key.WS_CH_DIRECTION,
                                      format_func=lambda d: t(d, current), disabled=not is_open)
        eligible = list(plan.eligible.get(direction, ()))
        unit = pick[0].selectbox(t("region", current), eligible, key=Key.WS_CH_UNIT,
                                 format_func=lambda u: names.get(u, u), disabled=not is_open)
        year = pick[2].selectbox(t("ws_change_year", current), [EVERY_YEAR, *plan.years], key=Key.WS_CH_YEAR,
                                 format_func=lambda y: t("ws_every_year", current) if y == EVERY_YEAR else str(y),
                                 disabled=not is_open)
        amount = pick[3].number_input(t("ws_change_amount", current), value=0.0, step=1.0, format="%.3f",
                                      key=Key.WS_CH_AMOUNT, disabled=not is_open)
        note = st.text_input(t("ws_change_note", current), key=Key.WS_CH_NOTE, max_chars=500, disabled=not is_open)
        if st.button(t("ws_change_add", current), key=Key.WS_CH_ADD, disabled=not is_open or not unit):
            if not amount:
                st.warning(t("ws_change_zero", current))
                st.stop()
            change = {"unit_id": unit, "direction": direction, "year": None if year == EVERY_YEAR else int(year),
                      "change_bn_kzt": float(amount)}
            if note.strip():
                change["note"] = note.strip()
            st.session_state[Key.WS_CHANGES] = [*changes, change]
            st.rerun()

changes_ok = True
if plan is not None and plan.changes is not None:
    if plan.changes.ok:
        st.info(t("ws_changes_added", current, amount=format_number(plan.changes.added_bn_kzt, current)))
    else:
        changes_ok = False
        st.warning(t("ws_changes_problems", current))
        st.caption(t("ws_engine_text_note", current))
        st.text("\n".join(plan.changes.problems))

# --- the plan for these priorities, live ----------------------------------------------------------------------
if plan is not None:
    st.subheader(t("ws_your_plan", current))
    if plan.shares_asked:
        total = sum(weights.values())
        st.dataframe(pd.DataFrame([{t("direction", current): t(d, current),
                                    t("ws_share_asked", current): format_number(100 * weights[d] / total, current),
                                    t("ws_share_fitted", current): format_number(100 * plan.shares_asked[d], current)}
                                   for d in DIRECTIONS]), width="stretch", hide_index=True)
        st.caption(t("ws_fit_note", current))
    show_workshop_plan(plan, current)

can_submit = is_open and sum(weights.values()) > 0 and changes_ok
if st.button(t("ws_submit", current), key=Key.WS_SUBMIT, type="primary", disabled=not can_submit):
    saved = store_guarded(lambda: submit_priorities(store, token, weights, equity_pct / 100, changes or None,
                                                    st.session_state.get(Key.WS_SUB_VERSION)), current)
    if saved is not None:
        st.session_state[Key.WS_SUB_VERSION] = saved.version
        notice(t("ws_submitted_ok", current, version=saved.version))
        st.rerun()

# --- vote on the candidates ---------------------------------------------------------------------------------
st.subheader(t("ws_vote_title", current))
if not candidates:
    st.caption(t("ws_no_candidates", current))
else:
    titles = {c.id: c.title for c in candidates}
    st.session_state[Key.WS_BALLOT] = [c for c in st.session_state.get(Key.WS_BALLOT, []) if c in titles]
    st.caption(t("ws_vote_help", current))
    ranking = st.multiselect(t("ws_ballot", current), list(titles), key=Key.WS_BALLOT,
                             format_func=lambda c: titles[c], disabled=not is_open)
    if st.button(t("ws_vote", current), key=Key.WS_VOTE, disabled=not is_open):
        if not ranking:
            st.warning(t("ws_vote_need", current))
        else:
            ballot = store_guarded(lambda: cast_vote(store, token, list(ranking),
                                                     st.session_state.get(Key.WS_BALLOT_VERSION)), current)
            if ballot is not None:
                st.session_state[Key.WS_BALLOT_VERSION] = ballot.version
                notice(t("ws_voted", current, version=ballot.version))
                st.rerun()

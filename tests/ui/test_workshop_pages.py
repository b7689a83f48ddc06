"""Workshop pages, end to end with the real store (a temporary SQLite file) and the real solver.

Arrange / act / assert by widget key: a facilitator creates a workshop, participants join, submit, vote;
the facilitator sees the submissions, the median aggregate and the Borda ranking, and adopts a roadmap.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from engine.analysis.workshop import Priorities, aggregate_priorities
from engine.core.i18n import LANGUAGES, all_keys, format_number, t
from engine.core.parameters import DIRECTIONS
from engine.store import (
    get_scenario,
    latest_result,
    list_candidates,
    list_submissions,
    open_as_facilitator,
    open_store,
    set_workshop_status,
    submit_priorities,
)
from ui.keys import Key

ROOT = Path(__file__).resolve().parents[2]
FACILITATOR = "ui/pages/workshop_facilitator.py"
PARTICIPANT = "ui/pages/workshop_participant.py"
GOVERNMENT = {"agglomeration": 60, "peripheral_compression": 10, "mobility": 10, "interaction": 20}
BUSINESS = {"agglomeration": 20, "peripheral_compression": 50, "mobility": 20, "interaction": 10}


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'workshop.sqlite'}"
    monkeypatch.setenv("ROADMAP_DB", url)
    monkeypatch.chdir(ROOT)
    return url


def open_page(page: str, language: str = "ru") -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    app.run()
    if language != "ru":
        app.sidebar.selectbox(key=Key.LANG).set_value(language).run()
    app.switch_page(page).run()
    assert not app.exception
    return app


def rendered(app: AppTest) -> str:
    """Every element's full message (labels, values, table bytes) and the URL's query, as one text."""
    parts = [str(getattr(node, "proto", "")) for node in app._tree]
    parts += [str(df.value.to_dict()) for df in app.dataframe]
    parts.append(str(dict(app.query_params)))
    return "\n".join(parts)


def create(app: AppTest, name: str = "Akmola 2026", budget: float = 400.0) -> tuple[str, str]:
    app.text_input(key=Key.WS_NEW_NAME).input(name)
    app.number_input(key=Key.WS_NEW_BUDGET).set_value(budget)
    app.button(key=Key.WS_CREATE).click().run()
    assert not app.exception and not app.error
    key = app.session_state[Key.WS_FAC_KEY]
    codes = [c.value for c in app.code]
    assert key in codes  # shown once, as created
    join_code = next(c for c in codes if c != key)
    return key, join_code


def join(app: AppTest, code: str, name: str, role: str) -> str:
    app.text_input(key=Key.WS_JOIN_CODE).input(code)
    app.text_input(key=Key.WS_JOIN_NAME).input(name)
    app.selectbox(key=Key.WS_JOIN_ROLE).set_value(role)
    app.button(key=Key.WS_JOIN).click().run()
    assert not app.exception and not app.error
    return app.session_state[Key.WS_TOKEN]


def set_priorities(app: AppTest, weights: dict[str, int], equity: int) -> None:
    for d, w in weights.items():
        app.slider(key=f"ws_weight_{d}").set_value(w)
    app.slider(key=Key.WS_EQUITY).set_value(equity).run()
    assert not app.exception and not app.error


def submit(app: AppTest) -> None:
    app.button(key=Key.WS_SUBMIT).click().run()
    assert not app.exception and not app.error


def one_submission(role: str, weights: dict[str, int], equity: int, *, name: str = "Aigerim",
                   workshop: str = "Akmola 2026", language: str = "ru") -> tuple[AppTest, str, AppTest, str]:
    """A new workshop (the facilitator's page and key) and a participant who joined it and submitted
    (the participant's page and token)."""
    fac = open_page(FACILITATOR, language)
    key, code = create(fac, name=workshop)
    app = open_page(PARTICIPANT, language)
    token = join(app, code, name, role)
    set_priorities(app, weights, equity)
    submit(app)
    return fac, key, app, token


def frame_with(app: AppTest, column: str):
    found = [df.value for df in app.dataframe if column in df.value.columns]
    assert found, f"no table with a column {column!r}"
    return found[0]


def test_workshop_from_creation_to_adopted_roadmap(db_url):
    fac = open_page(FACILITATOR)
    key, code = create(fac)
    fac.button(key=Key.WS_KEY_ACK).click().run()
    assert key not in [c.value for c in fac.code]  # the key is shown once only

    gov = open_page(PARTICIPANT)
    gov_token = join(gov, code, "Aigerim", "government")
    set_priorities(gov, GOVERNMENT, 30)
    assert gov.metric, "the plan for the participant's priorities is shown"
    submit(gov)
    biz = open_page(PARTICIPANT)
    join(biz, code, "Daniyar", "business")
    set_priorities(biz, BUSINESS, 60)
    submit(biz)
    assert key not in rendered(gov) and key.split(".", 1)[1] not in rendered(gov)
    assert key not in rendered(biz) and gov_token not in rendered(biz)

    fac.button(key=Key.WS_FAC_RELOAD).click().run()
    assert not fac.exception and not fac.error
    submissions = frame_with(fac, t("ws_equity_share_short", "ru"))
    names = list(submissions[t("ws_display_name", "ru")])
    assert names == ["Aigerim", "Daniyar"]
    assert list(submissions[t("ws_role", "ru")]) == [t("ws_role_government", "ru"), t("ws_role_business", "ru")]
    expected = aggregate_priorities([Priorities.of(GOVERNMENT, 0.3), Priorities.of(BUSINESS, 0.6)])
    aggregate = frame_with(fac, t("ws_raw_median", "ru")).set_index(t("direction", "ru"))
    for d in DIRECTIONS:
        assert aggregate.at[t(d, "ru"), t("share_of_budget", "ru")] == format_number(
            100 * expected.priorities.weights[d], "ru")
    assert aggregate.at[t("ws_equity_share_short", "ru"), t("share_of_budget", "ru")] == format_number(45.0, "ru")
    assert any(t("ws_rule_median", "ru") in m.value for m in fac.markdown)

    fac.button(key=Key.WS_ADD_AGGREGATE).click().run()
    fac.button(key=Key.WS_ADD_PARTICIPANTS).click().run()
    assert not fac.exception and not fac.error
    candidates = list(frame_with(fac, t("ws_points", "ru"))[t("ws_candidate_title", "ru")])
    assert candidates == [t("ws_aggregate_candidate", "ru", count=2), "Aigerim (government)", "Daniyar (business)"]

    # Borda with 3 candidates: Aigerim ranks her plan, the aggregate, Daniyar's; Daniyar the aggregate, his own
    gov.run()
    ids = gov.multiselect(key=Key.WS_BALLOT).options
    assert len(ids) == 3
    gov.multiselect(key=Key.WS_BALLOT).set_value([candidate_id(gov, "Aigerim (government)"),
                                                  candidate_id(gov, t("ws_aggregate_candidate", "ru", count=2)),
                                                  candidate_id(gov, "Daniyar (business)")])
    gov.button(key=Key.WS_VOTE).click().run()
    assert not gov.exception and not gov.error
    biz.run()
    biz.multiselect(key=Key.WS_BALLOT).set_value([candidate_id(biz, t("ws_aggregate_candidate", "ru", count=2)),
                                                  candidate_id(biz, "Daniyar (business)")])
    biz.button(key=Key.WS_VOTE).click().run()
    assert not biz.exception and not biz.error

    fac.run()
    ranking = frame_with(fac, t("ws_points", "ru"))
    assert list(ranking[t("ws_candidate_title", "ru")]) == [
        t("ws_aggregate_candidate", "ru", count=2), "Aigerim (government)", "Daniyar (business)"]
    assert list(ranking[t("ws_points", "ru")]) == [3, 2, 1]
    assert any(t("ws_ballots", "ru", count=2) == c.value for c in fac.caption)

    fac.button(key=Key.WS_ADOPT).click().run()
    assert not fac.exception and not fac.error
    with open_store(db_url) as store:
        workshop = open_as_facilitator(store, key).workshop
        assert workshop.status == "adopted"
        adopted = get_scenario(store, workshop.adopted_scenario_id)
        result = latest_result(store, adopted.id)
    assert result is not None and result.result["status"] == "optimal"
    assert [b.label for b in fac.download_button] == [t("ws_export_json", "ru"), t("ws_export_csv", "ru")]

    gov.run()  # the participant sees the adopted roadmap and can no longer submit or vote
    assert not gov.exception
    assert gov.button(key=Key.WS_SUBMIT).disabled and gov.button(key=Key.WS_VOTE).disabled
    assert key not in rendered(gov)


def candidate_id(app: AppTest, title: str) -> int:
    box = app.multiselect(key=Key.WS_BALLOT)
    labels = dict(zip(box.options, box.proto.options, strict=True))
    matches = [i for i, label in labels.items() if label == title]
    assert len(matches) == 1, (title, labels)
    return matches[0]


def test_a_participant_resumes_with_the_token_in_a_new_session(db_url):
    *_, token = one_submission("population", GOVERNMENT, 35)

    again = open_page(PARTICIPANT)  # a reload: a new browser session with nothing in it
    assert Key.WS_TOKEN not in again.session_state
    again.text_input(key=Key.WS_TOKEN_INPUT).input(token)
    again.button(key=Key.WS_RESUME).click().run()
    assert not again.exception and not again.error
    assert {d: again.slider(key=f"ws_weight_{d}").value for d in DIRECTIONS} == GOVERNMENT
    assert again.slider(key=Key.WS_EQUITY).value == 35
    assert token not in str(dict(again.query_params))


def test_a_stale_submission_gets_a_conflict_message_not_an_overwrite(db_url):
    fac, _, app, token = one_submission("business", BUSINESS, 50)
    with open_store(db_url) as store:  # the same participant changes it from another window
        submit_priorities(store, token, GOVERNMENT, 0.2, expected_version=1)

    set_priorities(app, BUSINESS, 70)
    app.button(key=Key.WS_SUBMIT).click().run()
    assert not app.exception
    assert [e.value for e in app.error] == [t("ws_conflict", "ru")]
    assert any("changed at" in x.value and "version 2" in x.value for x in app.text)
    with open_store(db_url) as store:
        kept = list_submissions(store, fac.session_state[Key.WS_FAC_KEY])[0]
    assert kept.version == 2 and kept.priorities.equity_share == 0.2  # nothing was overwritten

    app.button(key=Key.WS_RELOAD).click().run()  # reload: the other window's priorities, then change them
    assert app.slider(key=Key.WS_EQUITY).value == 20
    set_priorities(app, BUSINESS, 70)
    submit(app)
    with open_store(db_url) as store:
        assert list_submissions(store, fac.session_state[Key.WS_FAC_KEY])[0].version == 3


def test_a_stale_facilitator_window_cannot_adopt(db_url):
    fac, key, _, _ = one_submission("expert", GOVERNMENT, 40)
    fac.run()
    fac.button(key=Key.WS_ADD_AGGREGATE).click().run()
    with open_store(db_url) as store:  # another facilitator window closes the workshop meanwhile
        set_workshop_status(store, key, "closed", expected_version=1)
    fac.button(key=Key.WS_ADOPT).click().run()
    assert not fac.exception
    assert [e.value for e in fac.error] == [t("ws_conflict", "ru")]
    with open_store(db_url) as store:
        assert open_as_facilitator(store, key).workshop.status == "closed"


def test_changes_to_the_allocation_are_checked_simulated_and_saved(db_url):
    fac = open_page(FACILITATOR)
    key, code = create(fac)
    app = open_page(PARTICIPANT)
    join(app, code, "Aigerim", "population")
    set_priorities(app, BUSINESS, 60)
    app.selectbox(key=Key.WS_CH_DIRECTION).set_value("mobility").run()
    assert app.selectbox(key=Key.WS_CH_UNIT).options  # the units where mobility money can go
    app.selectbox(key=Key.WS_CH_YEAR).set_value(2026)
    app.number_input(key=Key.WS_CH_AMOUNT).set_value(-100000.0)  # takes away more than any plan gives
    app.button(key=Key.WS_CH_ADD).click().run()
    assert not app.exception
    assert any(t("ws_changes_problems", "ru") == w.value for w in app.warning)
    assert app.button(key=Key.WS_SUBMIT).disabled

    app.multiselect(key=Key.WS_CH_REMOVE_PICK).set_value([0]).run()
    app.button(key=Key.WS_CH_REMOVE).click().run()
    app.selectbox(key=Key.WS_CH_DIRECTION).set_value("interaction").run()
    app.selectbox(key=Key.WS_CH_YEAR).set_value(2026)
    app.number_input(key=Key.WS_CH_AMOUNT).set_value(2.5)
    app.button(key=Key.WS_CH_ADD).click().run()
    assert not app.exception and t("ws_changes_problems", "ru") not in [w.value for w in app.warning]
    assert any(t("ws_changes_added", "ru", amount=format_number(2.5, "ru")) == i.value for i in app.info)
    with_changes = [df.value[c] for df in app.dataframe for c in df.value.columns
                    if str(c).startswith(t("ws_with_changes", "ru"))]
    assert len(with_changes) == 1 and all(with_changes[0])  # both criteria, evaluated with the change
    submit(app)
    with open_store(db_url) as store:
        saved = list_submissions(store, key)[0]
    assert saved.allocation_changes == [{"unit_id": app.selectbox(key=Key.WS_CH_UNIT).value,
                                         "direction": "interaction", "year": 2026, "change_bn_kzt": 2.5}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_pages_speak_every_language(db_url, language):
    fac, key, app, _ = one_submission("population", GOVERNMENT, 50, name="Әлия", workshop="Тіл сынағы",
                                      language=language)
    fac.run()
    assert not fac.exception and not fac.error
    assert fac.title[0].value == t("page_ws_facilitator", language)
    assert app.title[0].value == t("page_ws_participant", language)
    for page in (app, fac):
        text = rendered(page)
        untranslated = [k for k in all_keys() if k.startswith(("ws_", "page_ws_")) and f'"{k}"' in text]
        assert untranslated == []
    assert app.subheader[0].value == "Тіл сынағы"
    assert key not in rendered(app)


def test_a_bad_template_upload_is_refused_with_the_reason(db_url):
    fac = open_page(FACILITATOR)
    fac.text_input(key=Key.WS_NEW_NAME).input("Uploaded")
    fac.selectbox(key=Key.WS_NEW_TEMPLATE).set_value("__upload__").run()
    fac.file_uploader(key=Key.WS_NEW_UPLOAD).set_value(
        ("t.yaml", b"name: X\nbase_year: 2024\nhorizon: [2025, 2030]\nbudget_bn_kzt: 5\nobjective: maximin\n"
                   b"equity_share: 0.5\ndata: /etc\n", "application/x-yaml")).run()
    fac.button(key=Key.WS_CREATE).click().run()
    assert not fac.exception
    assert Key.WS_FAC_KEY not in fac.session_state
    # the reason in the page's language (Russian), from the catalogs
    assert any("data" in x.value and t("pr_template_data_key", "ru") in x.value for x in fac.text)


def test_a_new_app_process_on_the_same_store_sees_the_workshop(db_url):
    _, key, _, token = one_submission("government", GOVERNMENT, 30, workshop="Restart")
    st.cache_resource.clear()  # the next app opens the store afresh, as a restarted server would
    st.cache_data.clear()

    again = open_page(FACILITATOR)
    again.text_input(key=Key.WS_FAC_KEY_INPUT).input(key)
    again.button(key=Key.WS_FAC_OPEN).click().run()
    assert not again.exception and not again.error
    assert again.subheader[0].value == "Restart"
    assert list(frame_with(again, t("ws_equity_share_short", "ru"))[t("ws_display_name", "ru")]) == ["Aigerim"]
    back = open_page(PARTICIPANT)
    back.text_input(key=Key.WS_TOKEN_INPUT).input(token)
    back.button(key=Key.WS_RESUME).click().run()
    assert back.slider(key=Key.WS_EQUITY).value == 30
    with open_store(db_url) as store:
        assert open_as_facilitator(store, key).workshop.name == "Restart"


def test_templates_become_candidates_with_the_workshops_budget(db_url):
    fac = open_page(FACILITATOR)
    key, _ = create(fac, budget=250.0)
    fac.button(key=Key.WS_ADD_TEMPLATE).click().run()  # the workshop's own template, under its own name
    fac.selectbox(key=Key.WS_ADD_TEMPLATE_PICK).set_value("maximin_2025_2030")
    fac.text_input(key=Key.WS_ADD_TEMPLATE_TITLE).input("Lift the worst-off")
    fac.button(key=Key.WS_ADD_TEMPLATE).click().run()
    assert not fac.exception and not fac.error
    with open_store(db_url) as store:
        candidates = list_candidates(store, facilitator_key=key)
    assert [c.title for c in candidates] == ["Half equity, half growth, 2025-2030", "Lift the worst-off"]
    for c in candidates:
        assert c.source == "facilitator"
        assert set(c.scenario().budget_bn_kzt.values()) == {250.0}
    assert candidates[1].scenario().objective == "maximin"
    assert list(frame_with(fac, t("ws_points", "ru"))[t("ws_points", "ru")]) == [0, 0]  # no ballots yet


def test_the_participant_page_shows_no_key_even_in_the_facilitators_own_browser(db_url):
    app = open_page(FACILITATOR)
    key, code = create(app)
    app.switch_page(PARTICIPANT).run()  # the same session, which holds the key, now as a participant
    join(app, code, "Facilitator too", "expert")
    set_priorities(app, BUSINESS, 50)
    assert app.session_state[Key.WS_FAC_KEY] == key
    text = rendered(app)
    assert key not in text and key.split(".", 1)[1] not in text


def test_a_taken_name_is_refused_with_a_plain_message(db_url):
    fac = open_page(FACILITATOR)
    _, code = create(fac)
    join(open_page(PARTICIPANT), code, "Aigerim", "population")
    second = open_page(PARTICIPANT)
    second.text_input(key=Key.WS_JOIN_CODE).input(code)
    second.text_input(key=Key.WS_JOIN_NAME).input("  Aigerim ")
    second.button(key=Key.WS_JOIN).click().run()
    assert not second.exception
    assert [e.value for e in second.error] == [t("ws_name_taken", "ru")]
    assert Key.WS_TOKEN not in second.session_state
    second.text_input(key=Key.WS_JOIN_CODE).input("not-a-code")
    second.text_input(key=Key.WS_JOIN_NAME).input("Aigerim 2")
    second.button(key=Key.WS_JOIN).click().run()
    assert [e.value for e in second.error] == [t("ws_denied", "ru")]

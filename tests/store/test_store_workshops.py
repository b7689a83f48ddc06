"""Workshop sessions: who may do what, versioned submissions and ballots, the aggregate, adoption, export."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from engine.analysis.workshop import PrioritiesError
from engine.store import (
    AuthorisationError,
    ConflictError,
    NotFoundError,
    StoreError,
    WorkshopStateError,
    add_aggregate_candidate,
    add_candidate,
    add_participant_candidates,
    adopt_roadmap,
    aggregate_submissions,
    cast_vote,
    create_workshop,
    export_workshop,
    get_scenario,
    get_workshop,
    join_workshop,
    latest_result,
    list_candidates,
    list_submissions,
    list_workshops,
    my_ballot,
    open_as_facilitator,
    open_as_participant,
    rank_candidates,
    save_scenario,
    schema,
    set_workshop_status,
    submit_priorities,
    workshop_export_csv,
    workshop_export_json,
)
from engine.store.db import read_transaction

GOV = {"agglomeration": 5, "peripheral_compression": 1, "mobility": 1, "interaction": 3}
BIZ = {"agglomeration": 2, "peripheral_compression": 5, "mobility": 2, "interaction": 1}
POP = {"agglomeration": 1, "peripheral_compression": 2, "mobility": 6, "interaction": 1}


@pytest.fixture
def room(store, scenario_text):
    """A workshop with three participants who have submitted the module docstring's worked example."""
    created = create_workshop(store, "Akmola 2026", scenario_text, budget_bn_kzt=400)
    people = {}
    for name, role, weights, equity in (("Dana", "government", GOV, 0.3), ("=Bolat", "business", BIZ, 0.6),
                                        ("Aigerim", "population", POP, 0.8)):
        joined = join_workshop(store, created.join_code, name, role)
        submit_priorities(store, joined.participant_token, weights, equity)
        people[name] = joined.participant_token
    return store, created, people


def _all_text(store) -> str:
    """Every value of every table, as text: where a secret would show if it were stored in clear."""
    parts = []
    with read_transaction(store) as conn:
        for table in schema.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_create_gives_an_unguessable_code_and_a_key_kept_only_as_a_hash(store, scenario_text):
    created = create_workshop(store, "Akmola 2026", scenario_text, budget_bn_kzt=400)
    again = create_workshop(store, "Akmola 2026", scenario_text)
    assert len(created.join_code) >= 22 and created.join_code != again.join_code  # 128 random bits
    workshop_id, secret = created.facilitator_key.split(".")
    assert int(workshop_id) == created.workshop.id and len(secret) >= 43  # 256 random bits
    joined = join_workshop(store, created.join_code, "Dana", "government")
    stored = _all_text(store)
    assert secret not in stored and joined.participant_token.split(".")[1] not in stored
    assert created.workshop.template().budget_bn_kzt[2027] == 400.0
    assert again.workshop.template().budget_bn_kzt[2027] == 500.0
    assert "facilitator_key" not in json.dumps(created.workshop.summary())
    view = open_as_facilitator(store, created.facilitator_key)
    assert view.join_code == created.join_code and [p.display_name for p in view.participants] == ["Dana"]


def test_bad_workshop_input_is_refused(store, scenario_text):
    with pytest.raises(StoreError, match="budget"):
        create_workshop(store, "x", scenario_text, budget_bn_kzt=-1)
    with pytest.raises(StoreError, match="name"):
        create_workshop(store, "  ", scenario_text)
    created = create_workshop(store, "x", scenario_text)
    with pytest.raises(PrioritiesError, match="role: must be one of government, business, population, expert"):
        join_workshop(store, created.join_code, "Dana", "minister")
    with pytest.raises(AuthorisationError, match="no workshop has this join code"):
        join_workshop(store, created.join_code[:-1] + "x", "Dana", "government")
    join_workshop(store, created.join_code, "Dana", "government")
    with pytest.raises(ConflictError, match="'Dana' is already taken"):
        join_workshop(store, created.join_code, " Dana ", "business")
    with pytest.raises(PrioritiesError) as info:
        joined = join_workshop(store, created.join_code, "Erlan", "expert")
        submit_priorities(store, joined.participant_token, {"agglomeration": -1, "mobility": "a lot"}, 1.5)
    found = [str(p) for p in info.value.problems]
    assert "submission: weights.agglomeration: must be a number of 0 or more (-1)" in found
    assert "submission: weights.interaction: missing weight" in found
    assert "submission: equity_share: must be a share between 0 and 1 (1.5)" in found


def test_facilitator_operations_need_the_right_key(room):
    store, created, people = room
    other = create_workshop(store, "Other", get_workshop(store, created.workshop.id).template_yaml)
    wid, secret = created.facilitator_key.split(".")
    forged = [f"{wid}.{secret[:-1]}x", f"{other.workshop.id}.{secret}", people["Dana"], "", "garbage", None]
    for key in forged:
        for operation in (list_submissions, aggregate_submissions, export_workshop, open_as_facilitator):
            with pytest.raises(AuthorisationError):
                operation(store, key)
    assert len(list_submissions(store, created.facilitator_key)) == 3
    assert list_submissions(store, other.facilitator_key) == []


def test_a_participant_changes_only_their_own_submission(room):
    store, created, people = room
    dana_id, dana_secret = people["Dana"].split(".")
    bolat_id = people["=Bolat"].split(".")[0]
    with pytest.raises(AuthorisationError):  # Dana's secret does not open Bolat's submission
        submit_priorities(store, f"{bolat_id}.{dana_secret}", GOV, 0.0, expected_version=1)
    with pytest.raises(AuthorisationError):  # nor does the facilitator key, which is not a participant token
        submit_priorities(store, created.facilitator_key, GOV, 0.0, expected_version=1)
    mine = open_as_participant(store, people["Dana"])
    assert mine.participant.display_name == "Dana" and mine.submission.priorities.equity_share == 0.3
    assert not hasattr(mine.workshop, "join_code") and not hasattr(mine.workshop, "facilitator_key_hash")
    bolat = {s.display_name: s for s in list_submissions(store, created.facilitator_key)}["=Bolat"]
    assert bolat.version == 1 and bolat.priorities.equity_share == 0.6


def test_a_stale_submission_is_a_conflict_not_an_overwrite(room):
    store, created, people = room
    token = people["Aigerim"]
    with pytest.raises(ConflictError, match=r"Aigerim already submitted priorities \(version 1"):
        submit_priorities(store, token, GOV, 0.1)
    changed = submit_priorities(store, token, GOV, 0.1, expected_version=1,
                                allocation_changes=[{"unit_id": "akmola", "direction": "mobility", "year": 2026,
                                                     "change_bn_kzt": -5}])
    assert changed.version == 2 and changed.allocation_changes[0]["change_bn_kzt"] == -5.0
    with pytest.raises(ConflictError, match=r"changed at .* \(now version 2, from another window or device\) since "
                                            r"version 1 was read"):
        submit_priorities(store, token, POP, 0.9, expected_version=1)
    assert open_as_participant(store, token).submission.priorities.equity_share == 0.1
    with pytest.raises(PrioritiesError, match="direction: must be one of"):
        submit_priorities(store, token, GOV, 0.1, expected_version=2,
                          allocation_changes=[{"unit_id": "akmola", "direction": "roads", "change_bn_kzt": 1}])


def test_the_aggregate_follows_the_published_median_rule(room):
    store, created, _ = room
    result = aggregate_submissions(store, created.facilitator_key)
    agg = result.aggregate
    assert agg.count == 3 and agg.priorities.equity_share == 0.6
    assert agg.priorities.weights == pytest.approx({"agglomeration": 2 / 7, "peripheral_compression": 2 / 7,
                                                    "mobility": 2 / 7, "interaction": 1 / 7})
    assert set(agg.by_role) == {"government", "business", "population"}
    scenario = result.scenario
    assert scenario.bounds("interaction").min == pytest.approx(1 / 7 - 0.05, abs=1e-6)
    assert scenario.equity_share == 0.6 and scenario.budget_bn_kzt[2030] == 400.0


def test_closed_and_adopted_workshops_refuse_participants(room, scenario_text):
    store, created, people = room
    with pytest.raises(ConflictError, match="since you read version 7"):
        set_workshop_status(store, created.facilitator_key, "closed", expected_version=7)
    closed = set_workshop_status(store, created.facilitator_key, "closed", expected_version=1)
    assert closed.version == 2
    with pytest.raises(WorkshopStateError, match="is closed; submitting"):
        submit_priorities(store, people["Dana"], GOV, 0.5, expected_version=1)
    with pytest.raises(WorkshopStateError, match="joining"):
        join_workshop(store, created.join_code, "Late", "expert")
    set_workshop_status(store, created.facilitator_key, "open", expected_version=2)
    assert submit_priorities(store, people["Dana"], GOV, 0.5, expected_version=1).version == 2
    with pytest.raises(WorkshopStateError, match="no submissions yet"):
        aggregate_submissions(store, create_workshop(store, "empty", scenario_text).facilitator_key)


def test_vote_rank_and_adopt(room):
    store, created, people = room
    key = created.facilitator_key
    plans = add_participant_candidates(store, key)
    assert [c.title for c in plans] == ["Dana (government)", "=Bolat (business)", "Aigerim (population)"]
    assert add_participant_candidates(store, key) == []  # each plan once
    median = add_aggregate_candidate(store, key)
    assert median.title == "Median of 3 submissions" and median.scenario().equity_share == 0.6
    assert plans[2].scenario().bounds("mobility").min == pytest.approx(0.6 - 0.05)
    with pytest.raises(ConflictError, match="already has a candidate titled"):
        add_aggregate_candidate(store, key)
    a, b, c, m = (x.id for x in [*plans, median])
    assert [x.id for x in list_candidates(store, participant_token=people["Dana"])] == [a, b, c, m]
    cast_vote(store, people["Dana"], [m, a])
    cast_vote(store, people["=Bolat"], [b, m, c, a])
    cast_vote(store, people["Aigerim"], [c, m])
    with pytest.raises(ConflictError, match="since version 3 was read"):
        cast_vote(store, people["Aigerim"], [m, c], expected_version=3)
    with pytest.raises(PrioritiesError, match="unknown candidate"):
        cast_vote(store, people["Aigerim"], [m, 999], expected_version=1)
    assert my_ballot(store, people["Aigerim"]).ranking == (c, m)
    rows, ballots = rank_candidates(store, key)
    # n = 4: first 3 points, second 2, third 1. m: 3 + 2 + 2 = 7; c: 1 + 3 = 4; b: 3; a: 2 + 0 = 2
    assert ballots == 3 and [(r.candidate.id, r.points, r.rank) for r in rows] == [(m, 7, 1), (c, 4, 2), (b, 3, 3),
                                                                                    (a, 2, 4)]
    with pytest.raises(AuthorisationError):
        rank_candidates(store, people["Dana"])
    adopted = adopt_roadmap(store, key, expected_version=1, candidate_id=m, result={"max_min_ratio": 11.2})
    assert adopted.status == "adopted" and adopted.version == 2
    roadmap = get_scenario(store, adopted.adopted_scenario_id)
    assert roadmap.name == f"Akmola 2026 (workshop {created.workshop.id}): Median of 3 submissions"
    assert roadmap.yaml == median.scenario_yaml
    assert latest_result(store, roadmap.id).result == {"max_min_ratio": 11.2}
    with pytest.raises(WorkshopStateError, match="adopted its roadmap; voting"):
        cast_vote(store, people["Dana"], [a], expected_version=1)
    with pytest.raises(ConflictError, match=r"changed by the facilitator .* since you read version 1"):
        adopt_roadmap(store, key, expected_version=1, candidate_id=a)
    with pytest.raises(NotFoundError):
        adopt_roadmap(store, key, expected_version=2, candidate_id=12345)


def test_adopting_a_saved_scenario_and_the_restart(db_url, scenario_text):
    from engine.store import open_store

    with open_store(db_url) as store:
        created = create_workshop(store, "Restart", scenario_text)
        joined = join_workshop(store, created.join_code, "Dana", "expert")
        submit_priorities(store, joined.participant_token, GOV, 0.4)
        plan = save_scenario(store, scenario_text, name="agreed plan")
        adopt_roadmap(store, created.facilitator_key, expected_version=1, scenario_id=plan.id)
    with open_store(db_url) as reopened:  # everything is there after the app restarts
        view = open_as_participant(reopened, joined.participant_token)
        assert view.submission.priorities.equity_share == 0.4
        assert view.workshop.adopted_scenario_id == plan.id
        listing = list_workshops(reopened)
        assert [(w.workshop.name, w.participants, w.submissions, w.workshop.status) for w in listing] == \
            [("Restart", 1, 1, "adopted")]


def test_export_has_submissions_aggregate_ranking_and_the_adopted_roadmap(room):
    store, created, people = room
    key = created.facilitator_key
    template = get_workshop(store, created.workshop.id).template_yaml
    candidate = add_candidate(store, key, "+Plan from the floor", template)
    cast_vote(store, people["Dana"], [candidate.id])
    adopt_roadmap(store, key, expected_version=1, candidate_id=candidate.id)
    export = export_workshop(store, key)
    data = workshop_export_json(export)
    json.dumps(data)  # JSON-ready
    assert [s["display_name"] for s in data["submissions"]] == ["Dana", "=Bolat", "Aigerim"]
    assert data["aggregate"]["equity_share"] == 0.6 and data["aggregate"]["count"] == 3
    assert data["candidates"][0]["title"] == "+Plan from the floor" and data["candidates"][0]["points"] == 0
    assert data["adopted"]["name"].endswith(": +Plan from the floor") and "equity_share: 0.6" in data["adopted"]["yaml"]
    assert "facilitator" not in json.dumps(data["participants"])
    rows = list(csv.DictReader(io.StringIO(workshop_export_csv(export))))
    sections = [r["section"] for r in rows]
    assert sections.count("submission") == 3 and "aggregate" in sections and "adopted" in sections
    bolat = next(r for r in rows if r["section"] == "submission" and r["role"] == "business")
    assert bolat["name"] == "'=Bolat"  # not a formula in a spreadsheet
    assert float(bolat["equity_share"]) == 0.6
    cand = next(r for r in rows if r["section"] == "candidate")
    assert cand["name"] == "'+Plan from the floor"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

"""Candidate scenarios, participants' ballots, the Borda ranking, and adopting the workshop's roadmap.

The facilitator adds candidates (the median aggregate, each participant's own plan, or any scenario);
participants rank them; :func:`rank_candidates` counts the ballots by the Borda rule of
:func:`engine.analysis.workshop.borda_count`; :func:`adopt_roadmap` saves the chosen scenario in the scenario store
and marks the workshop ``adopted`` in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from engine.analysis.workshop import borda_count, check_ballot, scenario_for_priorities
from engine.core.parameters import DirectionRules
from engine.core.scenario import Scenario
from engine.model.study import read_scenario
from engine.store import schema
from engine.store.db import Store, read_transaction, write_transaction
from engine.store.errors import ConflictError, NotFoundError, StoreError, WorkshopStateError
from engine.store.scenarios import check_result, check_scenario_text, describe_time, insert_result, write_scenario
from engine.store.workshops import (
    Workshop,
    aggregate_submissions,
    bump_workshop,
    facilitator_row,
    list_submissions,
    participant_rows,
    require_open,
    workshop_from_row,
)

C, V, W = schema.candidates, schema.votes, schema.workshops
CANDIDATE_SOURCES = ("aggregate", "participant", "facilitator")


@dataclass(frozen=True)
class Candidate:
    id: int
    workshop_id: int
    title: str
    scenario_yaml: str
    source: str
    participant_id: int | None
    created_at: dt.datetime

    def scenario(self, direction_rules: DirectionRules | None = None) -> Scenario:
        return read_scenario(self.scenario_yaml, direction_rules, f"candidate {self.title!r}")


@dataclass(frozen=True)
class Ballot:
    id: int
    participant_id: int
    ranking: tuple[int, ...]
    version: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class RankedCandidate:
    candidate: Candidate
    points: int
    first_places: int
    rank: int
    tied: bool


def _candidate(row: sa.Row) -> Candidate:
    return Candidate(row.id, row.workshop_id, row.title, row.scenario_yaml, row.source, row.participant_id,
                     row.created_at)


def _ballot(row: sa.Row) -> Ballot:
    return Ballot(row.id, row.participant_id, tuple(int(c) for c in row.ranking), row.version, row.updated_at)


def _candidates(conn: sa.Connection, workshop_id: int) -> list[Candidate]:
    return [_candidate(r) for r in conn.execute(sa.select(C).where(C.c.workshop_id == workshop_id).order_by(C.c.id))]


def _insert_candidates(conn: sa.Connection, workshop: sa.Row, items: list[tuple[str, str, str, int | None]]
                       ) -> list[Candidate]:
    if workshop.status == "adopted":
        raise WorkshopStateError(f"workshop {workshop.name!r} has adopted its roadmap; no more candidates")
    taken = {c.title for c in _candidates(conn, workshop.id)}
    ids = []
    for title, yaml_text, source, participant_id in items:
        if title in taken:
            raise ConflictError(f"workshop {workshop.name!r} already has a candidate titled {title!r}; "
                                "nothing was added")
        taken.add(title)
        ids.append(schema.new_id(conn.execute(C.insert().values(
            workshop_id=workshop.id, title=title, scenario_yaml=yaml_text, source=source,
            participant_id=participant_id, created_at=schema.now()))))
    return [_candidate(conn.execute(sa.select(C).where(C.c.id == i)).one()) for i in ids]


def _add(store: Store, facilitator_key: str, items: list[tuple[str, str, str, int | None]]) -> list[Candidate]:
    try:
        with write_transaction(store) as conn:
            return _insert_candidates(conn, facilitator_row(conn, facilitator_key), items)
    except sa.exc.IntegrityError:
        raise ConflictError("a candidate with the same title was added at the same moment; nothing was "
                            "added") from None


def _title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > schema.NAME_LENGTH:
        raise StoreError(f"a candidate title must be a text of 1 to {schema.NAME_LENGTH} characters "
                         f"(got {title!r})")
    return title.strip()


def add_candidate(store: Store, facilitator_key: str, title: str, scenario_yaml: str,
                  direction_rules: DirectionRules | None = None) -> Candidate:
    """Add a candidate scenario (checked like a scenario file) for participants to rank."""
    title = _title(title)
    check_scenario_text(scenario_yaml, f"candidate {title!r}", direction_rules)
    return _add(store, facilitator_key, [(title, scenario_yaml, "facilitator", None)])[0]


def add_aggregate_candidate(store: Store, facilitator_key: str, title: str | None = None,
                            capacity_bn_kzt: Mapping[str, float] | None = None) -> Candidate:
    """Add the scenario of the median aggregate of the current submissions as a candidate.

    ``capacity_bn_kzt``: see :func:`engine.analysis.workshop.scenario_for_priorities`.
    """
    aggregate = aggregate_submissions(store, facilitator_key, capacity_bn_kzt=capacity_bn_kzt)
    title = _title(title or f"Median of {aggregate.aggregate.count} submissions")
    return _add(store, facilitator_key, [(title, aggregate.scenario.to_yaml(), "aggregate", None)])[0]


def add_participant_candidates(store: Store, facilitator_key: str,
                               capacity_bn_kzt: Mapping[str, float] | None = None) -> list[Candidate]:
    """Add each submission's own plan (``name (role)``) as a candidate; already added titles are skipped.

    ``capacity_bn_kzt``: see :func:`engine.analysis.workshop.scenario_for_priorities`.
    """
    submissions = list_submissions(store, facilitator_key)
    with read_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        titles = {c.title for c in _candidates(conn, row.id)}
    template = workshop_from_row(row).template()
    items: list[tuple[str, str, str, int | None]] = []
    for s in submissions:
        title = f"{s.display_name} ({s.role})"[:schema.NAME_LENGTH]
        if title not in titles:
            scenario = scenario_for_priorities(template, s.priorities.weights, s.priorities.equity_share,
                                               name=f"{row.name}: {title}", capacity_bn_kzt=capacity_bn_kzt)
            items.append((title, scenario.to_yaml(), "participant", s.participant_id))
    return _add(store, facilitator_key, items) if items else []


def list_candidates(store: Store, *, participant_token: str | None = None,
                    facilitator_key: str | None = None) -> list[Candidate]:
    """The workshop's candidates, for a participant (to vote) or the facilitator."""
    if (participant_token is None) == (facilitator_key is None):
        raise ValueError("give either a participant token or a facilitator key")
    with read_transaction(store) as conn:
        if facilitator_key is not None:
            workshop_id = facilitator_row(conn, facilitator_key).id
        else:
            workshop_id = participant_rows(conn, participant_token or "")[1].id
        return _candidates(conn, workshop_id)


def cast_vote(store: Store, participant_token: str, ranking: list[int],
              expected_version: int | None = None) -> Ballot:
    """Save the participant's own ranking of candidates (ids, best first); a change names the version read."""
    ranking = list(ranking)
    try:
        with write_transaction(store) as conn:
            prow, wrow = participant_rows(conn, participant_token)
            require_open(wrow, "voting")
            check_ballot(ranking, [c.id for c in _candidates(conn, wrow.id)], f"ballot of {prow.display_name}")
            row = conn.execute(sa.select(V).where(V.c.participant_id == prow.id)).first()
            stamp = schema.now()
            if row is None:
                if expected_version is not None:
                    raise NotFoundError("you have not voted yet; vote without a version")
                conn.execute(V.insert().values(workshop_id=wrow.id, participant_id=prow.id, ranking=ranking,
                                               version=1, created_at=stamp, updated_at=stamp))
            else:
                done = conn.execute(V.update().where(V.c.id == row.id, V.c.version == expected_version)
                                    .values(ranking=ranking, version=V.c.version + 1, updated_at=stamp))
                if expected_version is None or done.rowcount != 1:
                    now = conn.execute(sa.select(V).where(V.c.id == row.id)).one()
                    raise ConflictError(
                        f"{prow.display_name}'s ballot was changed at {describe_time(now.updated_at)} (now version "
                        f"{now.version}) since version {expected_version} was read; nothing was saved. Reload it")
            return _ballot(conn.execute(sa.select(V).where(V.c.participant_id == prow.id)).one())
    except sa.exc.IntegrityError:
        raise ConflictError("your ballot was saved from another window at the same moment; reload it") from None


def my_ballot(store: Store, participant_token: str) -> Ballot | None:
    with read_transaction(store) as conn:
        prow, _ = participant_rows(conn, participant_token)
        row = conn.execute(sa.select(V).where(V.c.participant_id == prow.id)).first()
    return None if row is None else _ballot(row)


def rank_candidates(store: Store, facilitator_key: str) -> tuple[list[RankedCandidate], int]:
    """The Borda ranking of the candidates and the number of ballots counted (facilitator only)."""
    with read_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        candidates = _candidates(conn, row.id)
        ballots = [_ballot(b) for b in conn.execute(sa.select(V).where(V.c.workshop_id == row.id).order_by(V.c.id))]
    by_id = {c.id: c for c in candidates}
    rows = borda_count([b.ranking for b in ballots], [c.id for c in candidates])
    return [RankedCandidate(by_id[r.candidate], r.points, r.first_places, r.rank, r.tied) for r in rows], len(ballots)


def adopt_roadmap(store: Store, facilitator_key: str, *, expected_version: int, candidate_id: int | None = None,
                  scenario_id: int | None = None, result: Any = None) -> Workshop:
    """Adopt a candidate (saved to the scenario store) or an already saved scenario as the roadmap.

    ``expected_version`` is the workshop version the facilitator read. The scenario (with ``result``,
    if given) and the workshop's new state are written in one transaction.
    """
    if (candidate_id is None) == (scenario_id is None):
        raise ValueError("give either a candidate id or a scenario id")
    payload = None if result is None else check_result(result, "result of the adopted roadmap")
    try:
        with write_transaction(store) as conn:
            row = facilitator_row(conn, facilitator_key)
            if candidate_id is not None:
                found = conn.execute(sa.select(C).where(C.c.id == candidate_id, C.c.workshop_id == row.id)).first()
                if found is None:
                    raise NotFoundError(f"workshop {row.name!r} has no candidate {candidate_id}")
                candidate = _candidate(found)
                name = f"{row.name} (workshop {row.id}): {candidate.title}"[:schema.NAME_LENGTH]
                existing = conn.execute(sa.select(schema.scenarios).where(schema.scenarios.c.name == name)).first()
                if existing is not None and existing.yaml == candidate.scenario_yaml:
                    scenario_id = existing.id  # adopted before: the same text, keep the saved row
                    if payload is not None:
                        insert_result(conn, existing.id, existing.version, payload)
                else:
                    scenario_id = write_scenario(
                        conn, candidate.scenario_yaml, candidate.scenario(), name,
                        expected_version=None if existing is None else existing.version, result=payload,
                        saved_by="workshop facilitator")
            else:
                saved = conn.execute(sa.select(schema.scenarios).where(schema.scenarios.c.id == scenario_id)).first()
                if saved is None:
                    raise NotFoundError(f"there is no saved scenario with id {scenario_id}")
                if payload is not None:
                    insert_result(conn, saved.id, saved.version, payload)
            bump_workshop(conn, row, expected_version, status="adopted", adopted_scenario_id=scenario_id,
                          adopted_candidate_id=candidate_id)
            return workshop_from_row(conn.execute(sa.select(W).where(W.c.id == row.id)).one())
    except sa.exc.IntegrityError:
        raise ConflictError("the roadmap was saved by someone else at the same moment; reload the workshop") from None

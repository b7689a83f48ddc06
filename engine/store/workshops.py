"""Workshop sessions: create, join, submit priorities, see them all, aggregate.

Who may do what is checked here, not in the app:

* the facilitator key (``<workshop id>.<secret>``, shown once by :func:`create_workshop`) opens the
  facilitator's operations; only a salted hash of it is stored, so nobody, participants included, can
  read it back;
* the join code lets anyone who has it join as a participant; joining returns a participant token,
  which updates that participant's own submission and ballot only;
* while the workshop is ``open`` participants may join, submit and vote; ``closed`` stops that;
  ``adopted`` means a roadmap was adopted (see ``voting.py``).

Every update names the version it read; a stale one raises :class:`ConflictError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa

from engine.analysis.workshop import (
    DIRECTION_TOLERANCE,
    ROLES,
    Aggregate,
    Priorities,
    PrioritiesError,
    aggregate_priorities,
    apply_budget,
    check_allocation_changes,
    scenario_for_priorities,
)
from engine.core.errors import problem
from engine.core.parameters import DIRECTIONS, DirectionRules
from engine.core.scenario import MAX_YEARLY_BUDGET_BN, Scenario
from engine.model.study import read_scenario
from engine.store import schema
from engine.store.db import Store, read_transaction, write_transaction
from engine.store.errors import AuthorisationError, ConflictError, NotFoundError, StoreError, WorkshopStateError
from engine.store.scenarios import check_scenario_text, describe_time
from engine.store.tokens import check_secret, hash_secret, make_credential, new_join_code, new_secret, split_credential

W, P, S = schema.workshops, schema.participants, schema.submissions


@dataclass(frozen=True)
class Workshop:
    """What anyone in the workshop may see: no join code, no key hash."""

    id: int
    name: str
    template_yaml: str
    budget_bn_kzt: float | None
    status: str
    adopted_scenario_id: int | None
    adopted_candidate_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    def template(self, direction_rules: DirectionRules | None = None) -> Scenario:
        """The template scenario with the workshop's yearly budget in every horizon year."""
        return apply_budget(read_scenario(self.template_yaml, direction_rules, f"workshop {self.name!r} template"),
                            self.budget_bn_kzt)

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "status": self.status, "budget_bn_kzt": self.budget_bn_kzt,
                "adopted_scenario_id": self.adopted_scenario_id, "version": self.version,
                "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat()}


class CreatedWorkshop(NamedTuple):
    workshop: Workshop
    join_code: str
    facilitator_key: str  # shown once: only its hash is kept


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    display_name: str
    role: str
    created_at: dt.datetime


class JoinedParticipant(NamedTuple):
    participant: Participant
    participant_token: str  # shown once: only its hash is kept


@dataclass(frozen=True)
class Submission:
    id: int
    participant_id: int
    display_name: str
    role: str
    priorities: Priorities
    allocation_changes: list[dict[str, Any]]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"participant_id": self.participant_id, "display_name": self.display_name, "role": self.role,
                **self.priorities.to_dict(), "allocation_changes": self.allocation_changes,
                "version": self.version, "updated_at": self.updated_at.isoformat()}


@dataclass(frozen=True)
class ParticipantView:
    """What a participant's screen shows: the workshop, who they are, their own submission."""

    workshop: Workshop
    participant: Participant
    submission: Submission | None


@dataclass(frozen=True)
class FacilitatorView:
    workshop: Workshop
    join_code: str
    participants: list[Participant]


@dataclass(frozen=True)
class WorkshopListing:
    workshop: Workshop
    participants: int
    submissions: int


@dataclass(frozen=True)
class WorkshopAggregate:
    """The median aggregate and the template scenario it gives (for the optimizer)."""

    aggregate: Aggregate
    scenario: Scenario


# --- rows to values --------------------------------------------------------------------------------

def workshop_from_row(row: sa.Row) -> Workshop:
    m = row._mapping
    return Workshop(m["id"], m["name"], m["template_yaml"], m["budget_bn_kzt"], m["status"],
                    m["adopted_scenario_id"], m["adopted_candidate_id"], m["version"], m["created_at"],
                    m["updated_at"])


def _participant(row: sa.Row) -> Participant:
    return Participant(row.id, row.workshop_id, row.display_name, row.role, row.created_at)


def _submission(row: sa.Row) -> Submission:
    m = row._mapping
    weights = {d: float(m[f"w_{d}"]) for d in DIRECTIONS}
    return Submission(m["id"], m["participant_id"], m["display_name"], m["role"],
                      Priorities(weights, float(m["equity_share"])), list(m["allocation_changes"] or []),
                      m["version"], m["created_at"], m["updated_at"])


def _submission_query() -> sa.Select:
    return sa.select(S, P.c.display_name, P.c.role).join(P, P.c.id == S.c.participant_id)


# --- credentials -------------------------------------------------------------------------------------

def facilitator_row(conn: sa.Connection, facilitator_key: str) -> sa.Row:
    """The workshop the key opens, or :class:`AuthorisationError` (same message whatever was wrong)."""
    parts = split_credential(facilitator_key)
    row = conn.execute(sa.select(W).where(W.c.id == parts[0])).first() if parts else None
    if row is None or parts is None or not check_secret(parts[1], row.facilitator_key_hash):
        raise AuthorisationError("this facilitator key does not open any workshop; check that it was copied whole")
    return row


def participant_rows(conn: sa.Connection, participant_token: str) -> tuple[sa.Row, sa.Row]:
    """The participant the token belongs to and their workshop, or :class:`AuthorisationError`."""
    parts = split_credential(participant_token)
    row = conn.execute(sa.select(P).where(P.c.id == parts[0])).first() if parts else None
    if row is None or parts is None or not check_secret(parts[1], row.token_hash):
        raise AuthorisationError("this participant token is not valid; join the workshop again with its code")
    workshop = conn.execute(sa.select(W).where(W.c.id == row.workshop_id)).one()
    return row, workshop


def require_open(workshop: sa.Row, action: str) -> None:
    if workshop.status != "open":
        state = "has adopted its roadmap" if workshop.status == "adopted" else "is closed"
        raise WorkshopStateError(f"workshop {workshop.name!r} {state}; {action} is no longer possible")


def bump_workshop(conn: sa.Connection, row: sa.Row, expected_version: int, **changes: Any) -> None:
    """Update the workshop row if it is still at ``expected_version``, else :class:`ConflictError`."""
    done = conn.execute(W.update().where(W.c.id == row.id, W.c.version == expected_version).values(
        **changes, version=W.c.version + 1, updated_at=schema.now(), updated_by="facilitator"))
    if done.rowcount != 1:
        now = conn.execute(sa.select(W).where(W.c.id == row.id)).one()
        raise ConflictError(
            f"workshop {now.name!r} was changed by the {now.updated_by or 'facilitator'} at "
            f"{describe_time(now.updated_at)} (now version {now.version}, status {now.status}) since you read "
            f"version {expected_version}; nothing was changed. Reload it and try again")


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise StoreError(f"{what} must be a text (got {type(value).__name__})")
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", value) if unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(cleaned.split())
    if not cleaned or len(cleaned) > limit:
        raise StoreError(f"{what} must be a text of 1 to {limit} characters (got {value!r})")
    return cleaned


# --- facilitator: create, see, aggregate -------------------------------------------------------------

def create_workshop(store: Store, name: str, template_yaml: str, budget_bn_kzt: float | None = None,
                    direction_rules: DirectionRules | None = None) -> CreatedWorkshop:
    """Create a workshop from a scenario template; return it with its join code and facilitator key.

    ``budget_bn_kzt`` is the yearly budget (billion tenge) for every horizon year; None keeps the
    template's. The key is returned here only: keep it, it cannot be shown again.
    """
    name = _text(name, "the workshop name", schema.NAME_LENGTH)
    check_scenario_text(template_yaml, f"workshop {name!r} template", direction_rules)
    if budget_bn_kzt is not None and (isinstance(budget_bn_kzt, bool) or not isinstance(budget_bn_kzt, int | float)
                                      or not math.isfinite(budget_bn_kzt)
                                      or not 0 < budget_bn_kzt <= MAX_YEARLY_BUDGET_BN):
        raise StoreError(f"the workshop budget must be a yearly amount above 0 and at most "
                         f"{MAX_YEARLY_BUDGET_BN:,.0f} bn tenge (got {budget_bn_kzt!r})")
    secret, join_code, stamp = new_secret(), new_join_code(), schema.now()
    with write_transaction(store) as conn:
        workshop_id = schema.new_id(conn.execute(W.insert().values(
            name=name, template_yaml=template_yaml,
            budget_bn_kzt=None if budget_bn_kzt is None else float(budget_bn_kzt), join_code=join_code,
            facilitator_key_hash=hash_secret(secret), status="open", version=1, created_at=stamp,
            updated_at=stamp, updated_by="facilitator")))
        row = conn.execute(sa.select(W).where(W.c.id == workshop_id)).one()
    return CreatedWorkshop(workshop_from_row(row), join_code, make_credential(workshop_id, secret))


def list_workshops(store: Store) -> list[WorkshopListing]:
    """Every workshop with its numbers of participants and submissions (no codes, no keys)."""
    joined = sa.select(P.c.workshop_id, sa.func.count().label("n")).group_by(P.c.workshop_id).subquery()
    submitted = (sa.select(P.c.workshop_id, sa.func.count().label("n")).join(S, S.c.participant_id == P.c.id)
                 .group_by(P.c.workshop_id).subquery())
    query = (sa.select(W, sa.func.coalesce(joined.c.n, 0).label("joined"),
                       sa.func.coalesce(submitted.c.n, 0).label("submitted"))
             .outerjoin(joined, joined.c.workshop_id == W.c.id)
             .outerjoin(submitted, submitted.c.workshop_id == W.c.id).order_by(W.c.id))
    with read_transaction(store) as conn:
        return [WorkshopListing(workshop_from_row(r), int(r.joined), int(r.submitted)) for r in conn.execute(query)]


def get_workshop(store: Store, workshop_id: int) -> Workshop:
    with read_transaction(store) as conn:
        row = conn.execute(sa.select(W).where(W.c.id == workshop_id)).first()
    if row is None:
        raise NotFoundError(f"there is no workshop with id {workshop_id} in {store.url}")
    return workshop_from_row(row)


def open_as_facilitator(store: Store, facilitator_key: str) -> FacilitatorView:
    """The workshop the key opens, its join code (to show again) and who has joined."""
    with read_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        people = conn.execute(sa.select(P).where(P.c.workshop_id == row.id).order_by(P.c.id)).all()
    return FacilitatorView(workshop_from_row(row), row.join_code, [_participant(p) for p in people])


def list_submissions(store: Store, facilitator_key: str) -> list[Submission]:
    """Every participant's current submission (facilitator only), in the order they joined."""
    with read_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        found = conn.execute(_submission_query().where(P.c.workshop_id == row.id).order_by(P.c.id)).all()
    return [_submission(r) for r in found]


def aggregate_submissions(store: Store, facilitator_key: str, tolerance: float = DIRECTION_TOLERANCE,
                          capacity_bn_kzt: Mapping[str, float] | None = None) -> WorkshopAggregate:
    """The median aggregate of the submissions and the scenario it gives (see :mod:`engine.analysis.workshop`).

    ``capacity_bn_kzt`` (each direction's absorption capacity over the horizon) fits the shares to what
    the directions can take, as :func:`engine.analysis.workshop.scenario_for_priorities` describes.
    """
    with read_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        found = [_submission(r) for r in conn.execute(
            _submission_query().where(P.c.workshop_id == row.id).order_by(P.c.id))]
    if not found:
        raise WorkshopStateError(f"workshop {row.name!r} has no submissions yet; nothing to aggregate")
    aggregate = aggregate_priorities([s.priorities for s in found], [s.role for s in found])
    template = workshop_from_row(row).template()
    scenario = scenario_for_priorities(template, aggregate.priorities.weights, aggregate.priorities.equity_share,
                                       tolerance, name=f"{row.name}: median of {len(found)} submissions",
                                       capacity_bn_kzt=capacity_bn_kzt)
    return WorkshopAggregate(aggregate, scenario)


def set_workshop_status(store: Store, facilitator_key: str, status: str, expected_version: int) -> Workshop:
    """Close a workshop to submissions and votes (``closed``) or open it again (``open``)."""
    if status not in ("open", "closed"):
        raise StoreError(f"a workshop can be set to open or closed (got {status!r}); adopt a roadmap to finish it")
    with write_transaction(store) as conn:
        row = facilitator_row(conn, facilitator_key)
        bump_workshop(conn, row, expected_version, status=status)
        return workshop_from_row(conn.execute(sa.select(W).where(W.c.id == row.id)).one())


# --- participants: join, see, submit -----------------------------------------------------------------

def join_workshop(store: Store, join_code: str, display_name: str, role: str) -> JoinedParticipant:
    """Join with the code, a display name (unique in the workshop) and a role; return the token once."""
    if role not in ROLES:
        raise PrioritiesError([problem("join", "pr_one_of", None, "role", role, allowed=', '.join(ROLES))])
    name = _text(display_name, "the display name", 100)
    secret = new_secret()
    try:
        with write_transaction(store) as conn:
            workshop = conn.execute(sa.select(W).where(W.c.join_code == str(join_code).strip())).first()
            if workshop is None:
                raise AuthorisationError("no workshop has this join code; check it with the facilitator")
            require_open(workshop, "joining")
            taken = conn.execute(sa.select(P.c.id).where(P.c.workshop_id == workshop.id,
                                                         P.c.display_name == name)).first()
            if taken is not None:
                raise ConflictError(f"the name {name!r} is already taken in this workshop; choose another")
            pid = schema.new_id(conn.execute(P.insert().values(
                workshop_id=workshop.id, display_name=name, role=role, token_hash=hash_secret(secret),
                created_at=schema.now())))
            row = conn.execute(sa.select(P).where(P.c.id == pid)).one()
    except sa.exc.IntegrityError:
        raise ConflictError(f"the name {name!r} was taken at the same moment by someone else; choose another") from None
    return JoinedParticipant(_participant(row), make_credential(pid, secret))


def open_as_participant(store: Store, participant_token: str) -> ParticipantView:
    """The workshop, the participant and their own submission (never anyone else's)."""
    with read_transaction(store) as conn:
        prow, wrow = participant_rows(conn, participant_token)
        mine = conn.execute(_submission_query().where(S.c.participant_id == prow.id)).first()
    return ParticipantView(workshop_from_row(wrow), _participant(prow), None if mine is None else _submission(mine))


def submit_priorities(store: Store, participant_token: str, weights: dict[str, Any], equity_share: float,
                      allocation_changes: Any = None, expected_version: int | None = None) -> Submission:
    """Save the participant's own priorities.

    The first submission passes ``expected_version=None``; a change passes the version it read. A
    mismatch (the same participant changed it from another window) raises :class:`ConflictError`.
    """
    priorities = Priorities.of(weights, equity_share, "submission")
    changes = check_allocation_changes(allocation_changes)
    values = {**{f"w_{d}": w for d, w in priorities.weights.items()}, "equity_share": priorities.equity_share,
              "allocation_changes": changes or None}
    try:
        with write_transaction(store) as conn:
            prow, wrow = participant_rows(conn, participant_token)
            require_open(wrow, "submitting")
            row = conn.execute(sa.select(S).where(S.c.participant_id == prow.id)).first()
            stamp = schema.now()
            if row is None:
                if expected_version is not None:
                    raise NotFoundError("you have no submission to update yet; submit without a version")
                conn.execute(S.insert().values(participant_id=prow.id, **values, version=1, created_at=stamp,
                                               updated_at=stamp))
            else:
                done = conn.execute(S.update().where(S.c.id == row.id, S.c.version == expected_version)
                                    .values(**values, version=S.c.version + 1, updated_at=stamp))
                if expected_version is None or done.rowcount != 1:
                    now = conn.execute(sa.select(S).where(S.c.id == row.id)).one()
                    raise _stale_submission(prow.display_name, now, expected_version)
            found = conn.execute(_submission_query().where(S.c.participant_id == prow.id)).one()
    except sa.exc.IntegrityError:
        raise ConflictError("your submission was saved from another window at the same moment; reload it") from None
    return _submission(found)


def _stale_submission(name: str, row: sa.Row, read_version: int | None) -> ConflictError:
    when = describe_time(row.updated_at)
    if read_version is None:
        return ConflictError(f"{name} already submitted priorities (version {row.version}, at {when}); nothing was "
                             f"saved. Reload the submission and change it (naming version {row.version})")
    return ConflictError(f"{name}'s submission was changed at {when} (now version {row.version}, from another window "
                         f"or device) since version {read_version} was read; nothing was saved. Reload it first")

"""The durable store: saved scenarios with their results, and workshop sessions.

SQLite by default (one file, safe for several processes), PostgreSQL when a URL says so. Open it with
:func:`open_store`; every function here takes the open :class:`Store` first. Facilitator operations take
the facilitator key, participants' operations their participant token (see ``workshops.py``).

Typical use by the app::

    store = open_store()                                   # ROADMAP_DB or the default SQLite file
    created = create_workshop(store, "Akmola 2026", template_yaml, budget_bn_kzt=400)
    joined = join_workshop(store, created.join_code, "Aigerim", "population")
    submit_priorities(store, joined.participant_token, {"agglomeration": 1, "peripheral_compression": 2,
                      "mobility": 1, "interaction": 1}, equity_share=0.7)
    aggregate_submissions(store, created.facilitator_key).scenario   # solve it with the optimizer
"""

from engine.store.db import Store, default_db_url, resolve_db_url
from engine.store.errors import AuthorisationError, ConflictError, NotFoundError, StoreError, WorkshopStateError
from engine.store.export import WorkshopExport, export_workshop, safe_cell, workshop_export_csv, workshop_export_json
from engine.store.migrations import LATEST_VERSION, upgrade_schema
from engine.store.opening import open_store
from engine.store.scenarios import (
    StoredResult,
    StoredScenario,
    get_scenario,
    latest_result,
    list_scenarios,
    save_result,
    save_scenario,
    update_scenario,
)
from engine.store.voting import (
    Ballot,
    Candidate,
    RankedCandidate,
    add_aggregate_candidate,
    add_candidate,
    add_participant_candidates,
    adopt_roadmap,
    cast_vote,
    list_candidates,
    my_ballot,
    rank_candidates,
)
from engine.store.workshops import (
    CreatedWorkshop,
    FacilitatorView,
    JoinedParticipant,
    Participant,
    ParticipantView,
    Submission,
    Workshop,
    WorkshopAggregate,
    WorkshopListing,
    aggregate_submissions,
    create_workshop,
    get_workshop,
    join_workshop,
    list_submissions,
    list_workshops,
    open_as_facilitator,
    open_as_participant,
    set_workshop_status,
    submit_priorities,
)

__all__ = [
    "LATEST_VERSION", "AuthorisationError", "Ballot", "Candidate", "ConflictError", "CreatedWorkshop",
    "FacilitatorView", "JoinedParticipant", "NotFoundError", "Participant", "ParticipantView", "RankedCandidate",
    "Store", "StoreError", "StoredResult", "StoredScenario", "Submission", "Workshop", "WorkshopAggregate",
    "WorkshopExport", "WorkshopListing", "WorkshopStateError", "add_aggregate_candidate", "add_candidate",
    "add_participant_candidates", "adopt_roadmap", "aggregate_submissions", "cast_vote", "create_workshop",
    "default_db_url", "export_workshop", "get_scenario", "get_workshop", "join_workshop", "latest_result",
    "list_candidates", "list_scenarios", "list_submissions", "list_workshops", "my_ballot", "open_as_facilitator",
    "open_as_participant", "open_store", "rank_candidates", "resolve_db_url", "safe_cell", "save_result",
    "save_scenario", "set_workshop_status", "submit_priorities", "update_scenario", "upgrade_schema",
    "workshop_export_csv", "workshop_export_json",
]

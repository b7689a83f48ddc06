"""Export of a workshop: submissions, the aggregate, the ranked candidates and the adopted roadmap.

As JSON (everything, with the scenario texts and the adopted roadmap's latest result) and as one CSV
table with a ``section`` column. CSV cells are safe to open in a spreadsheet: a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so it is not run as a formula
(OWASP's advice on CSV injection); numbers, negative ones included, stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from engine.analysis.workshop import DIRECTION_TOLERANCE
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import Scenario
from engine.store import schema
from engine.store.db import Store
from engine.store.scenarios import StoredResult, StoredScenario, get_scenario, latest_result
from engine.store.voting import RankedCandidate, rank_candidates
from engine.store.workshops import (
    Participant,
    Submission,
    Workshop,
    WorkshopAggregate,
    aggregate_submissions,
    list_submissions,
    open_as_facilitator,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("section", "id", "name", "role", *DIRECTIONS, "equity_share", "points", "rank", "tied",
               "version", "updated_at", "detail")
BORDA_RULE = ("Borda count: position k (0 = first) of n candidates earns n-1-k points, unranked 0; "
              "equal points share a rank")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-5"), safe_cell(-5.0), safe_cell("Aigerim")
    ('\\'=HYPERLINK("http://x")', "'-5", -5.0, 'Aigerim')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class WorkshopExport:
    workshop: Workshop
    exported_at: dt.datetime
    participants: list[Participant]
    submissions: list[Submission]
    aggregate: WorkshopAggregate | None
    ranking: list[RankedCandidate]
    ballots: int
    adopted: StoredScenario | None
    adopted_result: StoredResult | None


def export_workshop(store: Store, facilitator_key: str) -> WorkshopExport:
    """Everything about a workshop the facilitator may see (the key is checked first)."""
    view = open_as_facilitator(store, facilitator_key)
    submissions = list_submissions(store, facilitator_key)
    aggregate = aggregate_submissions(store, facilitator_key) if submissions else None
    ranking, ballots = rank_candidates(store, facilitator_key)
    adopted = adopted_result = None
    if view.workshop.adopted_scenario_id is not None:
        adopted = get_scenario(store, view.workshop.adopted_scenario_id)
        adopted_result = latest_result(store, adopted.id)
    return WorkshopExport(view.workshop, schema.now(), view.participants, submissions, aggregate, ranking, ballots,
                          adopted, adopted_result)


def _bounds(scenario: Scenario) -> dict[str, dict[str, float]]:
    return {d: {"min": scenario.bounds(d).min, "max": scenario.bounds(d).max} for d in DIRECTIONS}


def workshop_export_json(export: WorkshopExport) -> dict[str, Any]:
    """The export as one JSON-ready object."""
    agg = export.aggregate
    adopted = None
    if export.adopted is not None:
        adopted = {**export.adopted.summary(), "yaml": export.adopted.yaml,
                   "result": None if export.adopted_result is None else export.adopted_result.result,
                   "result_scenario_version": None if export.adopted_result is None
                   else export.adopted_result.scenario_version}
    return {
        "workshop": export.workshop.summary(),
        "exported_at": export.exported_at.isoformat(),
        "rules": {"aggregate": agg.aggregate.rule if agg else None, "ranking": BORDA_RULE,
                  "direction_tolerance": DIRECTION_TOLERANCE},
        "participants": [{"id": p.id, "display_name": p.display_name, "role": p.role,
                          "joined_at": p.created_at.isoformat()} for p in export.participants],
        "submissions": [s.to_dict() for s in export.submissions],
        "aggregate": None if agg is None else {**agg.aggregate.to_dict(), "scenario_yaml": agg.scenario.to_yaml(),
                                               "direction_bounds": _bounds(agg.scenario)},
        "ballots": export.ballots,
        "candidates": [{"id": r.candidate.id, "title": r.candidate.title, "source": r.candidate.source,
                        "points": r.points, "first_places": r.first_places, "rank": r.rank, "tied": r.tied,
                        "scenario_yaml": r.candidate.scenario_yaml} for r in export.ranking],
        "adopted": adopted,
    }


def workshop_export_csv(export: WorkshopExport) -> str:
    """The export as one CSV table (a ``section`` column tells the kinds of rows apart)."""
    rows: list[dict[str, Any]] = []
    w = export.workshop
    budget = "template's budget" if w.budget_bn_kzt is None else f"{w.budget_bn_kzt:g} bn tenge a year"
    rows.append({"section": "workshop", "id": w.id, "name": w.name, "version": w.version,
                 "updated_at": w.updated_at.isoformat(),
                 "detail": f"status {w.status}; {budget}; exported {export.exported_at.isoformat()}"})
    for s in export.submissions:
        rows.append({"section": "submission", "id": s.participant_id, "name": s.display_name, "role": s.role,
                     **s.priorities.weights, "equity_share": s.priorities.equity_share, "version": s.version,
                     "updated_at": s.updated_at.isoformat(),
                     "detail": json.dumps(s.allocation_changes, ensure_ascii=False) if s.allocation_changes else ""})
    if export.aggregate is not None:
        agg = export.aggregate.aggregate
        rows.append({"section": "aggregate", "name": f"median of {agg.count} submissions",
                     **agg.priorities.weights, "equity_share": agg.priorities.equity_share, "detail": agg.rule})
        for role, p in agg.by_role.items():
            rows.append({"section": "aggregate_by_role", "name": role, "role": role, **p.weights,
                         "equity_share": p.equity_share})
    for r in export.ranking:
        scenario = r.candidate.scenario()
        rows.append({"section": "candidate", "id": r.candidate.id, "name": r.candidate.title,
                     "role": r.candidate.source, **_bound_cells(scenario), "equity_share": scenario.equity_share,
                     "points": r.points, "rank": r.rank, "tied": r.tied,
                     "detail": f"{r.first_places} first places of {export.ballots} ballots"})
    if export.adopted is not None:
        scenario = export.adopted.scenario()
        rows.append({"section": "adopted", "id": export.adopted.id, "name": export.adopted.name,
                     **_bound_cells(scenario), "equity_share": scenario.equity_share,
                     "version": export.adopted.version, "updated_at": export.adopted.updated_at.isoformat(),
                     "detail": export.adopted.yaml})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(row.get(key, "")) for key in CSV_COLUMNS})
    return out.getvalue()


def _bound_cells(scenario: Scenario) -> dict[str, str]:
    """Direction share bounds as ``min..max`` text (never starting with a formula character)."""
    return {d: f"{scenario.bounds(d).min:g}..{scenario.bounds(d).max:g}" for d in DIRECTIONS}

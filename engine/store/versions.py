"""Every version of a saved scenario: the current one (the scenarios row) and each it replaced
(``scenario_versions``), with the result saved for each; and a revised plan adopted as a new version.

Adopting a revised plan (``roadmap monitor``'s replan) is an update of the scenario naming the version that was
read, so a concurrent change is refused as for any save; the replaced version's text stays in
``scenario_versions`` and its results in ``results``, so the plan it revised can still be opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from engine.store import schema
from engine.store.db import Store, read_transaction
from engine.store.errors import NotFoundError
from engine.store.scenarios import StoredScenario, get_scenario, update_scenario

V = schema.scenario_versions


@dataclass(frozen=True)
class ScenarioVersion:
    scenario_id: int
    name: str
    version: int
    yaml: str
    label: str | None
    saved_at: dt.datetime
    saved_by: str | None
    current: bool
    result: Any = None  # the latest result saved for this version, if any

    @property
    def title(self) -> str:
        """``name vN (label)``, what a picker shows."""
        return f"{self.name} v{self.version}" + (f" ({self.label})" if self.label else "")


def list_versions(store: Store, scenario_id: int) -> list[ScenarioVersion]:
    """Every version of a scenario, oldest first, the current one last, each with its latest result."""
    current = get_scenario(store, scenario_id)
    with read_transaction(store) as conn:
        rows = conn.execute(sa.select(V).where(V.c.scenario_id == scenario_id).order_by(V.c.version)).all()
        R = schema.results
        results: dict[int, Any] = {}
        for row in conn.execute(sa.select(R.c.scenario_version, R.c.result).where(R.c.scenario_id == scenario_id)
                                .order_by(R.c.id)):
            results[row.scenario_version] = row.result
    out = [ScenarioVersion(scenario_id, current.name, r.version, r.yaml, r.label, r.saved_at, r.saved_by, False,
                           results.get(r.version)) for r in rows]
    out.append(ScenarioVersion(scenario_id, current.name, current.version, current.yaml, current.label,
                               current.updated_at, current.updated_by, True, results.get(current.version)))
    return out


def get_version(store: Store, scenario_id: int, version: int) -> ScenarioVersion:
    found = next((v for v in list_versions(store, scenario_id) if v.version == version), None)
    if found is None:
        raise NotFoundError(f"scenario {scenario_id} has no version {version}")
    return found


def all_versions(store: Store) -> list[ScenarioVersion]:
    """Every version of every saved scenario (what a workshop may run on)."""
    from engine.store.scenarios import list_scenarios

    return [v for s in list_scenarios(store) for v in list_versions(store, s.id)]


def adopt_revised_plan(store: Store, scenario_id: int, expected_version: int, revised: dict[str, Any], *,
                       yaml_text: str | None = None, saved_by: str | None = None,
                       label: str | None = None) -> StoredScenario:
    """Save a revised plan (``Monitoring.to_json()``) as the next version of the scenario, the previous kept.

    The new version's text is ``yaml_text`` if given, else the replan's scenario (``replan.scenario_yaml``: the
    remaining years' budgets and the ``progress`` that holds the spent years, so a workshop or a roadmap on the
    new version keeps them), else the scenario's text as it was; the result of the new version is the
    monitoring JSON, whose ``replan.allocation`` is the revised plan.
    """
    current = get_scenario(store, scenario_id)
    if yaml_text is None:
        replan = revised.get("replan") if isinstance(revised, dict) else None
        yaml_text = replan.get("scenario_yaml") if isinstance(replan, dict) else None
    return update_scenario(store, scenario_id, yaml_text if yaml_text is not None else current.yaml,
                           expected_version=expected_version, result=revised, saved_by=saved_by,
                           label=label if label is not None else f"revised as of {revised.get('as_of')}")

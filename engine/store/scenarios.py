"""Saved scenarios and their results.

A scenario is saved under a unique name with its YAML text (checked by :func:`engine.model.study.read_scenario` first:
bad input is refused and nothing is written). Saving again under a taken name, or updating by id, must
name the version that was read; when the row has moved on, :class:`ConflictError` says who changed it and
when, and nothing is overwritten. A result given with a save is written in the same transaction, tagged
with the scenario version it belongs to, so there is never a scenario without its result or a result for
a version that was not saved.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from engine.core.parameters import DirectionRules, load_direction_rules
from engine.core.scenario import Scenario
from engine.model.study import read_scenario
from engine.store import schema
from engine.store.db import Store, read_transaction, write_transaction
from engine.store.errors import ConflictError, NotFoundError, StoreError

T = schema.scenarios


@dataclass(frozen=True)
class StoredScenario:
    id: int
    name: str
    yaml: str
    objective: str
    base_year: int
    horizon: tuple[int, int]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    owner: str | None = None
    label: str | None = None
    updated_by: str | None = None

    def scenario(self, direction_rules: DirectionRules | None = None) -> Scenario:
        """The scenario itself, checked again (the rules may have changed since it was saved)."""
        return read_scenario(self.yaml, direction_rules, f"scenario {self.name!r}")

    def summary(self) -> dict[str, Any]:
        """One object of ``roadmap scenario list --json``."""
        return {"id": self.id, "name": self.name, "version": self.version,
                "updated_at": self.updated_at.isoformat(), "objective": self.objective,
                "base_year": self.base_year, "horizon": list(self.horizon), "created_at": self.created_at.isoformat(),
                "owner": self.owner, "label": self.label, "updated_by": self.updated_by}


@dataclass(frozen=True)
class StoredResult:
    id: int
    scenario_id: int
    scenario_version: int
    result: Any
    created_at: dt.datetime


def describe_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def check_scenario_text(yaml_text: str, source: str = "scenario",
                        direction_rules: DirectionRules | None = None) -> Scenario:
    """Check a scenario's YAML as a file would be checked (raises :class:`ScenarioError`)."""
    if not isinstance(yaml_text, str):
        raise TypeError("the scenario must be YAML text")
    return read_scenario(yaml_text, direction_rules or load_direction_rules(), source)


def check_result(result: Any, where: str) -> Any:
    """Refuse a result that JSON cannot hold exactly (NaN, infinity, objects)."""
    try:
        return json.loads(json.dumps(result, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{where}: the result cannot be saved as JSON ({exc})") from None


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > schema.NAME_LENGTH:
        raise StoreError(f"a scenario name must be a text of 1 to {schema.NAME_LENGTH} characters (got {value!r})")
    return value.strip()


def _from_row(row: sa.Row) -> StoredScenario:
    m = row._mapping
    return StoredScenario(m["id"], m["name"], m["yaml"], m["objective"], m["base_year"],
                          (m["horizon_first"], m["horizon_last"]), m["version"], m["created_at"], m["updated_at"],
                          m["owner"], m["label"], m["updated_by"])


def _fields(parsed: Scenario) -> dict[str, Any]:
    return {"objective": parsed.objective, "base_year": parsed.base_year, "horizon_first": parsed.first_year,
            "horizon_last": parsed.last_year}


def _stale(row: sa.Row, read_version: int | None) -> ConflictError:
    m = row._mapping
    by = m["updated_by"] or "someone"
    if read_version is None:
        return ConflictError(
            f"a scenario named {m['name']!r} already exists (version {m['version']}, saved by {by} at "
            f"{describe_time(m['updated_at'])}); nothing was saved. To replace it, save again naming the version "
            f"you read (--expected-version {m['version']}), or choose another name")
    return ConflictError(
        f"scenario {m['name']!r} was changed by {by} at {describe_time(m['updated_at'])} (now version "
        f"{m['version']}) since you read version {read_version}; nothing was saved. Reload it and apply your "
        "changes again")


def _insert_scenario(conn: sa.Connection, name: str, yaml_text: str, parsed: Scenario, saved_by: str | None,
                     owner: str | None, label: str | None) -> int:
    stamp = schema.now()
    return schema.new_id(conn.execute(T.insert().values(
        name=name, yaml=yaml_text, **_fields(parsed), owner=owner, label=label, version=1, created_at=stamp,
        updated_at=stamp, updated_by=saved_by)))


def _update_scenario(conn: sa.Connection, row: sa.Row, read_version: int, yaml_text: str, parsed: Scenario,
                     saved_by: str | None, label: str | None) -> int:
    """Write the new text if the row is still at ``read_version``; return the new version. The text it
    replaces is kept in ``scenario_versions``."""
    changes: dict[str, Any] = {"yaml": yaml_text, **_fields(parsed), "version": T.c.version + 1,
                               "updated_at": schema.now(), "updated_by": saved_by}
    if label is not None:
        changes["label"] = label
    done = conn.execute(T.update().where(T.c.id == row.id, T.c.version == read_version).values(**changes))
    if done.rowcount != 1:  # changed by another transaction between our read and this write
        current = conn.execute(sa.select(T).where(T.c.id == row.id)).one()
        raise _stale(current, read_version)
    conn.execute(schema.scenario_versions.insert().values(
        scenario_id=row.id, version=read_version, yaml=row.yaml, label=row.label, saved_at=row.updated_at,
        saved_by=row.updated_by))
    return read_version + 1


def insert_result(conn: sa.Connection, scenario_id: int, version: int, result: Any) -> int:
    return schema.new_id(conn.execute(schema.results.insert().values(
        scenario_id=scenario_id, scenario_version=version, result=result, created_at=schema.now())))


def write_scenario(conn: sa.Connection, yaml_text: str, parsed: Scenario, name: str, *,
                   expected_version: int | None, result: Any, saved_by: str | None, owner: str | None = None,
                   label: str | None = None) -> int:
    """Insert or update (by name) inside an open write transaction; return the scenario id."""
    row = conn.execute(sa.select(T).where(T.c.name == name)).first()
    if row is None:
        if expected_version is not None:
            raise NotFoundError(f"there is no scenario named {name!r} to update (you read version "
                                f"{expected_version}); nothing was saved")
        scenario_id, version = _insert_scenario(conn, name, yaml_text, parsed, saved_by, owner, label), 1
    else:
        if expected_version != row.version:
            raise _stale(row, expected_version)
        scenario_id = row.id
        version = _update_scenario(conn, row, row.version, yaml_text, parsed, saved_by, label)
    if result is not None:
        insert_result(conn, scenario_id, version, result)
    return scenario_id


def save_scenario(store: Store, yaml_text: str, *, name: str | None = None, expected_version: int | None = None,
                  result: Any = None, saved_by: str | None = None, owner: str | None = None,
                  label: str | None = None, direction_rules: DirectionRules | None = None,
                  source: str = "scenario") -> StoredScenario:
    """Save a scenario under ``name`` (default: the name inside the YAML), with its result if given.

    A new name is inserted at version 1. A taken name is replaced only when ``expected_version`` equals
    its current version (the one the caller read); otherwise :class:`ConflictError`. Scenario and result
    go in one transaction: both are saved or neither.
    """
    parsed = check_scenario_text(yaml_text, source, direction_rules)
    name = _name(name if name is not None else parsed.name)
    payload = None if result is None else check_result(result, f"result of {name!r}")
    try:
        with write_transaction(store) as conn:
            scenario_id = write_scenario(conn, yaml_text, parsed, name, expected_version=expected_version,
                                         result=payload, saved_by=saved_by, owner=owner, label=label)
            return _from_row(conn.execute(sa.select(T).where(T.c.id == scenario_id)).one())
    except sa.exc.IntegrityError:  # PostgreSQL: a concurrent save of the same new name committed first
        raise ConflictError(f"a scenario named {name!r} was saved by someone else at the same moment; nothing "
                            "was saved. List the scenarios and try again") from None


def update_scenario(store: Store, scenario_id: int, yaml_text: str, *, expected_version: int,
                    result: Any = None, saved_by: str | None = None, label: str | None = None,
                    direction_rules: DirectionRules | None = None) -> StoredScenario:
    """Replace the YAML of scenario ``scenario_id`` if it is still at ``expected_version``."""
    parsed = check_scenario_text(yaml_text, f"scenario {scenario_id}", direction_rules)
    payload = None if result is None else check_result(result, f"result of scenario {scenario_id}")
    with write_transaction(store) as conn:
        row = conn.execute(sa.select(T).where(T.c.id == scenario_id)).first()
        if row is None:
            raise NotFoundError(f"there is no scenario with id {scenario_id}; nothing was saved")
        if row.version != expected_version:
            raise _stale(row, expected_version)
        version = _update_scenario(conn, row, expected_version, yaml_text, parsed, saved_by, label)
        if payload is not None:
            insert_result(conn, scenario_id, version, payload)
        return _from_row(conn.execute(sa.select(T).where(T.c.id == scenario_id)).one())


def save_result(store: Store, scenario_id: int, result: Any, scenario_version: int) -> StoredResult:
    """Attach a result computed from version ``scenario_version`` of a scenario (refused if it moved on)."""
    payload = check_result(result, f"result of scenario {scenario_id}")
    with write_transaction(store) as conn:
        row = conn.execute(sa.select(T).where(T.c.id == scenario_id)).first()
        if row is None:
            raise NotFoundError(f"there is no scenario with id {scenario_id}")
        if row.version != scenario_version:
            raise ConflictError(
                f"the result was computed from version {scenario_version} of scenario {row.name!r}, but "
                f"{row.updated_by or 'someone'} saved version {row.version} at {describe_time(row.updated_at)}; "
                "the result was not saved. Solve the current version again")
        result_id = insert_result(conn, scenario_id, scenario_version, payload)
        found = conn.execute(sa.select(schema.results).where(schema.results.c.id == result_id)).one()
    return StoredResult(found.id, found.scenario_id, found.scenario_version, found.result, found.created_at)


def get_scenario(store: Store, scenario_id: int | None = None, name: str | None = None) -> StoredScenario:
    """One saved scenario by id or by name."""
    if (scenario_id is None) == (name is None):
        raise ValueError("give either an id or a name")
    where = T.c.id == scenario_id if scenario_id is not None else T.c.name == (name or "").strip()
    with read_transaction(store) as conn:
        row = conn.execute(sa.select(T).where(where)).first()
    if row is None:
        wanted = f"id {scenario_id}" if scenario_id is not None else f"name {name!r}"
        raise NotFoundError(f"there is no saved scenario with {wanted} in {store.url}")
    return _from_row(row)


def list_scenarios(store: Store) -> list[StoredScenario]:
    """Every saved scenario, oldest first."""
    with read_transaction(store) as conn:
        return [_from_row(row) for row in conn.execute(sa.select(T).order_by(T.c.id))]


def latest_result(store: Store, scenario_id: int, scenario_version: int | None = None) -> StoredResult | None:
    """The most recent result of a scenario (of one version when given), or None."""
    R = schema.results
    query = sa.select(R).where(R.c.scenario_id == scenario_id)
    if scenario_version is not None:
        query = query.where(R.c.scenario_version == scenario_version)
    with read_transaction(store) as conn:
        row = conn.execute(query.order_by(R.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return StoredResult(row.id, row.scenario_id, row.scenario_version, row.result, row.created_at)

"""Versioned schema: ordered migrations, applied together in one transaction.

The ``schema_version`` table holds one row per applied migration. :func:`upgrade_schema` takes the write
lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, so two processes opening a new
database at once do not both create it), applies every migration above the database's version in order,
and commits once: a failing migration leaves the database exactly as it was.

Migration 1 is the scenario store (scenarios, results); migration 2 adds workshops (workshops,
participants, submissions, candidates, votes); migration 3 keeps each scenario's earlier versions. Each
creates the tables of ``schema.py`` as they are today; a later change to one of those tables is a new
migration (``ALTER TABLE`` and a data fix-up), and the earlier migration then keeps a frozen copy of the
table it created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from engine.store import schema
from engine.store.db import Store, write_transaction
from engine.store.errors import StoreError

ADVISORY_LOCK_ID = 7_202_501  # any constant shared by every process migrating the same PostgreSQL database


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _create(*tables: sa.Table) -> Callable[[sa.Connection], None]:
    def apply(conn: sa.Connection) -> None:
        for table in tables:
            table.create(conn)

    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "scenarios and their results", _create(schema.scenarios, schema.results)),
    Migration(2, "workshops: participants, submissions, candidates, votes",
              _create(schema.workshops, schema.participants, schema.submissions, schema.candidates,
                      schema.votes)),
    Migration(3, "the earlier versions of each scenario", _create(schema.scenario_versions)),
)
LATEST_VERSION = MIGRATIONS[-1].version


def read_schema_version(conn: sa.Connection) -> int:
    """The version of the database's schema: 0 for an empty database."""
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    return int(found or 0)


def upgrade_schema(store: Store, target: int | None = None,
                   migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database to ``target`` (default: the latest version); return the version reached."""
    latest = migrations[-1].version
    target = latest if target is None else target
    with write_transaction(store) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        schema.schema_version.create(conn, checkfirst=True)
        current = read_schema_version(conn)
        if current > latest:
            raise StoreError(f"the database {store.url} has schema version {current}, newer than this program "
                             f"knows ({latest}); use a newer version of the program")
        for migration in migrations:
            if current < migration.version <= target:
                migration.apply(conn)
                conn.execute(schema.schema_version.insert().values(
                    version=migration.version, description=migration.description, applied_at=schema.now()))
                current = migration.version
    return current

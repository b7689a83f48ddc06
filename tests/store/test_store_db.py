"""Opening the store, SQLite settings, transactions, and the versioned schema with its migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.store import LATEST_VERSION, StoreError, default_db_url, open_store, resolve_db_url, save_scenario, schema
from engine.store.db import read_transaction, write_transaction
from engine.store.migrations import MIGRATIONS, Migration, read_schema_version, upgrade_schema


def test_default_url_comes_from_the_environment_or_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ROADMAP_DB", "sqlite:///elsewhere.sqlite")
    assert default_db_url() == "sqlite:///elsewhere.sqlite"
    assert resolve_db_url(None) == "sqlite:///elsewhere.sqlite"
    assert resolve_db_url("sqlite:///given.sqlite") == "sqlite:///given.sqlite"
    monkeypatch.delenv("ROADMAP_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_url() == f"sqlite:///{tmp_path / 'data' / 'roadmap' / 'roadmap.sqlite'}"
    with open_store() as store:  # creates the parent folders
        assert store.dialect == "sqlite"
    assert (tmp_path / "data" / "roadmap" / "roadmap.sqlite").is_file()


@pytest.mark.parametrize(("url", "expected"), [
    ("mysql://x/y", "only SQLite and PostgreSQL"),
    ("not a url", "not a database URL"),
    ("postgresql+nodriver://u@h/d", "database driver is not installed"),
])
def test_bad_urls_are_refused_with_a_reason(url, expected):
    with pytest.raises(StoreError, match=expected):
        open_store(url)


def test_unreachable_server_is_a_store_error_naming_the_url_without_password():
    with pytest.raises(StoreError) as info:
        open_store("postgresql://planner:secret-pw@127.0.0.1:1/roadmap")
    assert "127.0.0.1" in str(info.value) and "secret-pw" not in str(info.value)


def test_sqlite_is_set_up_for_several_writers(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_write_transactions_take_the_write_lock_at_begin(sqlite_url, sqlite_store):
    # a second writer is refused while the first has only begun (nothing written yet): BEGIN IMMEDIATE
    other = sa.create_engine(sqlite_url, connect_args={"timeout": 0.05, "isolation_level": None})
    try:
        with write_transaction(sqlite_store), other.connect() as conn, \
                pytest.raises(sa.exc.OperationalError, match="locked"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        with read_transaction(sqlite_store) as reading, other.connect() as conn:
            reading.execute(sa.select(schema.scenarios.c.id)).all()
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # a reader does not block a writer
            conn.exec_driver_sql("ROLLBACK")
    finally:
        other.dispose()


def test_an_exception_inside_a_write_rolls_everything_back(store, scenario_text):
    with pytest.raises(RuntimeError), write_transaction(store) as conn:
        conn.execute(schema.schema_version.insert().values(version=99, description="x", applied_at=schema.now()))
        raise RuntimeError("interrupted")
    with read_transaction(store) as conn:
        assert read_schema_version(conn) == LATEST_VERSION


def test_a_new_database_gets_every_table_of_the_schema(store):
    inspector = sa.inspect(store.engine)
    for table in schema.metadata.sorted_tables:
        found = {c["name"] for c in inspector.get_columns(table.name)}
        assert found == set(table.columns.keys()), table.name
    with read_transaction(store) as conn:
        assert read_schema_version(conn) == LATEST_VERSION == MIGRATIONS[-1].version
        rows = conn.execute(sa.select(schema.schema_version).order_by(schema.schema_version.c.version)).all()
    assert [r.version for r in rows] == [m.version for m in MIGRATIONS]


def test_upgrading_from_version_1_keeps_the_data(db_url, scenario_text):
    store = open_store(db_url, upgrade=False)
    try:
        assert upgrade_schema(store, target=1) == 1
        assert not sa.inspect(store.engine).has_table("workshops")
        saved = save_scenario(store, scenario_text, result={"kept": True})
    finally:
        store.close()
    with open_store(db_url) as upgraded:
        with read_transaction(upgraded) as conn:
            assert read_schema_version(conn) == LATEST_VERSION
            assert conn.execute(sa.select(schema.scenarios.c.name)).scalars().all() == [saved.name]
            assert conn.execute(sa.select(schema.results.c.result)).scalars().all() == [{"kept": True}]
        assert sa.inspect(upgraded.engine).has_table("workshops")
        assert upgrade_schema(upgraded) == LATEST_VERSION  # applying again changes nothing


def test_a_failing_migration_leaves_the_database_as_it_was(db_url):
    def broken(conn: sa.Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration bug")

    store = open_store(db_url, upgrade=False)
    try:
        upgrade_schema(store, target=1)
        with pytest.raises(RuntimeError, match="migration bug"):
            upgrade_schema(store, migrations=(*MIGRATIONS[:1], Migration(2, "broken", broken)))
        inspector = sa.inspect(store.engine)
        assert not inspector.has_table("half_done") and not inspector.has_table("workshops")
        with read_transaction(store) as conn:
            assert read_schema_version(conn) == 1
    finally:
        store.close()


def test_a_newer_schema_is_refused(sqlite_url):
    with open_store(sqlite_url) as store, write_transaction(store) as conn:
        conn.execute(schema.schema_version.insert().values(version=LATEST_VERSION + 1, description="future",
                                                           applied_at=schema.now()))
    with pytest.raises(StoreError, match=f"schema version {LATEST_VERSION + 1}, newer than this program"):
        open_store(sqlite_url)


def test_sqlite_parent_folder_that_cannot_be_created(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}")


def test_the_postgresql_fixture_says_why_it_cannot_start(monkeypatch):
    import postgres_server

    monkeypatch.setattr(postgres_server, "find_bindir", lambda: None)
    with pytest.raises(postgres_server.ServerUnavailable, match="install the Debian package postgresql"):
        postgres_server.start_server()
    monkeypatch.setattr(postgres_server, "find_bindir", lambda: Path("/usr/lib/postgresql/15/bin"))
    monkeypatch.setattr(postgres_server.os, "geteuid", lambda: 0)
    monkeypatch.setattr(postgres_server.pwd, "getpwnam", lambda name: (_ for _ in ()).throw(KeyError(name)))
    with pytest.raises(postgres_server.ServerUnavailable, match="no 'postgres' system user"):
        postgres_server.start_server()

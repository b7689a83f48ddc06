"""Fixtures of the store's tests: an SQLite file per test, and a real PostgreSQL database per test.

The PostgreSQL server is started once per session by ``postgres_server.py``; each test gets a fresh
database on it. When no server can be started the PostgreSQL variants are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from postgres_server import PostgresServer, ServerUnavailable, start_server
from store_workers import SCENARIO as NAMED_SCENARIO

from engine.store import Store, open_store

SCENARIO = NAMED_SCENARIO.format(name="Concept 2025-2030")


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    external = os.environ.get("ROADMAP_TEST_PG_URL", "").strip()
    if external:
        yield external
        return
    try:
        server: PostgresServer = start_server()
    except ServerUnavailable as exc:
        pytest.skip(f"no PostgreSQL server for the store tests: {exc}")
    try:
        yield server.admin_url
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server (dropped afterwards)."""
    name = f"roadmap_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin.url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store' / 'roadmap.sqlite'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test against an SQLite file and a PostgreSQL database."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(sqlite_url: str) -> Iterator[Store]:
    with open_store(sqlite_url) as opened:
        yield opened


@pytest.fixture
def scenario_text() -> str:
    return SCENARIO

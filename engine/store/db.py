"""Opening the store: SQLite by default, PostgreSQL (psycopg 3) when a URL says so.

The URL comes from ``--db`` or the ``ROADMAP_DB`` environment variable, else the default file
``$XDG_DATA_HOME/roadmap/roadmap.sqlite`` (``~/.local/share/roadmap/roadmap.sqlite``); the CLI and the app
both call :func:`default_db_url`.

SQLite is set up for several writing processes: WAL journal (readers never block the writer),
``synchronous=FULL`` (a committed save survives a power cut, not only a killed process), foreign keys on,
a busy timeout, and write transactions opened with ``BEGIN IMMEDIATE``. Python's sqlite3 would otherwise
open a deferred transaction, and in WAL mode a reader that later upgrades to a writer fails at once with
"database is locked" without waiting for the timeout. The recipe (SQLAlchemy's pysqlite notes on
serializable isolation): turn off the driver's own BEGIN (``isolation_level = None`` on the DBAPI
connection) and emit BEGIN in the engine's ``begin`` event.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from engine.store.errors import StoreError

ENV_VAR = "ROADMAP_DB"
BUSY_TIMEOUT_S = 30.0
_READ_ONLY = "roadmap_read_only"  # execution option: open the SQLite transaction deferred (a reader)


@dataclass(frozen=True, eq=False)
class Store:
    """An open store: the SQLAlchemy engine and the URL it was opened with (password hidden)."""

    engine: sa.Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        """Close every pooled connection (call before the process forks or exits)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_db_url() -> str:
    """``ROADMAP_DB`` if set, else the SQLite file in the user's data folder (created on first save)."""
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'roadmap' / 'roadmap.sqlite'}"


def resolve_db_url(url: str | None = None) -> str:
    """The URL given, else :func:`default_db_url`. ``postgresql://`` and ``postgres://`` mean psycopg 3.

    >>> resolve_db_url("postgres://planner@db.example/roadmap")
    'postgresql+psycopg://planner@db.example/roadmap'
    """
    chosen = (url or "").strip() or default_db_url()
    for prefix in ("postgres://", "postgresql://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix):]
    return chosen


def connect_store(url: str | None = None) -> Store:
    """Connect to the store at ``url`` (see :func:`resolve_db_url`), leaving its schema as it is.

    :func:`engine.store.opening.open_store` also brings the schema up to date. Raises :class:`StoreError`
    with the reason when the URL is malformed or the driver is missing.
    """
    text = resolve_db_url(url)
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise StoreError(f"not a database URL: {text!r} (e.g. sqlite:///path/roadmap.sqlite or "
                         "postgresql+psycopg://user@host/dbname)") from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"{shown}: only SQLite and PostgreSQL databases are supported")
    try:
        if backend == "sqlite":
            engine = _sqlite_engine(parsed)
        else:
            engine = sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"{shown}: the database driver is not installed ({exc})") from None
    return Store(engine, shown)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of {database}: {exc.strerror}") from None
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver emits no BEGIN; _on_begin does
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        reader = conn.get_execution_options().get(_READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")

    return engine


@contextmanager
def write_transaction(store: Store) -> Iterator[sa.Connection]:
    """One write transaction: commits when the block ends, rolls back entirely when it raises.

    On SQLite it holds the write lock from the start (``BEGIN IMMEDIATE``), waiting up to
    ``BUSY_TIMEOUT_S`` for another writer to finish.
    """
    with _translated(store), store.engine.begin() as conn:
        yield conn


@contextmanager
def read_transaction(store: Store) -> Iterator[sa.Connection]:
    """One read transaction: a consistent snapshot, never blocking writers."""
    with _translated(store), store.engine.connect() as conn:
        conn.execution_options(**{_READ_ONLY: True})
        with conn.begin():
            yield conn


@contextmanager
def _translated(store: Store) -> Iterator[None]:
    """Database failures (locked past the timeout, server down) as a :class:`StoreError` naming the URL."""
    try:
        yield
    except sa.exc.IntegrityError:
        raise  # the repository turns these into conflicts with a message of its own
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        if "locked" in reason or "busy" in reason:
            reason += f" (another process held the database for more than {BUSY_TIMEOUT_S:g} s; try again)"
        raise StoreError(f"database {store.url}: {reason}") from None
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise StoreError(f"database {store.url}: {reason}") from None

"""Opening the store for use: connect (``db.py``), then bring the schema up to date (``migrations.py``).

This sits above both so that imports run one way: the migrations use the connection and transactions of
``db.py``, and ``db.py`` knows nothing of the migrations.
"""

from __future__ import annotations

from engine.store.db import Store, connect_store
from engine.store.migrations import upgrade_schema


def open_store(url: str | None = None, upgrade: bool = True) -> Store:
    """Open the store at ``url`` (see :func:`engine.store.db.resolve_db_url`) and bring its schema up to date.

    Raises :class:`engine.store.errors.StoreError` with the reason when the URL is malformed, the driver is
    missing or the database cannot be reached.
    """
    store = connect_store(url)
    if upgrade:
        try:
            upgrade_schema(store)
        except BaseException:
            store.close()  # a store that cannot be brought up to date is not handed out half-open
            raise
    return store

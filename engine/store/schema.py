"""The tables of the store, as of the latest schema version (see ``migrations.py`` for how they came to be).

Every row others may change carries ``version``, raised by one on each update; an update names the version
it read and is refused when the row has moved on (optimistic concurrency). Times are stored in UTC.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, Integer, String, Text, UniqueConstraint

from engine.analysis.workshop import ROLES
from engine.core.parameters import DIRECTIONS

WORKSHOP_STATUSES = ("open", "closed", "adopted")
NAME_LENGTH = 200


class UTCDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime on every back end (SQLite keeps no time zone, so it is put back on read)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must carry a time zone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id(result: sa.CursorResult) -> int:
    """The primary key of the row an INSERT just wrote."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
})


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


schema_version = sa.Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(NAME_LENGTH), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

scenarios = sa.Table(
    "scenarios", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False, unique=True),
    Column("yaml", Text, nullable=False),
    # copied from the YAML when saved, so a listing needs no parsing
    Column("objective", String(40), nullable=False),
    Column("base_year", Integer, nullable=False),
    Column("horizon_first", Integer, nullable=False),
    Column("horizon_last", Integer, nullable=False),
    Column("owner", String(NAME_LENGTH)),
    Column("label", String(NAME_LENGTH)),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(NAME_LENGTH)),
    CheckConstraint("version >= 1", name="version_positive"),
)

results = sa.Table(
    "results", metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("scenario_version", Integer, nullable=False),
    Column("result", sa.JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

workshops = sa.Table(
    "workshops", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("template_yaml", Text, nullable=False),
    Column("budget_bn_kzt", Float),  # yearly budget replacing the template's; NULL keeps the template's
    Column("join_code", String(64), nullable=False, unique=True),
    Column("facilitator_key_hash", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("adopted_scenario_id", ForeignKey("scenarios.id", ondelete="RESTRICT")),
    Column("adopted_candidate_id", Integer),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(NAME_LENGTH)),
    CheckConstraint(_in("status", WORKSHOP_STATUSES), name="status_known"),
)

participants = sa.Table(
    "participants", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("workshop_id", "display_name", name="uq_participants_workshop_name"),
    CheckConstraint(_in("role", ROLES), name="role_known"),
)

submissions = sa.Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, unique=True),
    *(Column(f"w_{d}", Float, nullable=False) for d in DIRECTIONS),
    Column("equity_share", Float, nullable=False),
    Column("allocation_changes", sa.JSON),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("equity_share >= 0 AND equity_share <= 1", name="equity_share_range"),
)

candidates = sa.Table(
    "candidates", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", String(NAME_LENGTH), nullable=False),
    Column("scenario_yaml", Text, nullable=False),
    Column("source", String(40), nullable=False),  # aggregate, participant or facilitator
    Column("participant_id", ForeignKey("participants.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("workshop_id", "title", name="uq_candidates_workshop_title"),
)

votes = sa.Table(
    "votes", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("participant_id", ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("ranking", sa.JSON, nullable=False),  # candidate ids, best first
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Every version a scenario had before it was replaced (the scenarios row holds the current one): a revised
# plan adopted as a new version keeps the plan it revised (migration 3).
scenario_versions = sa.Table(
    "scenario_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("scenario_id", ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("label", String(NAME_LENGTH)),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("saved_by", String(NAME_LENGTH)),
    UniqueConstraint("scenario_id", "version", name="uq_scenario_versions_scenario_version"),
)

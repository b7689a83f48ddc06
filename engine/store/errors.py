"""Errors of the store: each says what happened and what to do next."""

from __future__ import annotations

from engine.core.errors import EngineError


class StoreError(EngineError):
    """The database cannot be opened or used (bad URL, server down, busy for too long, newer schema)."""


class NotFoundError(StoreError):
    """No scenario, workshop or candidate with that name or id."""


class ConflictError(StoreError):
    """Someone else changed the item since it was read, or the name is taken: nothing was overwritten."""


class AuthorisationError(StoreError):
    """A facilitator key or participant token that does not grant the operation."""


class WorkshopStateError(StoreError):
    """The workshop's state does not allow the operation (closed, roadmap adopted, nothing to aggregate)."""

"""Marking a store as a test store, and resetting it: every row of every table goes; the
schema, the master key (and its check value) and the mark stay. Refuses on a store that was
never marked."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from idplane.platform.clock import now
from idplane.platform.db import Base, Store
from idplane.platform.errors import Forbidden
from idplane.tables import load_all_tables
from idplane.testing.tables import TestingMark

# The store's own marks survive a reset: this one, and the check value of its master key.
KEPT = {TestingMark.__tablename__, "platform_master_key"}

NOT_FOR_TESTING = (
    "this store was not started for testing: reset only works on a store served with "
    "--enable-test-reset or --ephemeral"
)


def mark_for_testing(store: Store) -> None:
    if is_marked_for_testing(store):
        return
    try:
        with store.transaction() as session:
            session.add(TestingMark(id=1, marked_at=now()))
    except IntegrityError:
        pass  # another worker of the same server marked it first


def is_marked_for_testing(store: Store) -> bool:
    with store.read() as session:
        return session.scalar(select(TestingMark.id)) is not None


def reset_store(store: Store) -> None:
    """Empties the store in one transaction (a test store only)."""
    if not is_marked_for_testing(store):
        raise Forbidden(NOT_FOR_TESTING)
    load_all_tables()
    tables = [t for t in Base.metadata.sorted_tables if t.name not in KEPT]
    with store.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        # Foreign keys are checked at commit, when every row is gone, whatever the order.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in reversed(tables):
            session.execute(table.delete())

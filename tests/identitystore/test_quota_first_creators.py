"""`DirectoryService.reserve` when the store's counts row appears between its UPDATE and its
look-up (a concurrent first creator committed it): the creation takes a slot in that row
instead of reporting the store full. Seen as a stray 400 among concurrent SCIM creations;
reproduced here deterministically on PostgreSQL (SQLite writers are serialized, so there the
row cannot appear mid-transaction)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, event, insert, select

from idplane.identitystore.directory.service import USER, DirectoryService
from idplane.identitystore.directory.tables import DirectoryCounts
from tests.identitystore.builders import new_directory


def test_a_counts_row_made_concurrently_is_used_not_taken_for_a_full_store(server):
    store = server.core.store
    if store.engine.dialect.name != "postgresql":
        pytest.skip("needs a second writer inside the transaction")
    identity_store_id = new_directory(server).identity_store_id
    with store.transaction() as session:
        session.execute(
            delete(DirectoryCounts).where(DirectoryCounts.identity_store_id == identity_store_id)
        )
    fired: list[bool] = []

    def first_creator_commits(conn, cursor, statement, parameters, context, executemany):
        if not fired and statement.startswith("UPDATE identity_store_directory_counts"):
            fired.append(True)
            with store.engine.begin() as other:
                other.execute(
                    insert(DirectoryCounts).values(
                        identity_store_id=identity_store_id, users=0, groups=0
                    )
                )

    event.listen(store.engine, "after_cursor_execute", first_creator_commits)
    try:
        with store.transaction() as session:
            DirectoryService(store, gate=None).reserve(session, identity_store_id, USER)
    finally:
        event.remove(store.engine, "after_cursor_execute", first_creator_commits)
    assert fired
    with store.read() as session:
        users = session.scalar(
            select(DirectoryCounts.users).where(
                DirectoryCounts.identity_store_id == identity_store_id
            )
        )
    assert users == 1

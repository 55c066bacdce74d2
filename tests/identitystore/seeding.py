"""Bulk-seeding a directory straight into the store, for tests of quotas and scale that would
take minutes through the API (the rows are what `create_user`/`create_group` would write, and
the store's counts are recounted after, as a bulk load must)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, text

from idplane.identitystore.directory.service import DirectoryService
from idplane.identitystore.groups.attributes import name_key as group_key
from idplane.identitystore.groups.attributes import name_prefix
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.tables import User
from idplane.platform.clock import now
from idplane.platform.db import Store

CHUNK = 5_000


def _insert(store: Store, model: Any, rows: list[dict], recount: bool = True) -> None:
    for start in range(0, len(rows), CHUNK):
        with store.transaction() as session:
            session.execute(insert(model), rows[start : start + CHUNK])
    if recount and rows and model in (User, Group):  # rows written around the service: recount them
        with store.transaction() as session:
            DirectoryService.recount(session, rows[0]["identity_store_id"])
    with store.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            # As after any bulk load: with the statistics of the empty table, the planner chose
            # plans that made later tests on the same database run for minutes.
            session.execute(text(f"ANALYZE {model.__tablename__}"))


def seed_users(
    store: Store, identity_store_id: str, count: int, prefix: str = "seed", recount: bool = True
) -> list[str]:
    moment, ids = now(), [str(uuid.uuid4()) for _ in range(count)]
    rows = []
    for n, user_id in enumerate(ids):
        name = f"{prefix}-{n}-{user_id[:8]}"
        rows.append(
            {
                "id": user_id,
                "identity_store_id": identity_store_id,
                "user_name": name,
                "user_name_key": name.casefold(),
                "display_name": name,
                "given_name": "Seed",
                "family_name": str(n),
                "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
                "enabled": True,
                "email_verified": False,
                "password_change_required": False,
                "version": 1,
                "created_at": moment,
                "created_by": "seed",
                "updated_at": moment,
                "updated_by": "seed",
            }
        )
    _insert(store, User, rows, recount)
    return ids


def seed_groups(
    store: Store, identity_store_id: str, count: int, prefix: str = "seed"
) -> list[str]:
    moment, ids = now(), [str(uuid.uuid4()) for _ in range(count)]
    rows = []
    for n, group_id in enumerate(ids):
        name = f"{prefix}-{n}-{group_id[:8]}"
        rows.append(
            {
                "id": group_id,
                "identity_store_id": identity_store_id,
                "display_name": name,
                "name_key": group_key(name),
                "name_prefix": name_prefix(name),
                "version": 1,
                "created_at": moment,
                "created_by": "seed",
                "updated_at": moment,
                "updated_by": "seed",
            }
        )
    _insert(store, Group, rows)
    return ids


def seed_memberships(store: Store, identity_store_id: str, user_id: str, group_ids: list[str]):
    moment = now()
    rows = [
        {
            "id": str(uuid.uuid4()),
            "identity_store_id": identity_store_id,
            "group_id": group_id,
            "user_id": user_id,
            "created_at": moment,
            "created_by": "seed",
        }
        for group_id in group_ids
    ]
    _insert(store, GroupMembership, rows)

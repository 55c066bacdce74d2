"""Identity Store directory workloads: creating users, paging through users, reading one user,
adding members.

Setup gives the bench account an organization with Identity Center started (over the API,
once), then makes sure its identity store holds `scale` users, written in bulk straight into the
store as `create_user` would write them (EMAIL mode). Run at --scale 1000 and --scale 100000 to
see that a list page and a creation cost the same in a small and in a full store.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from typing import Any

from sqlalchemy import delete, select

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client, UnexpectedResponse
from idplane.identitystore.directory.service import DirectoryService
from idplane.identitystore.groups.attributes import name_key as group_key
from idplane.identitystore.groups.attributes import name_prefix
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.users.tables import User
from idplane.instances.store_tables import IdentityStore
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.paging import encode_marker

DEFAULT_SCALE = 1_000
USERS_QUOTA = 100_000
PAGES = 50  # markers spread over the store for the list workload


def _identity_store(setup: Setup) -> str:
    """The bench account's identity store, making the organization and instance if needed."""
    client = setup.client
    try:
        instances = client.call("GET", "/v1/instances").json()["instances"]
    except UnexpectedResponse:  # 403 IIC.1215: the account is in no organization yet
        instances = []
    if not instances:
        with contextlib.suppress(UnexpectedResponse):  # 409: it already manages one
            client.call("POST", "/v1/organizations", expect=201)
        client.call("POST", "/v1/service/start")
        instances = client.call("GET", "/v1/instances").json()["instances"]
    return instances[0]["identity_store_id"]


def _user_rows(identity_store_id: str, count: int, tag: str):
    moment = now()
    for n in range(count):
        name = f"bench-{tag}-{n}"
        yield {
            "id": ids.uuid_str(),
            "identity_store_id": identity_store_id,
            "user_name": name,
            "user_name_key": name.casefold(),
            "display_name": name,
            "given_name": "Bench",
            "family_name": str(n),
            "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
            "enabled": True,
            "email_verified": False,
            "password_mode": "EMAIL",
            "password_change_required": False,
            "version": 1,
            "created_at": moment,
            "created_by": "bench",
            "updated_at": moment,
            "updated_by": "bench",
        }


def _ensure_users(setup: Setup, identity_store_id: str, room: int = 0) -> None:
    """Brings the store to `scale` users, less `room` kept free under the 100,000-user quota for
    what the workload itself adds (bulk rows skip the quota check, so setup must keep it)."""
    if not setup.at_scale():
        return
    target = min(setup.scale, USERS_QUOTA - room)
    in_store = User.identity_store_id == identity_store_id
    surplus = setup.count(User, in_store) - target
    if surplus < 0:
        setup.bulk_insert(User, _user_rows(identity_store_id, -surplus, secrets.token_hex(4)))
        _settle(setup, identity_store_id)
    elif surplus > 0:  # an earlier run filled it up: drop bench-made users (members go too)
        with setup.store.transaction() as session:
            doomed = select(User.id).where(in_store, User.created_by == "bench").limit(surplus)
            user_ids = list(session.scalars(doomed))
            for start in range(0, len(user_ids), 500):
                chunk = user_ids[start : start + 500]
                session.execute(delete(User).where(User.id.in_(chunk)))
        _settle(setup, identity_store_id)


def _settle(setup: Setup, identity_store_id: str) -> None:
    """Recounts the store (bulk rows bypass the quota counts, see DirectoryService.recount) and
    leaves the table as autovacuum would: fresh statistics, on PostgreSQL a visibility map."""
    with setup.store.transaction() as session:
        DirectoryService.recount(session, identity_store_id)
    engine = setup.store.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        vacuum = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
        connection.exec_driver_sql(f"{vacuum} {User.__tablename__}")


def _users_in_store(setup: Setup) -> int:
    """Users of the bench account's identity store, read from the store (the setup client's
    keep-alive connection has long timed out by the time this runs)."""
    mine = select(IdentityStore.id).where(IdentityStore.account_id == setup.credentials.account_id)
    return setup.count(User, User.identity_store_id.in_(mine))


def _user_body() -> dict[str, Any]:
    name = f"bench-{secrets.token_hex(8)}"
    return {
        "user_name": name,
        "display_name": name,
        "name": {"family_name": "Bench", "given_name": "User"},
        "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
        "password_mode": "EMAIL",
    }


# user_create -----------------------------------------------------------------------------------


def _setup_user_create(setup: Setup) -> dict[str, Any]:
    identity_store_id = _identity_store(setup)
    _ensure_users(setup, identity_store_id, room=setup.n)
    return {"store": identity_store_id}


@workload(
    "identitystore.user_create",
    setup=_setup_user_create,
    store_size=_users_in_store,
    scale=DEFAULT_SCALE,
)
def user_create(client: Client, state: dict, i: int) -> None:
    """POST /v1/identity-stores/{id}/users (EMAIL mode); store_size = users in the store."""
    path = f"/v1/identity-stores/{state['store']}/users"
    client.call("POST", path, json_body=_user_body(), scope="project")


# user_list_page --------------------------------------------------------------------------------


def _setup_user_list_page(setup: Setup) -> dict[str, Any]:
    identity_store_id = _identity_store(setup)
    _ensure_users(setup, identity_store_id)
    markers: list[str | None] = [None]
    if setup.has_store:
        with setup.store.read() as session:
            seqs = list(
                session.scalars(
                    select(User.seq)
                    .where(User.identity_store_id == identity_store_id)
                    .order_by(User.seq)
                )
            )
        step = max(1, (len(seqs) - 100) // PAGES)
        markers += [encode_marker(seq) for seq in seqs[: max(0, len(seqs) - 100) : step]]
    return {"store": identity_store_id, "markers": markers}


@workload(
    "identitystore.user_list_page",
    setup=_setup_user_list_page,
    store_size=_users_in_store,
    scale=DEFAULT_SCALE,
)
def user_list_page(client: Client, state: dict, i: int) -> None:
    """GET .../users?limit=100 from markers spread over the store; store_size = users."""
    marker = state["markers"][i % len(state["markers"])]
    query = {"limit": 100, **({"marker": marker} if marker else {})}
    answer = client.call(
        "GET", f"/v1/identity-stores/{state['store']}/users", query=query, scope="project"
    ).json()
    if not 0 < answer["page_info"]["current_count"] == len(answer["users"]):
        raise AssertionError(f"a page of {answer['page_info']['current_count']} users")


# user_describe ---------------------------------------------------------------------------------


def _setup_user_describe(setup: Setup) -> dict[str, Any]:
    """User ids spread evenly over the store (its first user when it is not reachable)."""
    identity_store_id = _identity_store(setup)
    _ensure_users(setup, identity_store_id)
    path = f"/v1/identity-stores/{identity_store_id}/users"
    if setup.has_store:
        with setup.store.read() as session:
            user_ids = list(
                session.scalars(
                    select(User.id)
                    .where(User.identity_store_id == identity_store_id)
                    .order_by(User.seq)
                )
            )
        user_ids = user_ids[:: max(1, len(user_ids) // (PAGES * 4))]
    else:
        answer = setup.client.call("GET", path, query={"limit": 1}, scope="project").json()
        user_ids = [user["user_id"] for user in answer["users"]]
        if not user_ids:
            made = setup.client.call("POST", path, json_body=_user_body(), scope="project")
            user_ids = [made.json()["user_id"]]
    return {"path": path, "users": user_ids}


@workload(
    "identitystore.user_describe",
    setup=_setup_user_describe,
    store_size=_users_in_store,
    scale=DEFAULT_SCALE,
)
def user_describe(client: Client, state: dict, i: int) -> None:
    """GET .../users/{user_id} for users spread over the store; store_size = users."""
    user_id = state["users"][i % len(state["users"])]
    answer = client.call("GET", f"{state['path']}/{user_id}", scope="project").json()
    if answer["user_id"] != user_id:
        raise AssertionError(f"asked {user_id}, got {answer['user_id']}")


# membership_create -----------------------------------------------------------------------------


def _setup_membership_create(setup: Setup) -> dict[str, Any]:
    """n fresh users and one fresh group (in bulk when the store is reachable, else over the
    API), so every operation adds a new member."""
    identity_store_id = _identity_store(setup)
    _ensure_users(setup, identity_store_id, room=setup.n)
    tag = secrets.token_hex(4)
    if setup.has_store:
        rows = list(_user_rows(identity_store_id, setup.n, f"m{tag}"))
        setup.bulk_insert(User, rows)
        user_ids = [row["id"] for row in rows]
        group_id, name, moment = ids.uuid_str(), f"bench-{tag}", now()
        setup.bulk_insert(Group, [_group_row(identity_store_id, group_id, name, moment)])
        _settle(setup, identity_store_id)
    else:
        path = f"/v1/identity-stores/{identity_store_id}"
        user_ids = [
            setup.client.call(
                "POST", f"{path}/users", json_body=_user_body(), scope="project"
            ).json()["user_id"]
            for _ in range(setup.n)
        ]
        group = {"display_name": f"bench-{tag}"}
        answer = setup.client.call("POST", f"{path}/groups", json_body=group, scope="project")
        group_id = answer.json()["group_id"]
    return {"store": identity_store_id, "group": group_id, "users": user_ids}


def _group_row(identity_store_id: str, group_id: str, name: str, moment: Any) -> dict:
    return {
        "id": group_id,
        "identity_store_id": identity_store_id,
        "display_name": name,
        "name_key": group_key(name),
        "name_prefix": name_prefix(name),
        "version": 1,
        "created_at": moment,
        "created_by": "bench",
        "updated_at": moment,
        "updated_by": "bench",
    }


@workload(
    "identitystore.membership_create",
    setup=_setup_membership_create,
    store_size=_users_in_store,
    scale=DEFAULT_SCALE,
)
def membership_create(client: Client, state: dict, i: int) -> None:
    """POST .../group-memberships, a new user into one group each time; store_size = users."""
    body = {"group_id": state["group"], "member_id": {"user_id": state["users"][i]}}
    path = f"/v1/identity-stores/{state['store']}/group-memberships"
    answer = client.call("POST", path, json_body=body, scope="project")
    if "membership_id" not in json.loads(answer.body):
        raise AssertionError("no membership_id in the answer")

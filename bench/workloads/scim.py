"""SCIM workloads: what an identity provider does most, creating users and looking one up by
`userName eq` (how Okta and Entra ID check whether a user exists), over a bearer token.

Setup gives the bench account's identity store a provisioning tenant and a token (over the
API), then makes the store hold the requested number of users, written in bulk straight into
the store as `create_user` would write them (`scimbench-seed-0000042`...). `scim.user_create`
starts from `--scale` users but leaves room for its n users under the 100,000-user quota (at
100k it starts from 100,000 - n and ends at the quota; near the quota every creation counts the
store's users); users an earlier create run made are deleted first (straight from the store:
they have no memberships).
"""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any

from sqlalchemy import delete, func, select

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client, UnexpectedResponse
from bench.workloads.identitystore_directory import _settle
from bench.workloads.provisioning import _identity_store_path
from idplane.identitystore.directory.service import Quotas
from idplane.identitystore.users.tables import User
from idplane.instances.store_tables import IdentityStore
from idplane.platform.clock import now

DEFAULT_SCALE = 100_000
SEED = "scimbench-seed-"
CREATED = "scimbench-create-"
LOOKUPS = 1_000  # distinct user names the filter workload cycles through
PAGES = 50  # startIndex values spread over the store for the list workload


def _tenant(setup: Setup) -> dict[str, Any]:
    """A fresh provisioning tenant of the bench account's identity store, and its token."""
    path = _identity_store_path(setup)["path"]
    client = setup.client
    created = client.call("POST", f"{path}/provision-tenant", scope="project", expect=201)
    tenant_id = json.loads(created.body)["tenant_id"]
    token = client.call(
        "POST", f"{path}/tenant/{tenant_id}/bearer-token", scope="project", expect=201
    )
    return {
        "identity_store_id": path.rsplit("/", 1)[1],
        "base": f"/{tenant_id}/scim/v2",
        "authorization": f"Bearer {json.loads(token.body)['token']}",
    }


def _seed_name(index: int) -> str:
    return f"{SEED}{index:07d}"  # zero-padded: name order is index order


def _hold_seeded(setup: Setup, identity_store_id: str, wanted: int) -> None:
    """Exactly `wanted` seeded users (topped up or trimmed) and none from earlier creates."""
    in_store = User.identity_store_id == identity_store_id
    with setup.store.transaction() as session:
        session.execute(delete(User).where(in_store, User.user_name.like(f"{CREATED}%")))
        session.execute(
            delete(User).where(
                in_store, User.user_name.like(f"{SEED}%"), User.user_name >= _seed_name(wanted)
            )
        )
        held = session.scalar(select(func.count()).where(in_store, User.user_name.like(f"{SEED}%")))
    moment = now()
    setup.bulk_insert(
        User,
        (
            {
                "id": str(uuid.uuid4()),
                "identity_store_id": identity_store_id,
                "user_name": _seed_name(i),
                "user_name_key": _seed_name(i).casefold(),
                "display_name": f"Seed {i}",
                "given_name": "Seed",
                "family_name": str(i),
                "emails": [{"value": f"seed{i}@example.com", "type": "work", "primary": True}],
                "enabled": True,
                "email_verified": False,
                "password_change_required": False,
                "version": 1,
                "created_at": moment,
                "created_by": "bench",
                "updated_at": moment,
                "updated_by": "bench",
            }
            for i in range(held or 0, wanted)
        ),
    )
    # Bulk rows bypass the quota counts (recount them), and leave PostgreSQL without statistics
    # until autovacuum's next round; without, it may walk the (store, seq) index for a
    # `userName eq` instead of probing the unique index.
    _settle(setup, identity_store_id)


def _users(setup: Setup) -> int | None:
    """How many users the bench account's identity store holds."""
    with setup.store.read() as session:
        store_id = session.scalar(
            select(IdentityStore.id).where(IdentityStore.account_id == setup.credentials.account_id)
        )
    return setup.count(User, User.identity_store_id == store_id)


def _create_setup(setup: Setup) -> dict[str, Any]:
    state = _tenant(setup)
    if setup.at_scale():
        room = Quotas().users_per_store - setup.n  # the store may hold no more than its quota
        _hold_seeded(setup, state["identity_store_id"], max(min(setup.scale, room), 0))
    return {**state, "tag": secrets.token_hex(4)}


def _filter_setup(setup: Setup) -> dict[str, Any]:
    state = _tenant(setup)
    if setup.at_scale():
        _hold_seeded(setup, state["identity_store_id"], setup.scale)
        step = max(setup.scale // LOOKUPS, 1)
        names = [_seed_name(i) for i in range(0, setup.scale, step)]
    else:  # no store access: one user made over SCIM
        names = [f"{CREATED}{secrets.token_hex(6)}"]
        _post_user(setup.client, state, names[0])
    return {**state, "names": names}


def _post_user(client: Client, state: dict[str, Any], user_name: str) -> None:
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "externalId": user_name,
        "name": {"familyName": "Bench", "givenName": "Scim"},
        "displayName": f"Scim {user_name}",
        "emails": [{"value": f"{user_name}@example.com", "type": "work", "primary": True}],
        "active": True,
    }
    headers = {"Authorization": state["authorization"]}
    client.call(
        "POST", f"{state['base']}/Users", json_body=body, headers=headers, signed=False, expect=201
    )


@workload("scim.user_create", setup=_create_setup, store_size=_users, scale=DEFAULT_SCALE)
def user_create(client: Client, state: dict, i: int) -> None:
    """POST /Users (bearer token) with userName, name, emails, externalId."""
    _post_user(client, state, f"{CREATED}{state['tag']}-{i}")


@workload("scim.user_filter_eq", setup=_filter_setup, store_size=_users, scale=DEFAULT_SCALE)
def user_filter_eq(client: Client, state: dict, i: int) -> None:
    """GET /Users?filter=userName eq "..." (bearer token), one user found."""
    name = state["names"][i % len(state["names"])]
    answer = client.call(
        "GET",
        f"{state['base']}/Users",
        query={"filter": f'userName eq "{name.upper()}"'},
        headers={"Authorization": state["authorization"]},
        signed=False,
    )
    if json.loads(answer.body)["totalResults"] != 1:
        raise UnexpectedResponse(f"userName eq {name} did not find exactly one user")


def _list_setup(setup: Setup) -> dict[str, Any]:
    state = _tenant(setup)
    held = 1
    if setup.at_scale():
        _hold_seeded(setup, state["identity_store_id"], setup.scale)
        held = _users(setup) or 1
    else:
        _post_user(setup.client, state, f"{CREATED}{secrets.token_hex(6)}")
    step = max(1, (held - 100) // PAGES)
    return {**state, "starts": list(range(1, max(2, held - 99), step))}


@workload("scim.user_list_page", setup=_list_setup, store_size=_users, scale=DEFAULT_SCALE)
def user_list_page(client: Client, state: dict, i: int) -> None:
    """GET /Users?startIndex=...&count=100 (bearer token), pages spread over the store."""
    start = state["starts"][i % len(state["starts"])]
    answer = client.call(
        "GET",
        f"{state['base']}/Users",
        query={"startIndex": start, "count": 100},
        headers={"Authorization": state["authorization"]},
        signed=False,
    )
    listed = json.loads(answer.body)
    if not listed["Resources"] or listed["startIndex"] != start:
        raise UnexpectedResponse(f"no page at startIndex {start}")

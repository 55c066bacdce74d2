"""Organizations workloads: what the SCP guardrail costs a request made in a member account.

The bench account manages an organization with SCPs enabled. Setup builds two chains of three
units under the root, and one member account at the bottom of each: `deep10` sits below ten
attached bench SCPs (spread over its units and itself, next to FullAccess everywhere), `deep0`
below FullAccess only. `outside` is an account in no organization (no guardrail rows at all).
Each workload is the same signed request made by that account's root user (GET /v3/users,
authorized as iam:users:listUsers), so their difference is the guardrail check alone.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import select

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client, Credentials, UnexpectedResponse
from idplane.config import load_settings
from idplane.iam.service import AccountService
from idplane.organizations.tables import Member, Organization, PolicyAttachment
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox, load_or_create_master_key
from idplane.tables import load_all_tables

SCP = "service_control_policy"
_clients: dict[str, Client] = {}


def _ensure(client: Client, method: str, path: str, body: dict, expect: int) -> dict | None:
    try:
        response = client.call(method, path, json_body=body, expect=expect)
        return response.json() if response.body else {}
    except UnexpectedResponse:
        return None  # made by an earlier run


def _chain(client: Client, root: str, prefix: str) -> list[str]:
    parent, units = root, []
    for level in (1, 2, 3):
        name = f"{prefix}-{level}"
        made = _ensure(
            client,
            "POST",
            "/v1/organizations/organizational-units",
            {"name": name, "parent_id": parent},
            201,
        )
        if made is None:
            listed = client.call(
                "GET", "/v1/organizations/organizational-units", query={"parent_id": parent}
            ).json()["organizational_units"]
            parent = next(unit["id"] for unit in listed if unit["name"] == name)
        else:
            parent = made["organizational_unit"]["id"]
        units.append(parent)
    return units


def _policies(client: Client, count: int) -> list[str]:
    listed = client.call("GET", "/v1/organizations/policies").json()["policies"]
    found = {policy["name"]: policy["id"] for policy in listed}
    out = []
    for k in range(count):
        name = f"bench-scp-{k}"
        if name not in found:
            content = {
                "Version": "5.0",
                "Statement": [{"Effect": "Deny", "Action": [f"bench{k}:things:delete"]}],
            }
            body = {
                "name": name,
                "description": "bench",
                "type": SCP,
                "content": json.dumps(content),
            }
            made = client.call("POST", "/v1/organizations/policies", json_body=body).json()
            found[name] = made["policy"]["policy_summary"]["id"]
        out.append(found[name])
    return out


def _account_service(setup: Setup) -> AccountService:
    load_all_tables()  # the account rows reference other services' tables
    settings = load_settings(database_url=setup.database_url)
    box = SecretBox(load_or_create_master_key(settings.master_key, settings.data_dir))
    return AccountService(setup.store, box, settings)


def _member(setup: Setup, accounts: AccountService, parent: str | None) -> dict[str, Any]:
    """A fresh account with root AK/SK, joined (as create_account joins) under `parent`."""
    creds = accounts.create_account(f"bench-scp-{secrets.token_hex(4)}")
    if parent is not None:
        with setup.store.transaction() as session:
            organization = session.scalar(
                select(Organization).where(
                    Organization.management_account_id == setup.credentials.account_id
                )
            )
            session.add(
                Member(
                    organization_id=organization.id,
                    account_id=creds.account_id,
                    join_method="created",
                    status="active",
                    joined_at=now(),
                    parent_id=parent,
                )
            )
            session.add(
                PolicyAttachment(
                    organization_id=organization.id,
                    policy_id="p-FullAccess",
                    entity_id=creds.account_id,
                    entity_type="account",
                )
            )
    return creds.as_dict()


def _tree(setup: Setup) -> dict[str, Any]:
    client = setup.client
    _ensure(client, "POST", "/v1/organizations", {}, 201)
    root = client.call("GET", "/v1/organizations/roots").json()["roots"][0]["id"]
    _ensure(
        client,
        "POST",
        "/v1/organizations/policies/enable",
        {"policy_type": SCP, "root_id": root},
        200,
    )
    restricted = _chain(client, root, "bench-scp-restricted")
    free = _chain(client, root, "bench-scp-free")
    policies = _policies(client, 10)
    accounts = _account_service(setup)
    deep10 = _member(setup, accounts, restricted[-1])
    deep0 = _member(setup, accounts, free[-1])
    outside = _member(setup, accounts, None)
    # Ten attachments (at most five SCPs per entity, FullAccess included): 3 + 3 + 2 on the
    # units, 2 on the account.
    targets = [restricted[0]] * 3 + [restricted[1]] * 3 + [restricted[2]] * 2
    targets += [deep10["account_id"]] * 2
    client.close()  # the store work above may outlast the server's keep-alive
    for policy_id, entity_id in zip(policies, targets, strict=True):
        _ensure(
            client,
            "POST",
            f"/v1/organizations/policies/{policy_id}/attach",
            {"entity_id": entity_id},
            200,
        )
    return {"deep10": deep10, "deep0": deep0, "outside": outside}


def _list_users(client: Client, state: dict, who: str) -> None:
    member = _clients.get(who)
    if member is None:
        member = _clients[who] = Client(
            f"http://{client.host}{client.prefix}", Credentials.from_dict(state[who])
        )
    member.call("GET", "/v3/users")


@workload("organizations.scp_deep10", setup=_tree)
def scp_deep10(client: Client, state: dict, i: int) -> None:
    """GET /v3/users by a member three units deep under ten attached SCPs."""
    _list_users(client, state, "deep10")


@workload("organizations.scp_deep0", setup=_tree)
def scp_deep0(client: Client, state: dict, i: int) -> None:
    """GET /v3/users by a member three units deep under FullAccess only."""
    _list_users(client, state, "deep0")


@workload("organizations.scp_outside", setup=_tree)
def scp_outside(client: Client, state: dict, i: int) -> None:
    """GET /v3/users by an account in no organization (no guardrail applies)."""
    _list_users(client, state, "outside")

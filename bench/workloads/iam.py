"""IAM workloads: signed discovery, password token issue, token validation.

Setup makes sure the store holds at least `scale` accounts (auth_domains) or tokens (the token
workloads), written in bulk straight into the store, so each lookup runs against a table of
realistic size; reruns add only what is missing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bench.registry import workload
from bench.setup import Setup, SetupError
from bench.signer import Client
from idplane.iam.tables import Account, Project, Token, User
from idplane.platform import ids
from idplane.platform.clock import now

DEFAULT_SCALE = 100_000


# Store-side row factories (built as AccountService / TokenService would) -----------------------


def _ensure_accounts(setup: Setup) -> None:
    if not setup.at_scale():
        return
    missing = setup.scale - setup.count(Account)
    if missing <= 0:
        return
    tag, moment, region = secrets.token_hex(4), now(), setup.credentials.region
    accounts = [
        {"id": ids.hex32(), "name": f"bench-{tag}-{i}", "created_at": moment}
        for i in range(missing)
    ]
    setup.bulk_insert(Account, accounts)
    root = {"is_root": True, "created_at": moment}
    setup.bulk_insert(
        User,
        ({"id": ids.hex32(), "account_id": a["id"], "name": a["name"], **root} for a in accounts),
    )
    setup.bulk_insert(
        Project,
        (
            {"id": ids.hex32(), "account_id": a["id"], "name": region, "created_at": moment}
            for a in accounts
        ),
    )


def _ensure_tokens(setup: Setup) -> None:
    """Tokens of the bench account's root user whose secrets nobody knows: only their digests
    fill the index that validation looks up."""
    if not setup.at_scale():
        return
    missing = setup.scale - setup.count(Token)
    if missing <= 0:
        return
    creds = setup.credentials
    with setup.store.read() as session:
        user_id = session.scalar(
            select(User.id).where(User.account_id == creds.account_id, User.is_root.is_(True))
        )
    issued = now()
    setup.bulk_insert(
        Token,
        (
            {
                "id": ids.uuid_str(),
                "digest": hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                "account_id": creds.account_id,
                "user_id": user_id,
                "project_id": creds.project_id,
                "methods": ["password"],
                "issued_at": issued,
                "expires_at": issued + timedelta(hours=24),
            }
            for _ in range(missing)
        ),
    )


# auth_domains ----------------------------------------------------------------------------------


def _setup_auth_domains(setup: Setup) -> dict[str, Any]:
    _ensure_accounts(setup)
    return {}


@workload(
    "iam.auth_domains",
    setup=_setup_auth_domains,
    store_size=lambda setup: setup.count(Account),
    scale=DEFAULT_SCALE,
)
def auth_domains(client: Client, state: dict, i: int) -> None:
    """Signed GET /v3/auth/domains (SDK discovery); store_size = accounts."""
    response = client.call("GET", "/v3/auth/domains")
    if (
        client.credentials.account_id
        and client.credentials.account_id.encode() not in response.body
    ):
        raise AssertionError("the caller's domain is not in the answer")


# token_issue -----------------------------------------------------------------------------------


def _password_body(client: Client) -> dict:
    creds = client.credentials
    user = {
        "domain": {"name": creds.account_name},
        "name": creds.user_name,
        "password": creds.password,
    }
    return {
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": user}},
            "scope": {"project": {"name": creds.region}},
        }
    }


def _issue(client: Client) -> str:
    response = client.call(
        "POST",
        "/v3/auth/tokens",
        query={"nocatalog": "true"},
        json_body=_password_body(client),
        expect=201,
    )
    return response.headers["x-subject-token"]


def _setup_token_issue(setup: Setup) -> dict[str, Any]:
    creds = setup.credentials
    if not (creds.password and creds.account_name and creds.user_name):
        raise SetupError(
            "token workloads need password, account_name and user_name: pass the output of "
            "`idplane credentials create --json` with --password (the account's, as bootstrapped)"
        )
    _ensure_tokens(setup)
    _issue(setup.client)  # fails here, once, if the password is wrong
    return {}


@workload(
    "iam.token_issue",
    setup=_setup_token_issue,
    store_size=lambda setup: setup.count(Token),
    scale=DEFAULT_SCALE,
)
def token_issue(client: Client, state: dict, i: int) -> None:
    """POST /v3/auth/tokens by password, project-scoped, nocatalog; store_size = tokens."""
    _issue(client)


# token_validate --------------------------------------------------------------------------------


def _setup_token_validate(setup: Setup) -> dict[str, Any]:
    _setup_token_issue(setup)
    return {"token": _issue(setup.client)}


@workload(
    "iam.token_validate",
    setup=_setup_token_validate,
    store_size=lambda setup: setup.count(Token),
    scale=DEFAULT_SCALE,
)
def token_validate(client: Client, state: dict, i: int) -> None:
    """Signed GET /v3/auth/tokens with X-Subject-Token, nocatalog; store_size = tokens."""
    client.call(
        "GET",
        "/v3/auth/tokens",
        query={"nocatalog": "true"},
        headers={"X-Subject-Token": state["token"]},
    )

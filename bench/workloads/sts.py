"""STS workloads: assume_agency, and a request signed with the credentials it returns.

Setup (needs the store: `--database-url`) writes a second account whose agency trusts the bench
account and holds IAM ReadOnlyAccess, and fills the store up to `scale` agency sessions with
their temporary keys (bulk rows whose secrets nobody knows), so the lookups run against tables
of realistic size.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from typing import Any

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client, Credentials
from idplane.iam.agencies.tables import Agency, AgencyRole
from idplane.iam.roles.catalog import system_roles
from idplane.iam.sessions.tables import AgencySession
from idplane.iam.tables import Account, TemporaryAccessKey
from idplane.platform import ids
from idplane.platform.clock import now

DEFAULT_SCALE = 100_000
ROLE = "IAM ReadOnlyAccess"


def _agency_account(setup: Setup) -> dict[str, str]:
    """A fresh account B with an agency trusting the bench account (one per setup)."""
    creds = setup.credentials
    moment, tag = now(), secrets.token_hex(4)
    account = {"id": ids.hex32(), "name": f"bench-sts-{tag}", "created_at": moment}
    setup.bulk_insert(Account, [account])
    agency = {
        "id": ids.hex32(),
        "account_id": account["id"],
        "name": f"bench-agency-{tag}",
        "trust_domain_id": creds.account_id,
        "trust_domain_name": creds.account_name or "",
        "description": "",
        "duration": "FOREVER",
        "created_at": moment,
        "max_session_duration": 43200,
    }
    setup.bulk_insert(Agency, [agency])
    role = system_roles().named(ROLE)
    setup.bulk_insert(
        AgencyRole,
        [
            {
                "account_id": account["id"],
                "agency_id": agency["id"],
                "role_id": role.id,
                "scope": "domain",
                "created_at": moment,
            }
        ],
    )
    _ensure_sessions(setup, account["id"], agency)
    return {"account_id": account["id"], "agency_name": agency["name"]}


def _ensure_sessions(setup: Setup, account_id: str, agency: dict) -> None:
    missing = setup.scale - setup.count(AgencySession)
    if missing <= 0:
        return
    issued = now()
    rows = [
        {
            "id": ids.hex32(),
            "account_id": account_id,
            "agency_id": agency["id"],
            "agency_name": agency["name"],
            "session_name": f"seed-{i}",
            "trusted_party": agency["trust_domain_id"],
            "source_kind": "user",
            "source_account_id": agency["trust_domain_id"],
            "source_principal_id": "seed",
            "source_principal_urn": "iam::seed:user:seed",
            "assumed_by_urn": "iam::seed:user:seed",
            "tags": {},
            "transitive_tag_keys": [],
            "mfa": False,
            "issued_at": issued,
            "expires_at": issued + timedelta(hours=12),
        }
        for i in range(missing)
    ]
    setup.bulk_insert(AgencySession, rows)
    setup.bulk_insert(
        TemporaryAccessKey,
        (
            {
                "access": ids.access_key(),
                "account_id": account_id,
                "secret_sealed": secrets.token_urlsafe(24),
                "security_token_digest": secrets.token_hex(32),
                "agency_id": agency["id"],
                "agency_session_id": row["id"],
                "created_at": issued,
                "expires_at": row["expires_at"],
            }
            for row in rows
        ),
    )


def _assume_body(state: dict[str, Any], i: int) -> dict[str, Any]:
    return {
        "agency_urn": f"iam::{state['account_id']}:agency:{state['agency_name']}",
        "agency_session_name": f"bench-{i}",
        "duration_seconds": 3600,
    }


def _assume(client: Client, state: dict[str, Any], i: int) -> dict[str, Any]:
    response = client.call("POST", "/v5/agencies/assume", json_body=_assume_body(state, i))
    return response.json()["credentials"]


def _store_size(setup: Setup) -> int:
    return setup.count(AgencySession)


@workload("sts.assume_agency", setup=_agency_account, store_size=_store_size, scale=DEFAULT_SCALE)
def assume_agency(client: Client, state: dict, i: int) -> None:
    """Signed POST /v5/agencies/assume by the bench account's root; store_size = sessions."""
    if not _assume(client, state, i)["security_token"]:
        raise AssertionError("no security token in the answer")


def _setup_session_read(setup: Setup) -> dict[str, Any]:
    state = _agency_account(setup)
    made = _assume(setup.client, state, 0)
    state["session"] = {
        "access_key": made["access_key_id"],
        "secret_key": made["secret_access_key"],
        "security_token": made["security_token"],
        "account_id": state["account_id"],
    }
    return state


_SESSION_CLIENTS: dict[int, Client] = {}  # one connection per bench client process


def _session_client(client: Client, session: dict[str, str]) -> Client:
    pid = os.getpid()
    if pid not in _SESSION_CLIENTS:
        creds = Credentials(
            session["access_key"], session["secret_key"], account_id=session["account_id"]
        )
        url = f"http://{client.host}{client.prefix}"
        _SESSION_CLIENTS[pid] = Client(url, creds)
    return _SESSION_CLIENTS[pid]


@workload(
    "sts.session_signed_read",
    setup=_setup_session_read,
    store_size=_store_size,
    scale=DEFAULT_SCALE,
)
def session_signed_read(client: Client, state: dict, i: int) -> None:
    """GET /v3.0/OS-AGENCY/agencies signed with assumed-agency AK/SK + X-Security-Token
    (authorized by the agency's grants in the other account); store_size = sessions."""
    session = state["session"]
    _session_client(client, session).call(
        "GET",
        "/v3.0/OS-AGENCY/agencies",
        query={"domain_id": session["account_id"]},
        headers={"X-Security-Token": session["security_token"]},
    )

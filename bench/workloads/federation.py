"""OS-FEDERATION workloads: identity provider create/get/delete and list, with the store holding
`--scale` identity providers (default 2,000) spread over accounts of 10 each (the per-account
quota), written in bulk straight into the store."""

from __future__ import annotations

import secrets
from typing import Any

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client
from idplane.federation.tables import FederationAccount, IdentityProvider
from idplane.iam.tables import Account
from idplane.platform import ids
from idplane.platform.clock import now

DEFAULT_SCALE = 2_000
PER_ACCOUNT = 10
IDPS = "/v3/OS-FEDERATION/identity_providers"


def _ensure_identity_providers(setup: Setup) -> dict[str, Any]:
    if not setup.at_scale():
        return {}
    missing = setup.scale - setup.count(IdentityProvider)
    if missing <= 0:
        return {}
    tag, moment = secrets.token_hex(4), now()
    accounts = [
        {"id": ids.hex32(), "name": f"bench-fed-{tag}-{k}", "created_at": moment}
        for k in range(-(-missing // PER_ACCOUNT))
    ]
    setup.bulk_insert(Account, accounts)
    setup.bulk_insert(
        FederationAccount,
        (
            {"account_id": a["id"], "sso_type": "virtual_user_sso", "idp_count": PER_ACCOUNT}
            for a in accounts
        ),
    )
    base = {"sso_type": "virtual_user_sso", "created_at": moment, "updated_at": moment}
    setup.bulk_insert(
        IdentityProvider,
        (
            {"account_id": a["id"], "id": f"idp-{j}", **base}
            for a in accounts
            for j in range(PER_ACCOUNT)
        ),
    )
    return {}


def _store_size(setup: Setup) -> int:
    return setup.count(IdentityProvider)


@workload(
    "federation.idp_cycle",
    setup=_ensure_identity_providers,
    store_size=_store_size,
    scale=DEFAULT_SCALE,
)
def idp_cycle(client: Client, state: dict, i: int) -> None:
    """Create (PUT), get and delete (the seed) one identity provider: 3 signed requests."""
    path = f"{IDPS}/bench-{i}-{secrets.token_hex(3)}"
    body = {"identity_provider": {"description": "bench", "enabled": True}}
    client.call("PUT", path, json_body=body, expect=201)
    client.call("GET", path)
    client.call("DELETE", path, expect=204)


@workload(
    "federation.idp_list",
    setup=_ensure_identity_providers,
    store_size=_store_size,
    scale=DEFAULT_SCALE,
)
def idp_list(client: Client, state: dict, i: int) -> None:
    """List the caller's identity providers while the store holds `--scale` of them."""
    client.call("GET", IDPS)

"""Automatic provisioning: a tenant with a bearer token made and deleted again. An identity
store has at most one provisioning tenant, so this workload runs with one client."""

from __future__ import annotations

import json
from typing import Any

from bench.registry import workload
from bench.setup import Setup
from bench.signer import Client, UnexpectedResponse


def _identity_store_path(setup: Setup) -> dict[str, Any]:
    """The bench account's organization with Identity Center started, and no tenant left."""
    client = setup.client
    try:
        client.call("POST", "/v1/organizations", expect=201)
    except UnexpectedResponse:
        client.call("GET", "/v1/organizations")  # it already manages one
    status = json.loads(client.call("GET", "/v1/identity-center-service/status").body)
    if status.get("serviceStatus") != "enable":
        client.call("POST", "/v1/service/start")
    instances = json.loads(client.call("GET", "/v1/instances").body)["instances"]
    path = f"/v1/identity-stores/{instances[0]['identity_store_id']}"
    listed = client.call("GET", f"{path}/provision-tenant", scope="project")
    for tenant in json.loads(listed.body)["provisioning_tenants"]:
        client.call("DELETE", f"{path}/tenant/{tenant['tenant_id']}", scope="project")
    return {"path": path}


@workload("identitystore.tenant_create_delete", setup=_identity_store_path, max_clients=1)
def tenant_create_delete(client: Client, state: dict, i: int) -> None:
    """Create a provisioning tenant and a bearer token, then delete the tenant (3 requests)."""
    path = state["path"]
    created = client.call("POST", f"{path}/provision-tenant", scope="project", expect=201)
    tenant_id = json.loads(created.body)["tenant_id"]
    client.call("POST", f"{path}/tenant/{tenant_id}/bearer-token", scope="project", expect=201)
    client.call("DELETE", f"{path}/tenant/{tenant_id}", scope="project")

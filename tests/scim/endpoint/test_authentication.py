"""Every SCIM request needs a live bearer token of that very tenant; anything else is 401 in
the SCIM error envelope, discovery included. Deleting automatic provisioning (the seed
operation, through the official identity store client) turns the same token away."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from idplane.identitystore.provisioning.tables import ScimBearerToken
from idplane.platform.clock import now
from tests.identitystore.provisioning.support import create_token, delete_tenant, delete_token
from tests.scim.endpoint.support import create_user, new_scim, scim_error, user_body

PATHS = ["/Users", "/Groups", "/ServiceProviderConfig", "/Schemas", "/ResourceTypes"]


def _rejected(response: httpx.Response) -> None:
    scim_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_live_token_of_the_tenant_is_accepted(http):
    assert http.get("/Users").status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_a_request_without_authorization_is_401(scim, path):
    _rejected(httpx.get(f"{scim.base}{path}"))


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Token {token}", "{token}"]
)
def test_a_wrong_or_malformed_authorization_is_401(scim, header):
    response = httpx.get(
        f"{scim.base}/Users", headers={"Authorization": header.format(token=scim.token)}
    )
    _rejected(response)


def test_the_scheme_name_is_case_insensitive(scim):
    response = httpx.get(f"{scim.base}/Users", headers={"Authorization": f"bearer {scim.token}"})
    assert response.status_code == 200


def test_a_token_of_another_tenant_is_401(server, scim):
    other = new_scim(server)
    _rejected(httpx.get(f"{scim.base}/Users", headers={"Authorization": other.bearer}))
    _rejected(httpx.get(f"{other.base}/Users", headers={"Authorization": scim.bearer}))


def test_an_unknown_or_malformed_tenant_id_is_401(server, scim):
    for tenant in ("00000000-0000-4000-8000-000000000000", "not-a-tenant"):
        response = httpx.get(
            f"{server.url}/{tenant}/scim/v2/Users", headers={"Authorization": scim.bearer}
        )
        _rejected(response)


def test_an_expired_token_is_401(server, scim):
    store = scim.store()
    created = create_token(store, scim.identity_store_id, scim.tenant_id)
    headers = {"Authorization": f"Bearer {created.token}"}
    assert httpx.get(f"{scim.base}/Users", headers=headers).status_code == 200
    with server.core.store.transaction() as session:
        session.execute(
            update(ScimBearerToken)
            .where(ScimBearerToken.id == created.token_id)
            .values(expires_at=now() - timedelta(seconds=1))
        )
    _rejected(httpx.get(f"{scim.base}/Users", headers=headers))
    delete_token(store, scim.identity_store_id, scim.tenant_id, created.token_id)


def test_a_deleted_token_is_401(scim):
    store = scim.store()
    created = create_token(store, scim.identity_store_id, scim.tenant_id)
    headers = {"Authorization": f"Bearer {created.token}"}
    assert httpx.get(f"{scim.base}/Users", headers=headers).status_code == 200
    delete_token(store, scim.identity_store_id, scim.tenant_id, created.token_id)
    _rejected(httpx.get(f"{scim.base}/Users", headers=headers))


def test_deleting_automatic_provisioning_turns_the_same_token_away_everywhere(server):
    scim = new_scim(server)
    with scim.http() as http:
        user = create_user(http)
        assert http.get(f"/Users/{user['id']}").status_code == 200
        delete_tenant(scim.store(), scim.identity_store_id, scim.tenant_id)
        for path in [*PATHS, f"/Users/{user['id']}", "/Schemas/urn:x"]:
            _rejected(http.get(path))
        _rejected(http.post("/Users", json=user_body()))
        _rejected(http.patch(f"/Users/{user['id']}", json={}))
        _rejected(http.delete(f"/Users/{user['id']}"))


def test_authentication_comes_before_reading_the_body(scim):
    response = httpx.post(
        f"{scim.base}/Users", content=b"{not json", headers={"Authorization": "Bearer x"}
    )
    _rejected(response)

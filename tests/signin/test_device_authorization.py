"""OIDC device authorization through the official client: registration, the device code,
RFC 8628's polling answers and the tokens a redeemed code gives."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import update

from idplane.platform.clock import now
from idplane.platform.crypto import token_digest
from idplane.signin.tables import DeviceAuthorization
from tests.identitycenter.access.support import failure
from tests.signin.support import DEVICE_GRANT, poll, register, start


def test_registering_a_public_client_returns_its_id_secret_and_endpoints(portal):
    info = register(portal.oidc())
    assert info.client_id and info.client_secret
    assert info.token_endpoint == f"{portal.server.url}/v1/tokens"
    # Epoch seconds; the secret lives 90 days.
    assert info.client_secret_expires_at - info.client_id_issued_at == 90 * 86400


def test_a_device_authorization_gives_a_typeable_user_code_and_the_portal_verification_uri(
    portal,
):
    client = portal.oidc()
    started = start(client, register(client), portal.start_url)
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", started.user_code)
    assert started.verification_uri == f"{portal.start_url}/device"
    assert started.verification_uri_complete == (
        f"{portal.start_url}/device?user_code={started.user_code}"
    )
    assert started.expires_in == 600 and started.interval == 5
    assert len(started.device_code) >= 43


def test_a_start_url_that_is_not_this_instances_portal_is_refused(portal):
    client = portal.oidc()
    info = register(client)
    for url in (f"{portal.server.url}/d-0000000000/portal", "https://idcenter.example/x/portal"):
        assert failure(lambda url=url: start(client, info, url)) == (400, "invalid_request")


def test_a_wrong_client_secret_is_invalid_client(portal):
    client = portal.oidc()
    info = register(client)
    info.client_secret = "not-the-secret"
    assert failure(lambda: start(client, info, portal.start_url)) == (401, "invalid_client")
    assert failure(lambda: poll(client, info, "whatever")) == (401, "invalid_client")


def test_polling_before_approval_is_pending_and_polling_too_fast_is_slow_down(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    assert failure(lambda: poll(client, info, started.device_code)) == (
        400,
        "authorization_pending",
    )
    assert failure(lambda: poll(client, info, started.device_code)) == (400, "slow_down")


def test_the_error_body_carries_the_rfc_error_beside_the_sdk_fields(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    response = httpx.post(
        f"{portal.server.url}/v1/tokens",
        json={
            "client_id": info.client_id,
            "client_secret": info.client_secret,
            "grant_type": DEVICE_GRANT,
            "device_code": started.device_code,
        },
    )
    body = response.json()
    assert response.status_code == 400
    assert body["error"] == body["error_code"] == "authorization_pending"
    assert body["error_description"] == body["error_msg"]


def test_an_expired_device_code_is_expired_token(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    with portal.server.core.store.transaction() as session:
        session.execute(
            update(DeviceAuthorization)
            .where(DeviceAuthorization.device_code_digest == token_digest(started.device_code))
            .values(expires_at=now() - timedelta(seconds=1))
        )
    assert failure(lambda: poll(client, info, started.device_code)) == (400, "expired_token")


def test_an_unknown_device_code_or_grant_type_is_refused(portal):
    client = portal.oidc()
    info = register(client)
    assert failure(lambda: poll(client, info, "no-such-code")) == (400, "invalid_grant")
    response = httpx.post(
        f"{portal.server.url}/v1/tokens",
        json={
            "client_id": info.client_id,
            "client_secret": info.client_secret,
            "grant_type": "password",
        },
    )
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


def test_a_denied_device_code_is_access_denied(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    _, name, password = portal.user_with_password()
    signed_in = portal.session(name, password)
    assert portal.signin.approvals.decide(signed_in.id, portal.store_id, started.user_code, False)
    assert failure(lambda: poll(client, info, started.device_code)) == (400, "access_denied")

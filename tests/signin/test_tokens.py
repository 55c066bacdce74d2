"""What an approved device code gives: opaque tokens that are redeemed once, refreshed with
rotation, and that end with the sign-in session they belong to."""

from __future__ import annotations

from sqlalchemy import delete

from idplane.signin.tables import SigninSession
from tests.identitycenter.access.support import failure
from tests.signin.support import poll, refresh, register, start


def approved(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    _, name, password = portal.user_with_password()
    signed_in = portal.session(name, password)
    assert portal.signin.approvals.decide(signed_in.id, portal.store_id, started.user_code, True)
    return client, info, started, signed_in


def test_an_approved_device_code_gives_an_access_and_a_refresh_token_once(portal):
    client, info, started, _ = approved(portal)
    token = poll(client, info, started.device_code)
    assert token.access_token and token.refresh_token and token.token_type == "BearerToken"
    assert 0 < token.expires_in <= 3600
    assert failure(lambda: poll(client, info, started.device_code)) == (400, "invalid_grant")


def test_a_refresh_token_gives_new_tokens_and_works_only_once(portal):
    client, info, started, _ = approved(portal)
    first = poll(client, info, started.device_code)
    second = refresh(client, info, first.refresh_token)
    assert second.access_token != first.access_token
    assert failure(lambda: refresh(client, info, first.refresh_token)) == (400, "invalid_grant")
    assert refresh(client, info, second.refresh_token).access_token


def test_another_clients_refresh_token_is_refused(portal):
    client, info, started, _ = approved(portal)
    token = poll(client, info, started.device_code)
    other = register(client)
    assert failure(lambda: refresh(client, other, token.refresh_token)) == (400, "invalid_grant")


def test_tokens_end_with_their_sign_in_session(portal):
    client, info, started, signed_in = approved(portal)
    token = poll(client, info, started.device_code)
    with portal.server.core.store.transaction() as session:
        session.execute(delete(SigninSession).where(SigninSession.id == signed_in.id))
    assert failure(lambda: refresh(client, info, token.refresh_token)) == (400, "invalid_grant")


def test_a_code_approved_in_another_identity_store_is_not_approved(portal):
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    _, name, password = portal.user_with_password()
    signed_in = portal.session(name, password)
    assert not portal.signin.approvals.decide(signed_in.id, "d-0000000000", started.user_code, True)
    assert failure(lambda: poll(client, info, started.device_code)) == (
        400,
        "authorization_pending",
    )

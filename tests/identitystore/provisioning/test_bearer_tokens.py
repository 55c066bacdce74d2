"""Bearer tokens of a provisioning tenant: the secret shown once and stored only as a digest,
at most two per tenant (also under concurrent creates), listed without secrets, deleted."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from idplane.identitystore.provisioning.tables import ScimBearerToken
from idplane.platform.crypto import token_digest
from tests.identitystore.provisioning.support import (
    Recorder,
    another_store,
    create_tenant,
    create_token,
    delete_token,
    error_of,
    list_tokens,
    organization_with_store,
    outcome,
    store_client,
)

YEAR_MS = 365 * 24 * 3600 * 1000


@pytest.fixture
def tenant(server):
    setup = organization_with_store(server)
    client = store_client(server, setup.management)
    setup.tenant_id = create_tenant(client, setup.identity_store_id).tenant_id
    return setup


def _stored(server, tenant_id: str) -> list[ScimBearerToken]:
    with server.core.store.read() as session:
        return list(
            session.scalars(select(ScimBearerToken).where(ScimBearerToken.tenant_id == tenant_id))
        )


def test_a_token_is_long_random_and_expires_after_365_days(server, tenant):
    recorder = Recorder()
    client = store_client(server, tenant.management, recorder)
    created = create_token(client, tenant.identity_store_id, tenant.tenant_id)
    assert created.status_code == 201
    assert re.fullmatch(r"[A-Za-z0-9_-]{64,}", created.token)
    assert uuid.UUID(created.token_id)
    assert created.expiration_time == (created.creation_time // 1000) * 1000 + YEAR_MS
    assert set(recorder.last.json()) == {"creation_time", "expiration_time", "token", "token_id"}
    assert recorder.last.headers["Cache-Control"] == "no-store"
    second = create_token(client, tenant.identity_store_id, tenant.tenant_id)
    assert second.token != created.token


def test_the_secret_is_stored_only_as_its_digest(server, tenant):
    client = store_client(server, tenant.management)
    created = create_token(client, tenant.identity_store_id, tenant.tenant_id)
    [row] = _stored(server, tenant.tenant_id)
    assert row.digest == token_digest(created.token)
    assert created.token not in {str(v) for v in vars(row).values()}


def test_listing_shows_times_and_ids_but_never_a_secret(server, tenant):
    recorder = Recorder()
    client = store_client(server, tenant.management, recorder)
    created = [create_token(client, tenant.identity_store_id, tenant.tenant_id) for _ in "ab"]
    listed = list_tokens(client, tenant.identity_store_id, tenant.tenant_id)
    assert [(t.token_id, t.creation_time, t.expiration_time) for t in listed] == [
        (c.token_id, c.creation_time, c.expiration_time) for c in created
    ]
    raw = recorder.last.text
    assert all(c.token not in raw for c in created)
    for item in recorder.last.json()["bearer_tokens"]:
        assert set(item) == {"creation_time", "expiration_time", "token_id"}


def test_a_tenant_has_at_most_two_tokens(server, tenant):
    client = store_client(server, tenant.management)
    sid, tid = tenant.identity_store_id, tenant.tenant_id
    first, _second = create_token(client, sid, tid), create_token(client, sid, tid)
    error = error_of(lambda: create_token(client, sid, tid))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert "already has 2 bearer tokens" in error.error_msg
    assert len(list_tokens(client, sid, tid)) == 2
    # Deleting one frees its place.
    delete_token(client, sid, tid, first.token_id)
    third = create_token(client, sid, tid)
    assert {t.token_id for t in list_tokens(client, sid, tid)} == {
        _second.token_id,
        third.token_id,
    }


def test_concurrent_creates_never_exceed_two_tokens(server, tenant):
    sid, tid = tenant.identity_store_id, tenant.tenant_id

    def attempt(_):
        return outcome(lambda: create_token(store_client(server, tenant.management), sid, tid))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))
    assert outcomes.count("ok") == 2
    assert set(outcomes) - {"ok"} == {(400, "IIC.400")}
    assert sorted(row.slot for row in _stored(server, tid)) == [1, 2]


def test_a_deleted_token_is_gone_and_deleting_it_again_is_a_404(server, tenant):
    client = store_client(server, tenant.management)
    sid, tid = tenant.identity_store_id, tenant.tenant_id
    token_id = create_token(client, sid, tid).token_id
    assert delete_token(client, sid, tid, token_id).status_code == 200
    assert list_tokens(client, sid, tid) == []
    assert _stored(server, tid) == []
    error = error_of(lambda: delete_token(client, sid, tid, token_id))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_malformed_ids_are_400(server, tenant):
    client = store_client(server, tenant.management)
    sid, tid = tenant.identity_store_id, tenant.tenant_id
    calls = [
        lambda: create_token(client, sid, "nope"),
        lambda: list_tokens(client, sid, "nope"),
        lambda: delete_token(client, sid, tid, "nope"),
        lambda: delete_token(client, sid, "nope", str(uuid.uuid4())),
    ]
    for call in calls:
        error = error_of(call)
        assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_unknown_tenants_and_tokens_are_404(server, tenant):
    client = store_client(server, tenant.management)
    sid, tid = tenant.identity_store_id, tenant.tenant_id
    unknown = str(uuid.uuid4())
    calls = [
        lambda: create_token(client, sid, unknown),
        lambda: list_tokens(client, sid, unknown),
        lambda: delete_token(client, sid, tid, unknown),
    ]
    for call in calls:
        error = error_of(call)
        assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_another_stores_tenant_and_tokens_are_404(server, tenant):
    other, other_sid = another_store(server)
    theirs = store_client(server, other)
    their_tenant = create_tenant(theirs, other_sid).tenant_id
    their_token = create_token(theirs, other_sid, their_tenant).token_id
    mine = store_client(server, tenant.management)
    sid = tenant.identity_store_id
    calls = [
        lambda: create_token(mine, sid, their_tenant),
        lambda: list_tokens(mine, sid, their_tenant),
        lambda: delete_token(mine, sid, their_tenant, their_token),
        # A token of another tenant, through my own tenant.
        lambda: delete_token(mine, sid, tenant.tenant_id, their_token),
    ]
    for call in calls:
        error = error_of(call)
        assert (error.status_code, error.error_code) == (404, "IIC.404")
    assert [t.token_id for t in list_tokens(theirs, other_sid, their_tenant)] == [their_token]


def test_a_delegated_administrator_manages_tokens(server, tenant):
    client = store_client(server, tenant.delegate)
    sid, tid = tenant.identity_store_id, tenant.tenant_id
    token_id = create_token(client, sid, tid).token_id
    assert [t.token_id for t in list_tokens(client, sid, tid)] == [token_id]
    delete_token(client, sid, tid, token_id)
    assert list_tokens(client, sid, tid) == []

"""The seed "Deleting Automatic Provisioning": DELETE
/v1/identity-stores/{identity_store_id}/tenant/{tenant_id} through the official SDK's
`delete_provisioning_tenant`, with every documented status (200 no body, 400, 403 with
encoded_authorization_message, 404), each checked on the SDK exception and on the raw body."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from idplane.identitystore.provisioning.tables import ProvisioningTenant, ScimBearerToken
from tests import clients
from tests.identitystore.provisioning.support import (
    Recorder,
    another_store,
    create_tenant,
    create_token,
    delete_tenant,
    error_of,
    list_tenants,
    organization_with_store,
    store_client,
)
from tests.org_personas import create_member, temporary_persona


@pytest.fixture
def setup(server):
    return organization_with_store(server)


def _token_rows(server, tenant_id: str) -> int:
    with server.core.store.read() as session:
        return session.scalar(
            select(func.count())
            .select_from(ScimBearerToken)
            .where(ScimBearerToken.tenant_id == tenant_id)
        )


def _tenant_exists(server, tenant_id: str) -> bool:
    with server.core.store.read() as session:
        return session.scalar(select(ProvisioningTenant).where(ProvisioningTenant.id == tenant_id))


def assert_envelope(response, status: int, code: str) -> dict:
    """The raw body is the Identity Center error envelope, and nothing else."""
    assert response.status_code == status
    body = response.json()
    expected = {"error_code", "error_msg", "request_id"}
    if status == 403:
        expected.add("encoded_authorization_message")
        assert body["encoded_authorization_message"]
    assert set(body) == expected
    assert body["error_code"] == code
    assert body["error_msg"]
    assert body["request_id"] == response.headers["X-Request-Id"]
    return body


def test_deleting_a_tenant_answers_200_with_no_body_and_revokes_its_tokens(server, setup):
    recorder = Recorder()
    client = store_client(server, setup.management, recorder)
    sid = setup.identity_store_id
    tenant_id = create_tenant(client, sid).tenant_id
    create_token(client, sid, tenant_id)
    create_token(client, sid, tenant_id)
    assert _token_rows(server, tenant_id) == 2

    response = delete_tenant(client, sid, tenant_id)

    assert response.status_code == 200
    assert recorder.last.status_code == 200
    assert recorder.last.content == b""
    assert list_tenants(client, sid) == []
    assert not _tenant_exists(server, tenant_id)
    assert _token_rows(server, tenant_id) == 0


def test_a_delegated_administrator_deletes_the_tenant(server, setup):
    sid = setup.identity_store_id
    tenant_id = create_tenant(store_client(server, setup.management), sid).tenant_id
    delegate = store_client(server, setup.delegate)
    assert delete_tenant(delegate, sid, tenant_id).status_code == 200
    assert list_tenants(delegate, sid) == []


@pytest.mark.parametrize(
    "tenant_id", ["not-a-uuid", "123", "e0d69be4-ee68-4653-97e4-9e8xxxxx", "x" * 200]
)
def test_a_malformed_tenant_id_is_a_400(server, setup, tenant_id):
    recorder = Recorder()
    client = store_client(server, setup.management, recorder)
    error = error_of(lambda: delete_tenant(client, setup.identity_store_id, tenant_id))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    body = assert_envelope(recorder.last, 400, "IIC.400")
    assert "tenant_id" in body["error_msg"]
    assert error.request_id == body["request_id"]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_neither_management_nor_delegate_gets_403_and_the_tenant_stays(server, setup, who):
    sid = setup.identity_store_id
    tenant_id = create_tenant(store_client(server, setup.management), sid).tenant_id
    caller = create_member(server, setup.management) if who == "member" else server.new_account()
    recorder = Recorder()
    client = store_client(server, caller, recorder)
    error = error_of(lambda: delete_tenant(client, sid, tenant_id))
    assert (error.status_code, error.error_code) == (403, "IIC.1215")
    assert error.encoded_auth_msg
    body = assert_envelope(recorder.last, 403, "IIC.1215")
    assert body["encoded_authorization_message"] == error.encoded_auth_msg
    assert _tenant_exists(server, tenant_id)


def test_an_unknown_tenant_is_a_404(server, setup):
    recorder = Recorder()
    client = store_client(server, setup.management, recorder)
    unknown = str(uuid.uuid4())
    error = error_of(lambda: delete_tenant(client, setup.identity_store_id, unknown))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    body = assert_envelope(recorder.last, 404, "IIC.404")
    assert unknown in body["error_msg"]


def test_a_tenant_is_deleted_once(server, setup):
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    tenant_id = create_tenant(client, sid).tenant_id
    delete_tenant(client, sid, tenant_id)
    error = error_of(lambda: delete_tenant(client, sid, tenant_id))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_another_stores_tenant_is_a_404_and_stays(server, setup):
    other, other_sid = another_store(server)
    theirs = create_tenant(store_client(server, other), other_sid).tenant_id
    recorder = Recorder()
    client = store_client(server, setup.management, recorder)
    # Their tenant through my store, and their store itself: neither is confirmed to exist.
    for sid in (setup.identity_store_id, other_sid):
        error = error_of(lambda sid=sid: delete_tenant(client, sid, theirs))
        assert (error.status_code, error.error_code) == (404, "IIC.404")
        assert_envelope(recorder.last, 404, "IIC.404")
    assert [t.tenant_id for t in list_tenants(store_client(server, other), other_sid)] == [theirs]


def test_deleting_the_tenant_with_temporary_credentials_works(server, setup):
    sid = setup.identity_store_id
    tenant_id = create_tenant(store_client(server, setup.management), sid).tenant_id
    persona = temporary_persona(server, setup.management)
    client = store_client(server, setup.management, **persona.temporary)
    assert delete_tenant(client, sid, tenant_id).status_code == 200
    assert list_tenants(clients.identitystore(server.url, setup.management), sid) == []

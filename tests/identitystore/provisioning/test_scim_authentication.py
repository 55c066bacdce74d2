"""`ScimProvisioningService.authenticate_bearer`: what the SCIM endpoint asks of every request.
A live token of that very tenant passes; anything else is 401, whatever the reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from idplane.identitystore.provisioning.service import ScimProvisioningService, ScimTenant
from idplane.identitystore.provisioning.tables import ScimBearerToken
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.clock import now
from idplane.platform.errors import Unauthenticated
from tests.identitystore.provisioning.support import (
    another_store,
    create_tenant,
    create_token,
    delete_tenant,
    delete_token,
    organization_with_store,
    store_client,
)


@pytest.fixture
def service(server) -> ScimProvisioningService:
    return ScimProvisioningService(
        server.core.store, IdentityCenterGate(server.core.store, server.core.authorizer), server.url
    )


@pytest.fixture
def tenant(server):
    setup = organization_with_store(server)
    setup.client = store_client(server, setup.management)
    setup.tenant_id = create_tenant(setup.client, setup.identity_store_id).tenant_id
    return setup


def _token(tenant) -> tuple[str, str]:
    created = create_token(tenant.client, tenant.identity_store_id, tenant.tenant_id)
    return created.token_id, created.token


def _rejected(service, tenant_id, token) -> None:
    with pytest.raises(Unauthenticated) as raised:
        service.authenticate_bearer(tenant_id, token)
    assert raised.value.status == 401
    assert raised.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_live_token_authenticates_as_its_tenant(service, tenant):
    _, secret = _token(tenant)
    assert service.authenticate_bearer(tenant.tenant_id, secret) == ScimTenant(
        tenant_id=tenant.tenant_id,
        identity_store_id=tenant.identity_store_id,
        account_id=tenant.management.account_id,
    )


def test_both_tokens_of_a_tenant_work_at_once_for_rotation(service, tenant):
    secrets = [_token(tenant)[1], _token(tenant)[1]]
    for secret in secrets:
        assert service.authenticate_bearer(tenant.tenant_id, secret).tenant_id == tenant.tenant_id


@pytest.mark.parametrize("presented", [None, "", "x", "Bearer abc", "a" * 86])
def test_a_missing_or_wrong_token_is_401(service, tenant, presented):
    _token(tenant)
    _rejected(service, tenant.tenant_id, presented)


def test_a_token_of_another_tenant_is_401(server, service, tenant):
    other, other_sid = another_store(server)
    theirs = store_client(server, other)
    their_tenant = create_tenant(theirs, other_sid).tenant_id
    their_secret = create_token(theirs, other_sid, their_tenant).token
    _, my_secret = _token(tenant)
    _rejected(service, tenant.tenant_id, their_secret)
    _rejected(service, their_tenant, my_secret)


def test_an_expired_token_is_401(server, service, tenant):
    token_id, secret = _token(tenant)
    with server.core.store.transaction() as session:
        session.execute(
            update(ScimBearerToken)
            .where(ScimBearerToken.id == token_id)
            .values(expires_at=now() - timedelta(seconds=1))
        )
    _rejected(service, tenant.tenant_id, secret)


def test_a_deleted_token_is_401_and_the_other_still_works(service, tenant):
    token_id, secret = _token(tenant)
    _, kept = _token(tenant)
    delete_token(tenant.client, tenant.identity_store_id, tenant.tenant_id, token_id)
    _rejected(service, tenant.tenant_id, secret)
    assert service.authenticate_bearer(tenant.tenant_id, kept).tenant_id == tenant.tenant_id


def test_every_token_is_401_once_its_tenant_is_deleted(service, tenant):
    secrets = [_token(tenant)[1], _token(tenant)[1]]
    delete_tenant(tenant.client, tenant.identity_store_id, tenant.tenant_id)
    for secret in secrets:
        _rejected(service, tenant.tenant_id, secret)


@pytest.mark.parametrize("tenant_id", ["00000000-0000-4000-8000-000000000000", "not-a-tenant", ""])
def test_an_unknown_or_malformed_tenant_is_401(service, tenant, tenant_id):
    _, secret = _token(tenant)
    _rejected(service, tenant_id, secret)

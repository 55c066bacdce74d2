"""Deleting Identity Center takes the identity store's provisioning along: its tenant, the
tenant's tokens and the password policy go in the same transaction (ON DELETE CASCADE)."""

from __future__ import annotations

from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st
from sqlalchemy import func, select

from idplane.identitystore.password_policy.tables import PasswordPolicy
from idplane.identitystore.provisioning.tables import ProvisioningTenant, ScimBearerToken
from tests import clients
from tests.identitystore.provisioning.support import (
    create_tenant,
    create_token,
    organization_with_store,
    store_client,
)


def _count(server, model, column, value) -> int:
    with server.core.store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(column == value))


def test_deleting_identity_center_removes_tenant_tokens_and_policy(server):
    setup = organization_with_store(server)
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    tenant_id = create_tenant(client, sid).tenant_id
    create_token(client, sid, tenant_id)
    body = st.UpdatePasswordPolicyReqBody(
        password_policy=st.PasswordPolicyDto(minimum_password_length=20)
    )
    client.update_password_policy(st.UpdatePasswordPolicyRequest(identity_store_id=sid, body=body))
    assert _count(server, PasswordPolicy, PasswordPolicy.identity_store_id, sid) == 1

    clients.identitycenter(server.url, setup.management).delete_identity_center(
        ic.DeleteIdentityCenterRequest()
    )

    assert _count(server, ProvisioningTenant, ProvisioningTenant.identity_store_id, sid) == 0
    assert _count(server, ScimBearerToken, ScimBearerToken.tenant_id, tenant_id) == 0
    assert _count(server, PasswordPolicy, PasswordPolicy.identity_store_id, sid) == 0

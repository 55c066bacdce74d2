"""A SCIM DELETE goes through the directory's `delete_principal`, so Identity Center's rules
apply: the deleted user's or group's account assignments go with it (official SDKs)."""

from __future__ import annotations

import pytest

from tests.identitycenter.access.support import (
    all_for_principal,
    assign,
    create_permission_set,
    new_org,
)
from tests.identitystore.provisioning.support import create_tenant, create_token, store_client
from tests.scim.endpoint.support import Scim, create_group, create_user


@pytest.fixture(scope="module")
def org(server):
    return new_org(server)


@pytest.fixture(scope="module")
def provisioned(server, org) -> Scim:
    client = store_client(server, org.management)
    tenant = create_tenant(client, org.identity_store_id)
    token = create_token(client, org.identity_store_id, tenant.tenant_id).token
    return Scim(
        server, org.management, org.identity_store_id, tenant.tenant_id, token, tenant.scim_endpoint
    )


@pytest.mark.parametrize(("principal_type", "path"), [("USER", "Users"), ("GROUP", "Groups")])
def test_deleting_over_scim_deletes_the_principals_assignments(
    org, provisioned, principal_type, path
):
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    with provisioned.http() as http:
        doomed = create_user(http) if principal_type == "USER" else create_group(http)
        kept = create_user(http) if principal_type == "USER" else create_group(http)
        for principal in (doomed, kept):
            for account in org.accounts:
                assign(
                    client, org.instance_id, ps, principal_type, principal["id"], account.account_id
                )
        assert http.delete(f"/{path}/{doomed['id']}").status_code == 204
    assert all_for_principal(client, org.instance_id, principal_type, doomed["id"]) == []
    assert len(all_for_principal(client, org.instance_id, principal_type, kept["id"])) == 2

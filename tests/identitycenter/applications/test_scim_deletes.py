"""A user or group deleted over SCIM goes through the directory's `delete_principal`, so its
application assignments go with it, as when it is deleted over the Identity Store API."""

from __future__ import annotations

import pytest

from tests.identitycenter.applications.support import assign, assignments, create_instance
from tests.identitystore.provisioning.support import create_tenant, create_token, store_client
from tests.scim.endpoint.support import Scim, create_group, create_user


@pytest.fixture(scope="module")
def provisioned(server, org) -> Scim:
    client = store_client(server, org.management)
    tenant = create_tenant(client, org.identity_store_id)
    token = create_token(client, org.identity_store_id, tenant.tenant_id).token
    return Scim(
        server, org.management, org.identity_store_id, tenant.tenant_id, token, tenant.scim_endpoint
    )


@pytest.mark.parametrize(("principal_type", "path"), [("USER", "Users"), ("GROUP", "Groups")])
def test_deleting_over_scim_deletes_the_principals_application_assignments(
    org, provisioned, principal_type, path
):
    app = create_instance(org).application_instance_id
    with provisioned.http() as http:
        make = create_user if principal_type == "USER" else create_group
        doomed, kept = make(http)["id"], make(http)["id"]
        for principal in (doomed, kept):
            assign(org, app, principal, principal_type)
        assert http.delete(f"/{path}/{doomed}").status_code == 204
    assert assignments(org, app) == [(principal_type, kept)]

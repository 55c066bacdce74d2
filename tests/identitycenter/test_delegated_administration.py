"""Issue 3's done-when: a management account builds an organization, starts Identity Center and
delegates it to a member, who then administers the instance until the registration goes."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import (
    IDENTITY_CENTER,
    deregister_delegate,
    identity_center_with_delegate,
    register_delegate,
)


def test_a_delegated_administrator_lists_the_instance_until_deregistered(server) -> None:
    management = server.new_account("mgmt")
    organizations = clients.organizations(server.url, management)
    organizations.create_organization(org.CreateOrganizationRequest())
    created = organizations.create_account(
        org.CreateAccountRequest(body=org.CreateAccountReqBody(name=f"dl-{management.user_id[:8]}"))
    ).create_account_status
    assert created.state == "succeeded"
    organizations.enable_trusted_service(
        org.EnableTrustedServiceRequest(
            body=org.TrustedServiceReqBody(service_principal=IDENTITY_CENTER)
        )
    )
    clients.identitycenter(server.url, management).start_identity_center(
        ic.StartIdentityCenterRequest()
    )
    register_delegate(server, management, created.account_id)

    member = server.core.accounts.create_root_credentials(created.account_name)
    member_client = clients.identitycenter(server.url, member)
    instances = member_client.list_instances(ic.ListInstancesRequest()).instances
    mine = clients.identitycenter(server.url, management).list_instances(ic.ListInstancesRequest())
    assert [i.instance_id for i in instances] == [mine.instances[0].instance_id]
    assert instances[0].instance_id.startswith("ins-")
    assert instances[0].identity_store_id.startswith("d-")

    deregister_delegate(server, management, created.account_id)
    with pytest.raises(ClientRequestException) as raised:
        member_client.list_instances(ic.ListInstancesRequest())
    assert raised.value.status_code == 403
    assert raised.value.error_code == "IIC.1215"
    assert raised.value.error_msg == (
        "only organizations administrator account can operate,"
        "please log in to the administrator account!"
    )


def test_a_delegated_administrator_administers_the_instance(server) -> None:
    _management, delegate = identity_center_with_delegate(server)
    client = clients.identitycenter(server.url, delegate)
    instance = client.list_instances(ic.ListInstancesRequest()).instances[0]
    alias = f"dl{delegate.account_id[:12]}"
    client.create_alias(
        ic.CreateAliasRequest(
            instance_id=instance.instance_id, body=ic.CreateAliasReqBody(alias=alias)
        )
    )
    assert client.list_instances(ic.ListInstancesRequest()).instances[0].alias == alias
    status = client.get_identity_center_service_status(ic.GetIdentityCenterServiceStatusRequest())
    assert status.service_status == "enable"


def test_removing_the_trusted_service_takes_the_delegates_access_away(server) -> None:
    management, delegate = identity_center_with_delegate(server)
    clients.organizations(server.url, management).disable_trusted_service(
        org.DisableTrustedServiceRequest(
            body=org.TrustedServiceReqBody(service_principal=IDENTITY_CENTER)
        )
    )
    with pytest.raises(ClientRequestException) as raised:
        clients.identitycenter(server.url, delegate).list_instances(ic.ListInstancesRequest())
    assert (raised.value.status_code, raised.value.error_code) == (403, "IIC.1215")
    # The management account keeps administering its instance.
    mine = clients.identitycenter(server.url, management).list_instances(ic.ListInstancesRequest())
    assert len(mine.instances) == 1

"""The Identity Center service and instance through the official Identity Center SDK."""

from __future__ import annotations

import re

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkorganizations.v1 import model as org
from sqlalchemy import select

from idplane.instances.store_tables import IdentityStore
from tests import clients
from tests.org_personas import (
    IDENTITY_CENTER,
    create_organization,
    identity_center_with_delegate,
    organization_with_member,
    start_identity_center,
)


def _error(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def _status(client) -> str:
    return client.get_identity_center_service_status(
        ic.GetIdentityCenterServiceStatusRequest()
    ).service_status


def test_starting_creates_the_instance_and_its_identity_store(server, account) -> None:
    create_organization(server, account)
    client = clients.identitycenter(server.url, account)
    assert _status(client) == "disable"
    assert client.list_instances(ic.ListInstancesRequest()).instances == []
    response = client.start_identity_center(ic.StartIdentityCenterRequest())
    assert response.status_code == 200
    assert _status(client) == "enable"
    page = client.list_instances(ic.ListInstancesRequest())
    assert page.page_info.current_count == 1
    instance = page.instances[0]
    assert re.fullmatch(r"ins-[0-9a-f]{16}", instance.instance_id)
    assert re.fullmatch(r"d-[0-9a-f]{10}", instance.identity_store_id)
    assert instance.instance_urn == f"IdentityCenter::system:instance:{instance.instance_id}"
    associations = client.list_identity_store_association(
        ic.ListIdentityStoreAssociationRequest(instance_id=instance.instance_id)
    ).identity_store_associations
    assert [a.identity_store_id for a in associations] == [instance.identity_store_id]
    assert associations[0].status == "ENABLED"
    assert associations[0].provisioning_type == ["MANUAL"]


def test_starting_trusts_identity_center_in_the_organization(server, account) -> None:
    create_organization(server, account)
    start_identity_center(server, account)
    listed = clients.organizations(server.url, account).list_trusted_services(
        org.ListTrustedServicesRequest()
    )
    assert [t.service_principal for t in listed.trusted_services] == [IDENTITY_CENTER]


def test_an_organization_has_one_instance(server, account) -> None:
    create_organization(server, account)
    start_identity_center(server, account)
    client = clients.identitycenter(server.url, account)
    error = _error(lambda: client.start_identity_center(ic.StartIdentityCenterRequest()))
    assert (error.status_code, error.error_code) == (409, "IIC.1257")
    assert len(client.list_instances(ic.ListInstancesRequest()).instances) == 1


def test_identity_center_needs_an_organization(server, account) -> None:
    client = clients.identitycenter(server.url, account)
    error = _error(lambda: client.start_identity_center(ic.StartIdentityCenterRequest()))
    assert (error.status_code, error.error_code) == (403, "IIC.1215")
    assert error.error_msg.startswith("only organizations administrator account can operate")


def test_the_region_is_registered_and_described(server, account) -> None:
    create_organization(server, account)
    client = clients.identitycenter(server.url, account)
    regions = client.describe_registered_regions(ic.DescribeRegisteredRegionsRequest())
    assert regions.regions == []
    client.register_region(
        ic.RegisterRegionRequest(body=ic.RegisterRegionReqBody(region_id="cn-north-4"))
    )
    client.register_region(  # idempotent
        ic.RegisterRegionRequest(body=ic.RegisterRegionReqBody(region_id="cn-north-4"))
    )
    start_identity_center(server, account)
    regions = client.describe_registered_regions(ic.DescribeRegisteredRegionsRequest())
    assert [r.region_id for r in regions.regions] == ["cn-north-4"]


def test_starting_without_a_region_registers_the_servers_region(server, account) -> None:
    create_organization(server, account)
    start_identity_center(server, account)
    client = clients.identitycenter(server.url, account)
    regions = client.describe_registered_regions(ic.DescribeRegisteredRegionsRequest())
    assert [r.region_id for r in regions.regions] == ["cn-north-4"]


def test_an_unknown_region_is_a_400(server, account) -> None:
    create_organization(server, account)
    client = clients.identitycenter(server.url, account)
    body = ic.RegisterRegionReqBody(region_id="xx-nowhere-9")
    error = _error(lambda: client.register_region(ic.RegisterRegionRequest(body=body)))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_an_alias_is_set_replaced_and_unique(server) -> None:
    first, _ = organization_with_member(server)
    second, _ = organization_with_member(server)
    mine = start_identity_center(server, first)
    theirs = start_identity_center(server, second)
    alias = f"a{first.account_id[:16]}"

    def set_alias(creds, instance, value):
        clients.identitycenter(server.url, creds).create_alias(
            ic.CreateAliasRequest(
                instance_id=instance.instance_id, body=ic.CreateAliasReqBody(alias=value)
            )
        )

    set_alias(first, mine, alias)
    set_alias(first, mine, alias + "b")
    listed = clients.identitycenter(server.url, first).list_instances(ic.ListInstancesRequest())
    assert listed.instances[0].alias == alias + "b"
    error = _error(lambda: set_alias(second, theirs, alias + "b"))
    assert (error.status_code, error.error_code) == (409, "IIC.1257")
    error = _error(lambda: set_alias(first, mine, "-Bad_Alias"))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_another_organizations_instance_is_not_found(server) -> None:
    first, _ = organization_with_member(server)
    second, _ = organization_with_member(server)
    start_identity_center(server, first)
    theirs = start_identity_center(server, second)
    client = clients.identitycenter(server.url, first)
    error = _error(
        lambda: client.list_identity_store_association(
            ic.ListIdentityStoreAssociationRequest(instance_id=theirs.instance_id)
        )
    )
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_deleting_identity_center_removes_the_instance_and_its_identity_store(server) -> None:
    management, delegate = identity_center_with_delegate(server)
    client = clients.identitycenter(server.url, management)
    instance = client.list_instances(ic.ListInstancesRequest()).instances[0]
    assert client.delete_identity_center(ic.DeleteIdentityCenterRequest()).status_code == 200
    assert client.list_instances(ic.ListInstancesRequest()).instances == []
    assert _status(client) == "disable"
    with server.core.store.read() as session:
        stores = session.scalars(
            select(IdentityStore).where(IdentityStore.id == instance.identity_store_id)
        )
        assert list(stores) == []
    error = _error(lambda: client.delete_identity_center(ic.DeleteIdentityCenterRequest()))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    # The delegation is Organizations' and stays: the delegate sees no instance, not a 403.
    delegate_client = clients.identitycenter(server.url, delegate)
    assert delegate_client.list_instances(ic.ListInstancesRequest()).instances == []
    again = start_identity_center(server, management)
    assert again.instance_id != instance.instance_id


def test_only_the_management_account_starts_or_deletes(server) -> None:
    _management, delegate = identity_center_with_delegate(server)
    client = clients.identitycenter(server.url, delegate)
    body = ic.RegisterRegionReqBody(region_id="cn-north-4")
    for call in (
        lambda: client.start_identity_center(ic.StartIdentityCenterRequest()),
        lambda: client.delete_identity_center(ic.DeleteIdentityCenterRequest()),
        lambda: client.register_region(ic.RegisterRegionRequest(body=body)),
    ):
        error = _error(call)
        assert (error.status_code, error.error_code) == (403, "IIC.1215")
    assert len(client.list_instances(ic.ListInstancesRequest()).instances) == 1


def test_an_organization_with_identity_center_cannot_be_deleted(server, account) -> None:
    create_organization(server, account)
    start_identity_center(server, account)
    organizations = clients.organizations(server.url, account)
    error = _error(lambda: organizations.delete_organization(org.DeleteOrganizationRequest()))
    assert (error.status_code, error.error_code) == (400, "Organizations.1103")
    clients.identitycenter(server.url, account).delete_identity_center(
        ic.DeleteIdentityCenterRequest()
    )
    organizations.delete_organization(org.DeleteOrganizationRequest())

"""Wire models of the Identity Center instance APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.identitycenter.service import ServiceStatus
from idplane.instances.schemas import Body, PageInfo
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.platform.paging import Page


class RegisterRegionBody(Body):
    region_id: str = Field(min_length=1, max_length=64)


class CreateAliasBody(Body):
    alias: str = Field(min_length=1, max_length=63)


class ServiceStatusResponse(BaseModel):
    serviceStatus: str
    serviceStatusReasons: list[str]


class InstanceMetadata(BaseModel):
    identity_store_id: str
    instance_id: str
    alias: str | None = None
    instance_urn: str


class InstancesResponse(BaseModel):
    instances: list[InstanceMetadata]
    page_info: PageInfo


class IdentityStoreAssociation(BaseModel):
    identity_store_id: str
    identity_store_type: str
    authentication_type: str
    provisioning_type: list[str]
    status: str


class IdentityStoreAssociationsResponse(BaseModel):
    identity_store_associations: list[IdentityStoreAssociation]


class Region(BaseModel):
    region_id: str


class RegionsResponse(BaseModel):
    regions: list[Region]


def status_out(status: ServiceStatus) -> ServiceStatusResponse:
    return ServiceStatusResponse(serviceStatus=status.status, serviceStatusReasons=status.reasons)


def instances_out(page: Page) -> InstancesResponse:
    instances = [_instance(instance, store) for instance, store in page.rows]
    return InstancesResponse(instances=instances, page_info=PageInfo(**page.page_info()))


def _instance(instance: Instance, store: IdentityStore) -> InstanceMetadata:
    return InstanceMetadata(
        identity_store_id=store.id,
        instance_id=instance.id,
        alias=instance.alias,
        instance_urn=instance.urn,
    )


def associations_out(stores: list[IdentityStore]) -> IdentityStoreAssociationsResponse:
    return IdentityStoreAssociationsResponse(
        identity_store_associations=[
            IdentityStoreAssociation(
                identity_store_id=store.id,
                identity_store_type=store.identity_store_type,
                authentication_type=store.authentication_type,
                provisioning_type=list(store.provisioning_type or []),
                status=store.status,
            )
            for store in stores
        ]
    )


def regions_out(regions: list[str]) -> RegionsResponse:
    return RegionsResponse(regions=[Region(region_id=region) for region in regions])

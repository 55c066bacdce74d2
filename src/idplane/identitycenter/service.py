"""The Identity Center service itself: starting and deleting the organization's instance, its
region, its alias, and the identity store that comes with it.

One instance per organization (a unique constraint, so two concurrent starts cannot both win).
Starting also trusts `service.IdentityCenter` in the organization, as enabling a service
implies trusting it. Deleting removes the instance and everything hanging off it (the identity
store and, through ON DELETE CASCADE, whatever later features store under them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.instances.gate import IDENTITY_CENTER, GatedOrganization, IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance, RegisteredRegion
from idplane.organizations.trusted import enable_trusted_service_in
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import Conflict, Invalid, NotFound
from idplane.platform.paging import Page, PageRequest, keyset_page

_ALIAS = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
NOT_ENABLED = "The IAM Identity Center service instance is not enabled."


@dataclass
class ServiceStatus:
    status: str  # "enable" or "disable", as the real API spells them
    reasons: list[str]


class IdentityCenterService:
    def __init__(self, store: Store, gate: IdentityCenterGate, region: str):
        self.store = store
        self.gate = gate
        self.region = region

    def start_identity_center(self, caller: Caller) -> Instance:
        action = "IdentityCenter:instance:startIdentityCenter"
        try:
            with self.gate.organization_unit(caller, action, management_only=True, write=True) as (
                session,
                organization,
            ):
                if self.gate.organization_instance(session, organization) is not None:
                    raise _already_enabled()
                region = self._region_of(session, organization) or self._register(
                    session, organization, self.region
                )
                enable_trusted_service_in(session, organization.id, IDENTITY_CENTER)
                return self._create_instance(session, organization, region)
        except IntegrityError:
            raise _already_enabled() from None

    def get_identity_center_service_status(self, caller: Caller) -> ServiceStatus:
        with self.gate.organization_unit(
            caller, "IdentityCenter:instance:getIdentityCenterStatus"
        ) as (session, organization):
            if self.gate.organization_instance(session, organization) is None:
                return ServiceStatus("disable", [NOT_ENABLED])
            return ServiceStatus("enable", ["success"])

    def list_instances(self, caller: Caller, paging: PageRequest) -> Page:
        with self.gate.organization_unit(caller, "IdentityCenter:instance:list") as (
            session,
            organization,
        ):
            stmt = (
                select(Instance.seq, Instance, IdentityStore)
                .join(IdentityStore, IdentityStore.instance_id == Instance.id)
                .where(Instance.organization_id == organization.id)
            )
            page = keyset_page(session, stmt, Instance.seq, paging)
            page.rows = [(row.Instance, row.IdentityStore) for row in page.rows]
            return page

    def list_identity_store_association(
        self, caller: Caller, instance_id: str
    ) -> list[IdentityStore]:
        with self.gate.instance_unit(
            caller, "IdentityCenter:instance:listIdentityStoreAssociations", instance_id
        ) as (session, instance):
            stmt = select(IdentityStore).where(IdentityStore.instance_id == instance.id)
            return list(session.scalars(stmt.order_by(IdentityStore.seq)))

    def register_region(self, caller: Caller, region_id: str) -> None:
        action = "IdentityCenter:instance:registerRegion"
        if region_id != self.region:
            raise Invalid(
                f"region {region_id} is not available; this service runs in {self.region}."
            )
        try:
            with self.gate.organization_unit(caller, action, management_only=True, write=True) as (
                session,
                organization,
            ):
                instance = self.gate.organization_instance(session, organization)
                if instance is not None and instance.region_id != region_id:
                    raise Conflict(f"The instance is already enabled in {instance.region_id}.")
                if self._region_of(session, organization) is None:
                    self._register(session, organization, region_id)
        except IntegrityError:
            pass  # registered by a concurrent request, with the only region there is

    def describe_registered_regions(self, caller: Caller) -> list[str]:
        with self.gate.organization_unit(
            caller, "IdentityCenter:instance:describeRegisteredRegions"
        ) as (session, organization):
            region = self._region_of(session, organization)
            return [region] if region else []

    def create_alias(self, caller: Caller, instance_id: str, alias: str) -> None:
        if not _ALIAS.match(alias):
            raise Invalid(
                "alias must be 1-63 lower-case letters, digits or '-', "
                "neither starting nor ending with '-'."
            )
        action = "IdentityCenter:instance:createAlias"
        try:
            with self.gate.instance_unit(caller, action, instance_id, write=True) as (
                session,
                instance,
            ):
                session.execute(
                    update(Instance).where(Instance.id == instance.id).values(alias=alias)
                )
        except IntegrityError:
            raise Conflict(f"The alias {alias} is already in use.", "IIC.1257") from None

    def delete_identity_center(self, caller: Caller) -> None:
        with self.gate.organization_unit(
            caller, "IdentityCenter:instance:deleteIdentityCenter", management_only=True, write=True
        ) as (session, organization):
            gone = session.execute(
                delete(Instance).where(Instance.organization_id == organization.id)
            )
            if rowcount(gone) == 0:
                raise NotFound(NOT_ENABLED)
            session.execute(
                delete(RegisteredRegion).where(RegisteredRegion.organization_id == organization.id)
            )

    # Internals ------------------------------------------------------------------------------

    def _create_instance(self, session: Session, organization: GatedOrganization, region: str):
        moment = now()
        instance = Instance(
            id=ids.prefixed_hex("ins-", 16),
            organization_id=organization.id,
            account_id=organization.management_account_id,
            region_id=region,
            status="ACTIVE",
            created_at=moment,
        )
        session.add(instance)
        session.flush()
        session.add(
            IdentityStore(
                id=ids.prefixed_hex("d-", 10),
                instance_id=instance.id,
                account_id=organization.management_account_id,
                created_at=moment,
            )
        )
        session.flush()
        return instance

    @staticmethod
    def _region_of(session: Session, organization: GatedOrganization) -> str | None:
        return session.scalar(
            select(RegisteredRegion.region_id).where(
                RegisteredRegion.organization_id == organization.id
            )
        )

    @staticmethod
    def _register(session: Session, organization: GatedOrganization, region_id: str) -> str:
        session.add(
            RegisteredRegion(
                organization_id=organization.id, region_id=region_id, registered_at=now()
            )
        )
        session.flush()
        return region_id


def _already_enabled() -> Conflict:
    return Conflict("IAM Identity Center is already enabled for this organization.", "IIC.1257")

"""The world most Identity Center tests need, made in the order the real services require:
an organization (management account + a member account), then Identity Center started in it,
which creates the instance and its identity store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from idplane.identitycenter.service import IdentityCenterService
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.organizations.service import NewAccount, OrganizationService
from idplane.platform.paging import PageRequest
from idplane.testing.accounts import IdplaneAccount


@dataclass(frozen=True)
class IdplaneWorld:
    management: IdplaneAccount  # the organization's management account (root credentials)
    member: IdplaneAccount  # a member account it created (root credentials)
    organization_id: str
    root_id: str  # the organization's root (parent of both accounts)
    instance_id: str  # the Identity Center instance
    identity_store_id: str  # its identity store (`d-...`)
    region: str


def build_world(core, management: IdplaneAccount, member_name: str = "member") -> IdplaneWorld:
    caller = management.caller()
    organizations = OrganizationService(core.store, core.authorizer, core.accounts)
    organization = organizations.create_organization(caller)
    organizations.create_account(caller, NewAccount(name=member_name))
    member = core.accounts.create_root_credentials(member_name)
    center = IdentityCenterService(
        core.store, IdentityCenterGate(core.store, core.authorizer), management.region
    )
    instance = center.start_identity_center(caller)
    with core.store.read() as session:
        store_id = session.scalar(
            select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
        )
    root = organizations.list_roots(caller, PageRequest(1, None)).rows[0][0]
    return IdplaneWorld(
        management=management,
        member=IdplaneAccount.from_credentials(member, management.endpoint),
        organization_id=organization.organization.id,
        root_id=root.id,
        instance_id=instance.id,
        identity_store_id=store_id,
        region=management.region,
    )

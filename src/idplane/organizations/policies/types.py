"""Policy types on the root: their status view, and what enabling SCPs does (the built-in
FullAccess policy attached to the root, every unit and every account)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations import membership, tree
from idplane.organizations.tables import (
    Member,
    Organization,
    OrganizationalUnit,
    PolicyAttachment,
    PolicyTypeStatus,
    Root,
)
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import Invalid, NotFound


@dataclass
class RootView:
    root: Root
    organization: Organization
    policy_types: list[tuple[str, str]]  # (type, status)


def root_view(session: Session, organization: Organization, root: Root) -> RootView:
    rows = session.execute(
        select(PolicyTypeStatus.policy_type, PolicyTypeStatus.status)
        .where(PolicyTypeStatus.root_id == root.id)
        .order_by(PolicyTypeStatus.seq)
    )
    return RootView(root, organization, [(row[0], row[1]) for row in rows])


def managed_root(session: Session, caller: Caller, root_id: str) -> tuple[Organization, Root]:
    organization = membership.managed_organization(session, caller.account_id)
    root = tree.root_of(session, organization)
    if root.id != root_id:
        raise NotFound(f"The root {root_id} does not exist.", "Organizations.1201")
    return organization, root


def attach_full_access_everywhere(session: Session, organization: Organization, root: Root) -> None:
    entities = [(root.id, tree.ROOT)]
    entities += [
        (unit_id, tree.UNIT)
        for unit_id in session.scalars(
            select(OrganizationalUnit.id).where(
                OrganizationalUnit.organization_id == organization.id
            )
        )
    ]
    entities += [
        (account_id, tree.ACCOUNT)
        for account_id in session.scalars(
            select(Member.account_id)
            .join(Account, Account.id == Member.account_id)
            .where(Member.organization_id == organization.id)
        )
    ]
    session.add_all(
        PolicyAttachment(
            organization_id=organization.id,
            policy_id=tree.FULL_ACCESS_ID,
            entity_id=entity_id,
            entity_type=entity_type,
        )
        for entity_id, entity_type in entities
    )


def check_type(policy_type: str) -> None:
    if policy_type not in tree.POLICY_TYPES:
        raise Invalid(f"policy_type must be one of {', '.join(tree.POLICY_TYPES)}")


def type_not_enabled(policy_type: str) -> Invalid:
    return Invalid(
        f"The policy type {policy_type} is not enabled on the root.", "Organizations.1403"
    )

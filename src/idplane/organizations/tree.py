"""Where an entity sits in its organization: the root, organizational units and accounts.

Entity ids are unique across the three kinds (`r-...`, `ou-...`, 32-hex account ids), so
attachments and tags name an entity by its id alone. Units, policies, tags and invitations all
use these helpers inside their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations.tables import (
    Member,
    Organization,
    OrganizationalUnit,
    PolicyAttachment,
    PolicyTypeStatus,
    ResourceTag,
    Root,
)
from idplane.platform.errors import NotFound

ROOT, UNIT, ACCOUNT = "root", "organizational_unit", "account"
SCP, TAG_POLICY = "service_control_policy", "tag_policy"
POLICY_TYPES = (SCP, TAG_POLICY)
FULL_ACCESS_ID = "p-FullAccess"


@dataclass
class Entity:
    id: str
    type: str
    name: str
    unit: OrganizationalUnit | None = None
    member: Member | None = None

    def as_member(self) -> Member:
        """The membership row of an account entity."""
        if self.member is None:
            raise TypeError(f"{self.id} is a {self.type}, not an account")
        return self.member

    def as_unit(self) -> OrganizationalUnit:
        if self.unit is None:
            raise TypeError(f"{self.id} is a {self.type}, not an organizational unit")
        return self.unit


def root_of(session: Session, organization: Organization) -> Root:
    return session.scalars(select(Root).where(Root.organization_id == organization.id)).one()


def find_entity(
    session: Session, organization: Organization, entity_id: str, lock: bool = False
) -> Entity | None:
    """`lock` holds the entity's row (PostgreSQL `FOR UPDATE`) so that changes that check and
    then write around one entity serialise: creating a child in a unit, moving an account into
    it and deleting it; attaching and detaching its policies (the per-entity limits). SQLite
    serialises writers anyway."""
    if entity_id.startswith("r-"):
        roots = select(Root).where(Root.organization_id == organization.id, Root.id == entity_id)
        root = session.scalar(roots.with_for_update() if lock else roots)
        return Entity(root.id, ROOT, root.name) if root is not None else None
    if entity_id.startswith("ou-"):
        units = select(OrganizationalUnit).where(
            OrganizationalUnit.id == entity_id,
            OrganizationalUnit.organization_id == organization.id,
        )
        unit = session.scalar(units.with_for_update() if lock else units)
        return Entity(unit.id, UNIT, unit.name, unit=unit) if unit is not None else None
    stmt = (
        select(Member, Account.name)
        .join(Account, Account.id == Member.account_id)
        .where(Member.organization_id == organization.id, Member.account_id == entity_id)
    )
    row = session.execute(stmt.with_for_update(of=Member) if lock else stmt).first()
    if row is None:
        return None
    return Entity(entity_id, ACCOUNT, row.name, member=row.Member)


def require_entity(
    session: Session, organization: Organization, entity_id: str, lock: bool = False
) -> Entity:
    entity = find_entity(session, organization, entity_id, lock)
    if entity is None:
        raise NotFound(f"The entity {entity_id} does not exist.", "Organizations.1201")
    return entity


def require_parent(
    session: Session, organization: Organization, parent_id: str, lock: bool = False
) -> Entity:
    """The root or a unit; accounts cannot hold anything."""
    entity = find_entity(session, organization, parent_id, lock)
    if entity is None or entity.type == ACCOUNT:
        raise NotFound(f"The parent {parent_id} does not exist.", "Organizations.1201")
    return entity


def parent_of(session: Session, organization: Organization, entity: Entity) -> Entity | None:
    if entity.type == ROOT:
        return None
    parent_id = entity.unit.parent_id if entity.unit is not None else entity.as_member().parent_id
    return require_entity(session, organization, parent_id or root_of(session, organization).id)


def member_parent_id(session: Session, organization: Organization, member: Member) -> str:
    return member.parent_id or root_of(session, organization).id


def policy_type_enabled(session: Session, root_id: str, policy_type: str) -> bool:
    stmt = select(PolicyTypeStatus.status).where(
        PolicyTypeStatus.root_id == root_id, PolicyTypeStatus.policy_type == policy_type
    )
    return session.scalar(stmt) == "enabled"


def entity_added(
    session: Session, organization: Organization, entity_id: str, entity_type: str
) -> None:
    """A new unit or member account gets FullAccess when SCPs are enabled, as the real service
    attaches it to every entity, so nothing is refused until an administrator narrows it."""
    root = root_of(session, organization)
    if policy_type_enabled(session, root.id, SCP):
        session.add(
            PolicyAttachment(
                organization_id=organization.id,
                policy_id=FULL_ACCESS_ID,
                entity_id=entity_id,
                entity_type=entity_type,
            )
        )


def forget_entity(session: Session, entity_id: str) -> None:
    """An entity leaves the organization: its policy attachments and tags go with it."""
    session.execute(delete(PolicyAttachment).where(PolicyAttachment.entity_id == entity_id))
    session.execute(delete(ResourceTag).where(ResourceTag.resource_id == entity_id))


def ancestry(session: Session, organization: Organization, entity: Entity) -> list[str]:
    """The ids from the root down to the entity itself."""
    root = root_of(session, organization)
    if entity.type == ROOT:
        return [root.id]
    if entity.type == UNIT:
        return [root.id, *entity.as_unit().path.split("/")]
    units: list[str] = []
    parent_id = entity.as_member().parent_id
    if parent_id:
        path = session.scalar(
            select(OrganizationalUnit.path).where(OrganizationalUnit.id == parent_id)
        )
        units = (path or "").split("/")
    return [root.id, *units, entity.id]

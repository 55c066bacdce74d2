"""Organizational units, moving accounts between parents, and listing the tree's entities.

Units nest at most five levels below the root and never move, so each keeps its ancestry
(`path`) as written at creation. A unit is deleted only when it holds no unit and no account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations import membership, tree
from idplane.organizations.service import POLICY_DENIED, account_not_member, alnum_id
from idplane.organizations.tables import Member, Organization, OrganizationalUnit
from idplane.organizations.tags import rules
from idplane.organizations.tags.records import RESOURCE_TYPES, Tagged, put_tags
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded
from idplane.platform.paging import Page, PageRequest, keyset_page

MAX_DEPTH = 5
MAX_UNITS = 1000
_NAME = re.compile(r"^[\w.\- ]{1,64}$")


@dataclass
class UnitView:
    unit: OrganizationalUnit
    organization: Organization


@dataclass
class EntityPage:
    rows: list[tree.Entity]
    next_marker: str | None

    def page_info(self) -> dict:
        return {"next_marker": self.next_marker, "current_count": len(self.rows)}


class UnitService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def create_organizational_unit(
        self, caller: Caller, name: str, parent_id: str, tags: list[dict] | None
    ) -> UnitView:
        self._authorize(caller, "organizations:ous:create")
        _check_name(name)
        wanted = rules.check_tags(tags or [])
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                parent = tree.require_parent(session, organization, parent_id, lock=True)
                depth = 1 if parent.unit is None else parent.unit.depth + 1
                if depth > MAX_DEPTH:
                    raise QuotaExceeded(
                        f"Organizational units nest at most {MAX_DEPTH} levels below the root.",
                        "Organizations.1204",
                    )
                _check_unit_quota(session, organization)
                unit_id = alnum_id("ou-")
                path = unit_id if parent.unit is None else f"{parent.unit.path}/{unit_id}"
                unit = OrganizationalUnit(
                    id=unit_id,
                    organization_id=organization.id,
                    parent_id=parent.id,
                    name=name,
                    depth=depth,
                    path=path,
                    created_at=now(),
                )
                session.add(unit)
                session.flush()
                tree.entity_added(session, organization, unit.id, tree.UNIT)
                resource = Tagged(unit.id, RESOURCE_TYPES[tree.UNIT], name)
                put_tags(session, organization.id, resource, wanted)
                return UnitView(unit, organization)
        except IntegrityError:
            raise _name_taken(name) from None

    def show_organizational_unit(self, caller: Caller, unit_id: str) -> UnitView:
        self._authorize(caller, "organizations:ous:get")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            return UnitView(_unit(session, organization, unit_id), organization)

    def update_organizational_unit(self, caller: Caller, unit_id: str, name: str) -> UnitView:
        self._authorize(caller, "organizations:ous:update")
        _check_name(name)
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                unit = _unit(session, organization, unit_id)
                unit.name = name
                session.flush()
                return UnitView(unit, organization)
        except IntegrityError:
            raise _name_taken(name) from None

    def delete_organizational_unit(self, caller: Caller, unit_id: str) -> None:
        self._authorize(caller, "organizations:ous:delete")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            unit = _unit(session, organization, unit_id, lock=True)
            child = session.scalar(
                select(OrganizationalUnit.seq).where(OrganizationalUnit.parent_id == unit.id)
            )
            account = session.scalar(select(Member.seq).where(Member.parent_id == unit.id))
            if child is not None or account is not None:
                raise Invalid(
                    f"The organizational unit {unit_id} still contains units or accounts.",
                    "Organizations.1203",
                )
            tree.forget_entity(session, unit.id)
            session.delete(unit)

    def list_organizational_units(
        self, caller: Caller, parent_id: str | None, request: PageRequest
    ) -> Page:
        self._authorize(caller, "organizations:ous:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(OrganizationalUnit).where(
                OrganizationalUnit.organization_id == organization.id
            )
            if parent_id is not None:
                tree.require_parent(session, organization, parent_id)
                stmt = stmt.where(OrganizationalUnit.parent_id == parent_id)
            page = keyset_page(session, stmt, OrganizationalUnit.seq, request)
            page.rows = [UnitView(unit, organization) for unit in page.rows]
            return page

    def move_account(
        self, caller: Caller, account_id: str, source_parent_id: str, destination_parent_id: str
    ) -> None:
        self._authorize(caller, "organizations:accounts:move")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            account = tree.find_entity(session, organization, account_id)
            if account is None or account.type != tree.ACCOUNT:
                raise account_not_member(account_id)
            source = tree.require_parent(session, organization, source_parent_id)
            destination = tree.require_parent(
                session, organization, destination_parent_id, lock=True
            )
            if tree.member_parent_id(session, organization, account.as_member()) != source.id:
                raise NotFound(
                    f"The account {account_id} is not in the parent {source_parent_id}.",
                    "Organizations.1205",
                )
            if source.id == destination.id:
                raise Conflict(
                    f"The account {account_id} is already in {destination_parent_id}.",
                    "Organizations.1206",
                )
            account.as_member().parent_id = destination.unit.id if destination.unit else None

    def list_entities(
        self,
        caller: Caller,
        parent_id: str | None,
        child_id: str | None,
        limit: int | None,
        marker: str | None,
    ) -> EntityPage:
        """Children of `parent_id`, or the parent of `child_id`, or every entity."""
        self._authorize(caller, "organizations:entities:list")
        limit = 200 if limit is None else limit
        if not 1 <= limit <= 2000:
            raise Invalid("limit must be 1-2000")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            entities = _entities(session, organization, parent_id, child_id)
        return _window(entities, limit, marker)


def _entities(
    session: Session, organization: Organization, parent_id: str | None, child_id: str | None
) -> list[tree.Entity]:
    if child_id is not None:
        child = tree.require_entity(session, organization, child_id)
        parent = tree.parent_of(session, organization, child)
        return [parent] if parent is not None else []
    root = tree.root_of(session, organization)
    units = select(OrganizationalUnit).where(OrganizationalUnit.organization_id == organization.id)
    members = (
        select(Member, Account.name)
        .join(Account, Account.id == Member.account_id)
        .where(Member.organization_id == organization.id)
    )
    out: list[tree.Entity] = []
    if parent_id is None:
        out.append(tree.Entity(root.id, tree.ROOT, root.name))
    else:
        parent = tree.require_parent(session, organization, parent_id)
        units = units.where(OrganizationalUnit.parent_id == parent.id)
        in_parent = Member.parent_id == parent.id
        members = members.where(in_parent if parent.unit else Member.parent_id.is_(None))
    for unit in session.scalars(units.order_by(OrganizationalUnit.seq)):
        out.append(tree.Entity(unit.id, tree.UNIT, unit.name, unit=unit))
    for row in session.execute(members.order_by(Member.seq)):
        out.append(tree.Entity(row.Member.account_id, tree.ACCOUNT, row.name, member=row.Member))
    return out


def _window(entities: list[tree.Entity], limit: int, marker: str | None) -> EntityPage:
    start = 0
    if marker:
        ids = [entity.id for entity in entities]
        if marker not in ids:
            raise Invalid("marker is not valid")
        start = ids.index(marker) + 1
    rows = entities[start : start + limit]
    more = start + limit < len(entities)
    return EntityPage(rows, rows[-1].id if more and rows else None)


def _unit(
    session: Session, organization: Organization, unit_id: str, lock: bool = False
) -> OrganizationalUnit:
    stmt = select(OrganizationalUnit).where(
        OrganizationalUnit.id == unit_id,
        OrganizationalUnit.organization_id == organization.id,
    )
    unit = session.scalar(stmt.with_for_update() if lock else stmt)
    if unit is None:
        raise NotFound(f"The organizational unit {unit_id} does not exist.", "Organizations.1202")
    return unit


def _check_unit_quota(session: Session, organization: Organization) -> None:
    count = session.scalar(
        select(func.count(OrganizationalUnit.seq)).where(
            OrganizationalUnit.organization_id == organization.id
        )
    )
    if (count or 0) >= MAX_UNITS:
        raise QuotaExceeded(
            f"An organization has at most {MAX_UNITS} organizational units.", "Organizations.1207"
        )


def _check_name(name: str) -> None:
    if not _NAME.match(name or "") or name != name.strip():
        raise Invalid(
            "name must be 1-64 letters, digits, spaces, '_', '-' or '.', "
            "without leading or trailing spaces",
        )


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"An organizational unit named {name} already exists under this parent.",
        "Organizations.1208",
    )

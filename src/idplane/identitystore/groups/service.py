"""Groups of an identity store, one function per SDK method.

A display name is unique per identity store regardless of case (409 IIC.1257). The
`display_name` filter of `list_groups` is the real service's "fuzzy" match made indexable: a
case-insensitive prefix match (`eng` finds `Engineering` and `eng-ops`); a filter longer than
255 characters matches the whole name instead. Deleting goes through
`DirectoryService.delete_principal`, so memberships and whatever later features hook in go
with the group, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.directory.attributes import AlternateIdentifier, Operation
from idplane.identitystore.directory.service import GROUP, DirectoryService, actor
from idplane.identitystore.groups.attributes import (
    GROUP_ATTRIBUTES,
    NewGroup,
    folded,
    name_key,
    set_display_name,
)
from idplane.identitystore.groups.tables import PREFIX, Group, GroupExternalId
from idplane.instances.errors import duplicate, invalid, not_found
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import is_unique_violation
from idplane.platform.paging import Page, PageRequest, keyset_page

DISPLAY_NAME_PATHS = ("display_name", "displayName")


@dataclass
class GroupView:
    group: Group
    external_ids: list[tuple[str, str]] = field(default_factory=list)  # (issuer, id)


class StoreGroupService:
    def __init__(self, directory: DirectoryService):
        self.directory = directory
        self.gate = directory.gate

    def create_group(self, caller: Caller, identity_store_id: str, new: NewGroup) -> Group:
        try:
            with self.gate.store_unit(
                caller, "IdentityCenter:group:create", identity_store_id, write=True
            ) as (session, scope):
                self.directory.reserve(session, scope.id, GROUP)
                group = _new_group(scope.id, new, actor(caller))
                session.add(group)
                session.flush()
                return group
        except IntegrityError as error:
            raise _display_name_taken(error) from None

    def describe_group(self, caller: Caller, identity_store_id: str, group_id: str) -> GroupView:
        with self.gate.store_unit(caller, "IdentityCenter:group:get", identity_store_id) as (
            session,
            scope,
        ):
            return _views(session, [self.directory.group(session, scope.id, group_id)])[0]

    def describe_groups(
        self, caller: Caller, identity_store_id: str, group_ids: list[str]
    ) -> list[GroupView]:
        """The groups among `group_ids` that exist in the store, in the order asked."""
        with self.gate.store_unit(caller, "IdentityCenter:group:batchGet", identity_store_id) as (
            session,
            scope,
        ):
            rows = session.scalars(select(Group).where(Group.id.in_(group_ids)))
            found = {row.id: row for row in rows if row.identity_store_id == scope.id}
            return _views(session, [found[i] for i in dict.fromkeys(group_ids) if i in found])

    def get_group_id(
        self, caller: Caller, identity_store_id: str, identifier: AlternateIdentifier
    ) -> str:
        with self.gate.store_unit(caller, "IdentityCenter:group:getGroupId", identity_store_id) as (
            session,
            scope,
        ):
            group_id = _lookup(session, scope.id, identifier)
            if group_id is None:
                raise not_found("group", "matching the alternate identifier")
            return group_id

    def list_groups(
        self,
        caller: Caller,
        identity_store_id: str,
        paging: PageRequest,
        display_name: str | None = None,
    ) -> Page:
        with self.gate.store_unit(caller, "IdentityCenter:group:list", identity_store_id) as (
            session,
            scope,
        ):
            stmt = select(Group).where(Group.identity_store_id == scope.id)
            if display_name:
                stmt = _matching(stmt, display_name)
            page = keyset_page(session, stmt, Group.seq, paging)
            page.rows = _views(session, page.rows)
            return page

    def update_group(
        self, caller: Caller, identity_store_id: str, group_id: str, operations: list[Operation]
    ) -> None:
        try:
            with self.gate.store_unit(
                caller, "IdentityCenter:group:update", identity_store_id, write=True
            ) as (session, scope):
                group = self.directory.group(session, scope.id, group_id)
                GROUP_ATTRIBUTES.apply(group, operations)
                group.version = (group.version or 0) + 1
                group.updated_at = now()
                group.updated_by = actor(caller)
                session.flush()
        except IntegrityError as error:
            raise _display_name_taken(error) from None

    def delete_group(self, caller: Caller, identity_store_id: str, group_id: str) -> None:
        with self.gate.store_unit(
            caller, "IdentityCenter:group:delete", identity_store_id, write=True
        ) as (session, scope):
            self.directory.delete_principal(session, scope.id, GROUP, group_id)


def _new_group(identity_store_id: str, new: NewGroup, who: str) -> Group:
    moment = now()
    group = Group(
        id=ids.uuid_str(),
        identity_store_id=identity_store_id,
        description=new.description or None,
        version=1,
        created_at=moment,
        created_by=who,
        updated_at=moment,
        updated_by=who,
    )
    set_display_name(group, new.display_name)
    return group


def _matching(stmt: Select, display_name: str) -> Select:
    """Case-insensitive prefix match as a range on the indexed, byte-ordered `name_prefix`."""
    wanted = folded(display_name)
    if len(wanted) > PREFIX:
        return stmt.where(Group.name_key == name_key(display_name))
    stmt = stmt.where(Group.name_prefix >= wanted)
    upper = _successor(wanted)
    return stmt.where(Group.name_prefix < upper) if upper else stmt


def _successor(prefix: str) -> str | None:
    """The smallest string greater than every string that starts with `prefix`."""
    while prefix and ord(prefix[-1]) == 0x10FFFF:
        prefix = prefix[:-1]
    if not prefix:
        return None
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates cannot be stored; skip past them
        last = 0xE000
    return prefix[:-1] + chr(last)


def _display_name_taken(error: IntegrityError) -> Exception:
    if is_unique_violation(error):
        return duplicate("a group with this display name already exists in the identity store")
    return error


def _lookup(session: Session, identity_store_id: str, identifier: AlternateIdentifier):
    if identifier.external_id is not None:
        external = identifier.external_id
        return session.scalar(
            select(GroupExternalId.group_id).where(
                GroupExternalId.identity_store_id == identity_store_id,
                GroupExternalId.issuer == external.issuer,
                GroupExternalId.external_id == external.id,
            )
        )
    unique = identifier.unique_attribute
    assert unique is not None  # AlternateIdentifier guarantees one of the two
    if unique.attribute_path not in DISPLAY_NAME_PATHS:
        paths = ", ".join(DISPLAY_NAME_PATHS)
        raise invalid(f"unique_attribute.attribute_path must be one of {paths}")
    return session.scalar(
        select(Group.id).where(
            Group.identity_store_id == identity_store_id,
            Group.name_key == name_key(unique.attribute_value),
        )
    )


def _views(session: Session, groups: list[Group]) -> list[GroupView]:
    """Groups with their external ids: one query for the whole page."""
    views = {group.id: GroupView(group) for group in groups}
    if views:
        stmt = (
            select(GroupExternalId)
            .where(GroupExternalId.group_id.in_(list(views)))
            .order_by(GroupExternalId.seq)
        )
        for external in session.scalars(stmt):
            views[external.group_id].external_ids.append((external.issuer, external.external_id))
    return list(views.values())

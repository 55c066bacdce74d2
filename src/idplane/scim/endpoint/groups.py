"""SCIM Group resources <-> the identity store's group rows, and `members` <-> memberships.

Members follow the directory's membership rules: each must be a user of the same identity
store (400 invalidValue otherwise; groups cannot be members), a user is in at most 1,000 groups
(400), and additions lock the users' rows as the Identity Store API does, so concurrent
additions cannot overshoot the quota. A group's members are part of its representation, so
its `version` (ETag) and `lastModified` move whenever they change, also when a member is
deleted (`member_deleted`, a directory deletion hook).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from idplane.identitystore.directory.service import (
    GROUP,
    USER,
    MembersRemoved,
    Quotas,
)
from idplane.identitystore.groups.attributes import name_key, set_display_name
from idplane.identitystore.groups.tables import Group, GroupExternalId
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.provisioning.service import ScimTenant
from idplane.identitystore.users.tables import User
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.db import is_unique_violation
from idplane.platform.errors import Invalid
from idplane.scim.endpoint.kinds import (
    EXTERNAL_ID,
    ISSUER,
    check_strings,
    external_id_taken,
    external_ids,
    is_resource_id,
    meta,
    provisioner,
    set_external_id,
    uniqueness,
)
from idplane.scim.filters import Compare, Expr, Within
from idplane.scim.schemas import ResourceSchema
from idplane.scim.values import get, normalize_resource

LIMITS = {"externalId": EXTERNAL_ID}
CHUNK = 500  # ids per IN list

_EXTERNAL_ID = (
    select(GroupExternalId.external_id)
    .where(GroupExternalId.group_id == Group.id, GroupExternalId.issuer == ISSUER)
    .order_by(GroupExternalId.seq)
    .limit(1)
    .scalar_subquery()
)
COLUMNS: dict[str, Any] = {
    "id": Group.id,
    "externalId": _EXTERNAL_ID,
    "displayName": Group.display_name,
    "meta.created": Group.created_at,
    "meta.lastModified": Group.updated_at,
}


class GroupKind:
    name = "Group"
    endpoint = "Groups"
    principal_type = GROUP
    model = Group

    def __init__(
        self, schema: ResourceSchema, quotas: Quotas, members_removed: MembersRemoved | None = None
    ):
        self.schema = schema
        self.quotas = quotas
        # The directory's: users leaving the group lose at once what they held through it.
        self.members_removed: MembersRemoved = members_removed or (lambda *_: None)

    def column_for(self, key: str) -> Any:
        return COLUMNS.get(key)

    def indexed(self, conjunct: Expr, identity_store_id: str) -> ColumnElement[bool] | None:
        """What IdPs filter by, as index probes: `displayName eq` (the unique name key, compared
        as the uniqueness rule compares), `externalId eq`, `members[value eq "id"]` (Entra)."""
        probe = _probe(conjunct)
        if probe is None:
            return None
        key, value = probe
        if key == "displayName":
            return Group.name_key == name_key(value)
        if key == "externalId":
            return Group.id.in_(
                select(GroupExternalId.group_id).where(
                    GroupExternalId.identity_store_id == identity_store_id,
                    GroupExternalId.issuer == ISSUER,
                    GroupExternalId.external_id == value,
                )
            )
        if key == "members.value":  # the member's groups, on the (user_id, seq) index
            return Group.id.in_(
                select(GroupMembership.group_id).where(GroupMembership.user_id == value)
            )
        return None

    def render(
        self, session: Session, rows: list[Any], base: str, members: bool
    ) -> list[dict[str, Any]]:
        group_ids = [row.id for row in rows]
        found = external_ids(session, GroupExternalId, GroupExternalId.group_id, group_ids)
        listed = _members(session, group_ids) if members else {}
        return [self.resource(row, found.get(row.id), listed.get(row.id), base) for row in rows]

    def resource(
        self, group: Group, external_id: str | None, members: list[str] | None, base: str
    ) -> dict[str, Any]:
        resource: dict[str, Any] = {"schemas": [self.schema.core], "id": group.id}
        if external_id:
            resource["externalId"] = external_id
        resource["displayName"] = group.display_name
        if members:
            resource["members"] = [
                {"value": user_id, "$ref": f"{base}/Users/{user_id}", "type": "User"}
                for user_id in members
            ]
        resource["meta"] = meta(self.name, group, f"{base}/{self.endpoint}/{group.id}")
        return resource

    def prepare(self, body: Any, row: Any | None) -> dict[str, Any]:
        resource = normalize_resource(body, self.schema)
        self.check(resource)
        return resource

    def check(self, resource: dict[str, Any]) -> None:
        check_strings(resource, LIMITS)
        member_ids(resource)

    def insert(self, session: Session, tenant: ScimTenant, resource: dict[str, Any]) -> Group:
        moment, who = now(), provisioner(tenant)
        group = Group(
            id=ids.uuid_str(),
            identity_store_id=tenant.identity_store_id,
            version=1,
            created_at=moment,
            created_by=who,
            updated_at=moment,
            updated_by=who,
        )
        set_display_name(group, get(resource, "displayName"))
        session.add(group)
        session.flush()
        external_id = get(resource, "externalId")
        if external_id:
            set_external_id(
                session,
                GroupExternalId,
                "group_id",
                group.identity_store_id,
                group.id,
                external_id,
                fresh=True,
            )
        self.add_members(session, tenant, group, member_ids(resource))
        return group

    def update(
        self,
        session: Session,
        tenant: ScimTenant,
        row: Any,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> bool:
        """Writes `after` over the group and its memberships; False when nothing changed."""
        changed = False
        if get(after, "displayName") != row.display_name:
            set_display_name(row, get(after, "displayName"))
            changed = True
        if get(after, "externalId") != get(before, "externalId"):
            set_external_id(
                session,
                GroupExternalId,
                "group_id",
                row.identity_store_id,
                row.id,
                get(after, "externalId"),
            )
            changed = True
        old, new = member_ids(before), member_ids(after)
        gone = [user_id for user_id in old if user_id not in set(new)]
        added = [user_id for user_id in new if user_id not in set(old)]
        for chunk in _chunks(gone):
            session.execute(
                delete(GroupMembership).where(
                    GroupMembership.group_id == row.id, GroupMembership.user_id.in_(chunk)
                )
            )
        self.members_removed(session, row.identity_store_id, row.id, gone)
        self.add_members(session, tenant, row, added)
        if changed or gone or added:
            row.version = (row.version or 0) + 1
            row.updated_at = now()
            row.updated_by = provisioner(tenant)
            return True
        return False

    def add_members(
        self, session: Session, tenant: ScimTenant, group: Group, user_ids: list[str]
    ) -> None:
        """New memberships, in the order given, after checking every user (same store, room for
        one more group) with the users' rows locked in id order (no deadlock between two such
        requests)."""
        wanted = list(dict.fromkeys(user_ids))
        for chunk in _chunks(sorted(wanted)):
            self._check_users(session, group.identity_store_id, chunk)
        moment, who = now(), provisioner(tenant)
        for chunk in _chunks(wanted):
            rows = [
                {
                    "id": ids.uuid_str(),
                    "identity_store_id": group.identity_store_id,
                    "group_id": group.id,
                    "user_id": user_id,
                    "created_at": moment,
                    "created_by": who,
                }
                for user_id in chunk
            ]
            session.execute(insert(GroupMembership), rows)

    def _check_users(self, session: Session, identity_store_id: str, chunk: list[str]) -> None:
        found = set(
            session.scalars(
                select(User.id)
                .where(User.identity_store_id == identity_store_id, User.id.in_(chunk))
                .order_by(User.id)
                .with_for_update()
            )
        )
        for user_id in chunk:
            if user_id not in found:
                raise Invalid(
                    f"Member {user_id} is not a user of this identity store.",
                    scim_type="invalidValue",
                )
        counts: dict[str, int] = dict(
            session.execute(  # type: ignore[arg-type]
                select(GroupMembership.user_id, func.count())
                .where(GroupMembership.user_id.in_(chunk))
                .group_by(GroupMembership.user_id)
            ).all()
        )
        quota = self.quotas.groups_per_user
        for user_id in chunk:
            if counts.get(user_id, 0) >= quota:
                raise Invalid(f"User {user_id} is already in the maximum of {quota} groups.")

    def before_delete(self, session: Session, resource_id: str) -> None:
        return None

    def conflict(self, error: IntegrityError) -> Exception:
        if external_id_taken(error):
            return uniqueness("Another group of this identity store has this externalId.")
        text = str(error.orig).lower()
        if is_unique_violation(error) and "membership" in text:
            return uniqueness("A user was added to this group by another request at once.")
        if is_unique_violation(error):
            return uniqueness("A group with this displayName already exists in the identity store.")
        return error


def member_ids(resource: dict[str, Any]) -> list[str]:
    """The user ids `members` lists, each once, in order; 400 invalidValue for a member that
    cannot be a user of this store (another type, a malformed id)."""
    out: dict[str, None] = {}
    for member in get(resource, "members") or []:
        kind = get(member, "type")
        if kind is not None and str(kind).lower() != "user":
            raise Invalid("Only users can be members of a group.", scim_type="invalidValue")
        value = get(member, "value")
        if not isinstance(value, str) or not is_resource_id(value):
            raise Invalid(
                f"Member {value!r} is not a user of this identity store.", scim_type="invalidValue"
            )
        out[value] = None
    return list(out)


def member_deleted(
    session: Session, identity_store_id: str, principal_type: str, principal_id: str
) -> None:
    """Directory hook: a user about to be deleted leaves its groups, so they change. Their
    rows are locked already: `delete_principal` locks a user's groups before any hook."""
    if principal_type != USER:
        return
    session.connection().execute(_MEMBER_LEFT, {"user_id": principal_id, "at": now()})


def _members(session: Session, group_ids: list[str]) -> dict[str, list[str]]:
    listed: dict[str, list[str]] = {}
    for chunk in _chunks(group_ids):
        stmt = (
            select(GroupMembership.group_id, GroupMembership.user_id)
            .where(GroupMembership.group_id.in_(chunk))
            .order_by(GroupMembership.seq)
        )
        for group_id, user_id in session.execute(stmt):
            listed.setdefault(group_id, []).append(user_id)
    return listed


def _probe(conjunct: Expr) -> tuple[str, str] | None:
    """(key, literal) of `key eq "literal"`; `members[value eq "x"]` reads as `members.value`."""
    if isinstance(conjunct, Within):
        inner = conjunct.expr
        if (
            conjunct.ref.key == "members"
            and isinstance(inner, Compare)
            and inner.ref.key == "value"
        ):
            conjunct, key = inner, "members.value"
        else:
            return None
    elif isinstance(conjunct, Compare):
        key = conjunct.ref.key
    else:
        return None
    if conjunct.op == "eq" and isinstance(conjunct.value, str):
        return key, conjunct.value
    return None


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# Built once: every deletion of a user runs it (one statement, however many groups).
_GROUPS = cast(Table, Group.__table__)
_MEMBER_LEFT = (
    update(_GROUPS)
    .where(
        _GROUPS.c.id.in_(
            select(GroupMembership.group_id).where(GroupMembership.user_id == bindparam("user_id"))
        )
    )
    .values(version=_GROUPS.c.version + 1, updated_at=bindparam("at"))
)

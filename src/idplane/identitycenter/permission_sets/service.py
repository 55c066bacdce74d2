"""Permission sets of an instance: create, read, list, update, delete, the summary, and tags.

- Names are unique per instance, exactly as given (a unique constraint; 409 IIC.1206).
- Quotas (the documented defaults, `Quotas`): 2,000 permission sets per instance, counted
  under the instance row's lock so concurrent creators cannot overshoot; 20 tags each.
- A permission set that account assignments still use cannot be deleted (409 IIC.1007);
  otherwise deleting it removes its policies, tags and provisionings (ON DELETE CASCADE).
- Every change to what a permission set grants or how its sessions behave (update, policies,
  custom policy and role) raises its `version`; accounts provisioned with an older version
  report LATEST_PERMISSION_SET_NOT_PROVISIONED until it is provisioned again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets import schemas as s
from idplane.identitycenter.permission_sets.agencies import remove_all
from idplane.identitycenter.permission_sets.tables import PermissionSet, PermissionSetTag
from idplane.instances.errors import invalid, quota_exceeded
from idplane.instances.gate import GatedInstance, GatedOrganization, IdentityCenterGate
from idplane.instances.tables import Instance
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, is_unique_violation
from idplane.platform.errors import Conflict, NotFound
from idplane.platform.paging import Page, PageRequest, keyset_page

RESOURCE_TYPE = "identitycenter:permissionset"


@dataclass(frozen=True)
class Quotas:
    permission_sets_per_instance: int = 2_000
    policies_per_permission_set: int = 20  # system policies and roles, custom policy and role
    identity_policies_per_permission_set: int = 10  # system identity policies + custom policy
    tags_per_permission_set: int = 20
    permission_sets_per_account: int = 50


@dataclass(frozen=True)
class Summary:
    permission_sets: int
    quotas: Quotas


def not_found(permission_set_id: str) -> NotFound:
    return NotFound(f"The permission set does not exist: {permission_set_id}.", "IIC.1205")


def name_taken(name: str) -> Conflict:
    return Conflict(f"A permission set with the same name already exists: {name}.", "IIC.1206")


def find(
    session: Session,
    instance_id: str,
    permission_set_id: str,
    *,
    lock: bool = False,
    share: bool = False,
    delete: bool = False,
):
    """The instance's permission set, or 404, row-locked as the writer needs (see "Lock order"
    in docs/developing.md): `lock` for writers that count or bump (FOR NO KEY UPDATE, so
    assignments referencing it are not blocked); `share` for writers of its assignments and
    provisionings (FOR KEY SHARE: they run side by side, but never beside its deletion);
    `delete` for its deletion (FOR UPDATE, taken first, so the deletion waits for those
    writers or they wait for it and then find it gone)."""
    stmt = select(PermissionSet).where(
        PermissionSet.instance_id == instance_id, PermissionSet.id == permission_set_id
    )
    if delete:
        stmt = stmt.with_for_update()
    elif share:
        stmt = stmt.with_for_update(read=True, key_share=True)
    elif lock:
        stmt = stmt.with_for_update(key_share=True)
    found = session.scalar(stmt)
    if found is None:
        raise not_found(permission_set_id)
    return found


class PermissionSetRef(NamedTuple):
    """What provisioning to one more account reads of a permission set (`provision_to` loads
    the whole row only when it must build the agency)."""

    id: str
    name: str
    version: int


def find_shared(session: Session, instance_id: str, permission_set_id: str) -> PermissionSetRef:
    """`find(..., share=True)` as three columns: one built-once Core statement, no ORM load
    (an account assignment, the hottest writer of provisionings, needs only these)."""
    values = {"instance_id": instance_id, "id": permission_set_id}
    row = session.connection().execute(_SHARED, values).first()
    if row is None:
        raise not_found(permission_set_id)
    return PermissionSetRef(*row)


_SHARED = (
    select(PermissionSet.id, PermissionSet.name, PermissionSet.version)
    .where(
        PermissionSet.instance_id == bindparam("instance_id"),
        PermissionSet.id == bindparam("id"),
    )
    .with_for_update(read=True, key_share=True)
)


def changed(permission_set: PermissionSet) -> None:
    """What the permission set grants changed: provisioned accounts now hold an old version."""
    permission_set.version += 1
    permission_set.updated_at = now()


class PermissionSetService:
    def __init__(self, store: Store, gate: IdentityCenterGate, quotas: Quotas | None = None):
        self.store = store
        self.gate = gate
        self.quotas = quotas or Quotas()

    def create_permission_set(
        self, caller: Caller, instance_id: str, body: s.CreatePermissionSetBody
    ) -> PermissionSet:
        _unique_keys(body.tags)
        try:
            with self.gate.instance_unit(
                caller, "IdentityCenter:permissionSet:create", instance_id, write=True
            ) as (session, instance):
                self._reserve(session, instance)
                moment = now()
                row = {
                    "id": ids.prefixed_hex("ps-", 16),
                    "instance_id": instance.id,
                    "account_id": instance.account_id,
                    "name": body.name,
                    "description": body.description,
                    "relay_state": body.relay_state,
                    "session_duration": body.session_duration,
                    "custom_policy": None,
                    "custom_role": None,
                    "version": 1,
                    "created_at": moment,
                    "updated_at": moment,
                }
                # Core INSERTs (built once): no ORM unit of work for a row answered as written.
                connection = session.connection()
                connection.execute(_INSERT_SET, row)
                tags = [
                    {"permission_set_id": row["id"], "key": t.key, "value": t.value}
                    for t in body.tags
                ]
                if tags:
                    connection.execute(_INSERT_TAG, tags)
                return PermissionSet(**row)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise name_taken(body.name) from None
            raise

    def describe_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> PermissionSet:
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:describe", instance_id
        ) as (session, instance):
            return find(session, instance.id, permission_set_id)

    def list_permission_sets(
        self,
        caller: Caller,
        instance_id: str,
        paging: PageRequest,
        permission_set_id: str | None = None,
        permission_urn: str | None = None,
        name: str | None = None,
    ) -> Page:
        with self.gate.instance_unit(caller, "IdentityCenter:permissionSet:list", instance_id) as (
            session,
            instance,
        ):
            stmt = select(PermissionSet).where(PermissionSet.instance_id == instance.id)
            if permission_set_id:
                stmt = stmt.where(PermissionSet.id == permission_set_id)
            if permission_urn:
                urn_id = permission_urn.rsplit(":", 1)[-1]
                stmt = stmt.where(PermissionSet.id == urn_id)
            if name:
                stmt = stmt.where(PermissionSet.name == name)
            page = keyset_page(session, stmt, PermissionSet.seq, paging)
            if permission_urn:
                page.rows = [ps for ps in page.rows if ps.urn == permission_urn]
            return page

    def update_permission_set(
        self,
        caller: Caller,
        instance_id: str,
        permission_set_id: str,
        body: s.UpdatePermissionSetBody,
    ) -> None:
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:update", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, lock=True)
            if body.description is not None:
                permission_set.description = body.description or None
            if body.relay_state is not None:
                permission_set.relay_state = body.relay_state or None
            if body.session_duration is not None:
                permission_set.session_duration = body.session_duration
            changed(permission_set)

    def delete_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> None:
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:delete", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, delete=True)
            assigned = select(AccountAssignment.seq).where(
                AccountAssignment.permission_set_id == permission_set.id
            )
            if session.scalar(assigned.limit(1)) is not None:
                raise Conflict(
                    "Data modification failed: the permission set is provisioned to accounts "
                    "through account assignments; delete them first."
                )
            remove_all(
                session, permission_set
            )  # its agencies in the accounts it was provisioned to
            session.execute(delete(PermissionSet).where(PermissionSet.id == permission_set.id))

    def get_permission_set_summary(self, caller: Caller, instance_id: str) -> Summary:
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:getSummary", instance_id
        ) as (session, instance):
            return Summary(_count(session, instance.id), self.quotas)

    # Tags ---------------------------------------------------------------------------------

    def create_tag_resource(
        self, caller: Caller, resource_type: str, resource_id: str, tags: list[s.TagIn]
    ) -> None:
        _unique_keys(tags)
        action = "IdentityCenter:permissionSet:tagResource"
        with self._tagged_unit(caller, action, resource_type, resource_id, write=True) as (
            session,
            permission_set,
        ):
            existing = {
                tag.key: tag
                for tag in session.scalars(
                    select(PermissionSetTag).where(
                        PermissionSetTag.permission_set_id == permission_set.id
                    )
                )
            }
            new_keys = {tag.key for tag in tags} - set(existing)
            if len(existing) + len(new_keys) > self.quotas.tags_per_permission_set:
                raise quota_exceeded(
                    f"a permission set has at most {self.quotas.tags_per_permission_set} tags"
                )
            for tag in tags:
                if tag.key in existing:
                    existing[tag.key].value = tag.value
                else:
                    session.add(
                        PermissionSetTag(
                            permission_set_id=permission_set.id, key=tag.key, value=tag.value
                        )
                    )

    def delete_tag_resource(
        self, caller: Caller, resource_type: str, resource_id: str, tags: list[s.TagKeyIn]
    ) -> None:
        """Removes each named key (only where the value matches, when a value is given);
        keys the permission set does not have are ignored."""
        action = "IdentityCenter:permissionSet:untagResource"
        with self._tagged_unit(caller, action, resource_type, resource_id, write=True) as (
            session,
            permission_set,
        ):
            for tag in tags:
                stmt = delete(PermissionSetTag).where(
                    PermissionSetTag.permission_set_id == permission_set.id,
                    PermissionSetTag.key == tag.key,
                )
                if tag.value is not None:
                    stmt = stmt.where(PermissionSetTag.value == tag.value)
                session.execute(stmt)

    def list_tag_resources(
        self,
        caller: Caller,
        resource_type: str,
        resource_id: str,
        paging: PageRequest,
    ) -> Page:
        action = "IdentityCenter:permissionSet:listTags"
        with self._tagged_unit(caller, action, resource_type, resource_id) as (
            session,
            permission_set,
        ):
            stmt = select(PermissionSetTag).where(
                PermissionSetTag.permission_set_id == permission_set.id
            )
            return keyset_page(session, stmt, PermissionSetTag.seq, paging)

    # Internals ----------------------------------------------------------------------------

    def _reserve(self, session: Session, instance: GatedInstance) -> None:
        """Room for one more permission set, counted under the instance row's lock."""
        connection = session.connection()
        connection.execute(_LOCK_INSTANCE, {"instance_id": instance.id})
        quota = self.quotas.permission_sets_per_instance
        if (connection.scalar(_COUNT, {"instance_id": instance.id}) or 0) >= quota:
            raise quota_exceeded(
                f"the instance already holds the maximum of {quota} permission sets"
            )

    @contextmanager
    def _tagged_unit(
        self,
        caller: Caller,
        action: str,
        resource_type: str,
        resource_id: str,
        *,
        write: bool = False,
    ) -> Iterator[tuple[Session, PermissionSet]]:
        """The gate's unit of work on the caller's organization, and the tagged permission
        set of one of its instances (locked when writing: tag writers count the tags under
        the permission set's lock)."""
        if resource_type != RESOURCE_TYPE:
            raise invalid(f"resource_type must be {RESOURCE_TYPE}")
        with self.gate.organization_unit(caller, action, write=write) as (session, organization):
            yield session, _tagged(session, organization, resource_id, lock=write)


def _tagged(
    session: Session, organization: GatedOrganization, resource_id: str, *, lock: bool
) -> PermissionSet:
    stmt = (
        select(PermissionSet)
        .join(Instance, Instance.id == PermissionSet.instance_id)
        .where(PermissionSet.id == resource_id, Instance.organization_id == organization.id)
    )
    if lock:  # tag writers count the tags under the permission set's lock
        stmt = stmt.with_for_update(of=PermissionSet, key_share=True)
    permission_set = session.scalar(stmt)
    if permission_set is None:
        raise not_found(resource_id)
    return permission_set


def _count(session: Session, instance_id: str) -> int:
    return session.scalar(_COUNT, {"instance_id": instance_id}) or 0


# Built once: every creation of a permission set runs them.
_INSERT_SET = insert(cast(Table, PermissionSet.__table__))
_INSERT_TAG = insert(cast(Table, PermissionSetTag.__table__))
_LOCK_INSTANCE = (
    select(Instance.seq)
    .where(Instance.id == bindparam("instance_id"))
    .with_for_update(key_share=True)
)
_COUNT = (
    select(func.count())
    .select_from(PermissionSet)
    .where(PermissionSet.instance_id == bindparam("instance_id"))
)


def _unique_keys(tags: list[s.TagIn]) -> None:
    keys = [tag.key for tag in tags]
    if len(keys) != len(set(keys)):
        raise invalid("tag keys must be unique")

"""Application assignments: a user or group of the instance's identity store, assigned to an
application instance through its `Default` profile (made anew if it was deleted).

- The principal must exist in the identity store of the instance (404 otherwise). Its row is
  share-locked while the assignment is written, and the identity store locks it before calling
  `on_principal_deleted`, so an assignment can never outlive its user or group.
- A principal is assigned to an application instance at most once (409 IIC.1257).
- A user's assignments (`list_application_assignments_for_principal`) include those of the
  groups it belongs to: the items name the group, so the caller sees why the user has access.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.assignments.tables import ApplicationAssignment
from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.identitycenter.applications.profiles.service import default_profile
from idplane.identitycenter.applications.scope import application_unit
from idplane.identitystore.directory.service import GROUP, USER, DirectoryService
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.instances.errors import not_found
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, is_unique_violation, rowcount
from idplane.platform.errors import Conflict
from idplane.platform.paging import Page, PageRequest, keyset_page


@dataclass(frozen=True)
class Principal:
    principal_type: str  # USER | GROUP
    principal_id: str


@dataclass(frozen=True)
class AssignmentView:
    application_urn: str
    principal_id: str
    principal_type: str


class ApplicationAssignmentService:
    def __init__(self, store: Store, gate: IdentityCenterGate, directory: DirectoryService):
        self.store = store
        self.gate = gate
        self.directory = directory

    def create_application_assignment(
        self, caller: Caller, instance_id: str, application_instance_id: str, principal: Principal
    ) -> None:
        action = "IdentityCenter:applicationAssignment:create"
        try:
            with application_unit(
                self.gate, caller, action, instance_id, application_instance_id, write=True
            ) as (session, instance, application):
                self._require_principal(session, instance, principal, lock=True)
                profile = default_profile(session, application.id)
                session.add(
                    ApplicationAssignment(
                        instance_id=instance.id,
                        application_instance_id=application.id,
                        profile_id=profile.id,
                        principal_type=principal.principal_type,
                        principal_id=principal.principal_id,
                        created_at=now(),
                    )
                )
                session.flush()
        except IntegrityError as error:
            if is_unique_violation(error):
                raise Conflict(
                    f"Duplicate entity objects: {principal.principal_type.lower()} "
                    f"{principal.principal_id} is already assigned to {application_instance_id}.",
                    "IIC.1257",
                ) from None
            raise Conflict("Concurrency conflicts. Try again later.", "IIC.1006") from None

    def delete_application_assignment(
        self, caller: Caller, instance_id: str, application_instance_id: str, principal: Principal
    ) -> None:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:applicationAssignment:delete",
            instance_id,
            application_instance_id,
            write=True,
        ) as (session, _, application):
            gone = session.execute(
                delete(ApplicationAssignment).where(
                    ApplicationAssignment.application_instance_id == application.id,
                    ApplicationAssignment.principal_type == principal.principal_type,
                    ApplicationAssignment.principal_id == principal.principal_id,
                )
            )
            if rowcount(gone) == 0:
                raise not_found(
                    "application assignment",
                    f"of {principal.principal_type.lower()} {principal.principal_id}",
                )

    def list_application_assignments(
        self, caller: Caller, instance_id: str, application_instance_id: str, paging: PageRequest
    ) -> Page:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:applicationAssignment:list",
            instance_id,
            application_instance_id,
        ) as (session, _, application):
            stmt = select(ApplicationAssignment).where(
                ApplicationAssignment.application_instance_id == application.id
            )
            page = keyset_page(session, stmt, ApplicationAssignment.seq, paging)
            page.rows = [_view(application.urn(), row) for row in page.rows]
            return page

    def list_application_assignments_for_principal(
        self, caller: Caller, instance_id: str, principal: Principal, paging: PageRequest
    ) -> Page:
        with self.gate.instance_unit(
            caller, "IdentityCenter:applicationAssignment:listForPrincipal", instance_id
        ) as (session, instance):
            self._require_principal(session, instance, principal)
            stmt = (
                select(ApplicationAssignment.seq, ApplicationAssignment, ApplicationInstance)
                .join(
                    ApplicationInstance,
                    ApplicationInstance.id == ApplicationAssignment.application_instance_id,
                )
                .where(
                    ApplicationAssignment.instance_id == instance.id,
                    _held_by(session, principal),
                )
            )
            page = keyset_page(session, stmt, ApplicationAssignment.seq, paging)
            page.rows = [
                _view(row.ApplicationInstance.urn(), row.ApplicationAssignment) for row in page.rows
            ]
            return page

    def get_application_assignment_configuration(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> bool:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:applicationAssignment:getConfiguration",
            instance_id,
            application_instance_id,
        ) as (_session, _, application):
            return application.assignment_required

    def on_principal_deleted(
        self, session: Session, identity_store_id: str, principal_type: str, principal_id: str
    ) -> None:
        """The identity store's deletion hook: the principal's assignments go with it."""
        session.connection().execute(  # built once; nothing of it is loaded as objects
            _DELETE_OF_PRINCIPAL,
            {"store_id": identity_store_id, "type": principal_type, "id": principal_id},
        )

    def _require_principal(
        self, session: Session, instance: GatedInstance, principal: Principal, *, lock: bool = False
    ) -> None:
        identity_store_id = session.scalar(
            select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
        )
        exists = identity_store_id is not None and self.directory.principal_exists(
            session, identity_store_id, principal.principal_type, principal.principal_id, lock=lock
        )
        if not exists:
            raise not_found(principal.principal_type.lower(), principal.principal_id)


# Built once: every deletion of a user or group runs it.
_DELETE_OF_PRINCIPAL = delete(ApplicationAssignment).where(
    ApplicationAssignment.instance_id
    == select(IdentityStore.instance_id)
    .where(IdentityStore.id == bindparam("store_id"))
    .scalar_subquery(),
    ApplicationAssignment.principal_type == bindparam("type"),
    ApplicationAssignment.principal_id == bindparam("id"),
)


def _held_by(session: Session, principal: Principal):
    """The principal's own assignments and, for a user, those of its groups. The ids are
    looked up first and given as one `IN` list, so the `(principal_id, seq)` index serves the
    query (an `IN (subquery)` inside an `OR` makes PostgreSQL scan the whole table)."""
    own = and_(
        ApplicationAssignment.principal_type == principal.principal_type,
        ApplicationAssignment.principal_id == principal.principal_id,
    )
    if principal.principal_type != USER:
        return own
    groups = list(
        session.scalars(
            select(GroupMembership.group_id).where(
                GroupMembership.user_id == principal.principal_id
            )
        )
    )
    if not groups:
        return own
    via_groups = and_(
        ApplicationAssignment.principal_type == GROUP,
        ApplicationAssignment.principal_id.in_(groups),
    )
    return and_(
        ApplicationAssignment.principal_id.in_([principal.principal_id, *groups]),
        or_(own, via_groups),
    )


def _view(urn: str, assignment: ApplicationAssignment) -> AssignmentView:
    return AssignmentView(urn, assignment.principal_id, assignment.principal_type)

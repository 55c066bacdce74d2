"""What a permission set grants: system policies and roles from IAM's catalog, one custom
(identity) policy and one custom role.

- `attach-managed-role` takes any IAM system-defined role or policy (`/v3/roles`, the catalog
  in `idplane.iam.roles`); `attach-managed-policy` takes the fine-grained system policies
  (Version 1.1) only, standing in for Huawei's "system-defined identity policies". An unknown
  id is 404 IIC.404, a name that is not the id's (`name` or `display_name`) 400, attaching the
  same one twice 409 IIC.1207; lists report the catalog's `name`.
- The custom role is an IAM custom policy document (Version 1.1), checked by IAM's own
  validator; the custom policy an identity policy document (Version 5.0, Statement of Effect
  Allow/Deny and `service:resource:action` Actions, optional Resource and Condition). Either is
  at most 6,144 characters in compact JSON. Putting one replaces the previous; both are
  returned exactly as stored.
- Quotas: 20 policies per permission set (attached ones plus the custom policy and role), of
  which at most 10 identity policies (system identity policies plus the custom policy),
  counted under the permission set's row lock.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from idplane.iam.roles.catalog import RoleCatalog, SystemRole
from idplane.iam.roles.service import ACTION, MAX_POLICY_CHARS, check_policy_document
from idplane.identitycenter.permission_sets.service import Quotas, changed, find
from idplane.identitycenter.permission_sets.tables import POLICY, ROLE, AttachedPolicy
from idplane.instances.errors import invalid, not_found, quota_exceeded
from idplane.instances.gate import IdentityCenterGate
from idplane.platform import jsonbody
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import Conflict, Invalid
from idplane.platform.paging import Page, PageRequest, keyset_page

IDENTITY_POLICY_VERSION = "5.0"


class PolicyService:
    def __init__(
        self, store: Store, gate: IdentityCenterGate, catalog: RoleCatalog, quotas: Quotas
    ):
        self.store = store
        self.gate = gate
        self.catalog = catalog
        self.quotas = quotas

    # System policies and roles ------------------------------------------------------------

    def attach_managed_policy_to_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, policy_id: str, name
    ) -> None:
        self._attach(caller, instance_id, permission_set_id, POLICY, policy_id, name)

    def attach_managed_role_to_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, role_id: str, name
    ) -> None:
        self._attach(caller, instance_id, permission_set_id, ROLE, role_id, name)

    def detach_managed_policy_from_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, policy_id: str
    ) -> None:
        self._detach(caller, instance_id, permission_set_id, POLICY, policy_id)

    def detach_managed_role_from_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, role_id: str
    ) -> None:
        self._detach(caller, instance_id, permission_set_id, ROLE, role_id)

    def list_managed_policies_in_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, paging: PageRequest
    ) -> Page:
        return self._list(caller, instance_id, permission_set_id, POLICY, paging)

    def list_managed_roles_in_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, paging: PageRequest
    ) -> Page:
        return self._list(caller, instance_id, permission_set_id, ROLE, paging)

    # The custom policy and the custom role ------------------------------------------------

    def put_custom_policy_to_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, document: str
    ) -> None:
        check_identity_policy(_parse(document, "custom_policy"))
        self._put_custom(caller, instance_id, permission_set_id, "custom_policy", document)

    def put_custom_role_to_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, document: str
    ) -> None:
        check_custom_role(_parse(document, "custom_role"))
        self._put_custom(caller, instance_id, permission_set_id, "custom_role", document)

    def get_custom_policy_for_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> str | None:
        return self._get_custom(caller, instance_id, permission_set_id, "custom_policy")

    def get_custom_role_for_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> str | None:
        return self._get_custom(caller, instance_id, permission_set_id, "custom_role")

    def delete_custom_policy_from_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> None:
        self._delete_custom(caller, instance_id, permission_set_id, "custom_policy")

    def delete_custom_role_from_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str
    ) -> None:
        self._delete_custom(caller, instance_id, permission_set_id, "custom_role")

    # Internals ----------------------------------------------------------------------------

    def _attach(self, caller, instance_id, permission_set_id, kind, ref_id, name) -> None:
        verb = "attachManagedPolicy" if kind == POLICY else "attachManagedRole"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id, write=True
        ) as (session, instance):
            role = self._system(kind, ref_id, name)
            permission_set = find(session, instance.id, permission_set_id, lock=True)
            if _attached(session, permission_set.id, kind, ref_id) is not None:
                raise Conflict(
                    f"Duplicate system-defined policy: {ref_id} is already attached.", "IIC.1207"
                )
            self._room_for(session, permission_set, identity=kind == POLICY)
            session.add(
                AttachedPolicy(
                    permission_set_id=permission_set.id,
                    kind=kind,
                    policy_id=role.id,
                    policy_name=role.name,
                    attached_at=now(),
                )
            )
            changed(permission_set)

    def _detach(self, caller, instance_id, permission_set_id, kind, ref_id) -> None:
        verb = "detachManagedPolicy" if kind == POLICY else "detachManagedRole"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, lock=True)
            gone = session.execute(
                delete(AttachedPolicy).where(
                    AttachedPolicy.permission_set_id == permission_set.id,
                    AttachedPolicy.kind == kind,
                    AttachedPolicy.policy_id == ref_id,
                )
            )
            if rowcount(gone) == 0:
                raise not_found("attached policy", ref_id)
            changed(permission_set)

    def _list(self, caller, instance_id, permission_set_id, kind, paging: PageRequest) -> Page:
        verb = "listManagedPolicies" if kind == POLICY else "listManagedRoles"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id)
            stmt = select(AttachedPolicy).where(
                AttachedPolicy.permission_set_id == permission_set.id, AttachedPolicy.kind == kind
            )
            return keyset_page(session, stmt, AttachedPolicy.seq, paging)

    def _put_custom(self, caller, instance_id, permission_set_id, field, document) -> None:
        verb = "putCustomPolicy" if field == "custom_policy" else "putCustomRole"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, lock=True)
            if getattr(permission_set, field) is None:
                self._room_for(session, permission_set, identity=field == "custom_policy")
            setattr(permission_set, field, document)
            changed(permission_set)

    def _get_custom(self, caller, instance_id, permission_set_id, field) -> str | None:
        verb = "getCustomPolicy" if field == "custom_policy" else "getCustomRole"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id
        ) as (session, instance):
            return getattr(find(session, instance.id, permission_set_id), field)

    def _delete_custom(self, caller, instance_id, permission_set_id, field) -> None:
        verb = "deleteCustomPolicy" if field == "custom_policy" else "deleteCustomRole"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:permissionSet:{verb}", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, lock=True)
            if getattr(permission_set, field) is None:
                raise not_found(field.replace("_", " "), permission_set_id)
            setattr(permission_set, field, None)
            changed(permission_set)

    def _system(self, kind: str, ref_id: str, name: str | None) -> SystemRole:
        role = self.catalog.get(ref_id)
        if role is None or (kind == POLICY and not role.is_policy):
            what = "system-defined identity policy" if kind == POLICY else "system-defined policy"
            raise not_found(what, ref_id)
        if name is not None and name not in (role.name, role.display_name):
            raise invalid(f"{name} is not the name of {ref_id} ({role.name})")
        return role

    def _room_for(self, session: Session, permission_set, *, identity: bool) -> None:
        """Room for one more policy in the permission set (already row-locked)."""
        attached = _kind_counts(session, permission_set.id)
        customs = [permission_set.custom_policy, permission_set.custom_role]
        total = sum(attached.values()) + sum(c is not None for c in customs)
        if total >= self.quotas.policies_per_permission_set:
            raise quota_exceeded(
                f"a permission set holds at most {self.quotas.policies_per_permission_set} policies"
            )
        identities = attached.get(POLICY, 0) + (permission_set.custom_policy is not None)
        if identity and identities >= self.quotas.identity_policies_per_permission_set:
            raise quota_exceeded(
                "a permission set holds at most "
                f"{self.quotas.identity_policies_per_permission_set} identity policies"
            )


def _attached(session: Session, permission_set_id: str, kind: str, ref_id: str):
    return session.scalar(
        select(AttachedPolicy.seq).where(
            AttachedPolicy.permission_set_id == permission_set_id,
            AttachedPolicy.kind == kind,
            AttachedPolicy.policy_id == ref_id,
        )
    )


def _kind_counts(session: Session, permission_set_id: str) -> dict[str, int]:
    stmt = (
        select(AttachedPolicy.kind, func.count())
        .where(AttachedPolicy.permission_set_id == permission_set_id)
        .group_by(AttachedPolicy.kind)
    )
    return {kind: count for kind, count in session.execute(stmt)}


def _parse(document: str, field: str) -> Any:
    try:
        parsed = jsonbody.loads(document)
    except ValueError:
        raise invalid(f"{field} must be a JSON policy document") from None
    if not isinstance(parsed, dict):
        raise invalid(f"{field} must be a JSON object")
    if len(json.dumps(parsed, separators=(",", ":"))) > MAX_POLICY_CHARS:
        raise invalid(f"{field} has at most {MAX_POLICY_CHARS} characters")
    return parsed


def check_custom_role(document: dict[str, Any]) -> None:
    """An IAM custom policy document, by IAM's own validator (its errors say IIC.400 here)."""
    try:
        check_policy_document(document)
    except Invalid as error:
        raise invalid(f"custom_role: {error.message.rstrip('.')}") from None


def check_identity_policy(document: dict[str, Any]) -> None:
    if document.get("Version") != IDENTITY_POLICY_VERSION:
        raise invalid(f"custom_policy.Version must be {IDENTITY_POLICY_VERSION}")
    statements = document.get("Statement")
    if not isinstance(statements, list) or not statements:
        raise invalid("custom_policy.Statement must be a non-empty list")
    for index, statement in enumerate(statements):
        _check_statement(statement, f"custom_policy.Statement[{index}]")


def _check_statement(statement: Any, where: str) -> None:
    if not isinstance(statement, dict):
        raise invalid(f"{where} must be an object")
    if statement.get("Effect") not in ("Allow", "Deny"):
        raise invalid(f"{where}.Effect must be Allow or Deny")
    actions = statement.get("Action")
    actions = [actions] if isinstance(actions, str) else actions
    if not isinstance(actions, list) or not actions:
        raise invalid(f"{where}.Action must be a non-empty list")
    for action in actions:
        if not isinstance(action, str) or not ACTION.match(action):
            raise invalid(f"{where}.Action {action!r} is not of the form service:resource:action")
    resources = statement.get("Resource", [])
    resources = [resources] if isinstance(resources, str) else resources
    if not isinstance(resources, list) or not all(isinstance(r, str) and r for r in resources):
        raise invalid(f"{where}.Resource must be a list of URNs")
    if not isinstance(statement.get("Condition", {}), dict):
        raise invalid(f"{where}.Condition must be an object")

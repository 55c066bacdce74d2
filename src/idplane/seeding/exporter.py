"""`idplane export`: the store as a seed file (the format `idplane seed` reads), without any
secret: no passwords, no secret keys, no access keys. Applying the export to an empty store
makes the same world, with new ids (except account ids, which it keeps)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.groups.tables import ADMIN_GROUP, Group, GroupMember
from idplane.iam.permissions.tables import DOMAIN, GroupRole
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.tables import CustomPolicy
from idplane.iam.tables import Account, User
from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.agencies import PREFIX as PROVISIONED_PREFIX
from idplane.identitycenter.permission_sets.tables import PermissionSet
from idplane.identitystore.groups.tables import Group as StoreGroup
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.tables import User as StoreUser
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.organizations.tables import Member, Organization
from idplane.seeding.applications import export_applications
from idplane.seeding.federation import export_federation


def export(store) -> dict[str, Any]:
    with store.read() as session:
        names = {a.id: a.name for a in session.scalars(select(Account).order_by(Account.seq))}
        organization = session.scalars(select(Organization).order_by(Organization.seq)).first()
        created = _created_members(session, organization)
        document: dict[str, Any] = {
            "accounts": [
                {"name": name, "id": account_id}
                for account_id, name in names.items()
                if account_id not in created
            ]
        }
        if organization is not None:
            document["organization"] = {
                "management": names[organization.management_account_id],
                "members": [_member(names[m.account_id], m) for m in created.values()],
            }
        iam = [_iam(session, account_id, name) for account_id, name in names.items()]
        document["iam"] = [entry for entry in iam if len(entry) > 1]
        if organization is not None:
            center = _identity_center(session, organization, names)
            if center is not None:
                document["identity_center"] = center
        return {key: value for key, value in document.items() if value}


def _created_members(session: Session, organization) -> dict[str, Member]:
    if organization is None:
        return {}
    stmt = (
        select(Member)
        .where(Member.organization_id == organization.id, Member.join_method == "created")
        .order_by(Member.seq)
    )
    return {m.account_id: m for m in session.scalars(stmt)}


def _member(name: str, member: Member) -> dict[str, Any]:
    return _present({"name": name, "email": member.email, "description": member.description})


def _iam(session: Session, account_id: str, name: str) -> dict[str, Any]:
    policies = list(
        session.scalars(
            select(CustomPolicy)
            # What provisioning a permission set made (its agency's custom role and inline
            # policy) comes back when the seeded permission set is provisioned again.
            .where(
                CustomPolicy.account_id == account_id,
                ~CustomPolicy.display_name.startswith(PROVISIONED_PREFIX),
            )
            .order_by(CustomPolicy.seq)
        )
    )
    policy_names = {p.id: p.display_name for p in policies}
    groups = list(
        session.scalars(
            select(Group)
            .where(Group.account_id == account_id, Group.name != ADMIN_GROUP)
            .order_by(Group.seq)
        )
    )
    users = list(
        session.scalars(
            select(User).where(User.account_id == account_id, ~User.is_root).order_by(User.seq)
        )
    )
    entry: dict[str, Any] = {"account": name}
    if policies:
        entry["policies"] = [
            _present({"name": p.display_name, "description": p.description, "policy": p.policy})
            for p in policies
        ]
    if groups:
        entry["groups"] = [_group(session, g, policy_names) for g in groups]
    if users:
        entry["users"] = [_user(session, u) for u in users]
    entry.update(export_federation(session, account_id))
    return entry


def _group(session: Session, group: Group, policy_names: dict[str, str]) -> dict[str, Any]:
    stmt = (
        select(GroupRole)
        .where(GroupRole.group_id == group.id, GroupRole.scope == DOMAIN)
        .order_by(GroupRole.seq)
    )
    catalog = system_roles()
    granted = [
        policy_names.get(r.role_id) or _system_role_name(catalog, r.role_id)
        for r in session.scalars(stmt)
    ]
    return _present(
        {"name": group.name, "description": group.description, "policies": granted or None}
    )


def _system_role_name(catalog, role_id: str) -> str:
    role = catalog.get(role_id)
    return role.display_name if role else role_id


def _user(session: Session, user: User) -> dict[str, Any]:
    stmt = (
        select(Group.name)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.user_id == user.id)
        .order_by(Group.seq)
    )
    groups = list(session.scalars(stmt))
    return _present(
        {
            "name": user.name,
            "description": user.description,
            "email": user.email,
            "groups": groups or None,
        }
    )


def _identity_center(session: Session, organization, names: dict[str, str]) -> dict | None:
    instance = session.scalar(select(Instance).where(Instance.organization_id == organization.id))
    if instance is None:
        return None
    store_id = session.scalar(
        select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
    )
    users = list(
        session.scalars(
            select(StoreUser).where(StoreUser.identity_store_id == store_id).order_by(StoreUser.seq)
        )
    )
    groups = list(
        session.scalars(
            select(StoreGroup)
            .where(StoreGroup.identity_store_id == store_id)
            .order_by(StoreGroup.seq)
        )
    )
    user_names = {u.id: u.user_name for u in users}
    group_names = {g.id: g.display_name for g in groups}
    sets = list(
        session.scalars(
            select(PermissionSet)
            .where(PermissionSet.instance_id == instance.id)
            .order_by(PermissionSet.seq)
        )
    )
    set_names = {p.id: p.name for p in sets}
    assignments = session.scalars(
        select(AccountAssignment)
        .where(AccountAssignment.instance_id == instance.id)
        .order_by(AccountAssignment.seq)
    )
    center: dict[str, Any] = {
        "users": [_store_user(u) for u in users],
        "groups": [_store_group(session, g, user_names) for g in groups],
        "permission_sets": [_permission_set(p) for p in sets],
        "assignments": [
            {
                "permission_set": set_names[a.permission_set_id],
                "account": names[a.account_id],
                a.principal_type.lower(): (
                    user_names if a.principal_type == "USER" else group_names
                )[a.principal_id],
            }
            for a in assignments
        ],
        "applications": export_applications(session, instance.id, user_names, group_names),
    }
    return {key: value for key, value in center.items() if value}


def _store_user(user: StoreUser) -> dict[str, Any]:
    primary = next((e for e in user.emails or [] if e.get("primary")), None)
    return _present(
        {
            "user_name": user.user_name,
            "display_name": user.display_name,
            "given_name": user.given_name,
            "family_name": user.family_name,
            "email": primary.get("value") if primary else None,
            "password_mode": user.password_mode,
        }
    )


def _store_group(session: Session, group: StoreGroup, user_names: dict) -> dict[str, Any]:
    stmt = (
        select(GroupMembership.user_id)
        .where(GroupMembership.group_id == group.id)
        .order_by(GroupMembership.seq)
    )
    members = [user_names[user_id] for user_id in session.scalars(stmt)]
    return _present(
        {
            "display_name": group.display_name,
            "description": group.description,
            "members": members or None,
        }
    )


def _permission_set(permission_set: PermissionSet) -> dict[str, Any]:
    policy = permission_set.custom_policy
    return _present(
        {
            "name": permission_set.name,
            "description": permission_set.description,
            "session_duration": permission_set.session_duration,
            "relay_state": permission_set.relay_state,
            "custom_policy": json.loads(policy) if policy else None,
        }
    )


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "")}

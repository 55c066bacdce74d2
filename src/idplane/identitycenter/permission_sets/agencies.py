"""The IAM agency a provisioned permission set becomes in a member account, as the real
service creates one: provisioning creates it (or brings it up to date), deprovisioning and
deleting the permission set delete it.

The agency is named `IdentityCenter_<permission set name>`, trusts the Identity Center service
(`op_svc_IdentityCenter`: a service agency, so only Identity Center's portal opens sessions in
it), carries the permission set's attached system roles and its custom role and custom
(inline, 5.0) policy (each a custom policy of the account) on the account, and lets sessions
last the permission set's `session_duration`. Huawei documents neither the name nor the
trust; the portal API answers both (`agency_name`, `agency_urn`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idplane.iam.agencies.service import (
    create_agency_in,
    delete_agency_in,
    find_agency_in,
    grant_to_agency_in,
)
from idplane.iam.agencies.tables import Agency, AgencyRole
from idplane.iam.permissions.service import Target
from idplane.iam.permissions.tables import DOMAIN
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.tables import CustomPolicy
from idplane.iam.sessions.tables import AgencySession
from idplane.identitycenter.assignments.grants import assigned
from idplane.identitycenter.permission_sets.tables import (
    AttachedPolicy,
    PermissionSet,
    Provisioning,
)
from idplane.instances.store_tables import IdentityStore
from idplane.platform import ids
from idplane.platform.auth.caller import SourceKind
from idplane.platform.clock import now
from idplane.platform.errors import Invalid

TRUSTED_SERVICE = "op_svc_IdentityCenter"
PREFIX = "IdentityCenter_"
POLICY_SUFFIX = "_inline_policy"  # the custom policy's name beside the custom role's
MIN_SECONDS, MAX_SECONDS = 900, 43200
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def agency_name(permission_set_name: str) -> str:
    return f"{PREFIX}{permission_set_name}"


def agency_urn(account_id: str, permission_set_name: str) -> str:
    return f"iam::{account_id}:agency:{agency_name(permission_set_name)}"


def sync_agency(session: Session, permission_set: PermissionSet, account_id: str) -> Agency:
    """Creates the permission set's agency in the account, or makes it match the permission
    set again (roles replaced, session duration and description updated)."""
    name = agency_name(permission_set.name)
    agency = find_agency_in(session, account_id, name)
    if agency is None:
        agency = create_agency_in(
            session, account_id, name, TRUSTED_SERVICE, _description(permission_set)
        )
    else:
        agency.description = _description(permission_set)
        session.execute(delete(AgencyRole).where(AgencyRole.agency_id == agency.id))
    agency.max_session_duration = _seconds(permission_set.session_duration)
    attached = session.scalars(
        select(AttachedPolicy.policy_id).where(
            AttachedPolicy.permission_set_id == permission_set.id
        )
    )
    for role_id in attached:
        role = system_roles().get(role_id)
        if role is None:
            continue
        try:
            grant_to_agency_in(session, agency, role, Target(DOMAIN, domain_id=account_id))
        except Invalid:
            continue  # a project-level role: not grantable on the account as a whole
    _custom_documents(session, agency, permission_set, account_id)
    session.flush()
    return agency


def _custom_documents(
    session: Session, agency: Agency, permission_set: PermissionSet, account_id: str
) -> None:
    """The permission set's custom role (a 1.0/1.1 role) and custom policy (a 5.0 identity
    policy, the inline policy) each become a custom policy of the account, named after the
    agency and granted to it on the account; re-provisioning replaces them."""
    _drop_custom_documents(session, account_id, agency.name)
    for suffix, document in (
        ("", permission_set.custom_role),
        (POLICY_SUFFIX, permission_set.custom_policy),
    ):
        if not document:
            continue
        moment = now()
        policy_id = ids.hex32()
        policy = CustomPolicy(
            id=policy_id,
            account_id=account_id,
            name=f"custom_{account_id}_{policy_id[:8]}",
            display_name=agency.name + suffix,
            type="AX",
            description=_description(permission_set),
            description_cn=None,
            policy=json.loads(document),
            created_at=moment,
            updated_at=moment,
        )
        session.add(policy)
        session.flush()
        grant_to_agency_in(session, agency, policy, Target(DOMAIN, domain_id=account_id))


def _drop_custom_documents(session: Session, account_id: str, name: str) -> None:
    session.execute(
        delete(CustomPolicy).where(
            CustomPolicy.account_id == account_id,
            CustomPolicy.display_name.in_([name, name + POLICY_SUFFIX]),
        )
    )


def remove_unprovisioned(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """Deletes the agency of each (permission set, account) pair no longer provisioned."""
    for permission_set_id, account_id in sorted(set(pairs)):
        still = session.scalar(
            select(Provisioning.seq).where(
                Provisioning.permission_set_id == permission_set_id,
                Provisioning.account_id == account_id,
            )
        )
        name = session.scalar(
            select(PermissionSet.name).where(PermissionSet.id == permission_set_id)
        )
        if still is None and name is not None:
            delete_agency_in(session, account_id, agency_name(name))
            _drop_custom_documents(session, account_id, agency_name(name))
        elif name is not None:
            end_unentitled_sessions(session, permission_set_id, account_id)


def end_unentitled_sessions(
    session: Session,
    permission_set_id: str,
    account_id: str,
    only: Iterable[str] | None = None,
) -> None:
    """Ends the portal sessions in the permission set's agency whose user is no longer
    assigned it there (the agency stays for the users who still are): their keys stop now.
    `only`: look at those users alone (the ones who just left a group)."""
    permission_set = session.scalar(
        select(PermissionSet).where(PermissionSet.id == permission_set_id)
    )
    if permission_set is None:
        return
    agency = find_agency_in(session, account_id, agency_name(permission_set.name))
    store_id = session.scalar(
        select(IdentityStore.id).where(IdentityStore.instance_id == permission_set.instance_id)
    )
    if agency is None or store_id is None:
        return
    of_users = select(AgencySession.source_principal_id).where(
        AgencySession.agency_id == agency.id,
        AgencySession.source_kind == str(SourceKind.IDENTITY_STORE_USER),
    )
    if only is not None:
        of_users = of_users.where(AgencySession.source_principal_id.in_(list(only)))
    users = session.scalars(of_users.distinct())
    for user_id in sorted(users):
        grants = assigned(session, store_id, user_id)
        if not any(
            g.account_id == account_id and g.permission_set_id == permission_set_id for g in grants
        ):
            session.execute(
                delete(AgencySession).where(
                    AgencySession.agency_id == agency.id,
                    AgencySession.source_principal_id == user_id,
                )
            )


def remove_all(session: Session, permission_set: PermissionSet) -> None:
    """Deletes the permission set's agency from every account it is provisioned to."""
    accounts = session.scalars(
        select(Provisioning.account_id).where(Provisioning.permission_set_id == permission_set.id)
    )
    for account_id in sorted(accounts):
        delete_agency_in(session, account_id, agency_name(permission_set.name))
        _drop_custom_documents(session, account_id, agency_name(permission_set.name))


def parse_duration(text: str | None) -> timedelta | None:
    """ISO 8601 durations as the settings API stores them (`PT8H`, `P1DT2H`, `PT15M`)."""
    match = _DURATION.match(text or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _seconds(duration: str | None) -> int:
    span = parse_duration(duration)
    seconds = int(span.total_seconds()) if span else 3600
    return max(MIN_SECONDS, min(MAX_SECONDS, seconds))


def _description(permission_set: PermissionSet) -> str:
    return f"Identity Center permission set {permission_set.id}"[:255]

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
from collections.abc import Iterable, Iterator
from datetime import timedelta

from sqlalchemy import Row, Select, bindparam, delete, select
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
_CHUNK = 400  # values in one IN list
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


def agency_exists(session: Session, permission_set_name: str, account_id: str) -> bool:
    found = session.connection().execute(
        _AGENCY_ID, {"account": account_id, "name": agency_name(permission_set_name)}
    )
    return found.first() is not None


# Built once: every account assignment runs it.
_AGENCY_ID = select(Agency.id).where(
    Agency.account_id == bindparam("account"), Agency.name == bindparam("name")
)


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
    """Deletes the agency (with its custom documents) of each (permission set, account) pair
    no longer provisioned, and ends the unentitled sessions in the agencies of the pairs that
    still are. Set-based: a few statements per 400 accounts, whatever the number of pairs (a
    principal of 10,000 assignments disassociated), where one pair at a time cost five."""
    pairs = set(pairs)
    names = _agency_names(session, {ps for ps, _ in pairs})
    named = {(ps, account) for ps, account in pairs if ps in names}
    provisioned = set(
        _in_chunks(
            session,
            select(Provisioning.permission_set_id, Provisioning.account_id),
            Provisioning.account_id,
            {account for _, account in named},
        )
    )
    _delete_agencies(session, {(a, names[ps]) for ps, a in named - provisioned})
    end_unentitled_sessions(session, named & provisioned)


def end_unentitled_sessions(
    session: Session,
    pairs: Iterable[tuple[str, str]],
    only: Iterable[str] | None = None,
) -> None:
    """Ends the portal sessions in the agencies of those (permission set, account) pairs whose
    user is no longer assigned the pair there (the agencies stay for the users who still are):
    their keys stop now. `only`: look at those users alone (the ones who just left a group).
    What each user is assigned is read once, however many of the agencies they hold sessions in.
    """
    pairs = set(pairs)
    names = _agency_names(session, {ps for ps, _ in pairs})
    wanted = {(account, names[ps]): (ps, account) for ps, account in pairs if ps in names}
    agencies = {
        agency_id: wanted[(account, name)]
        for agency_id, account, name in _in_chunks(
            session,
            select(Agency.id, Agency.account_id, Agency.name).where(
                Agency.name.startswith(PREFIX, autoescape=True)
            ),
            Agency.account_id,
            {account for account, _ in wanted},
        )
        if (account, name) in wanted
    }
    held = select(AgencySession.agency_id, AgencySession.source_principal_id).where(
        AgencySession.source_kind == str(SourceKind.IDENTITY_STORE_USER)
    )
    if only is not None:
        held = held.where(AgencySession.source_principal_id.in_(list(only)))
    sessions: dict[str, set[str]] = {}
    for agency_id, user_id in _in_chunks(session, held, AgencySession.agency_id, set(agencies)):
        sessions.setdefault(user_id, set()).add(agency_id)
    stores = _store_ids(session, {agencies[a][0] for ids_ in sessions.values() for a in ids_})
    granted: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for user_id, agency_ids in sorted(sessions.items()):
        ends = []
        for agency_id in sorted(agency_ids):
            ps, account = agencies[agency_id]
            key = (stores[ps], user_id)
            if key not in granted:
                grants = assigned(session, stores[ps], user_id)
                granted[key] = {(g.permission_set_id, g.account_id) for g in grants}
            if (ps, account) not in granted[key]:
                ends.append(agency_id)
        if ends:
            session.execute(
                delete(AgencySession).where(
                    AgencySession.agency_id.in_(ends),
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


def _agency_names(session: Session, permission_set_ids: set[str]) -> dict[str, str]:
    """Permission set id -> the name of its agency, for those that exist."""
    rows = _in_chunks(
        session,
        select(PermissionSet.id, PermissionSet.name),
        PermissionSet.id,
        permission_set_ids,
    )
    return {ps: agency_name(name) for ps, name in rows}


def _delete_agencies(session: Session, named: set[tuple[str, str]]) -> None:
    """Deletes the agencies named by (account, agency name), and their custom documents; the
    grants and sessions go with an agency (ON DELETE CASCADE)."""
    accounts = {account for account, _ in named}
    documents = {(a, n + suffix) for a, n in named for suffix in ("", POLICY_SUFFIX)}
    for model, name, found in (
        (Agency, Agency.name, named),
        (CustomPolicy, CustomPolicy.display_name, documents),
    ):
        doomed = sorted(
            row_id
            for row_id, account, row_name in _in_chunks(
                session,
                select(model.id, model.account_id, name).where(
                    name.startswith(PREFIX, autoescape=True)
                ),
                model.account_id,
                accounts,
            )
            if (account, row_name) in found
        )
        for chunk in _chunks(doomed):
            session.execute(
                delete(model)
                .where(model.id.in_(chunk))
                .execution_options(synchronize_session=False)
            )


def _store_ids(session: Session, permission_set_ids: set[str]) -> dict[str, str]:
    """Permission set id -> the identity store of its instance."""
    rows = _in_chunks(
        session,
        select(PermissionSet.id, IdentityStore.id).join(
            IdentityStore, IdentityStore.instance_id == PermissionSet.instance_id
        ),
        PermissionSet.id,
        permission_set_ids,
    )
    return {ps: store_id for ps, store_id in rows}


def _in_chunks(session: Session, stmt: Select, column, values: Iterable[str]) -> Iterator[Row]:
    """The rows of `stmt` where `column` is one of `values`, one statement per 400 of them."""
    for chunk in _chunks(sorted(set(values))):
        yield from session.execute(stmt.where(column.in_(chunk)))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]

"""Agencies: an account delegates to another account, or to a cloud service (a trust domain
named `op_svc_*`), the roles and policies granted to the agency.

Other services create and delete their service agencies inside their own transaction with
`create_agency_in` / `delete_agency_in` (LakeFormation's `lakeformation_admin_trust`).
Deleting an agency removes its grants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import Agency, AgencyRole
from idplane.iam.permissions.service import Target, check_grantable, check_target
from idplane.iam.permissions.tables import DOMAIN
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.service import Role, RoleService
from idplane.iam.roles.tables import CustomPolicy
from idplane.iam.sessions.trust import parse_trust_policy
from idplane.iam.tables import Account
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound

NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
SERVICE_PREFIX = "op_svc_"
MAX_DAYS = 36500


@dataclass(frozen=True)
class AgencySpec:
    name: str | None = None
    domain_id: str | None = None
    trust_domain_id: str | None = None
    trust_domain_name: str | None = None
    description: str | None = None
    duration: str | int | None = None


@dataclass(frozen=True)
class AgencyFilter:
    domain_id: str
    trust_domain_id: str | None = None
    name: str | None = None


class AgencyService:
    def __init__(self, store: Store, authorizer: Authorizer, roles: RoleService):
        self.store = store
        self.authorizer = authorizer
        self.roles = roles

    def _authorize(self, caller: Caller, action: str, account_id: str | None = None) -> None:
        self.authorizer.authorize(caller, action, account_id=account_id or caller.account_id)

    def _authorize_on(self, session: Session, caller: Caller, action: str, agency_id: str) -> None:
        """Authorizes on the agency's URN; an agency that does not exist has none (so only a
        grant on every agency reaches the 404)."""
        name = session.scalar(
            select(Agency.name).where(
                Agency.id == agency_id, Agency.account_id == caller.account_id
            )
        )
        resource = f"iam::{caller.account_id}:agency:{name}" if name is not None else None
        self.authorizer.authorize(caller, action, account_id=caller.account_id, resource=resource)

    def create_agency(self, caller: Caller, spec: AgencySpec) -> Agency:
        self._authorize(caller, "iam:agencies:createAgency", spec.domain_id)
        with self.store.transaction() as session:
            trust_id, trust_name = _trust(session, caller.account_id, spec, required=True)
            return create_agency_in(
                session,
                caller.account_id,
                spec.name or "",
                trust_name,
                spec.description or "",
                spec.duration,
                trust_domain_id=trust_id,
            )

    def show_agency(self, caller: Caller, agency_id: str) -> Agency:
        with self.store.read() as session:
            self._authorize_on(session, caller, "iam:agencies:getAgency", agency_id)
            return agency_in(session, caller.account_id, agency_id)

    def list_agencies(self, caller: Caller, query: AgencyFilter) -> list[Agency]:
        self._authorize(caller, "iam:agencies:listAgencies", query.domain_id)
        with self.store.read() as session:
            stmt = select(Agency).where(Agency.account_id == caller.account_id)
            if query.name is not None:
                stmt = stmt.where(Agency.name == query.name)
            if query.trust_domain_id is not None:
                stmt = stmt.where(Agency.trust_domain_id == query.trust_domain_id)
            return list(session.scalars(stmt.order_by(Agency.seq)))

    def update_agency(self, caller: Caller, agency_id: str, spec: AgencySpec) -> Agency:
        with self.store.transaction() as session:
            self._authorize_on(session, caller, "iam:agencies:updateAgency", agency_id)
            agency = agency_in(session, caller.account_id, agency_id)
            if spec.trust_domain_id is not None or spec.trust_domain_name is not None:
                agency.trust_domain_id, agency.trust_domain_name = _trust(
                    session, caller.account_id, spec, required=False
                )
            if spec.description is not None:
                agency.description = _description(spec.description)
            if spec.duration is not None:
                agency.duration, agency.expires_at = _duration(spec.duration)
            return agency

    def update_agency_v5(
        self,
        caller: Caller,
        agency_id: str,
        max_session_duration: int | None,
        description: str | None,
    ) -> None:
        """IAM v5: the maximum session duration (3600..43200 s) and description."""
        self._authorize(caller, "iam:agencies:updateAgencyV5")
        if max_session_duration is not None and not 3600 <= max_session_duration <= 43200:
            raise Invalid("max_session_duration must be between 3600 and 43200.", "IAM.0007")
        with self.store.transaction() as session:
            agency = agency_in(session, caller.account_id, agency_id)
            if max_session_duration is not None:
                agency.max_session_duration = max_session_duration
            if description is not None:
                agency.description = _description(description)

    def update_trust_policy_v5(self, caller: Caller, agency_id: str, trust_policy: str) -> None:
        """IAM v5: who may assume the agency and on which conditions (see iam/sessions/trust).
        Sessions whose principal the new policy no longer names stop at once."""
        document = parse_trust_policy(trust_policy)
        with self.store.transaction() as session:
            self._authorize_on(session, caller, "iam:agencies:updateTrustPolicyV5", agency_id)
            agency_in(session, caller.account_id, agency_id).trust_policy = document

    def delete_agency(self, caller: Caller, agency_id: str) -> None:
        with self.store.transaction() as session:
            self._authorize_on(session, caller, "iam:agencies:deleteAgency", agency_id)
            session.delete(agency_in(session, caller.account_id, agency_id))

    # Grants -----------------------------------------------------------------------------------

    def _grant_action(self, caller: Caller, verb: str, target: Target) -> None:
        self._authorize(caller, f"iam:permissions:{verb}{target.suffix}", target.domain_id)

    def list_permissions_for_agency(
        self, caller: Caller, agency_id: str, target: Target
    ) -> list[Role]:
        self._grant_action(caller, "listRolesForAgency", target)
        with self.store.read() as session:
            check_target(session, caller.account_id, target)
            agency_in(session, caller.account_id, agency_id)
            role_ids = session.scalars(
                select(AgencyRole.role_id)
                .where(AgencyRole.agency_id == agency_id, AgencyRole.scope == target.scope)
                .order_by(AgencyRole.seq)
            )
            return [self.roles.role_in(session, caller.account_id, r) for r in role_ids]

    def check_permission_for_agency(
        self, caller: Caller, agency_id: str, role_id: str, target: Target
    ) -> None:
        self._grant_action(caller, "checkRoleForAgency", target)
        with self.store.read() as session:
            check_target(session, caller.account_id, target)
            agency_in(session, caller.account_id, agency_id)
            if _grant(session, agency_id, role_id, target.scope) is None:
                raise NotFound(f"Could not find role {role_id} for agency {agency_id}.")

    def grant_to_agency(self, caller: Caller, agency_id: str, role_id: str, target: Target) -> None:
        self._grant_action(caller, "grantRoleToAgency", target)
        with self.store.transaction() as session:
            check_target(session, caller.account_id, target)
            agency = agency_in(session, caller.account_id, agency_id)
            role = self.roles.role_in(session, caller.account_id, role_id)
            grant_to_agency_in(session, agency, role, target)

    def revoke_from_agency(
        self, caller: Caller, agency_id: str, role_id: str, target: Target
    ) -> None:
        self._grant_action(caller, "revokeRoleFromAgency", target)
        with self.store.transaction() as session:
            check_target(session, caller.account_id, target)
            agency_in(session, caller.account_id, agency_id)
            grant = _grant(session, agency_id, role_id, target.scope)
            if grant is None:
                raise NotFound(f"Could not find role {role_id} for agency {agency_id}.")
            session.delete(grant)


# For other services, inside their own transaction ---------------------------------------------


def create_agency_in(
    session: Session,
    account_id: str,
    name: str,
    trust_domain_name: str,
    description: str = "",
    duration: str | int | None = "FOREVER",
    *,
    trust_domain_id: str | None = None,
    domain_roles: Sequence[str] = (),
) -> Agency:
    """Creates an agency of `account_id` trusting `trust_domain_name` (an account, or a cloud
    service `op_svc_*`), granting it the named system roles on the account. 409 if an agency
    of that name exists."""
    if not NAME.match(name):
        raise Invalid("The agency name must have 1 to 64 letters, digits, _ . or -.", "IAM.0007")
    expiry = _duration(duration if duration is not None else "FOREVER")
    agency = Agency(
        id=ids.hex32(),
        account_id=account_id,
        name=name,
        trust_domain_id=trust_domain_id,
        trust_domain_name=trust_domain_name,
        description=_description(description),
        duration=expiry[0],
        expires_at=expiry[1],
        created_at=now(),
    )
    session.add(agency)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"An agency named {name} already exists.") from None
    for role_name in domain_roles:
        role = system_roles().named(role_name)
        grant_to_agency_in(session, agency, role, Target(DOMAIN, domain_id=account_id))
    return agency


def delete_agency_in(session: Session, account_id: str, name: str) -> bool:
    """Deletes the account's agency of that name (with its grants); False if there was none."""
    agency = find_agency_in(session, account_id, name)
    if agency is None:
        return False
    session.delete(agency)
    session.flush()
    return True


def find_agency_in(session: Session, account_id: str, name: str) -> Agency | None:
    return session.scalar(
        select(Agency).where(Agency.account_id == account_id, Agency.name == name)
    )


def grant_to_agency_in(session: Session, agency: Agency, role: Role, target: Target) -> None:
    check_grantable(role, target)
    if _grant(session, agency.id, role.id, target.scope) is not None:
        return  # PUT is idempotent
    # A savepoint: when a concurrent identical grant wins, the outcome is the same.
    with suppress(IntegrityError), session.begin_nested():
        session.add(
            AgencyRole(
                account_id=agency.account_id,
                agency_id=agency.id,
                role_id=role.id,
                custom_policy_id=role.id if isinstance(role, CustomPolicy) else None,
                scope=target.scope,
                project_id=target.project_id,
                created_at=now(),
            )
        )


def agency_in(session: Session, account_id: str, agency_id: str) -> Agency:
    agency = session.scalar(
        select(Agency).where(Agency.id == agency_id, Agency.account_id == account_id)
    )
    if agency is None:
        raise NotFound(f"Could not find agency: {agency_id}.")
    return agency


def _grant(session: Session, agency_id: str, role_id: str, scope: str) -> AgencyRole | None:
    return session.scalar(
        select(AgencyRole).where(
            AgencyRole.agency_id == agency_id,
            AgencyRole.role_id == role_id,
            AgencyRole.scope == scope,
        )
    )


def _trust(
    session: Session, account_id: str, spec: AgencySpec, required: bool
) -> tuple[str | None, str]:
    """The trusted party: an existing other account (by id and/or name), or a cloud service."""
    if spec.trust_domain_id is None and spec.trust_domain_name is None:
        raise Invalid("trust_domain_id or trust_domain_name is required.", "IAM.0007")
    if spec.trust_domain_id is None and (spec.trust_domain_name or "").startswith(SERVICE_PREFIX):
        return None, spec.trust_domain_name or ""
    stmt = select(Account)
    if spec.trust_domain_id is not None:
        stmt = stmt.where(Account.id == spec.trust_domain_id)
    if spec.trust_domain_name is not None:
        stmt = stmt.where(Account.name == spec.trust_domain_name)
    trusted = session.scalar(stmt)
    if trusted is None:
        raise NotFound("Could not find the trusted domain.")
    if trusted.id == account_id:
        raise Invalid("An agency cannot trust its own account.", "IAM.0007")
    return trusted.id, trusted.name


def _description(description: str | None) -> str:
    if description is not None and len(description) > 255:
        raise Invalid("The description must have at most 255 characters.", "IAM.0007")
    return description or ""


def _duration(value: str | int) -> tuple[str, datetime | None]:
    """`FOREVER`, `ONEDAY`, or a number of days: the stored text and when it expires."""
    text = str(value).strip().upper()
    if text == "FOREVER":
        return "FOREVER", None
    days = 1 if text == "ONEDAY" else int(text) if text.isdigit() else 0
    if not 1 <= days <= MAX_DAYS:
        raise Invalid("duration must be FOREVER, ONEDAY or a number of days.", "IAM.0007")
    return ("ONEDAY" if text == "ONEDAY" else str(days)), now() + timedelta(days=days)

"""Who an account is in its organization: member, management account, delegated administrator.

Other services (Identity Center, Identity Store) ask these questions inside their own
transaction, on every request: nothing here is cached, so a deregistration or a removal takes
effect on the very next request.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from idplane.organizations.tables import DelegatedAdministrator, Member, Organization
from idplane.platform.errors import Forbidden

IDENTITY_CENTER = "service.IdentityCenter"

# Organizations answers "wrong account" with 401, as its error-code table documents.
MANAGEMENT_ONLY = (
    "This operation can be called only from the management account of an organization."
)
MANAGEMENT_OR_DELEGATE = (
    "This operation can be called only from the management account of an organization "
    "or by a member account that is a delegated administrator for a service."
)
NOT_IN_ORGANIZATION = "The organization is not found."


# Asked on every Identity Center request: built once (building it cost more than running it).
_ORGANIZATION_OF = (
    select(Organization)
    .join(Member, Member.organization_id == Organization.id)
    .where(Member.account_id == bindparam("account_id"))
)


def organization_of(session: Session, account_id: str) -> Organization | None:
    """The organization the account belongs to (as management account or member), if any."""
    return session.scalar(_ORGANIZATION_OF, {"account_id": account_id})


def is_delegated_administrator(
    session: Session, organization_id: str, account_id: str, service_principal: str | None = None
) -> bool:
    """Registered for `service_principal`, or for any service when it is None."""
    stmt = select(DelegatedAdministrator.seq).where(
        DelegatedAdministrator.organization_id == organization_id,
        DelegatedAdministrator.account_id == account_id,
    )
    if service_principal is not None:
        stmt = stmt.where(DelegatedAdministrator.service_principal == service_principal)
    return session.scalar(stmt.limit(1)) is not None


def is_service_administrator(
    session: Session, organization: Organization, account_id: str, service_principal: str
) -> bool:
    """The management account, or a delegated administrator for that service."""
    if organization.management_account_id == account_id:
        return True
    return is_delegated_administrator(session, organization.id, account_id, service_principal)


def member_organization(session: Session, account_id: str) -> Organization:
    organization = organization_of(session, account_id)
    if organization is None:
        raise Forbidden(NOT_IN_ORGANIZATION, "Organizations.1015", status=401)
    return organization


def managed_organization(session: Session, account_id: str) -> Organization:
    """The organization the account manages; 401 Organizations.1001 for anyone else."""
    organization = member_organization(session, account_id)
    if organization.management_account_id != account_id:
        raise Forbidden(MANAGEMENT_ONLY, "Organizations.1001", status=401)
    return organization


def administered_organization(session: Session, account_id: str) -> Organization:
    """The organization, for its management account or any of its delegated administrators
    (401 Organizations.1002 for other members)."""
    organization = member_organization(session, account_id)
    if organization.management_account_id == account_id:
        return organization
    if not is_delegated_administrator(session, organization.id, account_id):
        raise Forbidden(MANAGEMENT_OR_DELEGATE, "Organizations.1002", status=401)
    return organization

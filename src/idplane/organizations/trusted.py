"""Trusted services and delegated administrators of an organization.

A delegated administrator is a member account the management account names for one trusted
service; Identity Center lets such an account administer the organization's instance.
Disabling a trusted service drops its delegations (foreign key cascade), as removing the
service's access to the organization leaves nothing for a delegate to administer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations import membership
from idplane.organizations.service import POLICY_DENIED, account_not_member
from idplane.organizations.tables import (
    DelegatedAdministrator,
    Member,
    Organization,
    TrustedService,
)
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import Conflict, Invalid
from idplane.platform.paging import Page, PageRequest, keyset_page

_PRINCIPAL = re.compile(r"^service\.[A-Za-z0-9][A-Za-z0-9_.-]{0,91}$")


@dataclass
class DelegateView:
    delegation: DelegatedAdministrator
    member: Member
    account_name: str
    organization: Organization


def enable_trusted_service_in(
    session: Session, organization_id: str, service_principal: str
) -> TrustedService:
    """Idempotent: the existing record when the service is already trusted. Identity Center
    calls this when it is started, as enabling a service implies trusting it."""
    found = session.scalar(
        select(TrustedService).where(
            TrustedService.organization_id == organization_id,
            TrustedService.service_principal == service_principal,
        )
    )
    if found is None:
        found = TrustedService(
            organization_id=organization_id, service_principal=service_principal, enabled_at=now()
        )
        session.add(found)
        session.flush()
    return found


class TrustService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    # Trusted services -----------------------------------------------------------------------

    def enable_trusted_service(self, caller: Caller, service_principal: str) -> None:
        self._authorize(caller, "organizations:trustedServices:enable")
        _check_principal(service_principal)
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                enable_trusted_service_in(session, organization.id, service_principal)
        except IntegrityError:
            pass  # enabled by a concurrent request: the outcome asked for holds

    def disable_trusted_service(self, caller: Caller, service_principal: str) -> None:
        self._authorize(caller, "organizations:trustedServices:disable")
        _check_principal(service_principal)
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            gone = session.execute(
                delete(TrustedService).where(
                    TrustedService.organization_id == organization.id,
                    TrustedService.service_principal == service_principal,
                )
            )
            if rowcount(gone) == 0:
                raise _not_trusted(service_principal)

    def list_trusted_services(self, caller: Caller, request: PageRequest) -> Page:
        self._authorize(caller, "organizations:trustedServices:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(TrustedService).where(TrustedService.organization_id == organization.id)
            return keyset_page(session, stmt, TrustedService.seq, request)

    # Delegated administrators ---------------------------------------------------------------

    def register_delegated_administrator(
        self, caller: Caller, service_principal: str, account_id: str
    ) -> None:
        self._authorize(caller, "organizations:delegatedAdministrators:register")
        _check_principal(service_principal)
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                self._check_registrable(session, organization, service_principal, account_id)
                session.add(
                    DelegatedAdministrator(
                        organization_id=organization.id,
                        account_id=account_id,
                        service_principal=service_principal,
                        delegation_enabled_at=now(),
                    )
                )
                session.flush()
        except IntegrityError:
            # Lost a race: the pair was registered, the member removed or the service disabled.
            raise Conflict("Concurrent modification; check the registration and retry.") from None

    def deregister_delegated_administrator(
        self, caller: Caller, service_principal: str, account_id: str
    ) -> None:
        self._authorize(caller, "organizations:delegatedAdministrators:deregister")
        _check_principal(service_principal)
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            gone = session.execute(
                delete(DelegatedAdministrator).where(
                    DelegatedAdministrator.organization_id == organization.id,
                    DelegatedAdministrator.account_id == account_id,
                    DelegatedAdministrator.service_principal == service_principal,
                )
            )
            if rowcount(gone) == 0:
                raise Invalid(
                    f"The account {account_id} is not a delegated administrator "
                    f"for {service_principal}.",
                    "Organizations.1500",
                )

    def list_delegated_administrators(
        self, caller: Caller, service_principal: str | None, request: PageRequest
    ) -> Page:
        self._authorize(caller, "organizations:delegatedAdministrators:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = (
                select(DelegatedAdministrator.seq, DelegatedAdministrator, Member, Account.name)
                .join(
                    Member,
                    (Member.organization_id == DelegatedAdministrator.organization_id)
                    & (Member.account_id == DelegatedAdministrator.account_id),
                )
                .join(Account, Account.id == Member.account_id)
                .where(DelegatedAdministrator.organization_id == organization.id)
            )
            if service_principal:
                stmt = stmt.where(DelegatedAdministrator.service_principal == service_principal)
            page = keyset_page(session, stmt, DelegatedAdministrator.seq, request)
            page.rows = [
                DelegateView(row.DelegatedAdministrator, row.Member, row.name, organization)
                for row in page.rows
            ]
            return page

    def list_delegated_services(
        self, caller: Caller, account_id: str, request: PageRequest
    ) -> Page:
        self._authorize(caller, "organizations:delegatedServices:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            if not _is_member(session, organization.id, account_id):
                raise account_not_member(account_id)
            stmt = select(DelegatedAdministrator).where(
                DelegatedAdministrator.organization_id == organization.id,
                DelegatedAdministrator.account_id == account_id,
            )
            return keyset_page(session, stmt, DelegatedAdministrator.seq, request)

    def _check_registrable(
        self, session: Session, organization: Organization, principal: str, account_id: str
    ) -> None:
        if account_id == organization.management_account_id:
            raise Invalid(
                "The management account cannot be registered as a delegated administrator.",
                "Organizations.1502",
            )
        if not _is_member(session, organization.id, account_id):
            raise account_not_member(account_id)
        trusted = session.scalar(
            select(TrustedService.seq).where(
                TrustedService.organization_id == organization.id,
                TrustedService.service_principal == principal,
            )
        )
        if trusted is None:
            raise _not_trusted(principal)
        if membership.is_delegated_administrator(session, organization.id, account_id, principal):
            raise Conflict(
                f"The account {account_id} is already a delegated administrator for {principal}.",
                "Organizations.1501",
            )


def _is_member(session: Session, organization_id: str, account_id: str) -> bool:
    stmt = select(Member.seq).where(
        Member.organization_id == organization_id, Member.account_id == account_id
    )
    return session.scalar(stmt) is not None


def _check_principal(service_principal: str) -> None:
    if not _PRINCIPAL.match(service_principal or ""):
        raise Invalid(
            "service_principal must look like service.<Name> (at most 100 characters)",
        )


def _not_trusted(service_principal: str) -> Invalid:
    return Invalid(
        f"The specified trusted service {service_principal} is disabled.", "Organizations.1900"
    )

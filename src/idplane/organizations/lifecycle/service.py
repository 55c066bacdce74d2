"""Updating, closing and creating (v2) member accounts, leaving an organization, and the
organization's quotas and service lists.

Closing an account suspends it at once (the real service takes up to 90 days; the status
record is written finished): a suspended account's credentials can do nothing, which the
guardrails enforce. Leaving drops the membership with its attachments and tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from idplane.organizations import membership, tree
from idplane.organizations.policies.service import MAX_POLICIES
from idplane.organizations.service import (
    MAX_ACCOUNTS,
    POLICY_DENIED,
    STATES,
    AccountView,
    NewAccount,
    OrganizationService,
    _member_view,
)
from idplane.organizations.tables import (
    CloseAccountStatus,
    CreateAccountRequest,
    Member,
    OrganizationalUnit,
    Policy,
)
from idplane.organizations.units.service import MAX_UNITS
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Invalid

CLOSE_STATES = ("pending_closure", "succeeded", "failed")
# Services that integrate with Organizations (`service.<Name>` principals).
SERVICES = (
    "service.IdentityCenter",
    "service.RAM",
    "service.Config",
    "service.CTS",
    "service.RGC",
    "service.TMS",
    "service.BSS",
    "service.SecMaster",
)
TAG_POLICY_SERVICES = (
    ("ecs", ("instance",), True),
    ("evs", ("volume",), True),
    ("vpc", ("vpc", "subnet"), False),
    ("obs", ("bucket",), True),
)


@dataclass
class Quota:
    type: str
    quota: int
    min: int
    max: int
    used: int


class LifecycleService:
    def __init__(self, store: Store, authorizer: Authorizer, organizations: OrganizationService):
        self.store = store
        self.authorizer = authorizer
        self.organizations = organizations

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def update_account(
        self, caller: Caller, account_id: str, description: str | None
    ) -> AccountView:
        self._authorize(caller, "organizations:accounts:update")
        if description is not None and len(description) > 255:
            raise Invalid("description must be at most 255 characters")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            view = _member_view(session, organization, account_id)
            view.member.description = description
            session.flush()
            return view

    def close_account(self, caller: Caller, account_id: str) -> None:
        self._authorize(caller, "organizations:accounts:close")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            view = _member_view(session, organization, account_id)
            if account_id == organization.management_account_id:
                raise Invalid(
                    "The management account cannot be closed through Organizations.",
                    "Organizations.1306",
                )
            if view.member.status != "active":
                raise Invalid(
                    f"The account {account_id} is {view.member.status}.", "Organizations.1307"
                )
            moment = now()
            view.member.status = "suspended"
            session.add(
                CloseAccountStatus(
                    organization_id=organization.id,
                    account_id=account_id,
                    state="succeeded",
                    created_at=moment,
                    updated_at=moment,
                )
            )

    def list_close_account_statuses(
        self, caller: Caller, states: list[str] | None
    ) -> tuple[list[CloseAccountStatus], str]:
        self._authorize(caller, "organizations:closeAccountStatuses:list")
        for state in states or []:
            if state not in CLOSE_STATES:
                raise Invalid(f"states must be among {', '.join(CLOSE_STATES)}")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(CloseAccountStatus).where(
                CloseAccountStatus.organization_id == organization.id
            )
            if states:
                stmt = stmt.where(CloseAccountStatus.state.in_(states))
            return list(session.scalars(stmt.order_by(CloseAccountStatus.seq))), organization.id

    def create_resource_account(self, caller: Caller, new: NewAccount) -> CreateAccountRequest:
        return self.organizations.create_account(caller, new)

    def leave_organization(self, caller: Caller) -> None:
        self._authorize(caller, "organizations:organizations:leave")
        with self.store.transaction() as session:
            organization = membership.member_organization(session, caller.account_id)
            if organization.management_account_id == caller.account_id or (
                membership.is_delegated_administrator(session, organization.id, caller.account_id)
            ):
                raise Invalid(
                    "The management account or a delegated administrator cannot leave the "
                    "organization.",
                    "Organizations.1304",
                )
            view = _member_view(session, organization, caller.account_id)
            tree.forget_entity(session, caller.account_id)
            session.delete(view.member)

    def list_quotas(self, caller: Caller) -> list[Quota]:
        self._authorize(caller, "organizations:quotas:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)

            def used(column, *where) -> int:
                return session.scalar(select(func.count(column)).where(*where)) or 0

            return [
                Quota(
                    "account",
                    MAX_ACCOUNTS,
                    1,
                    MAX_ACCOUNTS,
                    used(Member.seq, Member.organization_id == organization.id),
                ),
                Quota(
                    "organizational_unit",
                    MAX_UNITS,
                    0,
                    MAX_UNITS,
                    used(
                        OrganizationalUnit.seq,
                        OrganizationalUnit.organization_id == organization.id,
                    ),
                ),
                Quota(
                    "policy",
                    MAX_POLICIES,
                    0,
                    MAX_POLICIES,
                    used(Policy.seq, Policy.organization_id == organization.id),
                ),
            ]

    def list_services(self, caller: Caller) -> tuple[str, ...]:
        self._authorize(caller, "organizations:services:list")
        with self.store.read() as session:
            membership.administered_organization(session, caller.account_id)
        return SERVICES

    def list_tag_policy_services(self, caller: Caller) -> tuple:
        self._authorize(caller, "organizations:tagPolicyServices:list")
        with self.store.read() as session:
            membership.administered_organization(session, caller.account_id)
        return TAG_POLICY_SERVICES


__all__ = ["STATES", "LifecycleService"]

"""The organization, its root, its member accounts and the CreateAccount requests.

Authorization: the caller's IAM policy must allow the `organizations:*` action (root users
always pass); then the organization role: a member, the management account, or the management
account or a delegated administrator (see `membership`). Every write is one transaction.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.service import AccountService
from idplane.iam.tables import Account
from idplane.organizations import membership, tree
from idplane.organizations.tables import (
    CreateAccountRequest,
    Member,
    Organization,
    PolicyTypeStatus,
    Root,
)
from idplane.organizations.tags import rules
from idplane.organizations.tags.records import RESOURCE_TYPES, Tagged, put_tags
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store, is_unique_violation
from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded
from idplane.platform.paging import Page, PageRequest, keyset_page

POLICY_DENIED = "Organizations.1007"
_ALNUM = string.ascii_lowercase + string.digits
_ACCOUNT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,63}$")
STATES = ("in_progress", "succeeded", "failed")
MAX_ACCOUNTS = 10


def alnum_id(prefix: str, length: int = 32) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


@dataclass
class AccountView:
    """A member account as the API shows it: membership plus the account's name."""

    member: Member
    name: str
    organization: Organization


@dataclass
class OrganizationView:
    organization: Organization
    management_account_name: str


@dataclass
class NewAccount:
    name: str
    email: str | None = None
    phone: str | None = None
    agency_name: str | None = None
    description: str | None = None
    tags: list[dict] | None = None


class OrganizationService:
    def __init__(self, store: Store, authorizer: Authorizer, accounts: AccountService):
        self.store = store
        self.authorizer = authorizer
        self.accounts = accounts

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    # Organization ---------------------------------------------------------------------------

    def create_organization(self, caller: Caller) -> OrganizationView:
        self._authorize(caller, "organizations:organizations:create")
        try:
            with self.store.transaction() as session:
                if membership.organization_of(session, caller.account_id) is not None:
                    raise _already_member(caller.account_id)
                moment = now()
                organization = Organization(
                    id=alnum_id("o-"), management_account_id=caller.account_id, created_at=moment
                )
                session.add(organization)
                session.flush()
                session.add(
                    Root(
                        id=alnum_id("r-"),
                        organization_id=organization.id,
                        name="Root",
                        created_at=moment,
                    )
                )
                session.add(
                    Member(
                        organization_id=organization.id,
                        account_id=caller.account_id,
                        join_method="invited",
                        status="active",
                        joined_at=moment,
                    )
                )
                session.flush()
                return self._view(session, organization)
        except IntegrityError:
            # Another request made this account part of an organization first.
            raise _already_member(caller.account_id) from None

    def show_organization(self, caller: Caller) -> OrganizationView:
        self._authorize(caller, "organizations:organizations:get")
        with self.store.read() as session:
            return self._view(session, membership.member_organization(session, caller.account_id))

    def delete_organization(self, caller: Caller) -> None:
        self._authorize(caller, "organizations:organizations:delete")
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                others = session.scalar(
                    select(func.count(Member.seq)).where(
                        Member.organization_id == organization.id,
                        Member.account_id != caller.account_id,
                    )
                )
                if others:
                    raise Invalid(
                        "The organization still has member accounts; remove them first.",
                        "Organizations.1102",
                    )
                # Roots, memberships, statuses, trusted services and delegations cascade.
                session.execute(delete(Organization).where(Organization.id == organization.id))
        except IntegrityError:
            # A service still holds data of this organization (an Identity Center instance).
            raise Invalid(
                "The organization still has resources of a trusted service "
                "(such as an IAM Identity Center instance); delete them first.",
                "Organizations.1103",
            ) from None

    def list_roots(self, caller: Caller, request: PageRequest) -> Page:
        self._authorize(caller, "organizations:roots:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(Root).where(Root.organization_id == organization.id)
            page = keyset_page(session, stmt, Root.seq, request)
            page.rows = [(root, organization, _policy_types(session, root)) for root in page.rows]
            return page

    # Accounts -------------------------------------------------------------------------------

    def create_account(self, caller: Caller, new: NewAccount) -> CreateAccountRequest:
        self._authorize(caller, "organizations:accounts:create")
        _check_new_account(new)
        try:
            with self.store.transaction() as session:
                organization = membership.managed_organization(session, caller.account_id)
                if session.scalar(select(Account.seq).where(Account.name == new.name)):
                    raise _name_taken(new.name)
                check_account_quota(session, organization)
                moment = now()
                account, _root = self.accounts.create_account_in(session, new.name)
                if new.description:
                    account.description = new.description
                session.add(
                    Member(
                        organization_id=organization.id,
                        account_id=account.id,
                        join_method="created",
                        status="active",
                        joined_at=moment,
                        email=new.email,
                        mobile_phone=new.phone,
                        description=new.description,
                        tags=new.tags,
                    )
                )
                session.flush()
                tree.entity_added(session, organization, account.id, tree.ACCOUNT)
                resource = Tagged(account.id, RESOURCE_TYPES[tree.ACCOUNT], new.name)
                put_tags(session, organization.id, resource, rules.check_tags(new.tags or []))
                request = CreateAccountRequest(
                    id=alnum_id("h-"),
                    organization_id=organization.id,
                    account_id=account.id,
                    account_name=new.name,
                    state="succeeded",
                    created_at=moment,
                    completed_at=moment,
                )
                session.add(request)
                session.flush()
                return request
        except IntegrityError as error:
            if is_unique_violation(error):
                raise _name_taken(new.name) from None
            raise Conflict("Concurrent modification.") from None

    def list_accounts(
        self,
        caller: Caller,
        parent_id: str | None,
        with_contact: bool,
        request: PageRequest,
    ) -> Page:
        self._authorize(caller, "organizations:accounts:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = (
                select(Member.seq, Member, Account.name)
                .join(Account, Account.id == Member.account_id)
                .where(Member.organization_id == organization.id)
            )
            if parent_id is not None:
                parent = tree.require_parent(session, organization, parent_id)
                in_unit = Member.parent_id == parent.id
                stmt = stmt.where(in_unit if parent.unit else Member.parent_id.is_(None))
            page = keyset_page(session, stmt, Member.seq, request)
            page.rows = [AccountView(row.Member, row.name, organization) for row in page.rows]
            return page

    def show_account(self, caller: Caller, account_id: str) -> AccountView:
        self._authorize(caller, "organizations:accounts:get")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            return _member_view(session, organization, account_id)

    def remove_account(self, caller: Caller, account_id: str) -> None:
        self._authorize(caller, "organizations:accounts:remove")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            view = _member_view(session, organization, account_id)
            if account_id == organization.management_account_id:
                raise Invalid(
                    "The management account cannot be removed from its organization; "
                    "delete the organization instead.",
                    "Organizations.1303",
                )
            if membership.is_delegated_administrator(session, organization.id, account_id):
                raise Invalid(
                    f"The account {account_id} is a delegated administrator; "
                    "deregister it before removing the account.",
                    "Organizations.1304",
                )
            tree.forget_entity(session, account_id)
            session.delete(view.member)

    def list_create_account_statuses(
        self, caller: Caller, states: list[str] | None, request: PageRequest
    ) -> Page:
        self._authorize(caller, "organizations:createAccountStatuses:list")
        for state in states or []:
            if state not in STATES:
                raise Invalid(f"states must be among {', '.join(STATES)}")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(CreateAccountRequest).where(
                CreateAccountRequest.organization_id == organization.id
            )
            if states:
                stmt = stmt.where(CreateAccountRequest.state.in_(states))
            return keyset_page(session, stmt, CreateAccountRequest.seq, request)

    def show_create_account_status(self, caller: Caller, status_id: str) -> CreateAccountRequest:
        self._authorize(caller, "organizations:createAccountStatuses:get")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            found = session.scalar(
                select(CreateAccountRequest).where(
                    CreateAccountRequest.id == status_id,
                    CreateAccountRequest.organization_id == organization.id,
                )
            )
            if found is None:
                raise NotFound(
                    f"The CreateAccount request {status_id} does not exist.", "Organizations.1305"
                )
            return found

    # Internals ------------------------------------------------------------------------------

    def _view(self, session: Session, organization: Organization) -> OrganizationView:
        name = session.scalar(
            select(Account.name).where(Account.id == organization.management_account_id)
        )
        return OrganizationView(organization, name or "")


def _member_view(session: Session, organization: Organization, account_id: str) -> AccountView:
    row = session.execute(
        select(Member, Account.name)
        .join(Account, Account.id == Member.account_id)
        .where(Member.organization_id == organization.id, Member.account_id == account_id)
    ).first()
    if row is None:
        raise account_not_member(account_id)
    return AccountView(row.Member, row.name, organization)


def _policy_types(session: Session, root: Root) -> list[tuple[str, str]]:
    rows = session.execute(
        select(PolicyTypeStatus.policy_type, PolicyTypeStatus.status)
        .where(PolicyTypeStatus.root_id == root.id)
        .order_by(PolicyTypeStatus.seq)
    )
    return [(row[0], row[1]) for row in rows]


def check_account_quota(session: Session, organization: Organization) -> None:
    """At most MAX_ACCOUNTS accounts, the management account included (documented default)."""
    count = session.scalar(
        select(func.count(Member.seq)).where(Member.organization_id == organization.id)
    )
    if (count or 0) >= MAX_ACCOUNTS:
        raise QuotaExceeded(
            f"An organization has at most {MAX_ACCOUNTS} accounts.", "Organizations.1305"
        )


def _check_new_account(new: NewAccount) -> None:
    if not _ACCOUNT_NAME.match(new.name):
        raise Invalid(
            "name must be 3 to 64 characters: letters, digits, '_', '-', '.', "
            "starting with a letter",
        )
    rules.check_tags(new.tags or [])


def account_not_member(account_id: str) -> NotFound:
    return NotFound(
        f"The account {account_id} is not a member of this organization.", "Organizations.1301"
    )


def _already_member(account_id: str) -> Conflict:
    return Conflict(
        f"The account {account_id} is already a member of an organization.", "Organizations.1101"
    )


def _name_taken(name: str) -> Conflict:
    return Conflict(f"An account named {name} already exists.", "Organizations.1302")

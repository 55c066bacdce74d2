"""Inviting an existing account, and the invited account's answer.

An invitation names the account by id or by name, stays pending for 14 days, and is
cancelled by the management account or accepted or declined by the invited account. Accepting
makes the account a member under the root (with FullAccess when SCPs are enabled, and the
invitation's tags); an account
already in an organization cannot accept. Expiry is read from the clock, not swept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.organizations import membership, tree
from idplane.organizations.service import POLICY_DENIED, alnum_id, check_account_quota
from idplane.organizations.tables import Handshake, Member, Organization
from idplane.organizations.tags import rules
from idplane.organizations.tags.records import RESOURCE_TYPES, Tagged, put_tags
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import as_utc, now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound
from idplane.platform.paging import Page, PageRequest, keyset_page

VALID_FOR = timedelta(days=14)
TARGET_TYPES = ("account", "name")


@dataclass
class HandshakeView:
    handshake: Handshake
    organization: Organization
    management_account_name: str

    @property
    def status(self) -> str:
        handshake = self.handshake
        if handshake.status == "pending" and as_utc(handshake.expired_at) <= now():
            return "expired"
        return handshake.status


class HandshakeService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def invite_account(
        self, caller: Caller, target_type: str, entity: str, notes: str, tags: list[dict] | None
    ) -> HandshakeView:
        self._authorize(caller, "organizations:accounts:invite")
        if target_type not in TARGET_TYPES:
            raise Invalid("target.type must be account or name")
        rules.check_count(len(rules.check_tags(tags or [])))
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            column = Account.id if target_type == "account" else Account.name
            target = session.scalar(select(Account.id).where(column == entity))
            if target is None:
                raise NotFound(f"The account {entity} does not exist.", "Organizations.1703")
            if membership.organization_of(session, target) is not None:
                raise Conflict(
                    f"The account {entity} is already a member of an organization.",
                    "Organizations.1101",
                )
            if _pending(session, organization.id, target) is not None:
                raise Conflict(
                    f"The account {entity} already has a pending invitation.", "Organizations.1704"
                )
            moment = now()
            handshake = Handshake(
                id=alnum_id("h-"),
                organization_id=organization.id,
                target_account_id=target,
                target_type=target_type,
                target_entity=entity,
                notes=notes,
                tags=tags or None,
                status="pending",
                created_at=moment,
                updated_at=moment,
                expired_at=moment + VALID_FOR,
            )
            session.add(handshake)
            session.flush()
            return _view(session, handshake, organization)

    def list_handshakes(self, caller: Caller, request: PageRequest) -> Page:
        self._authorize(caller, "organizations:handshakes:list")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            stmt = select(Handshake).where(Handshake.organization_id == organization.id)
            page = keyset_page(session, stmt, Handshake.seq, request)
            page.rows = [_view(session, row, organization) for row in page.rows]
            return page

    def show_handshake(self, caller: Caller, handshake_id: str) -> HandshakeView:
        self._authorize(caller, "organizations:handshakes:get")
        with self.store.read() as session:
            organization = membership.administered_organization(session, caller.account_id)
            handshake = _handshake(session, handshake_id, organization_id=organization.id)
            return _view(session, handshake, organization)

    def cancel_handshake(self, caller: Caller, handshake_id: str) -> HandshakeView:
        self._authorize(caller, "organizations:handshakes:cancel")
        with self.store.transaction() as session:
            organization = membership.managed_organization(session, caller.account_id)
            handshake = _handshake(session, handshake_id, organization_id=organization.id)
            return _answer(session, handshake, "cancelled")

    def list_received_handshakes(self, caller: Caller, request: PageRequest) -> Page:
        self._authorize(caller, "organizations:handshakes:listReceived")
        with self.store.read() as session:
            stmt = select(Handshake).where(Handshake.target_account_id == caller.account_id)
            page = keyset_page(session, stmt, Handshake.seq, request)
            page.rows = [_view(session, row) for row in page.rows]
            return page

    def accept_handshake(self, caller: Caller, handshake_id: str) -> HandshakeView:
        self._authorize(caller, "organizations:handshakes:accept")
        try:
            with self.store.transaction() as session:
                handshake = _handshake(session, handshake_id, target=caller.account_id)
                organization = session.scalars(
                    select(Organization).where(Organization.id == handshake.organization_id)
                ).one()
                view = _answer(session, handshake, "accepted")
                if membership.organization_of(session, caller.account_id) is not None:
                    raise _already_member(caller.account_id)
                check_account_quota(session, organization)
                session.add(
                    Member(
                        organization_id=organization.id,
                        account_id=caller.account_id,
                        join_method="invited",
                        status="active",
                        joined_at=now(),
                    )
                )
                session.flush()
                tree.entity_added(session, organization, caller.account_id, tree.ACCOUNT)
                account = Tagged(caller.account_id, RESOURCE_TYPES[tree.ACCOUNT], "")
                put_tags(session, organization.id, account, rules.check_tags(handshake.tags or []))
                return view
        except IntegrityError:
            raise _already_member(caller.account_id) from None

    def decline_handshake(self, caller: Caller, handshake_id: str) -> HandshakeView:
        self._authorize(caller, "organizations:handshakes:decline")
        with self.store.transaction() as session:
            handshake = _handshake(session, handshake_id, target=caller.account_id)
            return _answer(session, handshake, "declined")


def _answer(session: Session, handshake: Handshake, status: str) -> HandshakeView:
    view = _view(session, handshake)
    if view.status != "pending":
        raise Invalid(
            f"The invitation {handshake.id} is {view.status}; only a pending one can be {status}.",
            "Organizations.1702",
        )
    handshake.status = status
    handshake.updated_at = now()
    session.flush()
    return view


def _handshake(
    session: Session,
    handshake_id: str,
    organization_id: str | None = None,
    target: str | None = None,
) -> Handshake:
    stmt = select(Handshake).where(Handshake.id == handshake_id)
    if organization_id is not None:
        stmt = stmt.where(Handshake.organization_id == organization_id)
    if target is not None:
        stmt = stmt.where(Handshake.target_account_id == target)
    found = session.scalar(stmt)
    if found is None:
        raise NotFound(f"The invitation {handshake_id} does not exist.", "Organizations.1701")
    return found


def _pending(session: Session, organization_id: str, target: str) -> Handshake | None:
    stmt = select(Handshake).where(
        Handshake.organization_id == organization_id,
        Handshake.target_account_id == target,
        Handshake.status == "pending",
        Handshake.expired_at > now(),
    )
    return session.scalar(stmt.limit(1))


def _view(
    session: Session, handshake: Handshake, organization: Organization | None = None
) -> HandshakeView:
    if organization is None:
        organization = session.scalars(
            select(Organization).where(Organization.id == handshake.organization_id)
        ).one()
    name = session.scalar(
        select(Account.name).where(Account.id == organization.management_account_id)
    )
    return HandshakeView(handshake, organization, name or "")


def _already_member(account_id: str) -> Conflict:
    return Conflict(
        f"The account {account_id} is already a member of an organization.", "Organizations.1101"
    )

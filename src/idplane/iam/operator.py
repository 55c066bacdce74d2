"""What an operator does to accounts from the `idplane` command, outside the API: list and
show them, disable and enable them, list and delete their root users' access keys, and act as
an account's root user for the operator commands of other services (SCIM tenants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from idplane.iam.tables import AccessKey, Account, Token, User
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import NotFound


@dataclass(frozen=True)
class AccountSummary:
    id: str
    name: str
    enabled: bool
    created_at: datetime
    users: int
    access_keys: int


@dataclass(frozen=True)
class KeySummary:
    """An access key as an operator may see it: never its secret."""

    access: str
    account_name: str
    status: str
    created_at: datetime
    last_used_at: datetime | None


def disable_account_in(session: Session, account: Account) -> None:
    """Keystone: disabling a domain invalidates its tokens for good, even if it is enabled
    again later; its keys stop working while it is disabled (checked on every request)."""
    account.enabled = False
    session.execute(update(Token).where(Token.account_id == account.id).values(revoked=True))


class OperatorAccounts:
    def __init__(self, store: Store):
        self.store = store

    def list_accounts(self) -> list[AccountSummary]:
        with self.store.read() as session:
            return [self._summary(session, a) for a in session.scalars(select(Account))]

    def show_account(self, name: str) -> AccountSummary:
        with self.store.read() as session:
            return self._summary(session, self._named(session, name))

    def disable_account(self, name: str) -> AccountSummary:
        with self.store.transaction() as session:
            account = self._named(session, name)
            disable_account_in(session, account)
            return self._summary(session, account)

    def list_credentials(self, account_name: str) -> list[KeySummary]:
        with self.store.read() as session:
            account = self._named(session, account_name)
            keys = session.scalars(
                select(AccessKey)
                .where(AccessKey.account_id == account.id)
                .order_by(AccessKey.created_at)
            )
            return [
                KeySummary(k.access, account.name, k.status, k.created_at, k.last_used_at)
                for k in keys
            ]

    def delete_credential(self, access: str) -> None:
        with self.store.transaction() as session:
            gone = session.execute(delete(AccessKey).where(AccessKey.access == access))
            if rowcount(gone) == 0:
                raise NotFound(f"no access key {access}")

    def root_caller(self, session: Session, account_id: str) -> Caller:
        """The account's root user, as the caller of an operator command."""
        account = session.scalar(select(Account).where(Account.id == account_id))
        if account is None:
            raise NotFound(f"no account {account_id}")
        root = session.scalar(
            select(User).where(User.account_id == account.id, User.is_root.is_(True))
        )
        if root is None:
            raise NotFound(f"account {account.name} has no root user")
        return Caller(
            account_id=account.id,
            account_name=account.name,
            user_id=root.id,
            user_name=root.name,
            is_root=True,
            kind=CredentialKind.ACCESS_KEY,
            credential_id="operator",
        )

    @staticmethod
    def _named(session: Session, name: str) -> Account:
        account = session.scalar(select(Account).where(Account.name == name))
        if account is None:
            raise NotFound(f"no account named {name}")
        return account

    @staticmethod
    def _summary(session: Session, account: Account) -> AccountSummary:
        def count(model) -> int:
            stmt = select(func.count()).select_from(model).where(model.account_id == account.id)
            return session.scalar(stmt) or 0

        return AccountSummary(
            account.id,
            account.name,
            account.enabled,
            account.created_at,
            count(User),
            count(AccessKey),
        )

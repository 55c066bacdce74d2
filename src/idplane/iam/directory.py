"""The storage side of authentication: finds access keys and tokens that may still be used.

A key or token stops working the moment its user or account is disabled or deleted, or the
key is deactivated, because every request looks them up here (nothing is cached in process).
"""

from __future__ import annotations

import logging

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from idplane.iam.sessions.service import live_session_in, session_caller
from idplane.iam.tables import AccessKey, Account, Project, TemporaryAccessKey, Token, User
from idplane.platform.auth.authenticate import KeyRecord
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import SecretBox, token_digest
from idplane.platform.db import Store

log = logging.getLogger("idplane")


def sealed_secret_sample(session: Session) -> str | None:
    """One secret the store holds sealed (for the master key check), or None."""
    return session.scalar(select(AccessKey.secret_sealed).limit(1))


# Every signed request runs these: built once (a statement built per call costs more to build
# and to key for the compiled cache than the query itself) and run on the tables, not the ORM
# entities, on the connection (no ORM result processing). The key's lookup also finds the
# project an X-Project-Id header names, if it is one of the key's account.
_keys, _users, _accounts = AccessKey.__table__.c, User.__table__.c, Account.__table__.c
_projects = Project.__table__.c
_ACCESS_KEY = (
    select(
        _keys.status,
        _keys.secret_sealed,
        _users.id.label("user_id"),
        _users.name.label("user_name"),
        _users.enabled.label("user_enabled"),
        _users.is_root,
        _accounts.id.label("account_id"),
        _accounts.name.label("account_name"),
        _accounts.enabled.label("account_enabled"),
        _projects.name.label("project_name"),
    )
    .select_from(
        AccessKey.__table__.join(User.__table__, _users.id == _keys.user_id)
        .join(Account.__table__, _accounts.id == _keys.account_id)
        .outerjoin(
            Project.__table__,
            and_(
                _projects.id == bindparam("project_id"),
                _projects.account_id == _keys.account_id,
            ),
        )
    )
    .where(_keys.access == bindparam("access"))
)
_PROJECT_NAME = select(_projects.name).where(
    _projects.id == bindparam("project_id"), _projects.account_id == bindparam("account_id")
)


class SqlCredentialDirectory:
    def __init__(self, store: Store, box: SecretBox):
        self.store = store
        self.box = box

    def find_access_key(self, access_key: str, project_id: str | None = None) -> KeyRecord | None:
        with self.store.read_connection() as connection:
            found = {"access": access_key, "project_id": project_id}
            key = connection.execute(_ACCESS_KEY, found).first()
        if key is None:
            return self._temporary_key(access_key)
        if key.status != "active" or not key.user_enabled or not key.account_enabled:
            return None
        caller = Caller(
            account_id=key.account_id,
            account_name=key.account_name,
            user_id=key.user_id,
            user_name=key.user_name,
            is_root=key.is_root,
            kind=CredentialKind.ACCESS_KEY,
            credential_id=access_key,
        )
        secret = self._open(key.secret_sealed, access_key)
        if secret is None:
            return None
        project = (project_id, key.project_name) if project_id else None
        return KeyRecord(secret, caller, project=project)

    def _temporary_key(self, access_key: str) -> KeyRecord | None:
        with self.store.read() as session:
            temp = session.get(TemporaryAccessKey, access_key)
            if temp is None:
                return None
            if temp.agency_session_id is not None:
                return self._session_key(session, temp)
            owner = session.execute(
                select(User, Account)
                .join(Account, Account.id == User.account_id)
                .where(User.id == temp.user_id)
            ).first()
            if owner is None:
                return None
            user, account = owner
            if not user.enabled or not account.enabled:
                return None
            caller = _caller(
                account,
                user,
                CredentialKind.TEMPORARY,
                temp.access,
                expires_at=as_utc(temp.expires_at),
                agency_id=temp.agency_id,
                session_policy=temp.session_policy,
            )
            return self._temporary_record(temp, caller)

    def _session_key(self, session: Session, temp: TemporaryAccessKey) -> KeyRecord | None:
        """An agency session's key works while the session is live (see live_session_in)."""
        live = live_session_in(session, temp.agency_session_id or "")
        if live is None:
            return None
        stored, account = live
        caller = session_caller(stored, account, CredentialKind.TEMPORARY, temp.access)
        return self._temporary_record(temp, caller)

    def _open(self, sealed: str, access_key: str) -> str | None:
        """The secret, or None (the caller gets a 401) when this server's master key cannot
        open it: the operator's mistake, told to the operator, never a 500."""
        try:
            return self.box.open(sealed)
        except Exception:
            log.error(
                "the secret of access key %s cannot be opened with this master key", access_key
            )
            return None

    def _temporary_record(self, temp: TemporaryAccessKey, caller: Caller) -> KeyRecord | None:
        secret = self._open(temp.secret_sealed, temp.access)
        if secret is None:
            return None
        return KeyRecord(
            secret,
            caller,
            temp.security_token_digest,
            as_utc(temp.expires_at),
        )

    def find_token(self, token: str) -> Caller | None:
        with self.store.read() as session:
            row = session.execute(
                select(Token, User, Account)
                .join(User, User.id == Token.user_id)
                .join(Account, Account.id == Token.account_id)
                .where(Token.digest == token_digest(token))
            ).first()
            if row is None:
                return None
            stored, user, account = row
            if (
                stored.revoked
                or as_utc(stored.expires_at) <= now()
                or not user.enabled
                or not account.enabled
            ):
                return None
            project_name = None
            if stored.project_id:
                project_name = session.scalar(
                    select(Project.name).where(Project.id == stored.project_id)
                )
            scope = {
                "project_id": stored.project_id,
                "project_name": project_name,
                "token_scope": "project" if stored.project_id else "domain",
            }
            if stored.agency_session_id is not None:
                live = live_session_in(session, stored.agency_session_id)
                if live is None:
                    return None
                return session_caller(live[0], live[1], CredentialKind.TOKEN, stored.id, **scope)
            return _caller(
                account,
                user,
                CredentialKind.TOKEN,
                stored.id,
                expires_at=as_utc(stored.expires_at),
                mfa="totp" in (stored.methods or ()),
                **scope,
            )

    def project_of_account(self, project_id: str, account_id: str) -> str | None:
        with self.store.read() as session:
            return session.connection().scalar(
                _PROJECT_NAME, {"project_id": project_id, "account_id": account_id}
            )


def _caller(
    account: Account, user: User, kind: CredentialKind, credential_id: str, **extra
) -> Caller:
    return Caller(
        account_id=account.id,
        account_name=account.name,
        user_id=user.id,
        user_name=user.name,
        is_root=user.is_root,
        kind=kind,
        credential_id=credential_id,
        **extra,
    )

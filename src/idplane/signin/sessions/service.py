"""Signing identity-store users in: the password step, the steps that may follow it (a TOTP
code from a registered MFA device, a new password in place of a one-time one), and the sign-in
session those steps leave behind (a cookie, stored as its digest).

Every method is one sign-in *method* of its own (`sign_in_with_password` today); each ends in
`_session_after_first_factor`, so another method (an external IdP) can sit beside it.

Failures answer one generic message whatever went wrong (unknown user, wrong password,
disabled user, locked user), so the page never tells which user names exist. Five failed
passwords in a row lock the user for 15 minutes; a success resets the count.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.users.attributes import name_key
from idplane.identitystore.users.tables import User
from idplane.instances.store_tables import IdentityStore
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import hash_password, token_digest, verify_password
from idplane.platform.db import Store
from idplane.platform.errors import Invalid, Unauthenticated
from idplane.signin import audit
from idplane.signin.sessions import policy
from idplane.signin.tables import (
    ACTIVE,
    NEEDS_MFA,
    NEEDS_NEW_PASSWORD,
    FailedSignins,
    SigninSession,
)

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
GENERIC = "The user name or password is incorrect, or the user cannot sign in now."
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # keeps unknown names as slow as known

# (session, user_id) -> the TOTP checker of the user's MFA devices, or None when there are none.
TotpCheck = Callable[[str], bool]
SecondFactor = Callable[[Session, str], TotpCheck | None]


class SigninRefused(Unauthenticated):
    def __init__(self, message: str = GENERIC):
        super().__init__(message, "IIC.1404")


@dataclass(frozen=True)
class SessionView:
    id: str
    identity_store_id: str
    user_id: str
    user_name: str
    display_name: str
    state: str
    csrf_token: str
    expires_at: datetime
    cookie: str | None = None  # only when the step just made the session


def _no_second_factor(session: Session, user_id: str) -> TotpCheck | None:
    return None


class SessionService:
    def __init__(self, store: Store, second_factor: SecondFactor = _no_second_factor):
        self.store = store
        self.second_factor = second_factor

    # First factors -------------------------------------------------------------------------

    def sign_in_with_password(
        self, identity_store_id: str, user_name: str, password: str
    ) -> SessionView:
        named = select(User).where(
            User.identity_store_id == identity_store_id,
            User.user_name_key == name_key(user_name[:128]),
        )
        with self.store.read() as session:
            stored = session.scalar(named.with_only_columns(User.password_hash))
        # argon2 outside any block: it holds no write lock while it runs (an unknown name
        # costs a hash too, so it answers as slowly as a known one).
        verified = verify_password(stored or _DUMMY_HASH, password) and bool(stored)
        with self.store.transaction() as session:
            user = session.scalar(named)
            if user is not None and user.password_hash != stored:
                verified = False  # the password changed while it was being checked
            if not _password_accepted(session, user, verified):
                audit.record(
                    session,
                    "signin:password",
                    identity_store_id,
                    user_id=user.id if user else None,
                    succeeded=False,
                    resource=f"identity-stores/{identity_store_id}/users/{user_name[:128]}",
                )
                failed = True
            else:
                failed = False
                view = self._session_after_first_factor(session, user)
        if failed:
            raise SigninRefused()
        return view

    def _session_after_first_factor(self, session: Session, user: User) -> SessionView:
        """The session a first factor leaves: ACTIVE, or half-way when a step is still due."""
        session.execute(delete(FailedSignins).where(FailedSignins.user_id == user.id))
        if user.password_change_required:
            state, lifetime = NEEDS_NEW_PASSWORD, policy.HALF_WAY
        elif self.second_factor(session, user.id) is not None:
            state, lifetime = NEEDS_MFA, policy.HALF_WAY
        else:
            state, lifetime = ACTIVE, policy.session_lifetime(session, user.identity_store_id)
        cookie = secrets.token_urlsafe(32)
        row = SigninSession(
            id=str(uuid.uuid4()),
            cookie_digest=token_digest(cookie),
            csrf_token=secrets.token_urlsafe(32),
            identity_store_id=user.identity_store_id,
            user_id=user.id,
            state=state,
            created_at=now(),
            expires_at=now() + lifetime,
        )
        session.add(row)
        if state == ACTIVE:
            audit.record(
                session,
                "signin:password",
                user.identity_store_id,
                user_id=user.id,
                succeeded=True,
                credential=row.id,
            )
        return _view(row, user, cookie)

    # Further steps ---------------------------------------------------------------------------

    def verify_totp(self, cookie: str, code: str) -> SessionView:
        with self.store.transaction() as session:
            row, user = self._half_way(session, cookie, NEEDS_MFA)
            check = self.second_factor(session, user.id)
            accepted = check is not None and check(code.strip())
            audit.record(
                session,
                "signin:mfa",
                user.identity_store_id,
                user_id=user.id,
                succeeded=accepted,
                credential=row.id,
            )
            if accepted:
                self._activate(session, row)
                return _view(row, user)
        raise SigninRefused("The verification code is incorrect.")

    def set_new_password(self, cookie: str, new_password: str) -> SessionView:
        """A user whose password is one-time (OTP) chooses their own before going on."""
        with self.store.read() as session:
            row, user = self._half_way(session, cookie, NEEDS_NEW_PASSWORD)
            policy.check_new_password(session, user.identity_store_id, new_password)
            old = user.password_hash
        # argon2 outside any block, so it holds no write lock.
        if old and verify_password(old, new_password):
            raise Invalid("The new password must differ from the one-time password.")
        new_hash = hash_password(new_password)
        with self.store.transaction() as session:
            row, user = self._half_way(session, cookie, NEEDS_NEW_PASSWORD)
            if user.password_hash != old:
                raise SigninRefused("The sign-in has expired; sign in again.")
            user.password_hash = new_hash
            user.password_change_required = False
            user.version += 1
            user.updated_at = now()
            if self.second_factor(session, user.id) is not None:
                row.state = NEEDS_MFA
            else:
                self._activate(session, row)
            return _view(row, user)

    def _activate(self, session: Session, row: SigninSession) -> None:
        row.state = ACTIVE
        row.expires_at = now() + policy.session_lifetime(session, row.identity_store_id)
        audit.record(
            session,
            "signin:complete",
            row.identity_store_id,
            user_id=row.user_id,
            succeeded=True,
            credential=row.id,
        )

    def _half_way(self, session: Session, cookie: str, state: str) -> tuple[SigninSession, User]:
        found = _live(session, cookie)
        if found is None or found[0].state != state:
            raise SigninRefused("The sign-in has expired; sign in again.")
        return found

    def known_store(self, identity_store_id: str) -> bool:
        with self.store.read() as session:
            found = select(IdentityStore.id).where(IdentityStore.id == identity_store_id)
            return session.scalar(found) is not None

    # The session -----------------------------------------------------------------------------

    def current(self, cookie: str | None, identity_store_id: str) -> SessionView | None:
        """The browser's live session in that identity store (any state), or None."""
        if not cookie:
            return None
        with self.store.read() as session:
            found = _live(session, cookie)
            if found is None or found[0].identity_store_id != identity_store_id:
                return None
            return _view(*found)

    def sign_out(self, cookie: str) -> None:
        with self.store.transaction() as session:
            found = _live(session, cookie)
            if found is not None:
                row, user = found
                audit.record(
                    session,
                    "signin:logout",
                    row.identity_store_id,
                    user_id=user.id,
                    succeeded=True,
                    credential=row.id,
                )
                session.delete(row)


def _live(session: Session, cookie: str) -> tuple[SigninSession, User] | None:
    """The unexpired session of that cookie whose user may still sign in."""
    found = session.execute(
        select(SigninSession, User)
        .join(User, User.id == SigninSession.user_id)
        .where(SigninSession.cookie_digest == token_digest(cookie))
    ).first()
    if found is None or as_utc(found[0].expires_at) <= now() or not found[1].enabled:
        return None
    return found[0], found[1]


def _password_accepted(session: Session, user: User | None, verified: bool) -> bool:
    """Whether a (verified or not) password signs in, counting failures and honouring the
    lockout."""
    if user is None or not user.password_hash:
        return False
    failures = session.get(FailedSignins, user.id, with_for_update=True)
    locked = failures and failures.locked_until and as_utc(failures.locked_until) > now()
    good = verified and user.enabled and not locked
    if good or locked:
        return bool(good)
    if failures is None:
        with suppress(IntegrityError), session.begin_nested():  # a concurrent first failure
            session.add(FailedSignins(user_id=user.id, failures=0))
        failures = session.get(FailedSignins, user.id, with_for_update=True)
    failures.failures += 1
    if failures.failures >= MAX_FAILURES:
        failures.locked_until, failures.failures = now() + LOCKOUT, 0
    return False


def _view(row: SigninSession, user: User, cookie: str | None = None) -> SessionView:
    return SessionView(
        id=row.id,
        identity_store_id=row.identity_store_id,
        user_id=user.id,
        user_name=user.user_name,
        display_name=user.display_name,
        state=row.state,
        csrf_token=row.csrf_token,
        expires_at=as_utc(row.expires_at),
        cookie=cookie,
    )

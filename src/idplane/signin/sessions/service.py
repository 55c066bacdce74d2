"""Signing identity-store users in: the password step, the steps that may follow it (a TOTP
code from a registered MFA device, a new password in place of a one-time one), and the sign-in
session those steps leave behind (a cookie, stored as its digest).

Every method is one sign-in *method* of its own: `sign_in_with_password`, or, when the
identity store's authentication type is `EXTERNAL_IDP`, `sign_in_with_saml_response` (the
external IdP's verified SAML response, in answer to the AuthnRequest the page sent the
browser with; the password is then refused). Each ends in `_new_session`.

Failures answer one generic message whatever went wrong (unknown user, wrong password,
disabled user, locked user), so the page never tells which user names exist. Five failed
passwords in a row lock the user for 15 minutes; a success resets the count.
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.external_idp.service import ExternalIdpService
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

EXTERNAL_IDP = "EXTERNAL_IDP"  # the store's authentication type when an external IdP is enabled
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
GENERIC = "The user name or password is incorrect, or the user cannot sign in now."


@functools.cache
def _dummy_hash() -> str:
    """Verified against for unknown names, so they cost as much as known ones; made on first
    use, with the server's configured hashing parameters (and not at import)."""
    return hash_password(secrets.token_urlsafe(16))


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
    def __init__(
        self,
        store: Store,
        second_factor: SecondFactor = _no_second_factor,
        external_idp: ExternalIdpService | None = None,
    ):
        self.store = store
        self.second_factor = second_factor
        self.external_idp = external_idp

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
        verified = verify_password(stored or _dummy_hash(), password) and bool(stored)
        with self.store.transaction() as session:
            user = session.scalar(named)
            if user is not None and user.password_hash != stored:
                verified = False  # the password changed while it was being checked
            external = session.scalar(
                select(IdentityStore.authentication_type).where(
                    IdentityStore.id == identity_store_id
                )
            )
            if (
                external == EXTERNAL_IDP
                or user is None
                or not _password_accepted(session, user, verified)
            ):
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

    def external_sign_in_url(
        self, identity_store_id: str, request_id: str, next_url: str
    ) -> str | None:
        """The external IdP's SSO URL with our AuthnRequest `request_id` when the store signs
        its users in with one; None when they sign in with their passwords here."""
        if self.external_idp is None:
            return None
        return self.external_idp.sign_in_redirect(identity_store_id, request_id, next_url)

    def sign_in_with_saml_response(
        self, identity_store_id: str, saml_response: str, request_id: str
    ) -> SessionView:
        """The external IdP's SAML response, posted to our ACS in answer to `request_id`."""
        if self.external_idp is None:
            raise SigninRefused("The identity store has no external identity provider.")
        try:
            subject = self.external_idp.verify_sign_in(identity_store_id, saml_response, request_id)
        except Unauthenticated:
            with self.store.transaction() as session:
                audit.record(
                    session,
                    "signin:externalIdp",
                    identity_store_id,
                    user_id=None,
                    succeeded=False,
                    resource=f"identity-stores/{identity_store_id}/saml/acs",
                )
            raise
        return self.sign_in_with_external_idp(identity_store_id, subject.name_id, subject.emails)

    def sign_in_with_external_idp(
        self, identity_store_id: str, name_id: str, emails: tuple[str, ...]
    ) -> SessionView:
        """The store's external IdP has verified the user (its SAML response, checked by the
        caller): the user whose user name is the NameID, else the one user with one of the
        asserted e-mail addresses. The IdP did the authentication, so no step follows."""
        with self.store.transaction() as session:
            user = _user_named(session, identity_store_id, name_id, emails)
            if user is None or not user.enabled:
                audit.record(
                    session,
                    "signin:externalIdp",
                    identity_store_id,
                    user_id=user.id if user else None,
                    succeeded=False,
                    resource=f"identity-stores/{identity_store_id}/users/{name_id[:128]}",
                )
                failed = True
            else:
                failed = False
                lifetime = policy.session_lifetime(session, identity_store_id)
                view = self._new_session(session, user, ACTIVE, lifetime, "signin:externalIdp")
        if failed:
            raise SigninRefused("The identity provider's user cannot sign in here.")
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
        return self._new_session(session, user, state, lifetime, "signin:password")

    def _new_session(
        self, session: Session, user: User, state: str, lifetime: timedelta, method: str
    ) -> SessionView:
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
                method,
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


def _user_named(
    session: Session, identity_store_id: str, name_id: str, emails: tuple[str, ...]
) -> User | None:
    in_store = select(User).where(User.identity_store_id == identity_store_id)
    user = session.scalar(in_store.where(User.user_name_key == name_key(name_id[:128])))
    if user is not None or not emails:
        return user
    # Emails are a JSON list per user; the store is scanned once, and an address two users
    # share names nobody.
    wanted = {email.casefold() for email in emails}
    matches = [
        candidate
        for candidate in session.scalars(in_store)
        if wanted & {str(e.get("value", "")).casefold() for e in candidate.emails or []}
    ]
    return matches[0] if len(matches) == 1 else None


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
        failures = session.get_one(FailedSignins, user.id, with_for_update=True)
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

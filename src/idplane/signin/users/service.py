"""Identity Store user operations that act on sign-in: the user's sign-in sessions
(`list_sessions`, `batch_delete_sessions`: deleting one signs the user out at once, with every
token issued for it), MFA devices (`register_mfa_device_for_user` answers the URL where the
user scans the TOTP secret and confirms it with a first code; `update_...`, `delete_...`,
`batch_list_mfa_devices_for_user`), `reset_pwd_mode` (OTP: a new one-time password, answered
once; EMAIL: a set-password link mailed to the user) and `verify_email` (a link that marks the
address verified). Resetting a password ends the user's sessions."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import pyotp
from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from idplane.identitystore.password_policy.service import password_policy_of
from idplane.identitystore.users.service import one_time_password
from idplane.identitystore.users.tables import User
from idplane.instances.errors import invalid, not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import SecretBox, hash_password, token_digest
from idplane.platform.db import Store
from idplane.platform.errors import ApiError
from idplane.signin.mail import Mailer
from idplane.signin.sessions import policy
from idplane.signin.tables import ACTIVE, EmailLink, MfaDevice, SigninSession

log = logging.getLogger("idplane.signin")
SET_PASSWORD, VERIFY_EMAIL = "SET_PASSWORD", "VERIFY_EMAIL"
LINK_LIFETIME = timedelta(hours=24)
REGISTRATION_LIFETIME = timedelta(hours=24)
MAX_DEVICES = 2  # per user, as the user guide documents


@dataclass(frozen=True)
class Registration:
    identity_store_id: str
    user_id: str
    work_flow: str
    redirect_url: str


class SigninUsers:
    def __init__(
        self, store: Store, gate: IdentityCenterGate, box: SecretBox, mailer: Mailer, endpoint: str
    ):
        self.store = store
        self.gate = gate
        self.box = box
        self.mailer = mailer
        self.endpoint = endpoint.rstrip("/")

    # Sessions ---------------------------------------------------------------------------------

    def list_sessions(
        self, caller: Caller, identity_store_id: str, user_id: str
    ) -> list[SigninSession]:
        with self.gate.store_unit(
            caller, "IdentityCenter:user:listSessions", identity_store_id
        ) as (
            session,
            scope,
        ):
            _user(session, scope.id, user_id)
            rows = session.scalars(
                select(SigninSession)
                .where(SigninSession.user_id == user_id, SigninSession.state == ACTIVE)
                .order_by(SigninSession.seq)
            )
            return [row for row in rows if as_utc(row.expires_at) > now()]

    def batch_delete_sessions(
        self, caller: Caller, identity_store_id: str, user_id: str, session_ids: list[str]
    ) -> None:
        action = "IdentityCenter:user:deleteSessions"
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            _user(session, scope.id, user_id)
            session.execute(
                delete(SigninSession).where(
                    SigninSession.user_id == user_id, SigninSession.id.in_(session_ids)
                )
            )

    # MFA devices ------------------------------------------------------------------------------

    def register_mfa_device_for_user(
        self, caller: Caller, identity_store_id: str, user_id: str
    ) -> Registration:
        action = "IdentityCenter:user:registerMfaDevice"
        link = secrets.token_urlsafe(32)
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            _user(session, scope.id, user_id)
            held = session.scalars(select(MfaDevice.id).where(MfaDevice.user_id == user_id)).all()
            if len(held) >= MAX_DEVICES:
                raise invalid(f"a user has at most {MAX_DEVICES} MFA devices")
            session.add(
                MfaDevice(
                    id=str(uuid.uuid4()),
                    identity_store_id=scope.id,
                    user_id=user_id,
                    registration_digest=token_digest(link),
                    device_name="TOTP",
                    display_name="Authenticator app",
                    mfa_type="TOTP",
                    secret_sealed=self.box.seal(pyotp.random_base32()),
                    confirmed=False,
                    registered_at=now(),
                )
            )
        url = f"{self.endpoint}/{identity_store_id}/portal/mfa-register?token={link}"
        return Registration(identity_store_id, user_id, "REGISTER_MFA_DEVICE", url)

    def update_mfa_device_for_user(
        self, caller: Caller, identity_store_id: str, user_id: str, device_id: str, name: str
    ) -> None:
        action = "IdentityCenter:user:updateMfaDevice"
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            _device(session, scope.id, user_id, device_id).display_name = name

    def delete_mfa_device_for_user(
        self, caller: Caller, identity_store_id: str, user_id: str, device_id: str
    ) -> None:
        action = "IdentityCenter:user:deleteMfaDevice"
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            session.delete(_device(session, scope.id, user_id, device_id))

    def batch_list_mfa_devices_for_user(
        self, caller: Caller, identity_store_id: str, user_ids: list[str]
    ) -> dict[str, list[MfaDevice]]:
        action = "IdentityCenter:user:listMfaDevices"
        with self.gate.store_unit(caller, action, identity_store_id) as (session, scope):
            found: dict[str, list[MfaDevice]] = {}
            for user_id in user_ids:
                _user(session, scope.id, user_id)
                found[user_id] = list(
                    session.scalars(
                        select(MfaDevice)
                        .where(MfaDevice.user_id == user_id, MfaDevice.confirmed.is_(True))
                        .order_by(MfaDevice.seq)
                    )
                )
            return found

    # Passwords and e-mail ---------------------------------------------------------------------

    def reset_pwd_mode(
        self, caller: Caller, identity_store_id: str, user_id: str, mode: str
    ) -> str | None:
        if mode not in ("OTP", "EMAIL"):
            raise invalid("mode must be OTP or EMAIL")
        action = "IdentityCenter:user:resetPassword"
        password = password_hash = None
        if mode == "OTP":  # argon2 before the write: it must not hold the lock
            with self.gate.store_unit(caller, action, identity_store_id) as (session, scope):
                length = max(16, password_policy_of(session, scope.id).minimum_password_length)
            password = one_time_password(length)
            password_hash = hash_password(password)
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            user = _user(session, scope.id, user_id)
            session.execute(delete(SigninSession).where(SigninSession.user_id == user.id))
            user.password_mode = mode
            if mode == "OTP":
                user.password_hash = password_hash
                user.password_change_required = True
                return password
            link, address = self._link(session, user, SET_PASSWORD), _address(user)
        self._mail(
            address,
            "Set your password",
            f"Set the password for {user.user_name} here (valid 24 hours):\n\n"
            f"{self.endpoint}/{identity_store_id}/portal/set-password?token={link}\n",
        )
        return None

    def user_created_with_email_mode(self, identity_store_id: str, user_id: str) -> None:
        """A user created with password_mode EMAIL gets the set-password link at once (the
        user exists either way: a mail that cannot go out is reported in the log, without its
        link, not raised)."""
        if not self.mailer.host:  # no link is made that no one could receive
            log.warning("the set-password mail of user %s was not sent: no SMTP server", user_id)
            return
        with self.store.transaction() as session:
            user = _user(session, identity_store_id, user_id)
            link, address = self._link(session, user, SET_PASSWORD), _address(user)
        try:
            self.mailer.send(
                address,
                "Set your password",
                _set_password_text(
                    user.user_name,
                    f"{self.endpoint}/{identity_store_id}/portal/set-password?token={link}",
                ),
            )
        except OSError as error:  # the user stays created; an admin can reset its password
            log.warning("the set-password mail of user %s was not sent: %s", user_id, error)

    def verify_email(self, caller: Caller, identity_store_id: str, user_id: str) -> None:
        action = "IdentityCenter:user:verifyEmail"
        with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
            session,
            scope,
        ):
            user = _user(session, scope.id, user_id)
            link, address = self._link(session, user, VERIFY_EMAIL), _address(user)
        self._mail(
            address,
            "Verify your e-mail address",
            f"Confirm that {address} is the address of {user.user_name} (valid 24 hours):\n\n"
            f"{self.endpoint}/{identity_store_id}/portal/verify-email?token={link}\n",
        )

    def _link(self, session: Session, user: User, purpose: str) -> str:
        link = secrets.token_urlsafe(32)
        row = {
            "digest": token_digest(link),
            "purpose": purpose,
            "identity_store_id": user.identity_store_id,
            "user_id": user.id,
            "expires_at": now() + LINK_LIFETIME,
        }
        session.execute(_NEW_LINK, row)  # one Core INSERT: no ORM flush for a row never read back
        return link

    def _mail(self, address: str, subject: str, text: str) -> None:
        try:
            self.mailer.send(address, subject, text)
        except OSError as error:
            raise ApiError(
                f"The e-mail could not be sent: {error}", "IIC.500", status=502
            ) from None


class EmailLinks:
    """What the pages do with the links and registrations above, for the user who holds them."""

    def __init__(self, store: Store, box: SecretBox):
        self.store = store
        self.box = box

    def second_factor(self, session: Session, user_id: str):
        """The TOTP check of the user's confirmed devices, or None when there are none."""
        secrets_ = [
            self.box.open(sealed)
            for sealed in session.scalars(
                select(MfaDevice.secret_sealed).where(
                    MfaDevice.user_id == user_id, MfaDevice.confirmed.is_(True)
                )
            )
        ]
        if not secrets_:
            return None
        return lambda code: any(pyotp.TOTP(s).verify(code, valid_window=1) for s in secrets_)

    def registration_secret(self, user_id: str, token: str) -> str | None:
        with self.store.read() as session:
            device = _registration(session, user_id, token)
            return self.box.open(device.secret_sealed) if device else None

    def confirm_registration(self, user_id: str, token: str, code: str) -> bool:
        with self.store.transaction() as session:
            device = _registration(session, user_id, token)
            if device is None or not pyotp.TOTP(self.box.open(device.secret_sealed)).verify(
                code.strip(), valid_window=1
            ):
                return False
            device.confirmed, device.registration_digest = True, None
            return True

    def set_password(self, identity_store_id: str, token: str, new_password: str) -> bool:
        """False when the link is unknown, used or expired; Invalid when the policy refuses."""
        with self.store.read() as session:
            if _redeem(session, identity_store_id, token, SET_PASSWORD) is None:
                return False
            policy.check_new_password(session, identity_store_id, new_password)
        hashed = hash_password(new_password)  # outside any block: argon2 holds no lock
        with self.store.transaction() as session:
            link = _redeem(session, identity_store_id, token, SET_PASSWORD)
            if link is None:  # used meanwhile
                return False
            user = _user(session, identity_store_id, link.user_id)
            user.password_hash = hashed
            user.password_change_required = False
            user.email_verified = True  # the link reached that address
            session.delete(link)
            return True

    def verify_email(self, identity_store_id: str, token: str) -> bool:
        with self.store.transaction() as session:
            link = _redeem(session, identity_store_id, token, VERIFY_EMAIL)
            if link is None:
                return False
            user = _user(session, identity_store_id, link.user_id)
            user.email_verified = True
            session.delete(link)
            return True


def _registration(session: Session, user_id: str, token: str) -> MfaDevice | None:
    device = session.scalar(
        select(MfaDevice).where(MfaDevice.registration_digest == token_digest(token))
    )
    if device is None or as_utc(device.registered_at) + REGISTRATION_LIFETIME <= now():
        return None
    return device if device.user_id == user_id and not device.confirmed else None


def _redeem(session: Session, identity_store_id: str, token: str, purpose: str) -> EmailLink | None:
    link = session.scalar(select(EmailLink).where(EmailLink.digest == token_digest(token)))
    if (
        link is None
        or link.purpose != purpose
        or link.identity_store_id != identity_store_id
        or as_utc(link.expires_at) <= now()
    ):
        return None
    return link


def _set_password_text(user_name: str, url: str) -> str:
    return f"Set the password for {user_name} here (valid 24 hours):\n\n{url}\n"


_NEW_LINK = insert(cast(Table, EmailLink.__table__))
_USER = select(User).where(
    User.id == bindparam("user_id"), User.identity_store_id == bindparam("store_id")
)  # built once: every EMAIL-mode create_user runs it


def _user(session: Session, identity_store_id: str, user_id: str) -> User:
    user = session.scalar(_USER, {"user_id": user_id, "store_id": identity_store_id})
    if user is None:
        raise not_found("user", user_id)
    return user


def _device(session: Session, identity_store_id: str, user_id: str, device_id: str) -> MfaDevice:
    _user(session, identity_store_id, user_id)
    device = session.scalar(
        select(MfaDevice).where(MfaDevice.id == device_id, MfaDevice.user_id == user_id)
    )
    if device is None:
        raise not_found("MFA device", device_id)
    return device


def _address(user: User) -> str:
    emails = user.emails or []
    primary = next((e for e in emails if e.get("primary")), emails[0] if emails else {})
    if not primary.get("value"):
        raise invalid("the user has no e-mail address")
    return primary["value"]


def expires(moment: datetime) -> int:
    return int(as_utc(moment).timestamp() * 1000)

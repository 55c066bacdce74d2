"""Virtual MFA devices (RFC 6238 TOTP) and login protection of IAM users.

A device is created unbound; two consecutive codes bind it. Codes are accepted one time step
either side of now, and each device remembers the last step it accepted, so a code is good
once (replays are refused). The seed is sealed with the master key and shown only in the
answer to the device's creation.

Authorization: a user manages its own device without any policy (the real service's
self-service rule); acting on another user's device, listing every device and changing login
protection need the `iam:mfa:*` / `iam:users:*` actions. An administrator unbinds without a
code (as documented: "any value, not verified"); a user unbinding its own device proves a
current code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

import pyotp
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.mfa.tables import LoginProtect, MfaDevice
from idplane.iam.tables import User
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound

STEP_SECONDS = 30
DEVICE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # the documented alphabet
VERIFICATION_METHODS = ("vmfa", "sms", "email")
WRONG_CODE = "The MFA verification code is wrong."

CREATE = "iam:mfa:createVirtualMFADevice"
DELETE = "iam:mfa:deleteVirtualMFADevice"
BIND = "iam:mfa:bindMFADevice"
UNBIND = "iam:mfa:unbindMFADevice"
GET = "iam:mfa:getVirtualMFADevice"
LIST = "iam:mfa:listVirtualMFADevices"
GET_PROTECT = "iam:users:getUserLoginProtect"
SET_PROTECT = "iam:users:setUserLoginProtect"
LIST_PROTECTS = "iam:users:listUserLoginProtects"


@dataclass(frozen=True)
class NewDevice:
    serial_number: str
    seed: str


@dataclass(frozen=True)
class ProtectView:
    user_id: str
    enabled: bool
    verification_method: str


class MfaService:
    def __init__(self, store: Store, box: SecretBox, authorizer: Authorizer):
        self.store = store
        self.box = box
        self.authorizer = authorizer

    # Devices ------------------------------------------------------------------------------

    def create_mfa_device(self, caller: Caller, user_id: str, name: str) -> NewDevice:
        self._authorize(caller, CREATE, user_id)
        _check_name(name)
        seed = pyotp.random_base32()
        serial = f"iam:{caller.account_id}:mfa/{name}"
        try:
            with self.store.transaction() as session:
                _user(session, caller, user_id)
                if session.scalar(select(MfaDevice.seq).where(MfaDevice.user_id == user_id)):
                    raise Conflict("The user already has a virtual MFA device.")
                session.add(
                    MfaDevice(
                        serial_number=serial,
                        account_id=caller.account_id,
                        user_id=user_id,
                        name=name,
                        seed_sealed=self.box.seal(seed),
                        bound=False,
                        created_at=now(),
                    )
                )
        except IntegrityError:  # a concurrent creation took the name or the user's one slot
            raise Conflict("A virtual MFA device with that name already exists.") from None
        return NewDevice(serial, seed)

    def create_binding_device(
        self, caller: Caller, user_id: str, serial_number: str, first: str, second: str
    ) -> None:
        self._authorize(caller, BIND, user_id)
        with self.store.transaction() as session:
            device = _device(session, caller, user_id, serial_number, lock=True)
            if device.bound:
                raise Conflict("The virtual MFA device is already bound.")
            step = _consecutive_step(pyotp.TOTP(self.box.open(device.seed_sealed)), first, second)
            if step is None:
                raise Invalid(WRONG_CODE, "IAM.0007")
            device.bound = True
            device.last_step = step

    def delete_binding_device(
        self, caller: Caller, user_id: str, serial_number: str, code: str
    ) -> None:
        self._authorize(caller, UNBIND, user_id)
        with self.store.transaction() as session:
            device = _device(session, caller, user_id, serial_number, lock=True)
            if not device.bound:
                raise Conflict("The virtual MFA device is not bound.")
            if _is_self(caller, user_id):
                accept_code(self.box, device, code, Invalid(WRONG_CODE, "IAM.0007"))
            device.bound = False
            device.last_step = None

    def delete_mfa_device(self, caller: Caller, user_id: str, serial_number: str) -> None:
        self._authorize(caller, DELETE, user_id)
        with self.store.transaction() as session:
            device = _device(session, caller, user_id, serial_number, lock=True)
            if device.bound:
                raise Conflict("Unbind the virtual MFA device before deleting it.")
            session.delete(device)

    def list_user_mfa_devices(self, caller: Caller) -> list[MfaDevice]:
        self.authorizer.authorize(caller, LIST, account_id=caller.account_id)
        with self.store.read() as session:
            stmt = select(MfaDevice).where(
                MfaDevice.account_id == caller.account_id, MfaDevice.bound.is_(True)
            )
            return list(session.scalars(stmt.order_by(MfaDevice.seq)))

    def show_user_mfa_device(self, caller: Caller, user_id: str) -> MfaDevice:
        self._authorize(caller, GET, user_id)
        with self.store.read() as session:
            _user(session, caller, user_id)
            device = session.scalar(
                select(MfaDevice).where(MfaDevice.user_id == user_id, MfaDevice.bound.is_(True))
            )
            if device is None:
                raise NotFound(f"The user {user_id} has no virtual MFA device.")
            return device

    # Login protection --------------------------------------------------------------------

    def show_user_login_protect(self, caller: Caller, user_id: str) -> ProtectView:
        self._authorize(caller, GET_PROTECT, user_id)
        with self.store.read() as session:
            _user(session, caller, user_id)
            return _protect_view(user_id, _protect_of(session, user_id))

    def update_login_protect(
        self, caller: Caller, user_id: str, enabled: bool, verification_method: str
    ) -> ProtectView:
        # Never self-service: a stolen password alone must not switch protection off.
        self.authorizer.authorize(caller, SET_PROTECT, account_id=caller.account_id)
        if verification_method not in VERIFICATION_METHODS:
            raise Invalid("verification_method must be vmfa, sms or email.", "IAM.0007")
        with self.store.transaction() as session:
            _user(session, caller, user_id)
            if enabled and verification_method == "vmfa" and not _has_bound(session, user_id):
                # Otherwise the user could get no token at all.
                raise Invalid("The user has no bound virtual MFA device.", "IAM.0007")
            row = _protect_of(session, user_id)
            if row is None:
                row = LoginProtect(user_id=user_id, account_id=caller.account_id)
                session.add(row)
            row.enabled = enabled
            row.verification_method = verification_method
            return _protect_view(user_id, row)

    def list_user_login_protects(self, caller: Caller) -> list[ProtectView]:
        self.authorizer.authorize(caller, LIST_PROTECTS, account_id=caller.account_id)
        with self.store.read() as session:
            rows = session.scalars(
                select(LoginProtect)
                .where(LoginProtect.account_id == caller.account_id)
                .order_by(LoginProtect.seq)
            )
            return [_protect_view(r.user_id, r) for r in rows]

    # Internals ---------------------------------------------------------------------------

    def _authorize(self, caller: Caller, action: str, user_id: str) -> None:
        if not _is_self(caller, user_id):
            self.authorizer.authorize(caller, action, account_id=caller.account_id)


def accept_code(box: SecretBox, device: MfaDevice, code: str | None, error: Exception) -> None:
    """Accepts `code` for the (locked) bound device once, or raises `error`."""
    step = _matching_step(pyotp.TOTP(box.open(device.seed_sealed)), code, _steps_near())
    if step is None or (device.last_step is not None and step <= device.last_step):
        raise error
    device.last_step = step


def verify_user_passcode(
    session: Session, box: SecretBox, user_id: str, code: str | None, error: Exception
) -> MfaDevice:
    """Checks a login's passcode against the user's bound device (locked for the check, so two
    concurrent logins cannot both use one code)."""
    device = session.scalar(
        select(MfaDevice)
        .where(MfaDevice.user_id == user_id, MfaDevice.bound.is_(True))
        .with_for_update()
    )
    if device is None:
        raise error
    accept_code(box, device, code, error)
    return device


def verify_serial_passcode(
    session: Session,
    box: SecretBox,
    user_id: str | None,
    serial_number: str,
    code: str | None,
    wrong: Exception,
) -> None:
    """STS: the serial number must name the caller's bound device and the code be current."""
    device = session.scalar(
        select(MfaDevice)
        .where(
            MfaDevice.user_id == user_id,
            MfaDevice.serial_number == serial_number,
            MfaDevice.bound.is_(True),
        )
        .with_for_update()
    )
    if device is None:
        raise Invalid("No MFA device with that serial number exists.", "PAP5.0041")
    accept_code(box, device, code, wrong)


def requires_mfa(session: Session, user_id: str) -> bool:
    """Whether the user's login protection asks for the virtual MFA device."""
    row = _protect_of(session, user_id)
    return bool(row and row.enabled and row.verification_method == "vmfa")


def _steps_near() -> list[int]:
    current = int(time.time()) // STEP_SECONDS
    return [current - 1, current, current + 1]


def _matching_step(totp: pyotp.TOTP, code: str | None, steps: Iterable[int]) -> int | None:
    if not code or len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    for step in steps:
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _consecutive_step(totp: pyotp.TOTP, first: str, second: str) -> int | None:
    """The step of `second` when `first` is the code of the step before it. The pair may end
    one step further back than a login's window: the user types two codes, one after the
    other."""
    current = int(time.time()) // STEP_SECONDS
    for step in range(current - 2, current + 2):
        if _matching_step(totp, second, [step]) is not None and (
            _matching_step(totp, first, [step - 1]) is not None
        ):
            return step
    return None


def _is_self(caller: Caller, user_id: str) -> bool:
    return caller.session is None and caller.user_id is not None and caller.user_id == user_id


def _user(session: Session, caller: Caller, user_id: str) -> User:
    user = session.scalar(
        select(User).where(User.id == user_id, User.account_id == caller.account_id)
    )
    if user is None:
        raise NotFound(f"Could not find user: {user_id}.")
    return user


def _device(
    session: Session, caller: Caller, user_id: str, serial_number: str, lock: bool = False
) -> MfaDevice:
    stmt = select(MfaDevice).where(
        MfaDevice.serial_number == serial_number,
        MfaDevice.user_id == user_id,
        MfaDevice.account_id == caller.account_id,
    )
    device = session.scalar(stmt.with_for_update() if lock else stmt)
    if device is None:
        raise NotFound(f"Could not find virtual MFA device: {serial_number}.")
    return device


def _has_bound(session: Session, user_id: str) -> bool:
    stmt = select(MfaDevice.seq).where(MfaDevice.user_id == user_id, MfaDevice.bound.is_(True))
    return session.scalar(stmt) is not None


def _protect_of(session: Session, user_id: str) -> LoginProtect | None:
    return session.scalar(select(LoginProtect).where(LoginProtect.user_id == user_id))


def _protect_view(user_id: str, row: LoginProtect | None) -> ProtectView:
    if row is None:
        return ProtectView(user_id, False, "none")
    return ProtectView(user_id, row.enabled, row.verification_method)


def _check_name(name: str) -> None:
    if not DEVICE_NAME.fullmatch(name):
        raise Invalid("The device name must have 1 to 64 letters, digits, '-' or '_'.", "IAM.0007")

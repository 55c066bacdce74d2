"""Virtual MFA helpers for the tests: create and bind a device through the IAM SDK, compute
codes as an authenticator app would (RFC 6238, pyotp), and log in with password and MFA."""

from __future__ import annotations

import time
import uuid

import pyotp
from huaweicloudsdkiam.v3 import model as m

from tests import clients

STEP = 30


def code(seed: str, steps_from_now: int = 0) -> str:
    """The code an app shows `steps_from_now` time steps from now (negative: in the past)."""
    return codes(seed, steps_from_now)[0]


def codes(seed: str, *steps_from_now: int) -> list[str]:
    """Several codes read at one instant (so a step boundary cannot fall between them)."""
    moment = int(time.time())
    return [pyotp.TOTP(seed).at(moment + steps * STEP) for steps in steps_from_now]


def create_device(client, user_id: str, name: str | None = None) -> tuple[str, str]:
    """(serial number, base32 seed) of a new, unbound device for the user."""
    option = m.CreateMfaDevice(name=name or f"dev-{uuid.uuid4().hex[:8]}", user_id=user_id)
    made = client.create_mfa_device(
        m.CreateMfaDeviceRequest(body=m.CreateMfaDeviceReq(virtual_mfa_device=option))
    ).virtual_mfa_device
    return made.serial_number, made.base32_string_seed


def bind(client, user_id: str, serial: str, first: str, second: str) -> None:
    client.create_binding_device(
        m.CreateBindingDeviceRequest(
            body=m.BindMfaDevice(
                user_id=user_id,
                serial_number=serial,
                authentication_code_first=first,
                authentication_code_second=second,
            )
        )
    )


def bound_device(client, user_id: str) -> tuple[str, str]:
    """A device bound with the codes of the two steps before now, so the current code (and
    the next) is still unused for a login."""
    serial, seed = create_device(client, user_id)
    bind(client, user_id, serial, *codes(seed, -2, -1))
    return serial, seed


def unbind(client, user_id: str, serial: str, authentication_code: str) -> None:
    client.delete_binding_device(
        m.DeleteBindingDeviceRequest(
            body=m.UnbindMfaDevice(
                user_id=user_id, serial_number=serial, authentication_code=authentication_code
            )
        )
    )


def mfa_login(server, creds, passcode: str | None, user_id: str | None = None):
    """keystone_create_user_token_by_password_and_mfa as `creds`' user; the SDK response."""
    user = m.PwdPasswordUser(
        domain=m.PwdPasswordUserDomain(name=creds.account_name),
        name=creds.user_name,
        password=creds.password,
    )
    identity = m.MfaIdentity(
        methods=["password", "totp"],
        password=m.PwdPassword(user=user),
        totp=m.MfaTotp(user=m.MfaTotpUser(id=user_id or creds.user_id, passcode=passcode)),
    )
    scope = m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))
    body = m.KeystoneCreateUserTokenByPasswordAndMfaRequestBody(
        auth=m.MfaAuth(identity=identity, scope=scope)
    )
    return clients.iam(server.url, creds).keystone_create_user_token_by_password_and_mfa(
        m.KeystoneCreateUserTokenByPasswordAndMfaRequest(body=body, nocatalog="true")
    )


def password_login(server, creds):
    user = m.PwdPasswordUser(
        domain=m.PwdPasswordUserDomain(name=creds.account_name),
        name=creds.user_name,
        password=creds.password,
    )
    identity = m.PwdIdentity(methods=["password"], password=m.PwdPassword(user=user))
    body = m.KeystoneCreateUserTokenByPasswordRequestBody(
        auth=m.PwdAuth(
            identity=identity, scope=m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))
        )
    )
    return clients.iam(server.url, creds).keystone_create_user_token_by_password(
        m.KeystoneCreateUserTokenByPasswordRequest(body=body, nocatalog="true")
    )

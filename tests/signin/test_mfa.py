"""MFA devices: the administrator starts a registration through the official client, the user
registers an authenticator app in the pages, and is then asked for its TOTP code at sign-in."""

from __future__ import annotations

import re

import pyotp
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests.signin.forms import Visitor


def register_device(portal, user_id: str, name: str, password: str) -> str:
    started = portal.directory.client().register_mfa_device_for_user(
        ids.RegisterMfaDeviceForUserRequest(identity_store_id=portal.store_id, user_id=user_id)
    )
    assert started.redirect_url.startswith(f"{portal.start_url}/mfa-register?token=")
    visitor = Visitor(portal.server.url)
    visitor.open(started.redirect_url)
    visitor.sign_in(portal.store_id, name, password)
    found = re.search(r"id=\"secret\">([A-Z2-7]+)<", visitor.page.text)
    assert found, visitor.page.text
    secret = found[1]
    visitor.submit("/mfa-register", code=pyotp.TOTP(secret).now())
    assert "Authenticator registered" in visitor.text()
    return secret


def devices(portal, user_id: str) -> list:
    body = ids.BatchListMfaDevicesForUserReqBody(
        user_list=[
            ids.RetrieveMfaDevicesForUserDto(identity_store_id=portal.store_id, user_id=user_id)
        ]
    )
    request = ids.BatchListMfaDevicesForUserRequest(identity_store_id=portal.store_id, body=body)
    entries = portal.directory.client().batch_list_mfa_devices_for_user(request)
    return entries.user_mfa_devices_entry_list[0].mfa_devices


def test_a_registered_device_is_listed_and_asked_for_at_sign_in(portal):
    user_id, name, password = portal.user_with_password()
    secret = register_device(portal, user_id, name, password)
    (device,) = devices(portal, user_id)
    assert device.mfa_type == "TOTP"
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    assert "Verification code" in visitor.text()
    visitor.submit("/mfa", code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert visitor.page.status_code == 401
    visitor.submit("/mfa", code=pyotp.TOTP(secret).now())
    assert "Your accounts" in visitor.text()


def test_renaming_and_deleting_a_device(portal):
    user_id, name, password = portal.user_with_password()
    register_device(portal, user_id, name, password)
    (device,) = devices(portal, user_id)
    client = portal.directory.client()
    client.update_mfa_device_for_user(
        ids.UpdateMfaDeviceForUserRequest(
            identity_store_id=portal.store_id,
            user_id=user_id,
            device_id=device.device_id,
            body=ids.UpdateMfaDeviceForUserReqBody(display_name="Work phone"),
        )
    )
    assert devices(portal, user_id)[0].display_name == "Work phone"
    client.delete_mfa_device_for_user(
        ids.DeleteMfaDeviceForUserRequest(
            identity_store_id=portal.store_id, user_id=user_id, device_id=device.device_id
        )
    )
    assert devices(portal, user_id) == []
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    assert "Your accounts" in visitor.text()  # no code asked any more

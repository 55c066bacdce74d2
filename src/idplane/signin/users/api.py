"""Routes of the Identity Store's session, MFA device, reset-password and verify-email
operations, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.instances.errors import invalid
from idplane.instances.schemas import PathId, StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import as_utc, epoch_ms
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty
from idplane.signin.users import schemas as s
from idplane.signin.users.service import SigninUsers


def create_router(users: SigninUsers) -> APIRouter:
    router = api_router(
        envelope=IdentityCenterEnvelope(),
        prefix="/v1/identity-stores/{identity_store_id}/users",
        tags=["users"],
    )
    signed = authenticated(SIGNED)

    @router.get("/{user_id}/sessions", response_model=s.ListSessionsResponse)
    def list_sessions(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> s.ListSessionsResponse:
        rows = users.list_sessions(caller, identity_store_id, user_id)
        return s.ListSessionsResponse(
            session_list=[
                s.UserSession(
                    creation_time=epoch_ms(as_utc(row.created_at)),
                    session_id=row.id,
                    session_not_valid_after=epoch_ms(as_utc(row.expires_at)),
                    user_id=row.user_id,
                )
                for row in rows
            ]
        )

    @router.post("/{user_id}/sessions/batch-delete")
    def batch_delete_sessions(
        identity_store_id: StoreId,
        user_id: PathId,
        body: s.BatchDeleteSessionsBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        users.batch_delete_sessions(caller, identity_store_id, user_id, body.session_ids)
        return empty()

    @router.post(
        "/{user_id}/mfa-devices/register-mfa-device", response_model=s.RegisterMfaDeviceResponse
    )
    def register_mfa_device_for_user(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> s.RegisterMfaDeviceResponse:
        started = users.register_mfa_device_for_user(caller, identity_store_id, user_id)
        return s.RegisterMfaDeviceResponse(**started.__dict__)

    @router.put("/{user_id}/mfa-devices/{device_id}")
    def update_mfa_device_for_user(
        identity_store_id: StoreId,
        user_id: PathId,
        device_id: PathId,
        body: s.UpdateMfaDeviceBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        users.update_mfa_device_for_user(
            caller, identity_store_id, user_id, device_id, body.display_name
        )
        return empty()

    @router.delete("/{user_id}/mfa-devices/{device_id}")
    def delete_mfa_device_for_user(
        identity_store_id: StoreId,
        user_id: PathId,
        device_id: PathId,
        caller: Caller = Depends(signed),
    ) -> Response:
        users.delete_mfa_device_for_user(caller, identity_store_id, user_id, device_id)
        return empty()

    @router.post("/retrieve-mfa-devices", response_model=s.BatchListMfaDevicesResponse)
    def batch_list_mfa_devices_for_user(
        identity_store_id: StoreId,
        body: s.BatchListMfaDevicesBody,
        caller: Caller = Depends(signed),
    ) -> s.BatchListMfaDevicesResponse:
        if any(ref.identity_store_id != identity_store_id for ref in body.user_list):
            raise invalid("every user_list entry must name this identity store")
        found = users.batch_list_mfa_devices_for_user(
            caller, identity_store_id, [ref.user_id for ref in body.user_list]
        )
        return s.BatchListMfaDevicesResponse(
            user_mfa_devices_entry_list=[
                s.UserMfaDevices(
                    user=s.UserRef(identity_store_id=identity_store_id, user_id=user_id),
                    mfa_devices=[
                        s.MfaDeviceOut(
                            device_id=d.id,
                            device_name=d.device_name,
                            display_name=d.display_name,
                            mfa_type=d.mfa_type,
                            registered_date=epoch_ms(as_utc(d.registered_at)),
                        )
                        for d in devices
                    ],
                )
                for user_id, devices in found.items()
            ]
        )

    @router.post("/{user_id}/reset-password", response_model=s.ResetPwdModeResponse)
    def reset_pwd_mode(
        identity_store_id: StoreId,
        user_id: PathId,
        body: s.ResetPwdModeBody,
        caller: Caller = Depends(signed),
    ) -> s.ResetPwdModeResponse:
        password = users.reset_pwd_mode(caller, identity_store_id, user_id, body.mode)
        return s.ResetPwdModeResponse(password=password)

    @router.post("/{user_id}/verify-email")
    def verify_email(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        users.verify_email(caller, identity_store_id, user_id)
        return empty()

    return router

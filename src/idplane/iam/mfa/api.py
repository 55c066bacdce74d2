"""HTTP routes of virtual MFA devices and login protection."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Response

from idplane.iam.mfa import schemas
from idplane.iam.mfa.service import MfaService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

DEVICES = "/v3.0/OS-MFA/virtual-mfa-devices"
PROTECT = "/v3.0/OS-USER/users/{user_id}/login-protect"


def create_router(mfa: MfaService) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam mfa"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.post(DEVICES, status_code=201, response_model=schemas.CreatedDeviceResponse)
    def create_mfa_device(
        body: schemas.CreateDeviceBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.virtual_mfa_device
        made = mfa.create_mfa_device(caller, fields.user_id, fields.name)
        return {
            "virtual_mfa_device": {
                "serial_number": made.serial_number,
                "base32_string_seed": made.seed,
            }
        }

    @router.put("/v3.0/OS-MFA/mfa-devices/bind", status_code=204)
    def create_binding_device(
        body: schemas.BindBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        mfa.create_binding_device(
            caller,
            body.user_id,
            body.serial_number,
            body.authentication_code_first,
            body.authentication_code_second,
        )
        return empty(204)

    @router.put("/v3.0/OS-MFA/mfa-devices/unbind", status_code=204)
    def delete_binding_device(
        body: schemas.UnbindBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        mfa.delete_binding_device(
            caller, body.user_id, body.serial_number, body.authentication_code
        )
        return empty(204)

    @router.delete(DEVICES, status_code=204)
    def delete_mfa_device(
        user_id: str, serial_number: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        mfa.delete_mfa_device(caller, user_id, serial_number)
        return empty(204)

    @router.get(DEVICES, response_model=schemas.DevicesResponse)
    def list_user_mfa_devices(caller: Caller = Depends(caller_of)) -> dict:
        devices = mfa.list_user_mfa_devices(caller)
        return {"virtual_mfa_devices": [schemas.device_view(d) for d in devices]}

    @router.get(
        "/v3.0/OS-MFA/users/{user_id}/virtual-mfa-device", response_model=schemas.DeviceResponse
    )
    def show_user_mfa_device(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        device = mfa.show_user_mfa_device(caller, user_id)
        return {"virtual_mfa_device": schemas.device_view(device)}

    @router.get(PROTECT, response_model=schemas.ProtectResponse)
    def show_user_login_protect(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"login_protect": asdict(mfa.show_user_login_protect(caller, user_id))}

    @router.put(PROTECT, response_model=schemas.ProtectResponse)
    def update_login_protect(
        user_id: str, body: schemas.UpdateProtectBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.login_protect
        view = mfa.update_login_protect(caller, user_id, fields.enabled, fields.verification_method)
        return {"login_protect": asdict(view)}

    @router.get("/v3.0/OS-USER/login-protects", response_model=schemas.ProtectsResponse)
    def list_user_login_protects(caller: Caller = Depends(caller_of)) -> dict:
        return {"login_protects": [asdict(v) for v in mfa.list_user_login_protects(caller)]}

    return router

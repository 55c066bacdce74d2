"""Wire models of virtual MFA devices and login protection (`OS-MFA`, `OS-USER`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from idplane.iam.mfa.service import NewDevice
from idplane.iam.mfa.tables import MfaDevice
from idplane.iam.schemas import Open


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class NewDeviceFields(Strict):
    name: str = Field(min_length=1, max_length=64)
    user_id: str = Field(min_length=1, max_length=64)


class CreateDeviceBody(Strict):
    virtual_mfa_device: NewDeviceFields


class BindBody(Strict):
    user_id: str = Field(min_length=1, max_length=64)
    serial_number: str = Field(min_length=1, max_length=256)
    authentication_code_first: str = Field(max_length=64)
    authentication_code_second: str = Field(max_length=64)


class UnbindBody(Strict):
    user_id: str = Field(min_length=1, max_length=64)
    serial_number: str = Field(min_length=1, max_length=256)
    authentication_code: str = Field(max_length=64)


class ProtectFields(Strict):
    enabled: bool
    verification_method: str = Field(max_length=16)


class UpdateProtectBody(Strict):
    login_protect: ProtectFields


class CreatedDevice(Open):
    serial_number: str
    base32_string_seed: str


class CreatedDeviceResponse(Open):
    virtual_mfa_device: CreatedDevice


class DeviceOut(Open):
    serial_number: str
    user_id: str


class DeviceResponse(Open):
    virtual_mfa_device: DeviceOut


class DevicesResponse(Open):
    virtual_mfa_devices: list[DeviceOut]


class ProtectOut(Open):
    user_id: str
    enabled: bool
    verification_method: str


class ProtectResponse(Open):
    login_protect: ProtectOut


class ProtectsResponse(Open):
    login_protects: list[ProtectOut]


def created_view(made: NewDevice) -> dict:
    """The one answer that shows the seed."""
    return {"serial_number": made.serial_number, "base32_string_seed": made.seed}


def device_view(device: MfaDevice) -> dict:
    return {"serial_number": device.serial_number, "user_id": device.user_id}

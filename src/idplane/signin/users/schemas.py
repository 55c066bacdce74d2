"""Wire models of the Identity Store's session, MFA device and password-mode operations."""

from __future__ import annotations

from pydantic import BaseModel, Field

ID = Field(min_length=1, max_length=64)


class UserSession(BaseModel):
    creation_time: int
    session_id: str
    session_not_valid_after: int
    user_id: str


class ListSessionsResponse(BaseModel):
    session_list: list[UserSession]


class BatchDeleteSessionsBody(BaseModel):
    session_ids: list[str] = Field(min_length=1, max_length=100)


class RegisterMfaDeviceResponse(BaseModel):
    identity_store_id: str
    user_id: str
    work_flow: str
    redirect_url: str


class UpdateMfaDeviceBody(BaseModel):
    display_name: str = Field(min_length=1, max_length=128)


class UserRef(BaseModel):
    identity_store_id: str = ID
    user_id: str = ID


class BatchListMfaDevicesBody(BaseModel):
    user_list: list[UserRef] = Field(min_length=1, max_length=100)


class MfaDeviceOut(BaseModel):
    device_id: str
    device_name: str
    display_name: str
    mfa_type: str
    registered_date: int


class UserMfaDevices(BaseModel):
    mfa_devices: list[MfaDeviceOut]
    user: UserRef


class BatchListMfaDevicesResponse(BaseModel):
    user_mfa_devices_entry_list: list[UserMfaDevices]


class ResetPwdModeBody(BaseModel):
    mode: str = Field(min_length=1, max_length=16)


class ResetPwdModeResponse(BaseModel):
    password: str | None = None

"""Wire models of the instance settings APIs (names and shapes from the SDK's models; enum
values from Huawei's reference and its Terraform provider)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from idplane.identitycenter.permission_sets.schemas import duration_seconds
from idplane.instances.schemas import Body, Id

# Access-control attribute keys: letters, digits, white space and _ . : / = + @ - (AWS's rule).
ATTRIBUTE_KEY = r"^[\w\s.:/=+@-]+$"
MIN_SESSION, MAX_SESSION = 15 * 60, 7 * 86400

MfaMode = Literal["CONTEXT_AWARE", "DISABLED", "ALWAYS_ON"]
MfaType = Literal["TOTP", "WEBAUTHN", "WEBAUTHN_SECURITY_KEY"]
NoMfaSignin = Literal["ALLOWED_WITH_ENROLLMENT", "ALLOWED", "EMAIL_OTP", "BLOCKED"]
NoPasswordSignin = Literal["BLOCKED", "EMAIL_OTP"]


class AttributeValue(Body):
    source: list[str] = Field(min_length=1, max_length=1)

    @field_validator("source")
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        if any(len(item) > 256 or "\x00" in item for item in value):
            raise ValueError("each source is at most 256 characters")
        return value


class AccessControlAttribute(Body):
    key: str = Field(min_length=1, max_length=128, pattern=ATTRIBUTE_KEY)
    value: AttributeValue


class AttributeConfiguration(Body):
    access_control_attributes: list[AccessControlAttribute] = Field(min_length=1, max_length=20)

    @field_validator("access_control_attributes")
    @classmethod
    def _unique_keys(cls, value: list[AccessControlAttribute]) -> list[AccessControlAttribute]:
        keys = [attribute.key for attribute in value]
        if len(keys) != len(set(keys)):
            raise ValueError("keys must be unique")
        return value


class AttributeConfigurationBody(Body):
    """Create...ReqBody and Update...ReqBody alike."""

    instance_access_control_attribute_configuration: AttributeConfiguration


class AttributeConfigurationResponse(BaseModel):
    instance_access_control_attribute_configuration: AttributeConfiguration
    status: str
    status_reason: str | None = None


class SessionConfiguration(Body):
    max_authentication_age: str = Field(max_length=100)

    @field_validator("max_authentication_age")
    @classmethod
    def _age(cls, value: str) -> str:
        seconds = duration_seconds(value)
        if seconds is None or not MIN_SESSION <= seconds <= MAX_SESSION:
            raise ValueError("must be an ISO-8601 duration from PT15M to P7D")
        return value


class SsoConfiguration(Body):
    mfa_mode: MfaMode | None = None
    no_mfa_signin_behavior: NoMfaSignin | None = None
    no_password_signin_behavior: NoPasswordSignin | None = None
    allowed_mfa_types: list[MfaType] | None = Field(default=None, min_length=1, max_length=3)
    session_configuration: SessionConfiguration | None = None

    @field_validator("allowed_mfa_types")
    @classmethod
    def _unique_types(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(value) != len(set(value)):
            raise ValueError("MFA types must be unique")
        return value


class UpdateSsoConfigurationBody(Body):
    sso_configuration: SsoConfiguration
    configuration_type: Literal["APP_AUTHENTICATION_CONFIGURATION", "SESSION"]


class SsoConfigurationResponse(BaseModel):
    sso_configuration: SsoConfiguration


class MfaDeviceManagementBody(Body):
    identity_store_id: Id
    user_permission: Literal["READ_ACTIONS", "ALL_ACTIONS"]


class MfaDeviceManagementResponse(BaseModel):
    identity_store_id: str
    user_permission: str


class HaConfigurationBody(Body):
    disaster_recovery_choice: Literal["ACCEPT", "REJECT"]


class HaConfigurationResponse(BaseModel):
    disaster_recovery_choice: str

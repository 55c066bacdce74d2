"""Wire models of STS v5 (`huaweicloudsdksts`), with the SDK's documented constraints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

SESSION_NAME = r"^[A-Za-z0-9_+=,.@\-]+$"
URN_SEGMENT = r"[A-Za-z0-9+/=_\-]"
AGENCY_URN = rf"^{URN_SEGMENT}+:[A-Za-z0-9+/=_\-*]*:{URN_SEGMENT}+:{URN_SEGMENT}+:.+$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Tag(Strict):
    key: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9 _.:=+\-@/]+$")
    value: str = Field(min_length=0, max_length=255, pattern=r"^[A-Za-z0-9 _.:/=+\-@]*$")

    @field_validator("key")
    @classmethod
    def _not_system(cls, key: str) -> str:
        if key.startswith("_sys_"):
            raise ValueError("a tag key must not start with _sys_")
        return key


class ProvidedContext(Strict):
    context_provider_urn: str = Field(max_length=1500)
    context_assertion: str


class AssumeAgencyBody(Strict):
    agency_urn: str = Field(max_length=1500, pattern=AGENCY_URN)
    agency_session_name: str = Field(min_length=2, max_length=128, pattern=SESSION_NAME)
    duration_seconds: int | None = Field(default=None, ge=900, le=43200)
    external_id: str | None = Field(
        default=None, min_length=2, max_length=1224, pattern=r"^[A-Za-z0-9_+=,.@:/\-]+$"
    )
    policy: str | None = Field(default=None, min_length=2, max_length=4096)
    policy_ids: list[str] | None = Field(default=None, max_length=20)
    serial_number: str | None = Field(
        default=None, min_length=9, max_length=256, pattern=r"^[A-Za-z0-9_+=/:,.@\-]+$"
    )
    token_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    source_identity: str | None = Field(
        default=None, min_length=2, max_length=64, pattern=SESSION_NAME
    )
    tags: list[Tag] | None = Field(default=None, max_length=20)
    transitive_tag_keys: list[str] | None = Field(default=None, max_length=20)
    provided_contexts: list[ProvidedContext] | None = Field(
        default=None, min_length=1, max_length=5
    )

    @field_validator("policy_ids")
    @classmethod
    def _policy_ids(cls, ids: list[str] | None) -> list[str] | None:
        for policy_id in ids or []:
            if not 1 <= len(policy_id) <= 64 or not all(
                c.isalnum() or c in "_-" for c in policy_id
            ):
                raise ValueError("each policy id has 1 to 64 letters, digits, _ or -")
        return ids


class DecodeAuthorizationMessageBody(Strict):
    encoded_message: str = Field(min_length=1, max_length=10240)


class AssumedAgency(BaseModel):
    urn: str
    id: str


class Credentials(BaseModel):
    access_key_id: str
    secret_access_key: str
    security_token: str
    expiration: str


class AssumeAgencyResponse(BaseModel):
    source_identity: str | None = None
    assumed_agency: AssumedAgency
    credentials: Credentials


class CallerIdentityResponse(BaseModel):
    account_id: str
    principal_urn: str
    principal_id: str


class DecodedMessageResponse(BaseModel):
    decoded_message: str

"""Wire models of Identity Center OIDC (`RegisterClientReqBody`, `StartDeviceAuthorizationReqBody`,
`CreateTokenReqBody` and their responses), with the SDK's names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
SECRET = Field(min_length=1, max_length=4096)


class RegisterClientBody(BaseModel):
    client_name: str = Field(min_length=1, max_length=1024)
    client_type: Literal["public"]
    token_endpoint_auth_method: Literal["client_secret_post"]
    grant_types: list[
        Literal[
            "urn:ietf:params:oauth:grant-type:device_code", "authorization_code", "refresh_token"
        ]
    ] = Field(min_length=1)
    response_types: list[Literal["code"]] = Field(min_length=1)
    scopes: list[str] | None = Field(default=None, max_length=50)


class ClientInfo(BaseModel):
    authorization_endpoint: str
    client_id: str
    client_id_issued_at: int
    client_secret: str
    client_secret_expires_at: int
    token_endpoint: str
    scopes: list[str] | None = None


class RegisterClientResponse(BaseModel):
    client_info: ClientInfo


class StartDeviceAuthorizationBody(BaseModel):
    client_id: str = Field(min_length=1, max_length=64)
    client_secret: str = SECRET
    start_url: str = Field(min_length=1, max_length=2048)


class StartDeviceAuthorizationResponse(BaseModel):
    device_code: str
    expires_in: int
    interval: int
    user_code: str
    verification_uri: str
    verification_uri_complete: str


class CreateTokenBody(BaseModel):
    client_id: str = Field(min_length=1, max_length=64)
    client_secret: str = SECRET
    grant_type: str = Field(min_length=1, max_length=256)
    device_code: str | None = Field(default=None, max_length=4096)
    code: str | None = Field(default=None, max_length=4096)
    redirect_uri: str | None = Field(default=None, max_length=2048)
    refresh_token: str | None = Field(default=None, max_length=4096)
    scopes: list[str] | None = Field(default=None, max_length=50)


class TokenInfo(BaseModel):
    access_token: str
    expires_in: int
    refresh_token: str
    token_type: str = "BearerToken"
    id_token: str | None = None


class CreateTokenResponse(BaseModel):
    token_info: TokenInfo

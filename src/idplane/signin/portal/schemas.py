"""Wire models of the Identity Center portal API (`AccountInfo`, `AgencyInfo`,
`AgencyCredentials`, `PageInfoDto`), with the SDK's names."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query
from pydantic import BaseModel

AccessToken = Annotated[str, Header(alias="access-token", pattern=r"^[A-Za-z0-9\-_.]{1,4096}$")]
Limit = Annotated[int | None, Query(ge=1, le=2000)]
Marker = Annotated[str | None, Query(min_length=4, max_length=400)]


class PageInfo(BaseModel):
    next_marker: str | None = None
    current_count: int


class AccountInfo(BaseModel):
    account_id: str
    account_name: str
    email_address: str | None = None


class ListAccountsResponse(BaseModel):
    account_list: list[AccountInfo]
    page_info: PageInfo


class AgencyInfo(BaseModel):
    account_id: str
    agency_name: str
    permission_set_name: str
    agency_urn: str
    description: str | None = None


class ListAccountAgenciesResponse(BaseModel):
    agency_list: list[AgencyInfo]
    page_info: PageInfo


class AgencyCredentials(BaseModel):
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: int  # epoch seconds


class GetAgencyCredentialsResponse(BaseModel):
    agency_credentials: AgencyCredentials

"""Wire models of the user APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idplane.identitystore.directory.attributes import AlternateIdentifier
from idplane.identitystore.directory.schemas import (
    ExternalIdOut,
    external_ids_out,
    first_external_id,
)
from idplane.identitystore.users.attributes import NewUser
from idplane.identitystore.users.service import CreatedUser, UserView
from idplane.instances.schemas import Body, Id, PageInfo, page_info
from idplane.platform.clock import as_utc, epoch_ms
from idplane.platform.paging import Page

CreateUserBody = NewUser


class DescribeUsersBody(Body):
    user_ids: list[Id] = Field(min_length=1, max_length=100)


class GetUserIdBody(Body):
    alternate_identifier: AlternateIdentifier


class CreateUserResponse(BaseModel):
    identity_store_id: str
    user_id: str
    password: str | None = None


class GetUserIdResponse(BaseModel):
    identity_store_id: str
    user_id: str


class NameOut(BaseModel):
    family_name: str
    given_name: str
    middle_name: str | None = None
    formatted: str | None = None
    honorific_prefix: str | None = None
    honorific_suffix: str | None = None


class UserOut(BaseModel):
    """DescribeUserResponse / DescribeUserResp / UserDto."""

    user_id: str
    identity_store_id: str
    user_name: str
    display_name: str
    name: NameOut
    emails: list[dict[str, Any]]
    addresses: list[dict[str, Any]] | None = None
    phone_numbers: list[dict[str, Any]] | None = None
    external_id: str | None = None
    external_ids: list[ExternalIdOut] | None = None
    nickname: str | None = None
    title: str | None = None
    user_type: str | None = None
    locale: str | None = None
    timezone: str | None = None
    preferred_language: str | None = None
    profile_url: str | None = None
    enterprise: dict[str, Any] | None = None
    enabled: bool
    email_verified: bool
    created_at: int
    created_by: str
    updated_at: int
    updated_by: str


class DescribeUsersResponse(BaseModel):
    users: list[UserOut]


class ListUsersResponse(BaseModel):
    users: list[UserOut]
    page_info: PageInfo


def created_out(created: CreatedUser) -> CreateUserResponse:
    return CreateUserResponse(
        identity_store_id=created.identity_store_id,
        user_id=created.user_id,
        password=created.password,
    )


def user_out(view: UserView) -> UserOut:
    user = view.user
    status = "VERIFIED" if user.email_verified else "NOT_VERIFIED"
    return UserOut(
        user_id=user.id,
        identity_store_id=user.identity_store_id,
        user_name=user.user_name,
        display_name=user.display_name,
        name=NameOut(
            family_name=user.family_name,
            given_name=user.given_name,
            middle_name=user.middle_name,
            formatted=user.formatted_name,
            honorific_prefix=user.honorific_prefix,
            honorific_suffix=user.honorific_suffix,
        ),
        emails=[{**email, "verification_status": status} for email in user.emails or []],
        addresses=user.addresses,
        phone_numbers=user.phone_numbers,
        external_id=first_external_id(view.external_ids),
        external_ids=external_ids_out(view.external_ids),
        nickname=user.nickname,
        title=user.title,
        user_type=user.user_type,
        locale=user.locale,
        timezone=user.timezone,
        preferred_language=user.preferred_language,
        profile_url=user.profile_url,
        enterprise=user.enterprise,
        enabled=user.enabled,
        email_verified=user.email_verified,
        created_at=epoch_ms(as_utc(user.created_at)),
        created_by=user.created_by,
        updated_at=epoch_ms(as_utc(user.updated_at)),
        updated_by=user.updated_by,
    )


def users_out(views: list[UserView]) -> DescribeUsersResponse:
    return DescribeUsersResponse(users=[user_out(view) for view in views])


def user_page_out(page: Page) -> ListUsersResponse:
    return ListUsersResponse(users=[user_out(v) for v in page.rows], page_info=page_info(page))

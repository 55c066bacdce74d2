"""Wire models of IAM users: the Keystone `/v3/users` family and Huawei's `OS-USER` family.

Update bodies keep "absent" apart from "null" (`model_dump(exclude_unset=True)`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from idplane.iam.schemas import Link, Open


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class UserFields(Strict):
    """Every field a create or update may carry; which of them each API takes is its own."""

    name: str | None = None
    domain_id: str | None = None
    password: str | None = Field(None, max_length=128)
    enabled: bool | None = None
    description: str | None = None
    pwd_status: bool | None = None
    access_mode: str | None = None
    email: str | None = None
    areacode: str | None = None
    phone: str | None = None
    xuser_type: str | None = None
    xuser_id: str | None = None


class UserBody(Strict):
    user: UserFields


class InformationFields(Strict):
    email: str | None = None
    mobile: str | None = None


class InformationBody(Strict):
    user: InformationFields


class PasswordFields(Strict):
    password: str = Field(min_length=1, max_length=128)
    original_password: str = Field(min_length=1, max_length=128)


class PasswordBody(Strict):
    user: PasswordFields


class KeystoneUser(Open):
    id: str
    name: str
    domain_id: str
    enabled: bool
    description: str = ""
    pwd_status: bool | None = None
    password_expires_at: str | None = None
    access_mode: str | None = None
    links: Link


class KeystoneUserResponse(Open):
    user: KeystoneUser


class KeystoneUsersResponse(Open):
    users: list[KeystoneUser]
    links: Link


class OsUser(Open):
    id: str
    name: str
    domain_id: str
    enabled: bool
    is_domain_owner: bool
    access_mode: str
    description: str = ""
    email: str | None = None
    areacode: str | None = None
    phone: str | None = None
    xuser_id: str | None = None
    xuser_type: str | None = None
    pwd_status: bool | None = None
    create_time: str | None = None
    update_time: str | None = None
    last_login_time: str | None = None
    links: Link


class OsUserResponse(Open):
    user: OsUser

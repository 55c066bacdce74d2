"""Wire models of the password policy APIs (`PasswordPolicyDto` of the identity store SDK).

Types are strict (a string or a boolean is no integer); ranges are the service's rules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from idplane.identitystore.password_policy.service import Policy


class PasswordPolicyDto(BaseModel):
    model_config = ConfigDict(extra="ignore")

    minimum_password_length: StrictInt | None = None
    require_lowercase_characters: StrictBool | None = None
    require_numbers: StrictBool | None = None
    require_symbols: StrictBool | None = None
    require_uppercase_characters: StrictBool | None = None
    max_password_age: StrictInt | None = None
    password_reuse_prevention: StrictInt | None = None

    def changes(self) -> dict[str, int | bool]:
        """The fields the request set (null counts as not set, as the SDK omits None)."""
        return self.model_dump(exclude_none=True)


class UpdatePasswordPolicyReqBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    password_policy: PasswordPolicyDto


class PasswordPolicyResponse(BaseModel):
    password_policy: PasswordPolicyDto


def policy_out(policy: Policy) -> PasswordPolicyResponse:
    return PasswordPolicyResponse(password_policy=PasswordPolicyDto(**policy.__dict__))

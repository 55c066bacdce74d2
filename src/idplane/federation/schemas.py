"""Request bodies of the OS-FEDERATION APIs, with the wire names Keystone and Huawei use.

Keystone rejects unknown properties (`additionalProperties: false`), so do these models,
except the mapping body, which Keystone leaves open (openstacksdk sends the mapping's `id`
in it). Which fields a PATCH carried comes from `model_fields_set`, so absent and null differ.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

# Keystone sets no maximum; the stores keep an INTEGER (32-bit signed on PostgreSQL).
MAX_TTL = 2**31 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IdentityProviderCreate(_Strict):
    sso_type: StrictStr | None = None
    description: StrictStr | None = Field(None, max_length=255)
    enabled: StrictBool | None = None
    remote_ids: list[StrictStr] | None = None
    domain_id: StrictStr | None = None
    authorization_ttl: StrictInt | None = Field(None, ge=0, le=MAX_TTL)


class IdentityProviderCreateBody(_Strict):
    # Keystone treats a missing object as an empty one: every property is optional.
    identity_provider: IdentityProviderCreate = Field(default_factory=IdentityProviderCreate)


class IdentityProviderUpdate(_Strict):
    description: StrictStr | None = Field(None, max_length=255)
    enabled: StrictBool = False
    remote_ids: list[StrictStr] | None = None
    authorization_ttl: StrictInt | None = Field(None, ge=0, le=MAX_TTL)
    # Immutable; accepted only so that sending the current value back is not an error.
    sso_type: StrictStr | None = None


class IdentityProviderUpdateBody(_Strict):
    identity_provider: IdentityProviderUpdate


class MappingSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rules: Any = None  # validated by federation.rules, which explains what is wrong
    schema_version: StrictStr | None = Field(None, max_length=16)


class MappingBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    mapping: MappingSpec


class ProtocolSpec(_Strict):
    mapping_id: StrictStr | None = None
    remote_id_attribute: StrictStr | None = Field(None, max_length=64)


class ProtocolBody(_Strict):
    protocol: ProtocolSpec


class OidcConfigSpec(_Strict):
    access_mode: StrictStr | None = None
    idp_url: StrictStr | None = None
    client_id: StrictStr | None = None
    authorization_endpoint: StrictStr | None = None
    scope: StrictStr | None = None
    response_type: StrictStr | None = None
    response_mode: StrictStr | None = None
    signing_key: StrictStr | None = None


class OidcConfigBody(_Strict):
    openid_connect_config: OidcConfigSpec


class MetadataBody(_Strict):
    domain_id: StrictStr
    xaccount_type: StrictStr = Field("", max_length=64)
    metadata: StrictStr

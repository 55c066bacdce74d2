"""Wire models of the provisioning tenant and bearer token APIs (names from the SDK's
attribute maps). Times are epoch milliseconds. A token's secret appears in one model only:
the create response."""

from __future__ import annotations

from pydantic import BaseModel

from idplane.identitystore.provisioning.service import IssuedToken, TenantView, TokenView
from idplane.platform.clock import epoch_ms


class ProvisioningTenant(BaseModel):
    creation_time: int
    scim_endpoint: str
    tenant_id: str


class ProvisioningTenantsResponse(BaseModel):
    provisioning_tenants: list[ProvisioningTenant]


class BearerToken(BaseModel):
    creation_time: int
    expiration_time: int
    token_id: str


class BearerTokensResponse(BaseModel):
    bearer_tokens: list[BearerToken]


class CreatedBearerToken(BearerToken):
    token: str


def tenant_out(tenant: TenantView) -> ProvisioningTenant:
    return ProvisioningTenant(
        creation_time=epoch_ms(tenant.created_at),
        scim_endpoint=tenant.scim_endpoint,
        tenant_id=tenant.tenant_id,
    )


def tenants_out(tenants: list[TenantView]) -> ProvisioningTenantsResponse:
    return ProvisioningTenantsResponse(provisioning_tenants=[tenant_out(t) for t in tenants])


def token_out(token: TokenView) -> BearerToken:
    return BearerToken(
        creation_time=epoch_ms(token.created_at),
        expiration_time=epoch_ms(token.expires_at),
        token_id=token.token_id,
    )


def tokens_out(tokens: list[TokenView]) -> BearerTokensResponse:
    return BearerTokensResponse(bearer_tokens=[token_out(t) for t in tokens])


def issued_out(token: IssuedToken) -> CreatedBearerToken:
    return CreatedBearerToken(**token_out(token).model_dump(), token=token.token)

"""Automatic provisioning (SCIM) tables: an identity store's provisioning tenant and the bearer
tokens its SCIM client authenticates with.

- At most one tenant per identity store: `identity_store_id` is unique.
- At most two tokens per tenant: each token takes a `slot` (1 or 2) and (tenant_id, slot) is
  unique, so two concurrent creates can never both take the last slot.
- Deleting a tenant revokes its tokens: `scim_bearer_tokens.tenant_id` is ON DELETE CASCADE.
  Deleting the identity store (with its instance) removes its tenant the same way.
- A token's secret is never stored, only `platform.crypto.token_digest` of it (unique, indexed:
  SCIM requests look their token up by digest).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

TOKEN_SLOTS = (1, 2)


class ProvisioningTenant(Base):
    __tablename__ = "provisioning_tenants"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScimBearerToken(Base):
    __tablename__ = "scim_bearer_tokens"
    __table_args__ = (
        UniqueConstraint("tenant_id", "slot"),
        CheckConstraint("slot IN (1, 2)", name="slot"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("provisioning_tenants.id", ondelete="CASCADE")
    )
    slot: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

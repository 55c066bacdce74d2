"""Identity Store tables. An identity store belongs to exactly one Identity Center instance
and goes with it (ON DELETE CASCADE); users, groups and memberships will reference
`identity_stores.id` the same way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class IdentityStore(Base):
    __tablename__ = "identity_stores"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(12), unique=True)  # d- + 10 hex
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("identity_center_instances.id", ondelete="CASCADE"), unique=True
    )
    # The account that owns the instance (the organization's management account).
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # How ListIdentityStoreAssociation describes the identity source: the built-in directory
    # until an external identity provider or SCIM provisioning is configured.
    identity_store_type: Mapped[str] = mapped_column(String(32), default="IDENTITY_CENTER")
    authentication_type: Mapped[str] = mapped_column(String(32), default="IDENTITY_CENTER")
    provisioning_type: Mapped[list] = mapped_column(JSON, default=lambda: ["MANUAL"])
    status: Mapped[str] = mapped_column(String(32), default="ENABLED")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

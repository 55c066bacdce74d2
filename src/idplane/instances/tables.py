"""Identity Center tables: the organization's instance and the region chosen for it.

Everything an instance owns (its identity store, and later permission sets, assignments,
applications) references `identity_center_instances.id` with ON DELETE CASCADE, so deleting
the instance (`POST /v1/service/delete`) removes all of it in one statement. The instance
references its organization without a cascade: an organization cannot be deleted while it
still has an Identity Center instance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class Instance(Base):
    __tablename__ = "identity_center_instances"
    __table_args__ = (Index("ix_identity_center_instances_org_seq", "organization_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(20), unique=True)  # ins- + 16 hex
    # One instance per organization; RESTRICT keeps the organization while the instance lives.
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), unique=True
    )
    # The management account that started Identity Center (owner of the instance).
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    region_id: Mapped[str] = mapped_column(String(64))
    alias: Mapped[str | None] = mapped_column(String(63), unique=True)
    status: Mapped[str] = mapped_column(String(32), default="ACTIVE")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def urn(self) -> str:
        return instance_urn(self.id)


def instance_urn(instance_id: str) -> str:
    return f"IdentityCenter::system:instance:{instance_id}"


class RegisteredRegion(Base):
    """The region an organization chose for its instance (`POST /v1/register-regions`)."""

    __tablename__ = "identity_center_regions"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    region_id: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

"""The agreements a tenant (one project of an account) has accepted and the cloud services it
has authorized (or refused) access to LakeFormation. The agencies themselves live in IAM
(`iam_agencies`); whether the tenant holds one is read from there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class Agreement(Base):
    __tablename__ = "lakeformation_agreements"
    # Re-registering a name replaces its version: one row per tenant and agreement name.
    __table_args__ = (UniqueConstraint("project_id", "agreement_name"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    agreement_name: Mapped[str] = mapped_column(String(64))
    agreement_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessServiceGrant(Base):
    """A tenant's decision on one access service; a service never decided on is not granted."""

    __tablename__ = "lakeformation_access_services"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
